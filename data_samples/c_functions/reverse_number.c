long reverse_number(int n) {
    long x = n < 0 ? -(long)n : n, r = 0;
    while (x > 0) { r = r * 10 + x % 10; x /= 10; }
    return n < 0 ? -r : r;
}
