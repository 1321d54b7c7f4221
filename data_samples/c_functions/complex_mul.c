struct complex { double re, im; };
struct complex complex_mul(struct complex a, struct complex b) {
    struct complex r = {a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re};
    return r;
}
/* OORL_HARNESS: the test harness, its own translation unit */
#include <stdio.h>
struct complex { double re, im; };
struct complex complex_mul(struct complex a, struct complex b);
int main(void) {
    struct complex zs[] = {{1, 0}, {0, 1}, {2.5, -1}, {-3, 0.5}};
    for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) {
        struct complex r = complex_mul(zs[i], zs[j]);
        printf("complex_mul(z%d, z%d) = %.17g %.17g\n", i, j, r.re, r.im);
    }
    return 0;
}
