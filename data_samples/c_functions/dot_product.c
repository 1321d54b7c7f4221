double dot_product(const double *x, const double *y, int n) {
    double s = 0.0;
    for (int i = 0; i < n; i++) s += x[i] * y[i];
    return s;
}
/* OORL_HARNESS: the test harness, its own translation unit */
#include <stdio.h>
double dot_product(const double *x, const double *y, int n);
int main(void) {
    double x[] = {1.5, -2.0, 0.25, 4.0, 3.0}, y[] = {2.0, 0.5, 8.0, -1.0, 0.125};
    for (int n = 0; n <= 5; n++) printf("dot_product(x, y, %d) = %.17g\n", n, dot_product(x, y, n));
    return 0;
}
