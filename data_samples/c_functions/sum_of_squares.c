long sum_of_squares(int n) {
    long s = 0;
    for (long i = 1; i <= n; i++) s += i * i;
    return s;
}
