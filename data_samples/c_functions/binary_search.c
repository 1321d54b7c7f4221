int binary_search(const int *a, int n, int key) {
    int lo = 0, hi = n - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        if (a[mid] == key) return mid;
        if (a[mid] < key) lo = mid + 1; else hi = mid - 1;
    }
    return -1;
}
/* OORL_HARNESS: the test harness, its own translation unit */
#include <stdio.h>
int binary_search(const int *a, int n, int key);
int main(void) {
    int a[] = {-9, -4, 0, 3, 3, 8, 15, 21, 40};
    for (int key = -10; key <= 42; key += 3) printf("binary_search(a, 9, %d) = %d\n", key, binary_search(a, 9, key));
    return 0;
}
