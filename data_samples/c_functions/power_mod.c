long long power_mod(int base, int exp) {
    const long long m = 1000000007LL;
    long long b = ((base % m) + m) % m, r = 1;
    unsigned e = exp < 0 ? 0u : (unsigned)exp;
    while (e) { if (e & 1u) r = r * b % m; b = b * b % m; e >>= 1; }
    return r;
}
