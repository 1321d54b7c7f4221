long binomial(int n, int k) {
    if (k < 0 || n < 0 || k > n || n > 60) return 0;
    if (k > n - k) k = n - k;
    long r = 1;
    for (int i = 1; i <= k; i++) r = r * (n - k + i) / i;
    return r;
}
