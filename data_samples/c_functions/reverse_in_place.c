void reverse_in_place(int *a, int n) {
    for (int i = 0, j = n - 1; i < j; i++, j--) { int t = a[i]; a[i] = a[j]; a[j] = t; }
}
/* OORL_HARNESS: the test harness, its own translation unit */
#include <stdio.h>
void reverse_in_place(int *a, int n);
int main(void) {
    for (int n = 0; n <= 6; n++) {
        int a[] = {1, 2, 3, 4, 5, 6};
        reverse_in_place(a, n);
        printf("reverse_in_place(n=%d) =", n);
        for (int i = 0; i < 6; i++) printf(" %d", a[i]);
        printf("\n");
    }
    return 0;
}
