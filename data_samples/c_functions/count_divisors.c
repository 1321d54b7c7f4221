int count_divisors(int n) {
    if (n <= 0) return 0;
    int c = 0;
    for (int d = 1; d <= n; d++) if (n % d == 0) c++;
    return c;
}
