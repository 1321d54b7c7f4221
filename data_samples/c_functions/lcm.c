static long gcd_l(long a, long b) { while (b) { long t = a % b; a = b; b = t; } return a; }
long lcm(int a, int b) {
    long x = a < 0 ? -(long)a : a, y = b < 0 ? -(long)b : b;
    if (x == 0 || y == 0) return 0;
    return x / gcd_l(x, y) * y;
}
