int is_palindrome_str(const char *s, int n) {
    for (int i = 0, j = n - 1; i < j; i++, j--) if (s[i] != s[j]) return 0;
    return 1;
}
/* OORL_HARNESS: the test harness, its own translation unit */
#include <stdio.h>
int is_palindrome_str(const char *s, int n);
int main(void) {
    const char *xs[] = {"", "a", "abba", "abca", "racecar", "racecars"};
    const int ns[] = {0, 1, 4, 4, 7, 8};
    for (int i = 0; i < 6; i++) printf("is_palindrome_str(\"%s\") = %d\n", xs[i], is_palindrome_str(xs[i], ns[i]));
    return 0;
}
