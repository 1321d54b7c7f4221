double newton_sqrt(double x) {
    if (x <= 0.0) return 0.0;
    double g = x > 1.0 ? x : 1.0;
    for (int i = 0; i < 40; i++) g = 0.5 * (g + x / g);
    return g;
}
