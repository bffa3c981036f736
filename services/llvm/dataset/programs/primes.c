/* SPDX-License-Identifier: MIT */
/* Small: sieve of Eratosthenes, trial division, gcd/lcm and modular exponentiation. */
#include <stdio.h>
#include <string.h>

#define LIMIT 200000
static unsigned char composite[LIMIT + 1];

static unsigned gcd(unsigned a, unsigned b) {
  while (b) {
    unsigned t = a % b;
    a = b;
    b = t;
  }
  return a;
}

static unsigned long long gcd64(unsigned long long a, unsigned long long b) {
  while (b) {
    unsigned long long t = a % b;
    a = b;
    b = t;
  }
  return a;
}

static int is_prime_trial(unsigned n) {
  if (n < 2) return 0;
  for (unsigned d = 2; d * d <= n; ++d)
    if (n % d == 0) return 0;
  return 1;
}

static unsigned long long powmod(unsigned long long b, unsigned long long e, unsigned long long m) {
  unsigned long long r = 1 % m;
  b %= m;
  while (e) {
    if (e & 1) r = r * b % m;
    b = b * b % m;
    e >>= 1;
  }
  return r;
}

int main(void) {
  memset(composite, 0, sizeof composite);
  unsigned count = 0, last = 0;
  unsigned long long sum = 0;
  for (unsigned i = 2; i <= LIMIT; ++i) {
    if (composite[i]) continue;
    ++count;
    sum += i;
    last = i;
    for (unsigned long j = (unsigned long)i * i; j <= LIMIT; j += i) composite[j] = 1;
  }
  printf("primes<=%d: count=%u sum=%llu last=%u\n", LIMIT, count, sum, last);
  unsigned agree = 0;
  for (unsigned i = 0; i < 5000; ++i) agree += (is_prime_trial(i) == (i >= 2 && !composite[i]));
  printf("trial division agrees on %u of 5000\n", agree);
  unsigned long long g = 0, l = 1;
  for (unsigned i = 1; i <= 30; ++i) {
    g += gcd(i * 12, 360);
    l = l / gcd64(l, i) * i;
  }
  printf("gcd sum=%llu lcm(1..30)=%llu\n", g, l);
  unsigned fermat = 0;
  for (unsigned p = 3; p < 2000; p += 2)
    if (powmod(2, p - 1, p) == 1) ++fermat;
  printf("fermat base-2 probable primes below 2000: %u\n", fermat);
  printf("3^1000 mod 1000000007 = %llu\n", powmod(3, 1000, 1000000007ull));
  return 0;
}
