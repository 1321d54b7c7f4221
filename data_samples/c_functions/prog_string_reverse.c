#include <stdio.h>
#include <string.h>
static void reverse(char *s) {
    for (size_t i = 0, j = strlen(s); i + 1 < j; i++, j--) { char t = s[i]; s[i] = s[j - 1]; s[j - 1] = t; }
}
int main(void) {
    char words[][16] = {"compiler", "ir", "a", "equivalence"};
    for (int i = 0; i < 4; i++) { reverse(words[i]); puts(words[i]); }
    return 0;
}
