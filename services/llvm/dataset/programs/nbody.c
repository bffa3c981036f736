/* SPDX-License-Identifier: MIT */
/* Medium: floating point. A five-body gravity simulation (symplectic Euler) tracking
 * energy, a Mandelbrot set rendered as ASCII, and Simpson integration of a few functions.
 * Values are printed with modest fixed precision. */
#include <math.h>
#include <stdio.h>

struct body {
  double x, y, z, vx, vy, vz, m;
};

static double energy(const struct body* b, int n) {
  double e = 0;
  for (int i = 0; i < n; ++i) {
    e += 0.5 * b[i].m * (b[i].vx * b[i].vx + b[i].vy * b[i].vy + b[i].vz * b[i].vz);
    for (int j = i + 1; j < n; ++j) {
      double dx = b[i].x - b[j].x, dy = b[i].y - b[j].y, dz = b[i].z - b[j].z;
      e -= b[i].m * b[j].m / sqrt(dx * dx + dy * dy + dz * dz);
    }
  }
  return e;
}

static void advance(struct body* b, int n, double dt) {
  for (int i = 0; i < n; ++i)
    for (int j = i + 1; j < n; ++j) {
      double dx = b[i].x - b[j].x, dy = b[i].y - b[j].y, dz = b[i].z - b[j].z;
      double d2 = dx * dx + dy * dy + dz * dz;
      double mag = dt / (d2 * sqrt(d2));
      b[i].vx -= dx * b[j].m * mag;
      b[i].vy -= dy * b[j].m * mag;
      b[i].vz -= dz * b[j].m * mag;
      b[j].vx += dx * b[i].m * mag;
      b[j].vy += dy * b[i].m * mag;
      b[j].vz += dz * b[i].m * mag;
    }
  for (int i = 0; i < n; ++i) {
    b[i].x += dt * b[i].vx;
    b[i].y += dt * b[i].vy;
    b[i].z += dt * b[i].vz;
  }
}

static double simpson(double (*f)(double), double a, double b, int n) {
  double h = (b - a) / n, s = f(a) + f(b);
  for (int i = 1; i < n; ++i) s += f(a + i * h) * (i % 2 ? 4.0 : 2.0);
  return s * h / 3.0;
}
static double gauss(double x) { return exp(-x * x); }
static double poly(double x) { return x * x * x - 2.0 * x + 1.0; }
static double wave(double x) { return sin(x) * cos(3.0 * x); }

int main(void) {
  const double pi = 3.141592653589793, days = 365.24;
  struct body b[5] = {{0, 0, 0, 0, 0, 0, 4 * pi * pi},
                      {4.84, -1.16, -0.10, 0.00166 * days, 0.00770 * days, -0.0000690 * days,
                       0.000954 * 4 * pi * pi},
                      {8.34, 4.12, -0.40, -0.00277 * days, 0.00500 * days, 0.0000230 * days,
                       0.000286 * 4 * pi * pi},
                      {12.89, -15.11, -0.22, 0.00296 * days, 0.00237 * days, -0.0000296 * days,
                       0.0000437 * 4 * pi * pi},
                      {15.38, -25.92, 0.18, 0.00268 * days, 0.00163 * days, -0.0000952 * days,
                       0.0000515 * 4 * pi * pi}};
  double px = 0, py = 0, pz = 0;
  for (int i = 0; i < 5; ++i) {
    px += b[i].vx * b[i].m;
    py += b[i].vy * b[i].m;
    pz += b[i].vz * b[i].m;
  }
  b[0].vx = -px / b[0].m;
  b[0].vy = -py / b[0].m;
  b[0].vz = -pz / b[0].m;
  printf("energy before: %.6f\n", energy(b, 5));
  for (int s = 0; s < 20000; ++s) advance(b, 5, 0.01);
  printf("energy after:  %.6f\n", energy(b, 5));
  printf("jupiter at (%.3f, %.3f)\n", b[1].x, b[1].y);
  for (int row = 0; row < 21; ++row) {
    for (int col = 0; col < 64; ++col) {
      double cr = -2.2 + col * 3.0 / 64, ci = -1.2 + row * 2.4 / 20, zr = 0, zi = 0;
      int it = 0;
      while (it < 200 && zr * zr + zi * zi < 4.0) {
        double t = zr * zr - zi * zi + cr;
        zi = 2 * zr * zi + ci;
        zr = t;
        ++it;
      }
      putchar(" .:-=+*#%@"[it >= 200 ? 9 : it % 9]);
    }
    putchar('\n');
  }
  printf("int exp(-x^2) [-3,3] = %.8f\n", simpson(gauss, -3, 3, 1000));
  printf("int poly [0,2] = %.8f\n", simpson(poly, 0, 2, 100));
  printf("int wave [0,2] = %.8f\n", simpson(wave, 0, 2, 1000));
  return 0;
}
