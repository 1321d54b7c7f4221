int clamp(int x, int lo, int hi) {
    if (lo > hi) { int t = lo; lo = hi; hi = t; }
    return x < lo ? lo : (x > hi ? hi : x);
}
