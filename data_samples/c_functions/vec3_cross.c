struct vec3 { float x, y, z; };
struct vec3 vec3_cross(struct vec3 a, struct vec3 b) {
    struct vec3 r = {a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x};
    return r;
}
/* OORL_HARNESS: the test harness, its own translation unit */
#include <stdio.h>
struct vec3 { float x, y, z; };
struct vec3 vec3_cross(struct vec3 a, struct vec3 b);
int main(void) {
    struct vec3 vs[] = {{1, 0, 0}, {0, 1, 0}, {2, -3, 0.5f}, {-1, 4, 2}};
    for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) {
        struct vec3 r = vec3_cross(vs[i], vs[j]);
        printf("vec3_cross(v%d, v%d) = %.9g %.9g %.9g\n", i, j, r.x, r.y, r.z);
    }
    return 0;
}
