unsigned rotate_left(unsigned x, int k) {
    k &= 31;
    return k == 0 ? x : (x << k) | (x >> (32 - k));
}
