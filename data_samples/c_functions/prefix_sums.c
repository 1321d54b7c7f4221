void prefix_sums(const int *a, long *out, int n) {
    long s = 0;
    for (int i = 0; i < n; i++) { s += a[i]; out[i] = s; }
}
/* OORL_HARNESS: the test harness, its own translation unit */
#include <stdio.h>
void prefix_sums(const int *a, long *out, int n);
int main(void) {
    int a[] = {4, -1, 7, 0, -3, 10};
    long out[6] = {0};
    prefix_sums(a, out, 6);
    for (int i = 0; i < 6; i++) printf("prefix_sums[%d] = %ld\n", i, out[i]);
    return 0;
}
