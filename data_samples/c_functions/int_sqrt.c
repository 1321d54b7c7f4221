int int_sqrt(int n) {
    if (n < 0) return -1;
    int lo = 0, hi = n < 46341 ? n : 46340;
    while (lo < hi) { int mid = lo + (hi - lo + 1) / 2; if (mid * mid <= n) lo = mid; else hi = mid - 1; }
    return lo;
}
