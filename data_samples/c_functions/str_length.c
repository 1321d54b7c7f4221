int str_length(const char *s) {
    int n = 0;
    while (s[n] != '\0') n++;
    return n;
}
/* OORL_HARNESS: the test harness, its own translation unit */
#include <stdio.h>
int str_length(const char *s);
int main(void) {
    const char *xs[] = {"", "a", "hello", "LLVM IR groups", "tab\there"};
    for (int i = 0; i < 5; i++) printf("str_length(\"%s\") = %d\n", xs[i], str_length(xs[i]));
    return 0;
}
