int parse_int(const char *s) {
    int sign = 1, v = 0;
    while (*s == ' ') s++;
    if (*s == '-' || *s == '+') { if (*s == '-') sign = -1; s++; }
    while (*s >= '0' && *s <= '9') { v = v * 10 + (*s - '0'); s++; }
    return sign * v;
}
/* OORL_HARNESS: the test harness, its own translation unit */
#include <stdio.h>
int parse_int(const char *s);
int main(void) {
    const char *xs[] = {"0", "42", "  -17", "+8x", "12345", "abc", "-0"};
    for (int i = 0; i < 7; i++) printf("parse_int(\"%s\") = %d\n", xs[i], parse_int(xs[i]));
    return 0;
}
