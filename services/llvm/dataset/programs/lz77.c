/* SPDX-License-Identifier: MIT */
/* Medium: an LZ77-style compressor with a hash-chain match finder and a byte-oriented
 * token format, plus run-length encoding; both round-trip generated inputs. */
#include <stdio.h>
#include <string.h>

#define MAXN 40000
#define WINDOW 4096
#define MIN_MATCH 3
#define MAX_MATCH 130
#define HBITS 12

static unsigned char input[MAXN], packed[MAXN * 2], unpacked[MAXN];
static int hash_head[1 << HBITS], chain[MAXN];

static unsigned hash3(const unsigned char* p) {
  return ((p[0] << 8) ^ (p[1] << 4) ^ p[2]) & ((1u << HBITS) - 1);
}

/* Token format: a control byte c. c < 128: c+1 literal bytes follow. c >= 128: a match of
 * length (c - 128) + MIN_MATCH with a two-byte distance (little endian). */
static int compress(const unsigned char* in, int n, unsigned char* out) {
  int o = 0, lit_start = 0, i = 0;
  for (int k = 0; k < (1 << HBITS); ++k) hash_head[k] = -1;
  while (i < n) {
    int best_len = 0, best_dist = 0;
    if (i + MIN_MATCH <= n) {
      unsigned h = hash3(in + i);
      int tries = 32;
      for (int c = hash_head[h]; c >= 0 && i - c <= WINDOW && tries--; c = chain[c]) {
        int l = 0;
        while (l < MAX_MATCH && i + l < n && in[c + l] == in[i + l]) ++l;
        if (l > best_len) {
          best_len = l;
          best_dist = i - c;
        }
      }
      chain[i] = hash_head[h];
      hash_head[h] = i;
    }
    if (best_len >= MIN_MATCH) {
      while (lit_start < i) {
        int run = i - lit_start > 128 ? 128 : i - lit_start;
        out[o++] = (unsigned char)(run - 1);
        memcpy(out + o, in + lit_start, (size_t)run);
        o += run;
        lit_start += run;
      }
      out[o++] = (unsigned char)(128 + best_len - MIN_MATCH);
      out[o++] = (unsigned char)(best_dist & 255);
      out[o++] = (unsigned char)(best_dist >> 8);
      for (int k = 1; k < best_len; ++k) {
        int p = i + k;
        if (p + MIN_MATCH <= n) {
          unsigned h = hash3(in + p);
          chain[p] = hash_head[h];
          hash_head[h] = p;
        }
      }
      i += best_len;
      lit_start = i;
    } else {
      ++i;
    }
  }
  while (lit_start < n) {
    int run = n - lit_start > 128 ? 128 : n - lit_start;
    out[o++] = (unsigned char)(run - 1);
    memcpy(out + o, in + lit_start, (size_t)run);
    o += run;
    lit_start += run;
  }
  return o;
}

static int decompress(const unsigned char* in, int n, unsigned char* out, int cap) {
  int i = 0, o = 0;
  while (i < n) {
    int c = in[i++];
    if (c < 128) {
      if (o + c + 1 > cap || i + c + 1 > n) return -1;
      memcpy(out + o, in + i, (size_t)c + 1);
      o += c + 1;
      i += c + 1;
    } else {
      if (i + 2 > n) return -1;
      int len = c - 128 + MIN_MATCH, dist = in[i] | in[i + 1] << 8;
      i += 2;
      if (dist == 0 || dist > o || o + len > cap) return -1;
      for (int k = 0; k < len; ++k, ++o) out[o] = out[o - dist];
    }
  }
  return o;
}

static int rle_encode(const unsigned char* in, int n, unsigned char* out) {
  int o = 0;
  for (int i = 0; i < n;) {
    int r = 1;
    while (i + r < n && r < 255 && in[i + r] == in[i]) ++r;
    out[o++] = (unsigned char)r;
    out[o++] = in[i];
    i += r;
  }
  return o;
}
static int rle_decode(const unsigned char* in, int n, unsigned char* out) {
  int o = 0;
  for (int i = 0; i + 1 < n; i += 2)
    for (int r = 0; r < in[i]; ++r) out[o++] = in[i + 1];
  return o;
}

static int make_input(int kind, int n) {
  static const char* words[] = {"lorem ",    "ipsum ", "dolor ", "sit ",  "amet ",
                                "compiler ", "gym ",   "pass ",  "order "};
  unsigned s = 17u + (unsigned)kind;
  int i = 0;
  while (i < n) {
    s = s * 1103515245u + 12345u;
    if (kind == 0) {
      const char* w = words[(s >> 16) % 9u];
      while (*w && i < n) input[i++] = (unsigned char)*w++;
    } else if (kind == 1) {
      input[i++] = (unsigned char)(s >> 16);
    } else {
      int run = 1 + (int)((s >> 16) % 40u);
      unsigned char b = (unsigned char)(s >> 24) & 7u;
      while (run-- && i < n) input[i++] = b;
    }
  }
  return n;
}

int main(void) {
  static const char* kinds[] = {"words", "noise", "runs"};
  int ok_all = 1;
  for (int kind = 0; kind < 3; ++kind) {
    int n = make_input(kind, kind == 1 ? 8000 : MAXN);
    int c = compress(input, n, packed);
    int d = decompress(packed, c, unpacked, MAXN);
    int ok = d == n && memcmp(input, unpacked, (size_t)n) == 0;
    int r = rle_encode(input, n, packed);
    memset(unpacked, 0, sizeof unpacked);
    int rd = rle_decode(packed, r, unpacked);
    int rok = rd == n && memcmp(input, unpacked, (size_t)n) == 0;
    unsigned long h = 0;
    for (int i = 0; i < c; ++i) h = h * 257u + packed[i];
    printf("%-5s n=%5d lz=%5d (%.1f%%) %s rle=%5d %s\n", kinds[kind], n, c, 100.0 * c / n,
           ok ? "ok" : "BAD", r, rok ? "ok" : "BAD");
    ok_all &= ok & rok;
  }
  return !ok_all;
}
