unsigned gray_code(unsigned n) { return n ^ (n >> 1); }
unsigned gray_decode(unsigned g) {
    unsigned n = g;
    while (g >>= 1) n ^= g;
    return n;
}
