struct fraction { long num, den; };
void fraction_reduce(struct fraction *f) {
    long a = f->num < 0 ? -f->num : f->num, b = f->den < 0 ? -f->den : f->den;
    while (b) { long t = a % b; a = b; b = t; }
    if (a > 1) { f->num /= a; f->den /= a; }
    if (f->den < 0) { f->num = -f->num; f->den = -f->den; }
}
/* OORL_HARNESS: the test harness, its own translation unit */
#include <stdio.h>
struct fraction { long num, den; };
void fraction_reduce(struct fraction *f);
int main(void) {
    struct fraction fs[] = {{6, 8}, {-10, 4}, {7, -21}, {0, 5}, {13, 17}, {100, 25}};
    for (int i = 0; i < 6; i++) {
        struct fraction f = fs[i];
        fraction_reduce(&f);
        printf("fraction_reduce(%ld/%ld) = %ld/%ld\n", fs[i].num, fs[i].den, f.num, f.den);
    }
    return 0;
}
