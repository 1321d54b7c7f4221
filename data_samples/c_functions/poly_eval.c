/* 3x^3 - 2x^2 + 0.5x - 7 by Horner's rule */
double poly_eval(double x) {
    double r = 3.0;
    r = r * x - 2.0;
    r = r * x + 0.5;
    r = r * x - 7.0;
    return r;
}
