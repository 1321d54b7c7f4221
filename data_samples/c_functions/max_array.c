int max_array(const int *a, int n) {
    int m = a[0];
    for (int i = 1; i < n; i++) if (a[i] > m) m = a[i];
    return m;
}
/* OORL_HARNESS: the test harness, its own translation unit */
#include <stdio.h>
int max_array(const int *a, int n);
int main(void) {
    int a[] = {-3, -8, 4, 1, 12, 9, -2, 12, 0};
    for (int n = 1; n <= 9; n++) printf("max_array(a, %d) = %d\n", n, max_array(a, n));
    return 0;
}
