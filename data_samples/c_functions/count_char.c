int count_char(const char *s, char c) {
    int n = 0;
    for (; *s; s++) n += (*s == c);
    return n;
}
/* OORL_HARNESS: the test harness, its own translation unit */
#include <stdio.h>
int count_char(const char *s, char c);
int main(void) {
    const char *s = "mississippi river";
    const char cs[] = {'s', 'i', 'p', 'r', 'z', ' '};
    for (int i = 0; i < 6; i++) printf("count_char(s, '%c') = %d\n", cs[i], count_char(s, cs[i]));
    return 0;
}
