/* SPDX-License-Identifier: MIT */
/* Medium: a backtracking regular expression matcher supporting literals, '.', character
 * classes with ranges and negation, escapes (\d \w \s), the quantifiers * + ? and the
 * anchors ^ $. Patterns are compiled to a node array first. */
#include <stdio.h>
#include <string.h>

enum { LIT, ANY, CLASS, END };
struct node {
  int type, quant;
  unsigned char set[32];
  int negate;
  char c;
};
static struct node prog[64];

static void set_bit(unsigned char* s, int c) { s[c >> 3] |= (unsigned char)(1u << (c & 7)); }
static int has_bit(const unsigned char* s, int c) { return (s[c >> 3] >> (c & 7)) & 1; }
static void add_escape(unsigned char* s, char e) {
  for (int c = 0; c < 256; ++c) {
    int in = (e == 'd' && c >= '0' && c <= '9') ||
             (e == 'w' && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                           (c >= '0' && c <= '9') || c == '_')) ||
             (e == 's' && (c == ' ' || c == '\t' || c == '\n'));
    if (in) set_bit(s, c);
  }
  if (e != 'd' && e != 'w' && e != 's') set_bit(s, (unsigned char)e);
}

static int compile(const char* re) {
  int n = 0;
  while (*re) {
    struct node* nd = &prog[n++];
    memset(nd, 0, sizeof *nd);
    if (*re == '.') {
      nd->type = ANY;
      ++re;
    } else if (*re == '\\') {
      nd->type = CLASS;
      add_escape(nd->set, re[1]);
      re += 2;
    } else if (*re == '[') {
      nd->type = CLASS;
      ++re;
      if (*re == '^') {
        nd->negate = 1;
        ++re;
      }
      while (*re && *re != ']') {
        if (*re == '\\') {
          add_escape(nd->set, re[1]);
          re += 2;
        } else if (re[1] == '-' && re[2] && re[2] != ']') {
          for (int c = (unsigned char)re[0]; c <= (unsigned char)re[2]; ++c) set_bit(nd->set, c);
          re += 3;
        } else
          set_bit(nd->set, (unsigned char)*re++);
      }
      if (*re) ++re;
    } else {
      nd->type = LIT;
      nd->c = *re++;
    }
    if (*re == '*' || *re == '+' || *re == '?') nd->quant = *re++;
  }
  prog[n].type = END;
  return n;
}

static long steps;
static int one(const struct node* nd, char c) {
  if (!c) return 0;
  switch (nd->type) {
    case ANY:
      return 1;
    case LIT:
      return nd->c == c;
    default:
      return has_bit(nd->set, (unsigned char)c) != nd->negate;
  }
}
static int match_here(const struct node* nd, const char* s, int anchored_end, const char** end) {
  ++steps;
  if (nd->type == END) {
    if (anchored_end && *s) return 0;
    *end = s;
    return 1;
  }
  if (nd->quant == '*' || nd->quant == '+' || nd->quant == '?') {
    int max = nd->quant == '?' ? 1 : 1 << 30, min = nd->quant == '+';
    int k = 0;
    while (k < max && one(nd, s[k])) ++k;
    for (; k >= min; --k) /* greedy: longest first */
      if (match_here(nd + 1, s + k, anchored_end, end)) return 1;
    return 0;
  }
  return one(nd, *s) && match_here(nd + 1, s + 1, anchored_end, end);
}
/* Returns the start of the leftmost match (or -1) and its length. */
static int search(const char* re, const char* s, int* len) {
  int anchored = re[0] == '^';
  size_t rl = strlen(re);
  char buf[128];
  strcpy(buf, re + anchored);
  int anchored_end = rl > 0 && re[rl - 1] == '$' && (rl < 2 || re[rl - 2] != '\\');
  if (anchored_end) buf[strlen(buf) - 1] = 0;
  compile(buf);
  for (const char* p = s;; ++p) {
    const char* e;
    if (match_here(prog, p, anchored_end, &e)) {
      *len = (int)(e - p);
      return (int)(p - s);
    }
    if (anchored || !*p) return -1;
  }
}

int main(void) {
  static const char* res[] = {
      "abc",    "a.c",     "ab*c",        "ab+c",       "colou?r",         "^hello",
      "world$", "[0-9]+",  "\\d+-\\d+",   "[^aeiou ]+", "\\w+@\\w+\\.com", "^\\s*$",
      "x*",     "a[bc]*d", "[A-Z][a-z]+", "\\.c$"};
  static const char* texts[] = {"abc",
                                "xxabbbcyy",
                                "the color and the colour",
                                "hello world",
                                "call 555-1234 now",
                                "mail bob@example.com today",
                                "   ",
                                "",
                                "aXbcbcbcd acd",
                                "Name Surname",
                                "main.c",
                                "abbbbbbbbbbbbbbbbbbbbbbbbbbbb"};
  unsigned long h = 0;
  int matches = 0;
  for (unsigned r = 0; r < sizeof res / sizeof *res; ++r) {
    printf("%-14s", res[r]);
    for (unsigned t = 0; t < sizeof texts / sizeof *texts; ++t) {
      int len = 0, at = search(res[r], texts[t], &len);
      if (at >= 0) {
        ++matches;
        printf(" %d:%d", at, len);
      } else
        printf(" -");
      h = h * 131u + (unsigned)(at + 1) * 7u + (unsigned)len;
      h %= 4294967291ul;
    }
    printf("\n");
  }
  static char big[4001];
  for (int i = 0; i < 4000; ++i) big[i] = "ab"[i % 7 == 3];
  int len;
  steps = 0;
  int at = search("a*b+a*ba", big, &len);
  printf("big: at=%d len=%d steps=%ld\n", at, len, steps);
  for (int i = 0; i < 80; ++i) big[i] = 'a';
  big[80] = 0;
  steps = 0;
  at = search("a*a*a*c", big, &len);
  printf("backtracking: at=%d steps=%ld\n", at, steps);
  printf("matches=%d hash=%lu\n", matches, h);
  return 0;
}
