/* 3: divisible by 15, 2: by 5, 1: by 3, 0: otherwise */
int fizzbuzz_code(int n) {
    if (n % 15 == 0) return 3;
    if (n % 5 == 0) return 2;
    if (n % 3 == 0) return 1;
    return 0;
}
