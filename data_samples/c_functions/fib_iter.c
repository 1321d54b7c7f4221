unsigned fib_iter(int n) {
    unsigned a = 0, b = 1;
    for (int i = 0; i < n; i++) { unsigned t = a + b; a = b; b = t; }
    return a;
}
