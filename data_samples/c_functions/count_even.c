int count_even(const int *a, int n) {
    int c = 0;
    for (int i = 0; i < n; i++) c += (a[i] % 2 == 0);
    return c;
}
/* OORL_HARNESS: the test harness, its own translation unit */
#include <stdio.h>
int count_even(const int *a, int n);
int main(void) {
    int a[] = {2, 7, -4, 0, 9, 11, 6, -3};
    for (int n = 0; n <= 8; n++) printf("count_even(a, %d) = %d\n", n, count_even(a, n));
    return 0;
}
