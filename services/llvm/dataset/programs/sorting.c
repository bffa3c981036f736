/* SPDX-License-Identifier: MIT */
/* Medium: a suite of sorting algorithms driven through function pointers, checked against
 * each other on data from a fixed-seed linear congruential generator. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N 3000

static unsigned lcg_state = 12345u;
static unsigned lcg(void) {
  lcg_state = lcg_state * 1103515245u + 12345u;
  return (lcg_state >> 8) & 0xffffffu;
}

typedef int (*cmp_fn)(int, int);
static long comparisons;
static int ascending(int a, int b) {
  ++comparisons;
  return (a > b) - (a < b);
}
static int descending(int a, int b) {
  ++comparisons;
  return (b > a) - (b < a);
}

static void swap(int* a, int* b) {
  int t = *a;
  *a = *b;
  *b = t;
}

static void bubble_sort(int* v, int n, cmp_fn c) {
  for (int i = 0; i < n; ++i) {
    int swapped = 0;
    for (int j = 0; j + 1 < n - i; ++j)
      if (c(v[j], v[j + 1]) > 0) {
        swap(&v[j], &v[j + 1]);
        swapped = 1;
      }
    if (!swapped) break;
  }
}

static void insertion_sort(int* v, int n, cmp_fn c) {
  for (int i = 1; i < n; ++i) {
    int x = v[i], j = i - 1;
    while (j >= 0 && c(v[j], x) > 0) {
      v[j + 1] = v[j];
      --j;
    }
    v[j + 1] = x;
  }
}

static void selection_sort(int* v, int n, cmp_fn c) {
  for (int i = 0; i < n; ++i) {
    int m = i;
    for (int j = i + 1; j < n; ++j)
      if (c(v[j], v[m]) < 0) m = j;
    swap(&v[i], &v[m]);
  }
}

static void shell_sort(int* v, int n, cmp_fn c) {
  static const int gaps[] = {701, 301, 132, 57, 23, 10, 4, 1};
  for (unsigned g = 0; g < sizeof gaps / sizeof gaps[0]; ++g) {
    int gap = gaps[g];
    for (int i = gap; i < n; ++i) {
      int x = v[i], j = i;
      while (j >= gap && c(v[j - gap], x) > 0) {
        v[j] = v[j - gap];
        j -= gap;
      }
      v[j] = x;
    }
  }
}

static void sift_down(int* v, int start, int end, cmp_fn c) {
  int root = start;
  while (2 * root + 1 <= end) {
    int child = 2 * root + 1, s = root;
    if (c(v[s], v[child]) < 0) s = child;
    if (child + 1 <= end && c(v[s], v[child + 1]) < 0) s = child + 1;
    if (s == root) return;
    swap(&v[root], &v[s]);
    root = s;
  }
}

static void heap_sort(int* v, int n, cmp_fn c) {
  for (int s = (n - 2) / 2; s >= 0; --s) sift_down(v, s, n - 1, c);
  for (int end = n - 1; end > 0; --end) {
    swap(&v[0], &v[end]);
    sift_down(v, 0, end - 1, c);
  }
}

static int tmp[N];
static void merge_rec(int* v, int lo, int hi, cmp_fn c) {
  if (hi - lo < 2) return;
  int mid = lo + (hi - lo) / 2;
  merge_rec(v, lo, mid, c);
  merge_rec(v, mid, hi, c);
  int i = lo, j = mid, k = lo;
  while (i < mid && j < hi) tmp[k++] = c(v[i], v[j]) <= 0 ? v[i++] : v[j++];
  while (i < mid) tmp[k++] = v[i++];
  while (j < hi) tmp[k++] = v[j++];
  memcpy(v + lo, tmp + lo, (size_t)(hi - lo) * sizeof *v);
}
static void merge_sort(int* v, int n, cmp_fn c) { merge_rec(v, 0, n, c); }

static void quick_rec(int* v, int lo, int hi, cmp_fn c) {
  while (lo < hi) {
    int pivot = v[lo + (hi - lo) / 2], i = lo, j = hi;
    while (i <= j) {
      while (c(v[i], pivot) < 0) ++i;
      while (c(v[j], pivot) > 0) --j;
      if (i <= j) {
        swap(&v[i], &v[j]);
        ++i;
        --j;
      }
    }
    if (j - lo < hi - i) {
      quick_rec(v, lo, j, c);
      lo = i;
    } else {
      quick_rec(v, i, hi, c);
      hi = j;
    }
  }
}
static void quick_sort(int* v, int n, cmp_fn c) {
  if (n > 1) quick_rec(v, 0, n - 1, c);
}

static void comb_sort(int* v, int n, cmp_fn c) {
  int gap = n, sorted = 0;
  while (!sorted) {
    gap = gap * 10 / 13;
    if (gap <= 1) {
      gap = 1;
      sorted = 1;
    }
    for (int i = 0; i + gap < n; ++i)
      if (c(v[i], v[i + gap]) > 0) {
        swap(&v[i], &v[i + gap]);
        sorted = 0;
      }
  }
}

/* Radix sort ignores the comparator: it sorts ascending, then reverses when asked. */
static void radix_sort(int* v, int n, cmp_fn c) {
  static int buf[N];
  for (int shift = 0; shift < 32; shift += 8) {
    int count[257] = {0};
    for (int i = 0; i < n; ++i) ++count[(((unsigned)v[i] >> shift) & 255u) + 1];
    for (int i = 0; i < 256; ++i) count[i + 1] += count[i];
    for (int i = 0; i < n; ++i) buf[count[((unsigned)v[i] >> shift) & 255u]++] = v[i];
    memcpy(v, buf, (size_t)n * sizeof *v);
  }
  if (c(0, 1) > 0)
    for (int i = 0, j = n - 1; i < j; ++i, --j) swap(&v[i], &v[j]);
}

