/* The answer is the exit code: the number of steps for 27 to reach 1 under the Collatz map, mod 256. */
int main(void) {
    long x = 27;
    int steps = 0;
    while (x != 1) { x = (x & 1) ? 3 * x + 1 : x / 2; steps++; }
    return steps % 256;
}
