/* SPDX-License-Identifier: MIT */
/* Medium: string search algorithms (naive, Knuth-Morris-Pratt, Boyer-Moore-Horspool,
 * Rabin-Karp, Z-algorithm) counting every occurrence in a generated text. */
#include <stdio.h>
#include <string.h>

#define TEXT_LEN 60000
static char text[TEXT_LEN + 1];

typedef long (*search_fn)(const char* t, int n, const char* p, int m);

static long naive(const char* t, int n, const char* p, int m) {
  long c = 0;
  for (int i = 0; i + m <= n; ++i) {
    int j = 0;
    while (j < m && t[i + j] == p[j]) ++j;
    c += j == m;
  }
  return c;
}

static long kmp(const char* t, int n, const char* p, int m) {
  int fail[64];
  fail[0] = 0;
  for (int i = 1, k = 0; i < m; ++i) {
    while (k && p[i] != p[k]) k = fail[k - 1];
    if (p[i] == p[k]) ++k;
    fail[i] = k;
  }
  long c = 0;
  for (int i = 0, k = 0; i < n; ++i) {
    while (k && t[i] != p[k]) k = fail[k - 1];
    if (t[i] == p[k]) ++k;
    if (k == m) {
      ++c;
      k = fail[k - 1];
    }
  }
  return c;
}

static long horspool(const char* t, int n, const char* p, int m) {
  int shift[256];
  for (int i = 0; i < 256; ++i) shift[i] = m;
  for (int i = 0; i < m - 1; ++i) shift[(unsigned char)p[i]] = m - 1 - i;
  long c = 0;
  for (int i = 0; i + m <= n; i += shift[(unsigned char)t[i + m - 1]])
    if (memcmp(t + i, p, (size_t)m) == 0) ++c;
  return c;
}

static long rabin_karp(const char* t, int n, const char* p, int m) {
  const unsigned q = 1000003u, b = 257u;
  unsigned hp = 0, ht = 0, pw = 1;
  if (m > n) return 0;
  for (int i = 0; i < m; ++i) {
    hp = (hp * b + (unsigned char)p[i]) % q;
    ht = (ht * b + (unsigned char)t[i]) % q;
    if (i) pw = pw * b % q;
  }
  long c = 0;
  for (int i = 0;; ++i) {
    if (hp == ht && memcmp(t + i, p, (size_t)m) == 0) ++c;
    if (i + m >= n) break;
    ht = (ht + q - (unsigned char)t[i] * pw % q) % q;
    ht = (ht * b + (unsigned char)t[i + m]) % q;
  }
  return c;
}

static int zbuf[TEXT_LEN + 70];
static char zs[TEXT_LEN + 70];
static long zalgo(const char* t, int n, const char* p, int m) {
  int len = m + 1 + n;
  memcpy(zs, p, (size_t)m);
  zs[m] = '\x01';
  memcpy(zs + m + 1, t, (size_t)n);
  zbuf[0] = len;
  long c = 0;
  for (int i = 1, l = 0, r = 0; i < len; ++i) {
    int z = 0;
    if (i < r) z = zbuf[i - l] < r - i ? zbuf[i - l] : r - i;
    while (i + z < len && zs[z] == zs[i + z]) ++z;
    zbuf[i] = z;
    if (i + z > r) {
      l = i;
      r = i + z;
    }
    if (i > m && z >= m) ++c;
  }
  return c;
}

int main(void) {
  unsigned s = 7u;
  static const char alphabet[] = "abcab cabd";
  for (int i = 0; i < TEXT_LEN; ++i) {
    s = s * 1103515245u + 12345u;
    text[i] = alphabet[(s >> 16) % 10u];
  }
  text[TEXT_LEN] = 0;
  static const char* patterns[] = {"a",     "ab",   "abc",      "cab",  "abab",
                                   "b cab", "aaaa", "abcabcab", "dddd", "cabdab c"};
  static const struct {
    const char* name;
    search_fn fn;
  } algs[] = {{"naive", naive},
              {"kmp", kmp},
              {"horspool", horspool},
              {"rabin-karp", rabin_karp},
              {"z", zalgo}};
  int mismatches = 0;
  for (unsigned p = 0; p < sizeof patterns / sizeof *patterns; ++p) {
    int m = (int)strlen(patterns[p]);
    long ref = naive(text, TEXT_LEN, patterns[p], m);
    printf("%-10s %6ld", patterns[p], ref);
    for (unsigned a = 1; a < sizeof algs / sizeof *algs; ++a) {
      long c = algs[a].fn(text, TEXT_LEN, patterns[p], m);
      if (c != ref) {
        ++mismatches;
        printf(" %s=%ld!", algs[a].name, c);
      }
    }
    printf("\n");
  }
  printf("mismatches=%d\n", mismatches);
  return mismatches != 0;
}
