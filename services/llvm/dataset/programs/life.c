/* SPDX-License-Identifier: MIT */
/* Small: Conway's game of life on a torus, with a glider, an R-pentomino and a
 * generated soup; prints population counts and a final grid hash. */
#include <stdio.h>
#include <string.h>

#define W 64
#define H 48
static unsigned char grid[H][W], next[H][W];

static int neighbours(int y, int x) {
  int n = 0;
  for (int dy = -1; dy <= 1; ++dy)
    for (int dx = -1; dx <= 1; ++dx)
      if (dy || dx) n += grid[(y + dy + H) % H][(x + dx + W) % W];
  return n;
}

static int step(void) {
  int pop = 0;
  for (int y = 0; y < H; ++y)
    for (int x = 0; x < W; ++x) {
      int n = neighbours(y, x);
      next[y][x] = (unsigned char)(n == 3 || (n == 2 && grid[y][x]));
      pop += next[y][x];
    }
  memcpy(grid, next, sizeof grid);
  return pop;
}

static void place(const char* rows[], int nrows, int y0, int x0) {
  for (int r = 0; r < nrows; ++r)
    for (int c = 0; rows[r][c]; ++c) grid[y0 + r][x0 + c] = rows[r][c] == '#';
}

int main(void) {
  static const char* glider[] = {".#.", "..#", "###"};
  static const char* rpent[] = {".##", "##.", ".#."};
  place(glider, 3, 2, 2);
  place(rpent, 3, 20, 30);
  unsigned s = 99u;
  for (int y = 30; y < 44; ++y)
    for (int x = 4; x < 20; ++x) {
      s = s * 69069u + 1u;
      grid[y][x] = (s >> 28) & 1u;
    }
  for (int gen = 1; gen <= 200; ++gen) {
    int pop = step();
    if (gen % 20 == 0) printf("gen %3d population %d\n", gen, pop);
  }
  unsigned long h = 0;
  for (int y = 0; y < H; ++y)
    for (int x = 0; x < W; ++x) h = (h * 31u + grid[y][x]) % 4294967291u;
  printf("hash %lu\n", h);
  for (int y = 0; y < 12; ++y) {
    for (int x = 0; x < W; ++x) putchar(grid[y][x] ? '#' : '.');
    putchar('\n');
  }
  return 0;
}
