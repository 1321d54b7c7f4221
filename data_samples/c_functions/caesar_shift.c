char caesar_shift(char c, int k) {
    k = ((k % 26) + 26) % 26;
    if (c >= 'a' && c <= 'z') return (char)('a' + (c - 'a' + k) % 26);
    if (c >= 'A' && c <= 'Z') return (char)('A' + (c - 'A' + k) % 26);
    return c;
}
