static int ack(int m, int n) {
    if (m == 0) return n + 1;
    if (n == 0) return ack(m - 1, 1);
    return ack(m - 1, ack(m, n - 1));
}
int ackermann_small(int m, int n) {
    if (m < 0 || n < 0 || m > 2 || n > 10) return -1;
    return ack(m, n);
}
