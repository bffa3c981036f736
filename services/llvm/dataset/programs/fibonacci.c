/* SPDX-License-Identifier: MIT */
/* Small: recursive, iterative and memoised Fibonacci numbers. */
#include <stdio.h>

static unsigned long fib_rec(unsigned n) { return n < 2 ? n : fib_rec(n - 1) + fib_rec(n - 2); }

static unsigned long fib_iter(unsigned n) {
  unsigned long a = 0, b = 1;
  while (n--) {
    unsigned long t = a + b;
    a = b;
    b = t;
  }
  return a;
}

static unsigned long memo[94];
static unsigned long fib_memo(unsigned n) {
  if (n < 2) return n;
  if (memo[n]) return memo[n];
  return memo[n] = fib_memo(n - 1) + fib_memo(n - 2);
}

int main(void) {
  for (unsigned n = 0; n <= 24; n += 4) printf("fib_rec(%u)=%lu\n", n, fib_rec(n));
  printf("fib_iter(90)=%lu\n", fib_iter(90));
  printf("fib_memo(93)=%lu\n", fib_memo(93));
  return fib_iter(30) == fib_rec(30) ? 0 : 1;
}
