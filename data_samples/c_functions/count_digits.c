int count_digits(long n) {
    int c = 1;
    if (n < 0) n = -n;
    while (n >= 10) { n /= 10; c++; }
    return c;
}
