/* 0: not a triangle, 1: equilateral, 2: isosceles, 3: scalene */
int triangle_kind(int a, int b, int c) {
    if (a <= 0 || b <= 0 || c <= 0) return 0;
    if ((long)a + b <= c || (long)a + c <= b || (long)b + c <= a) return 0;
    if (a == b && b == c) return 1;
    if (a == b || b == c || a == c) return 2;
    return 3;
}
