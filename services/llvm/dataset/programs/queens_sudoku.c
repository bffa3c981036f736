/* SPDX-License-Identifier: MIT */
/* Medium: backtracking search. N-queens counted with bit masks and with arrays, and a
 * sudoku solver with constraint propagation of naked singles. */
#include <stdio.h>
#include <string.h>

static long queens_bits(unsigned n, unsigned cols, unsigned d1, unsigned d2) {
  unsigned full = (1u << n) - 1;
  if (cols == full) return 1;
  long count = 0;
  unsigned avail = full & ~(cols | d1 | d2);
  while (avail) {
    unsigned bit = avail & (0u - avail);
    avail ^= bit;
    count += queens_bits(n, cols | bit, ((d1 | bit) << 1) & full, (d2 | bit) >> 1);
  }
  return count;
}

static int pos[16];
static int safe(int row, int col) {
  for (int r = 0; r < row; ++r) {
    int c = pos[r];
    if (c == col || c - col == r - row || c - col == row - r) return 0;
  }
  return 1;
}
static long queens_array(int n, int row, int* first) {
  if (row == n) {
    if (first[0] < 0) memcpy(first, pos, sizeof(int) * (size_t)n);
    return 1;
  }
  long count = 0;
  for (int c = 0; c < n; ++c)
    if (safe(row, c)) {
      pos[row] = c;
      count += queens_array(n, row + 1, first);
    }
  return count;
}

typedef struct {
  unsigned char cell[81];
  unsigned short cand[81];
} grid;
static long nodes;

static int popcount9(unsigned v) {
  int c = 0;
  while (v) {
    v &= v - 1;
    ++c;
  }
  return c;
}

static void compute_candidates(grid* g) {
  for (int i = 0; i < 81; ++i) {
    if (g->cell[i]) {
      g->cand[i] = 0;
      continue;
    }
    unsigned used = 0;
    int r = i / 9, c = i % 9, br = r / 3 * 3, bc = c / 3 * 3;
    for (int k = 0; k < 9; ++k) {
      used |= 1u << g->cell[r * 9 + k];
      used |= 1u << g->cell[k * 9 + c];
      used |= 1u << g->cell[(br + k / 3) * 9 + bc + k % 3];
    }
    g->cand[i] = (unsigned short)(~used & 0x3feu);
  }
}

/* Fills naked singles until none are left; returns 0 on a contradiction. */
static int propagate(grid* g) {
  for (;;) {
    compute_candidates(g);
    int progress = 0;
    for (int i = 0; i < 81; ++i) {
      if (g->cell[i]) continue;
      if (!g->cand[i]) return 0;
      if (popcount9(g->cand[i]) == 1) {
        int d = 1;
        while (!(g->cand[i] & (1u << d))) ++d;
        g->cell[i] = (unsigned char)d;
        progress = 1;
        compute_candidates(g);
      }
    }
    if (!progress) return 1;
  }
}

static int valid(const grid* g) {
  for (int i = 0; i < 81; ++i) {
    int r = i / 9, c = i % 9;
    for (int j = i + 1; j < 81; ++j) {
      int r2 = j / 9, c2 = j % 9;
      if (g->cell[i] == g->cell[j] && (r == r2 || c == c2 || (r / 3 == r2 / 3 && c / 3 == c2 / 3)))
        return 0;
    }
  }
  return 1;
}

static int solve(grid* g) {
  ++nodes;
  if (!propagate(g)) return 0;
  int best = -1, best_n = 10;
  for (int i = 0; i < 81; ++i)
    if (!g->cell[i]) {
      int n = popcount9(g->cand[i]);
      if (n < best_n) {
        best_n = n;
        best = i;
      }
    }
  if (best < 0) return valid(g);
  for (int d = 1; d <= 9; ++d) {
    if (!(g->cand[best] & (1u << d))) continue;
    grid copy = *g;
    copy.cell[best] = (unsigned char)d;
    if (solve(&copy)) {
      *g = copy;
      return 1;
    }
  }
  return 0;
}

int main(void) {
  for (unsigned n = 1; n <= 10; ++n) printf("queens(%u)=%ld\n", n, queens_bits(n, 0, 0, 0));
  int first[16] = {-1};
  long c8 = queens_array(8, 0, first);
  printf("queens_array(8)=%ld first=", c8);
  for (int i = 0; i < 8; ++i) printf("%d", first[i]);
  printf("\n");
  static const char* puzzles[] = {
      "53..7....6..195....98....6.8...6...34..8.3..17...2...6.6....28....419..5....8..79",
      "..9748...7.........2.1.9.....7...24..64.1.59..98...3.....8.3.2.........6...2759..",
      "8..........36......7..9.2...5...7.......457.....1...3...1....68..85...1..9....4..",
  };
  for (unsigned p = 0; p < 3; ++p) {
    grid g;
    for (int i = 0; i < 81; ++i)
      g.cell[i] = puzzles[p][i] == '.' ? 0 : (unsigned char)(puzzles[p][i] - '0');
    nodes = 0;
    int ok = solve(&g);
    printf("sudoku %u solved=%d nodes=%ld\n", p, ok, nodes);
    for (int r = 0; r < 9; ++r) {
      for (int c = 0; c < 9; ++c) putchar('0' + g.cell[r * 9 + c]);
      putchar('\n');
    }
  }
  return 0;
}
