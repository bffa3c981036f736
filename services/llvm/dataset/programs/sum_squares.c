/* SPDX-License-Identifier: MIT */
/* Tiny: sums of squares and cubes in a loop. */
#include <stdio.h>

int main(void) {
  unsigned long sq = 0, cu = 0;
  for (unsigned long i = 1; i <= 1000; ++i) {
    sq += i * i;
    cu += i * i * i;
  }
  printf("squares=%lu cubes=%lu\n", sq, cu);
  return 0;
}
