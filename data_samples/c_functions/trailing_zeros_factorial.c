int trailing_zeros_factorial(int n) {
    int z = 0;
    for (long p = 5; p <= n; p *= 5) z += n / p;
    return z;
}
