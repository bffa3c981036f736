/* SPDX-License-Identifier: MIT */
/* Medium: arbitrary-precision unsigned arithmetic in base 10^9 limbs: addition,
 * subtraction, schoolbook multiplication, division by a small number, comparison, and
 * decimal printing. Computes factorials, Fibonacci numbers, powers and a digit sum. */
#include <stdio.h>
#include <string.h>

#define BASE 1000000000u
#define MAXL 400

typedef struct {
  int n;
  unsigned d[MAXL];
} big;

static void big_set(big* a, unsigned v) {
  a->n = 0;
  while (v) {
    a->d[a->n++] = v % BASE;
    v /= BASE;
  }
}
static void big_trim(big* a) {
  while (a->n > 0 && a->d[a->n - 1] == 0) --a->n;
}
static int big_cmp(const big* a, const big* b) {
  if (a->n != b->n) return a->n < b->n ? -1 : 1;
  for (int i = a->n - 1; i >= 0; --i)
    if (a->d[i] != b->d[i]) return a->d[i] < b->d[i] ? -1 : 1;
  return 0;
}
static void big_add(big* r, const big* a, const big* b) {
  unsigned carry = 0;
  int n = a->n > b->n ? a->n : b->n;
  for (int i = 0; i < n; ++i) {
    unsigned long long s =
        (unsigned long long)carry + (i < a->n ? a->d[i] : 0) + (i < b->n ? b->d[i] : 0);
    r->d[i] = (unsigned)(s % BASE);
    carry = (unsigned)(s / BASE);
  }
  r->n = n;
  if (carry) r->d[r->n++] = carry;
}
/* r = a - b, requires a >= b. */
static void big_sub(big* r, const big* a, const big* b) {
  long long borrow = 0;
  for (int i = 0; i < a->n; ++i) {
    long long s = (long long)a->d[i] - borrow - (i < b->n ? b->d[i] : 0);
    borrow = s < 0;
    if (s < 0) s += BASE;
    r->d[i] = (unsigned)s;
  }
  r->n = a->n;
  big_trim(r);
}
static void big_mul_small(big* a, unsigned m) {
  unsigned long long carry = 0;
  for (int i = 0; i < a->n; ++i) {
    unsigned long long p = (unsigned long long)a->d[i] * m + carry;
    a->d[i] = (unsigned)(p % BASE);
    carry = p / BASE;
  }
  while (carry) {
    a->d[a->n++] = (unsigned)(carry % BASE);
    carry /= BASE;
  }
}
static void big_mul(big* r, const big* a, const big* b) {
  static unsigned long long acc[2 * MAXL];
  memset(acc, 0, sizeof acc);
  for (int i = 0; i < a->n; ++i) {
    unsigned long long carry = 0;
    for (int j = 0; j < b->n; ++j) {
      unsigned long long cur = acc[i + j] + (unsigned long long)a->d[i] * b->d[j] + carry;
      acc[i + j] = cur % BASE;
      carry = cur / BASE;
    }
    int k = i + b->n;
    while (carry) {
      unsigned long long cur = acc[k] + carry;
      acc[k++] = cur % BASE;
      carry = cur / BASE;
    }
  }
  r->n = a->n + b->n;
  for (int i = 0; i < r->n; ++i) r->d[i] = (unsigned)acc[i];
  big_trim(r);
}
static unsigned big_div_small(big* a, unsigned m) {
  unsigned long long rem = 0;
  for (int i = a->n - 1; i >= 0; --i) {
    unsigned long long cur = a->d[i] + rem * BASE;
    a->d[i] = (unsigned)(cur / m);
    rem = cur % m;
  }
  big_trim(a);
  return (unsigned)rem;
}
static void big_print(const char* label, const big* a) {
  printf("%s=", label);
  if (a->n == 0) {
    printf("0\n");
    return;
  }
  printf("%u", a->d[a->n - 1]);
  for (int i = a->n - 2; i >= 0; --i) printf("%09u", a->d[i]);
  printf("\n");
}
static unsigned digit_sum(const big* a) {
  big t = *a;
  unsigned s = 0;
  while (t.n) s += big_div_small(&t, 10);
  return s;
}

static big x, y, z, w;

int main(void) {
  big_set(&x, 1);
  for (unsigned i = 2; i <= 100; ++i) big_mul_small(&x, i);
  big_print("100!", &x);
  printf("digit_sum(100!)=%u\n", digit_sum(&x));
  big_set(&x, 0);
  big_set(&y, 1);
  for (int i = 0; i < 500; ++i) {
    big_add(&z, &x, &y);
    x = y;
    y = z;
  }
  big_print("fib(500)", &x);
  big_set(&x, 2);
  big_set(&y, 1);
  for (int i = 0; i < 1000; ++i) big_mul_small(&y, 2);
  big_set(&z, 1);
  for (int i = 0; i < 10; ++i) big_mul(&z, &z, &x), big_mul(&w, &z, &z), z = w;
  printf("2^1000 digits sum=%u cmp=%d\n", digit_sum(&y), big_cmp(&y, &z));
  big_set(&x, 3);
  big_set(&z, 1);
  for (int i = 0; i < 700; ++i) {
    big_mul(&w, &z, &x);
    z = w;
  }
  big_sub(&w, &z, &y);
  big_print("3^700-2^1000", &w);
  big_add(&x, &w, &y);
  printf("roundtrip=%d\n", big_cmp(&x, &z) == 0);
  unsigned r = big_div_small(&z, 1000003u);
  printf("3^700 mod 1000003=%u\n", r);
  return 0;
}
