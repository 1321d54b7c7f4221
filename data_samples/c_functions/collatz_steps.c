int collatz_steps(int n) {
    if (n <= 0) return -1;
    long x = n; int steps = 0;
    while (x != 1) { x = (x % 2 == 0) ? x / 2 : 3 * x + 1; steps++; }
    return steps;
}
