struct point { int x, y; };
int manhattan_distance(struct point a, struct point b) {
    int dx = a.x - b.x, dy = a.y - b.y;
    return (dx < 0 ? -dx : dx) + (dy < 0 ? -dy : dy);
}
/* OORL_HARNESS: the test harness, its own translation unit */
#include <stdio.h>
struct point { int x, y; };
int manhattan_distance(struct point a, struct point b);
int main(void) {
    struct point ps[] = {{0, 0}, {3, 4}, {-2, 7}, {10, -10}};
    for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++)
        printf("manhattan_distance(p%d, p%d) = %d\n", i, j, manhattan_distance(ps[i], ps[j]));
    return 0;
}
