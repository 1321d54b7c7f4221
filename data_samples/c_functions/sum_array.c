long sum_array(const int *a, int n) {
    long s = 0;
    for (int i = 0; i < n; i++) s += a[i];
    return s;
}
/* OORL_HARNESS: the test harness, its own translation unit */
#include <stdio.h>
long sum_array(const int *a, int n);
int main(void) {
    int a[] = {3, -1, 4, 1, -5, 9, 2, 6};
    for (int n = 0; n <= 8; n++) printf("sum_array(a, %d) = %ld\n", n, sum_array(a, n));
    return 0;
}
