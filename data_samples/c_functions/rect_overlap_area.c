struct rect { int x, y, w, h; };
int rect_overlap_area(const struct rect *a, const struct rect *b) {
    int x0 = a->x > b->x ? a->x : b->x, y0 = a->y > b->y ? a->y : b->y;
    int x1 = a->x + a->w < b->x + b->w ? a->x + a->w : b->x + b->w;
    int y1 = a->y + a->h < b->y + b->h ? a->y + a->h : b->y + b->h;
    return (x1 > x0 && y1 > y0) ? (x1 - x0) * (y1 - y0) : 0;
}
/* OORL_HARNESS: the test harness, its own translation unit */
#include <stdio.h>
struct rect { int x, y, w, h; };
int rect_overlap_area(const struct rect *a, const struct rect *b);
int main(void) {
    struct rect rs[] = {{0, 0, 4, 4}, {2, 2, 4, 4}, {5, 5, 1, 1}, {-3, 1, 10, 2}};
    for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++)
        printf("rect_overlap_area(r%d, r%d) = %d\n", i, j, rect_overlap_area(&rs[i], &rs[j]));
    return 0;
}
