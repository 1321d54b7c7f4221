int second_largest(const int *a, int n) {
    int first = a[0], second = -2147483647 - 1;
    for (int i = 1; i < n; i++) {
        if (a[i] > first) { second = first; first = a[i]; }
        else if (a[i] < first && a[i] > second) second = a[i];
    }
    return second;
}
/* OORL_HARNESS: the test harness, its own translation unit */
#include <stdio.h>
int second_largest(const int *a, int n);
int main(void) {
    int a[] = {4, 9, 9, -2, 7, 11, 3};
    for (int n = 1; n <= 7; n++) printf("second_largest(a, %d) = %d\n", n, second_largest(a, n));
    return 0;
}
