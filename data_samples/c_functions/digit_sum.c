int digit_sum(int n) {
    long x = n < 0 ? -(long)n : n;
    int s = 0;
    while (x > 0) { s += x % 10; x /= 10; }
    return s;
}
