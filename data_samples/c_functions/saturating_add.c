short saturating_add(short a, short b) {
    int s = (int)a + (int)b;
    if (s > 32767) return 32767;
    if (s < -32768) return -32768;
    return (short)s;
}
