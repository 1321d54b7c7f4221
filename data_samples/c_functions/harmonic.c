double harmonic(int n) {
    double s = 0.0;
    for (int k = 1; k <= n; k++) s += 1.0 / k;
    return s;
}
