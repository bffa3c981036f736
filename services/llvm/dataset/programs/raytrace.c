/* SPDX-License-Identifier: MIT */
/* Medium: a ray tracer in 16.16 fixed point arithmetic (integers only): spheres and a
 * checkered plane, diffuse and specular lighting, shadows and one reflection bounce,
 * rendered to ASCII shades plus a checksum of the 8-bit image. */
#include <stdint.h>
#include <stdio.h>

typedef int32_t fx;
#define ONE 65536
#define FX(x) ((fx)((x)*ONE))
typedef struct {
  fx x, y, z;
} vec;

static fx fmul(fx a, fx b) { return (fx)(((int64_t)a * b) / ONE); }
static fx fdiv(fx a, fx b) { return (fx)(((int64_t)a * ONE) / b); }
static fx fsqrt(fx a) {
  if (a <= 0) return 0;
  uint64_t v = (uint64_t)a << 16, r = 0, bit = 1ull << 62;
  while (bit > v) bit >>= 2;
  while (bit) {
    if (v >= r + bit) {
      v -= r + bit;
      r = (r >> 1) + bit;
    } else
      r >>= 1;
    bit >>= 2;
  }
  return (fx)r;
}
static vec v3(fx x, fx y, fx z) {
  vec v = {x, y, z};
  return v;
}
static vec vadd(vec a, vec b) { return v3(a.x + b.x, a.y + b.y, a.z + b.z); }
static vec vsub(vec a, vec b) { return v3(a.x - b.x, a.y - b.y, a.z - b.z); }
static vec vscale(vec a, fx s) { return v3(fmul(a.x, s), fmul(a.y, s), fmul(a.z, s)); }
static fx vdot(vec a, vec b) { return fmul(a.x, b.x) + fmul(a.y, b.y) + fmul(a.z, b.z); }
static vec vnorm(vec a) {
  fx l = fsqrt(vdot(a, a));
  return l ? v3(fdiv(a.x, l), fdiv(a.y, l), fdiv(a.z, l)) : a;
}

struct sphere {
  vec c;
  fx r;
  int shade;
  fx refl;
};
static const struct sphere spheres[] = {
    {{FX(0), FX(1), FX(5)}, FX(1), 200, FX(0.3)},
    {{FX(-2.2), FX(0.7), FX(6)}, FX(0.7), 140, FX(0)},
    {{FX(2), FX(0.5), FX(4)}, FX(0.5), 255, FX(0.5)},
};
enum { NS = sizeof spheres / sizeof spheres[0] };

/* Returns the hit distance (0 = none) and which object: sphere index or NS for the plane. */
static fx intersect(vec o, vec d, int* obj) {
  fx best = 0;
  *obj = -1;
  for (int i = 0; i < NS; ++i) {
    vec oc = vsub(o, spheres[i].c);
    fx b = vdot(oc, d), c = vdot(oc, oc) - fmul(spheres[i].r, spheres[i].r), disc = fmul(b, b) - c;
    if (disc < 0) continue;
    fx t = -b - fsqrt(disc);
    if (t > FX(0.01) && (!best || t < best)) {
      best = t;
      *obj = i;
    }
  }
  if (d.y < -FX(0.001)) {
    fx t = fdiv(-o.y, d.y);
    if (t > FX(0.01) && t < FX(40) && (!best || t < best)) {
      best = t;
      *obj = NS;
    }
  }
  return best;
}

static int trace(vec o, vec d, int depth) {
  int obj;
  fx t = intersect(o, d, &obj);
  if (!t) return 20 + (d.y > 0 ? fmul(d.y, FX(60)) >> 16 : 0);
  vec p = vadd(o, vscale(d, t)), n;
  int base;
  fx refl = 0;
  if (obj == NS) {
    n = v3(0, ONE, 0);
    base = (((p.x >> 16) + (p.z >> 16)) & 1) ? 230 : 60;
  } else {
    n = vnorm(vsub(p, spheres[obj].c));
    base = spheres[obj].shade;
    refl = spheres[obj].refl;
  }
  vec light = vnorm(v3(FX(-3), FX(4), FX(-2)));
  fx diff = vdot(n, light);
  if (diff < 0) diff = 0;
  int sobj;
  if (intersect(vadd(p, vscale(n, FX(0.02))), light, &sobj)) diff = fmul(diff, FX(0.25));
  vec h = vnorm(vsub(light, d));
  fx spec = vdot(n, h);
  if (spec < 0) spec = 0;
  for (int i = 0; i < 4; ++i) spec = fmul(spec, spec);
  int color = (int)((fmul(FX(0.15), ONE) + diff) * base >> 16) + (int)(fmul(spec, FX(200)) >> 16);
  if (refl && depth < 2) {
    vec r = vsub(d, vscale(n, 2 * vdot(d, n)));
    int rc = trace(vadd(p, vscale(n, FX(0.02))), vnorm(r), depth + 1);
    color = (int)(((int64_t)color * (ONE - refl) + (int64_t)rc * refl) >> 16);
  }
  return color > 255 ? 255 : color;
}

int main(void) {
  enum { W = 72, H = 30 };
  static const char shades[] =
      " .'`^\",:;Il!i><~+_-?][}{1)(|tfjrxnuvczXYUJCLQ0OZmwqpdbkhao*#MW&8%B@$";
  unsigned long sum = 0, hist[4] = {0};
  vec eye = v3(0, FX(1.2), FX(-1));
  for (int y = 0; y < H; ++y) {
    for (int x = 0; x < W; ++x) {
      vec d = vnorm(v3(fdiv(FX(x - W / 2), FX(W / 2)), fdiv(FX(H / 2 - y), FX(H)), ONE));
      int c = trace(eye, d, 0);
      sum = sum * 31u + (unsigned)c;
      sum %= 1000000007ul;
      ++hist[c >> 6];
      putchar(shades[c * (int)(sizeof shades - 2) / 255]);
    }
    putchar('\n');
  }
  printf("checksum=%lu histogram=%lu,%lu,%lu,%lu\n", sum, hist[0], hist[1], hist[2], hist[3]);
  return 0;
}
