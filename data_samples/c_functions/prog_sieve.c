#include <stdio.h>
int main(void) {
    char composite[200] = {0};
    int count = 0;
    for (int i = 2; i < 200; i++) {
        if (composite[i]) continue;
        printf("%d ", i);
        count++;
        for (int j = i * i; j < 200; j += i) composite[j] = 1;
    }
    printf("\n%d primes\n", count);
    return 0;
}
