#include <stdio.h>
int main(void) {
    const char *text = "the quick brown fox jumps over the lazy dog";
    int counts[26] = {0};
    for (const char *p = text; *p; p++) if (*p >= 'a' && *p <= 'z') counts[*p - 'a']++;
    for (int i = 0; i < 26; i++) if (counts[i] > 1) printf("%c %d\n", 'a' + i, counts[i]);
    return 0;
}
