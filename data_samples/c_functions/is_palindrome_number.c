int is_palindrome_number(int n) {
    if (n < 0) return 0;
    long x = n, r = 0;
    while (x > 0) { r = r * 10 + x % 10; x /= 10; }
    return r == n;
}