static int cmp_qsort(const void* a, const void* b) {
  int x = *(const int*)a, y = *(const int*)b;
  return (x > y) - (x < y);
}

struct algorithm {
  const char* name;
  void (*sort)(int*, int, cmp_fn);
  int max_n;
};

int main(void) {
  static const struct algorithm algs[] = {{"bubble", bubble_sort, 600},
                                          {"insertion", insertion_sort, 1200},
                                          {"selection", selection_sort, 800},
                                          {"shell", shell_sort, N},
                                          {"heap", heap_sort, N},
                                          {"merge", merge_sort, N},
                                          {"quick", quick_sort, N},
                                          {"comb", comb_sort, N},
                                          {"radix", radix_sort, N}};
  static int data[N], ref[N], work[N];
  for (int i = 0; i < N; ++i) data[i] = (int)(lcg() % 100000u);
  int failures = 0;
  for (int dir = 0; dir < 2; ++dir) {
    cmp_fn c = dir ? descending : ascending;
    for (unsigned a = 0; a < sizeof algs / sizeof algs[0]; ++a) {
      int n = algs[a].max_n;
      memcpy(ref, data, sizeof ref);
      qsort(ref, (size_t)n, sizeof *ref, cmp_qsort);
      if (dir)
        for (int i = 0, j = n - 1; i < j; ++i, --j) swap(&ref[i], &ref[j]);
      memcpy(work, data, sizeof work);
      comparisons = 0;
      algs[a].sort(work, n, c);
      int ok = memcmp(work, ref, (size_t)n * sizeof *work) == 0;
      unsigned long h = 5381;
      for (int i = 0; i < n; ++i) h = h * 33u + (unsigned)work[i];
      printf("%-9s %s n=%4d comparisons=%8ld hash=%08lx %s\n", algs[a].name, dir ? "desc" : "asc ",
             n, comparisons, h & 0xfffffffful, ok ? "ok" : "WRONG");
      failures += !ok;
    }
  }
  return failures ? 1 : 0;
}
