int ilog2(unsigned x) {
    int r = -1;
    while (x) { x >>= 1; r++; }
    return r;
}
