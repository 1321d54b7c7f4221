int gcd_recursive(int a, int b) {
    if (a < 0) a = -a;
    if (b < 0) b = -b;
    return b == 0 ? a : gcd_recursive(b, a % b);
}
