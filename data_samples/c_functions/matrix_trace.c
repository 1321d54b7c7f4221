int matrix_trace(const int *m, int n) {
    int t = 0;
    for (int i = 0; i < n; i++) t += m[i * n + i];
    return t;
}
/* OORL_HARNESS: the test harness, its own translation unit */
#include <stdio.h>
int matrix_trace(const int *m, int n);
int main(void) {
    int m[16];
    for (int i = 0; i < 16; i++) m[i] = (i * 7) % 11 - 3;
    for (int n = 0; n <= 4; n++) printf("matrix_trace(m, %d) = %d\n", n, matrix_trace(m, n));
    return 0;
}
