int is_sorted(const int *a, int n) {
    for (int i = 1; i < n; i++) if (a[i - 1] > a[i]) return 0;
    return 1;
}
/* OORL_HARNESS: the test harness, its own translation unit */
#include <stdio.h>
int is_sorted(const int *a, int n);
int main(void) {
    int a[] = {1, 2, 2, 5, 9, 3, 10};
    for (int n = 0; n <= 7; n++) printf("is_sorted(a, %d) = %d\n", n, is_sorted(a, n));
    return 0;
}
