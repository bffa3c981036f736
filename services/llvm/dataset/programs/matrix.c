/* SPDX-License-Identifier: MIT */
/* Medium: dense matrix kernels in double precision (multiply with three loop orders,
 * transpose, LU decomposition with partial pivoting, solve, determinant) and an integer
 * matrix power. Results are printed with fixed, modest precision. */
#include <math.h>
#include <stdio.h>

#define N 48

static unsigned seed = 2024u;
static double rnd(void) {
  seed = seed * 1664525u + 1013904223u;
  return (double)(seed >> 9) / (double)(1u << 23) - 0.5;
}

typedef double mat[N][N];

static void mul_ijk(mat a, mat b, mat c) {
  for (int i = 0; i < N; ++i)
    for (int j = 0; j < N; ++j) {
      double s = 0;
      for (int k = 0; k < N; ++k) s += a[i][k] * b[k][j];
      c[i][j] = s;
    }
}

static void mul_ikj(mat a, mat b, mat c) {
  for (int i = 0; i < N; ++i) {
    for (int j = 0; j < N; ++j) c[i][j] = 0;
    for (int k = 0; k < N; ++k) {
      double x = a[i][k];
      for (int j = 0; j < N; ++j) c[i][j] += x * b[k][j];
    }
  }
}

static void mul_blocked(mat a, mat b, mat c) {
  enum { B = 8 };
  for (int i = 0; i < N; ++i)
    for (int j = 0; j < N; ++j) c[i][j] = 0;
  for (int ii = 0; ii < N; ii += B)
    for (int kk = 0; kk < N; kk += B)
      for (int jj = 0; jj < N; jj += B)
        for (int i = ii; i < ii + B; ++i)
          for (int k = kk; k < kk + B; ++k)
            for (int j = jj; j < jj + B; ++j) c[i][j] += a[i][k] * b[k][j];
}

static double max_diff(mat a, mat b) {
  double m = 0;
  for (int i = 0; i < N; ++i)
    for (int j = 0; j < N; ++j) m = fmax(m, fabs(a[i][j] - b[i][j]));
  return m;
}

/* In-place LU with partial pivoting; returns the determinant. */
static double lu(mat a, int* perm) {
  double det = 1;
  for (int i = 0; i < N; ++i) perm[i] = i;
  for (int k = 0; k < N; ++k) {
    int p = k;
    for (int i = k + 1; i < N; ++i)
      if (fabs(a[i][k]) > fabs(a[p][k])) p = i;
    if (p != k) {
      for (int j = 0; j < N; ++j) {
        double t = a[k][j];
        a[k][j] = a[p][j];
        a[p][j] = t;
      }
      int t = perm[k];
      perm[k] = perm[p];
      perm[p] = t;
      det = -det;
    }
    det *= a[k][k];
    for (int i = k + 1; i < N; ++i) {
      a[i][k] /= a[k][k];
      for (int j = k + 1; j < N; ++j) a[i][j] -= a[i][k] * a[k][j];
    }
  }
  return det;
}

static void lu_solve(mat lu_m, const int* perm, const double* b, double* x) {
  double y[N];
  for (int i = 0; i < N; ++i) {
    double s = b[perm[i]];
    for (int j = 0; j < i; ++j) s -= lu_m[i][j] * y[j];
    y[i] = s;
  }
  for (int i = N - 1; i >= 0; --i) {
    double s = y[i];
    for (int j = i + 1; j < N; ++j) s -= lu_m[i][j] * x[j];
    x[i] = s / lu_m[i][i];
  }
}

static void imat_mul(const unsigned long long a[4][4], const unsigned long long b[4][4],
                     unsigned long long c[4][4]) {
  unsigned long long t[4][4];
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) {
      unsigned long long s = 0;
      for (int k = 0; k < 4; ++k) s = (s + a[i][k] * b[k][j]) % 1000000007ull;
      t[i][j] = s;
    }
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) c[i][j] = t[i][j];
}

static mat A, B, C1, C2, C3, L;

int main(void) {
  for (int i = 0; i < N; ++i)
    for (int j = 0; j < N; ++j) {
      A[i][j] = rnd() + (i == j ? 4.0 : 0.0);
      B[i][j] = rnd();
    }
  mul_ijk(A, B, C1);
  mul_ikj(A, B, C2);
  mul_blocked(A, B, C3);
  double trace = 0;
  for (int i = 0; i < N; ++i) trace += C1[i][i];
  printf("trace(A*B)=%.6f agree=%d %d\n", trace, max_diff(C1, C2) < 1e-9, max_diff(C1, C3) < 1e-9);
  for (int i = 0; i < N; ++i)
    for (int j = 0; j < N; ++j) L[i][j] = A[i][j];
  int perm[N];
  double det = lu(L, perm);
  printf("log10|det(A)|=%.6f sign=%d\n", log10(fabs(det)), det < 0 ? -1 : 1);
  double xs[N], b[N], x[N];
  for (int i = 0; i < N; ++i) xs[i] = (double)(i % 7) - 3.0;
  for (int i = 0; i < N; ++i) {
    b[i] = 0;
    for (int j = 0; j < N; ++j) b[i] += A[i][j] * xs[j];
  }
  lu_solve(L, perm, b, x);
  double err = 0;
  for (int i = 0; i < N; ++i) err = fmax(err, fabs(x[i] - xs[i]));
  printf("solve residual small=%d x[5]=%.4f\n", err < 1e-8, x[5]);
  unsigned long long r[4][4] = {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}};
  unsigned long long m[4][4] = {{1, 1, 1, 1}, {1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}};
  for (unsigned long long e = 1000000; e; e >>= 1) {
    if (e & 1) imat_mul(r, m, r);
    imat_mul(m, m, m);
  }
  printf("tetranacci(1000000) mod p = %llu\n", r[0][3]);
  return 0;
}
