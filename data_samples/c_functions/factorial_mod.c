long factorial_mod(int n) {
    long r = 1;
    for (int i = 2; i <= n; i++) r = (r * i) % 1000000007L;
    return r;
}
