/* SPDX-License-Identifier: MIT */
/* Medium: Huffman coding. Builds a code from byte frequencies with a min-heap of tree
 * nodes, derives canonical codes, bit-packs the message, and decodes it again. */
#include <stdio.h>
#include <string.h>

#define MAXN 30000
struct hnode {
  unsigned long freq;
  int sym, left, right;
};
static struct hnode nodes[512];
static int nnodes, heap[512], hsize;
static unsigned char msg[MAXN], decoded[MAXN], bits[MAXN * 2];
static int code_len[256];
static unsigned code_bits[256];

static int less(int a, int b) {
  if (nodes[a].freq != nodes[b].freq) return nodes[a].freq < nodes[b].freq;
  return a < b; /* ties by creation order keep the tree deterministic */
}
static void push(int x) {
  int i = hsize++;
  while (i && less(x, heap[(i - 1) / 2])) {
    heap[i] = heap[(i - 1) / 2];
    i = (i - 1) / 2;
  }
  heap[i] = x;
}
static int pop(void) {
  int top = heap[0], last = heap[--hsize], i = 0;
  for (;;) {
    int c = 2 * i + 1;
    if (c >= hsize) break;
    if (c + 1 < hsize && less(heap[c + 1], heap[c])) ++c;
    if (!less(heap[c], last)) break;
    heap[i] = heap[c];
    i = c;
  }
  heap[i] = last;
  return top;
}
static void depths(int n, int d) {
  if (nodes[n].sym >= 0) {
    code_len[nodes[n].sym] = d ? d : 1;
    return;
  }
  depths(nodes[n].left, d + 1);
  depths(nodes[n].right, d + 1);
}
/* Canonical codes: sorted by (length, symbol). */
static void canonical(void) {
  unsigned code = 0;
  for (int len = 1; len <= 32; ++len) {
    for (int s = 0; s < 256; ++s)
      if (code_len[s] == len) code_bits[s] = code++;
    code <<= 1;
  }
}
static long encode(const unsigned char* in, int n) {
  long nb = 0;
  memset(bits, 0, sizeof bits);
  for (int i = 0; i < n; ++i) {
    int l = code_len[in[i]];
    for (int k = l - 1; k >= 0; --k, ++nb)
      if ((code_bits[in[i]] >> k) & 1u) bits[nb >> 3] |= (unsigned char)(1u << (7 - (nb & 7)));
  }
  return nb;
}
static int decode(long nb, unsigned char* out) {
  /* Canonical decoding: first code and index per length. */
  int count[33] = {0}, first_index[33], sorted[256], ns = 0;
  unsigned first_code[33];
  for (int len = 1; len <= 32; ++len)
    for (int s = 0; s < 256; ++s)
      if (code_len[s] == len) {
        sorted[ns++] = s;
        ++count[len];
      }
  unsigned code = 0;
  int idx = 0;
  for (int len = 1; len <= 32; ++len) {
    first_code[len] = code;
    first_index[len] = idx;
    idx += count[len];
    code = (code + (unsigned)count[len]) << 1;
  }
  int o = 0;
  unsigned cur = 0;
  int len = 0;
  for (long b = 0; b < nb; ++b) {
    cur = (cur << 1) | ((bits[b >> 3] >> (7 - (b & 7))) & 1u);
    ++len;
    if (count[len] && cur - first_code[len] < (unsigned)count[len]) {
      out[o++] = (unsigned char)sorted[first_index[len] + (int)(cur - first_code[len])];
      cur = 0;
      len = 0;
    }
  }
  return o;
}

static int run(const char* label, int n) {
  unsigned long freq[256] = {0};
  for (int i = 0; i < n; ++i) ++freq[msg[i]];
  nnodes = hsize = 0;
  memset(code_len, 0, sizeof code_len);
  for (int s = 0; s < 256; ++s)
    if (freq[s]) {
      nodes[nnodes] = (struct hnode){freq[s], s, -1, -1};
      push(nnodes++);
    }
  while (hsize > 1) {
    int a = pop(), b = pop();
    nodes[nnodes] = (struct hnode){nodes[a].freq + nodes[b].freq, -1, a, b};
    push(nnodes++);
  }
  depths(pop(), 0);
  canonical();
  long nb = encode(msg, n);
  int d = decode(nb, decoded);
  int ok = d == n && memcmp(msg, decoded, (size_t)n) == 0;
  int maxlen = 0, syms = 0;
  for (int s = 0; s < 256; ++s)
    if (code_len[s]) {
      ++syms;
      if (code_len[s] > maxlen) maxlen = code_len[s];
    }
  printf("%-8s n=%5d symbols=%3d bits=%6ld (%.3f bits/byte) maxlen=%2d %s\n", label, n, syms, nb,
         (double)nb / n, maxlen, ok ? "ok" : "BAD");
  return ok;
}

int main(void) {
  static const char text[] =
      "it was the best of compilers, it was the worst of compilers; it was the age of passes, "
      "it was the age of phase orderings, it was the epoch of benchmarks, it was the epoch of "
      "rewards. ";
  int n = 0;
  while (n + (int)sizeof text - 1 <= MAXN) {
    memcpy(msg + n, text, sizeof text - 1);
    n += (int)sizeof text - 1;
  }
  int ok = run("text", n);
  unsigned s = 5u;
  for (int i = 0; i < MAXN; ++i) {
    s = s * 22695477u + 1u;
    unsigned v = (s >> 16) & 0xffu;
    msg[i] = (unsigned char)((v * v) >> 10); /* skewed distribution */
  }
  ok &= run("skewed", MAXN);
  for (int i = 0; i < 1000; ++i) msg[i] = 'x';
  ok &= run("single", 1000);
  for (int i = 0; i < 256 * 20; ++i) msg[i] = (unsigned char)(i % 256);
  ok &= run("uniform", 256 * 20);
  return !ok;
}
