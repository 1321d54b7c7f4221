void bubble_sort(int *a, int n) {
    for (int i = 0; i < n - 1; i++)
        for (int j = 0; j < n - 1 - i; j++)
            if (a[j] > a[j + 1]) { int t = a[j]; a[j] = a[j + 1]; a[j + 1] = t; }
}
/* OORL_HARNESS: the test harness, its own translation unit */
#include <stdio.h>
void bubble_sort(int *a, int n);
int main(void) {
    int a[] = {5, -2, 9, 0, 5, 3, -7, 8};
    bubble_sort(a, 8);
    printf("bubble_sort =");
    for (int i = 0; i < 8; i++) printf(" %d", a[i]);
    int b[] = {3, 1};
    bubble_sort(b, 1);
    printf("\nbubble_sort(n=1) = %d %d\n", b[0], b[1]);
    return 0;
}
