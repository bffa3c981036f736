/* SPDX-License-Identifier: MIT */
/* Medium: a JSON parser (recursive descent into a tree of malloc'd values) with a pretty
 * printer that sorts nothing and preserves order, plus queries and a re-parse check. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum kind { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };
struct jv {
  enum kind kind;
  long num; /* integers only: keeps printing exact */
  char* str;
  struct jv** items;
  char** keys;
  int n;
};
struct parser {
  const char* s;
  int pos, err;
};

static void ws(struct parser* p) {
  while (p->s[p->pos] == ' ' || p->s[p->pos] == '\n' || p->s[p->pos] == '\t' ||
         p->s[p->pos] == '\r')
    ++p->pos;
}
static struct jv* new_value(enum kind k) {
  struct jv* v = calloc(1, sizeof *v);
  v->kind = k;
  return v;
}
static struct jv* parse_value(struct parser* p);

static char* parse_string(struct parser* p) {
  if (p->s[p->pos] != '"') {
    p->err = 1;
    return NULL;
  }
  ++p->pos;
  char* out = malloc(strlen(p->s + p->pos) + 1);
  int o = 0;
  while (p->s[p->pos] && p->s[p->pos] != '"') {
    char c = p->s[p->pos++];
    if (c == '\\') {
      char e = p->s[p->pos++];
      switch (e) {
        case 'n':
          c = '\n';
          break;
        case 't':
          c = '\t';
          break;
        case 'u': {
          unsigned v = 0;
          for (int i = 0; i < 4; ++i) {
            char h = p->s[p->pos++];
            v = v * 16 + (unsigned)(h <= '9' ? h - '0' : (h | 32) - 'a' + 10);
          }
          c = v < 128 ? (char)v : '?';
          break;
        }
        default:
          c = e;
      }
    }
    out[o++] = c;
  }
  if (p->s[p->pos] != '"')
    p->err = 1;
  else
    ++p->pos;
  out[o] = 0;
  return out;
}

static void append(struct jv* v, char* key, struct jv* item) {
  v->items = realloc(v->items, sizeof *v->items * (size_t)(v->n + 1));
  if (v->kind == J_OBJ)
    v->keys = realloc(v->keys, sizeof *v->keys * (size_t)(v->n + 1)), v->keys[v->n] = key;
  v->items[v->n++] = item;
}

static struct jv* parse_value(struct parser* p) {
  ws(p);
  char c = p->s[p->pos];
  struct jv* v;
  if (c == '{' || c == '[') {
    v = new_value(c == '{' ? J_OBJ : J_ARR);
    char close = c == '{' ? '}' : ']';
    ++p->pos;
    ws(p);
    if (p->s[p->pos] == close) {
      ++p->pos;
      return v;
    }
    while (!p->err) {
      char* key = NULL;
      if (v->kind == J_OBJ) {
        ws(p);
        key = parse_string(p);
        ws(p);
        if (p->s[p->pos] != ':') {
          p->err = 1;
          free(key);
          break;
        }
        ++p->pos;
      }
      append(v, key, parse_value(p));
      ws(p);
      if (p->s[p->pos] == ',') {
        ++p->pos;
        continue;
      }
      if (p->s[p->pos] == close) {
        ++p->pos;
        break;
      }
      p->err = 1;
    }
    return v;
  }
  if (c == '"') {
    v = new_value(J_STR);
    v->str = parse_string(p);
    return v;
  }
  if (c == '-' || (c >= '0' && c <= '9')) {
    v = new_value(J_NUM);
    int neg = c == '-';
    if (neg) ++p->pos;
    while (p->s[p->pos] >= '0' && p->s[p->pos] <= '9')
      v->num = v->num * 10 + (p->s[p->pos++] - '0');
    if (neg) v->num = -v->num;
    return v;
  }
  if (!strncmp(p->s + p->pos, "true", 4)) {
    p->pos += 4;
    v = new_value(J_BOOL);
    v->num = 1;
    return v;
  }
  if (!strncmp(p->s + p->pos, "false", 5)) {
    p->pos += 5;
    return new_value(J_BOOL);
  }
  if (!strncmp(p->s + p->pos, "null", 4)) {
    p->pos += 4;
    return new_value(J_NULL);
  }
  p->err = 1;
  return new_value(J_NULL);
}

static char out[8192];
static int olen;
static void emit(const char* s) {
  while (*s && olen < (int)sizeof out - 1) out[olen++] = *s++;
  out[olen] = 0;
}
static void emit_str(const char* s) {
  emit("\"");
  for (; *s; ++s) {
    char b[8] = {*s, 0};
    if (*s == '"' || *s == '\\') {
      b[0] = '\\';
      b[1] = *s;
      b[2] = 0;
    } else if (*s == '\n')
      strcpy(b, "\\n");
    else if (*s == '\t')
      strcpy(b, "\\t");
    emit(b);
  }
  emit("\"");
}
static void indent(int d) {
  for (int i = 0; i < d; ++i) emit("  ");
}
static void pretty(const struct jv* v, int d) {
  char b[32];
  switch (v->kind) {
    case J_NULL:
      emit("null");
      break;
    case J_BOOL:
      emit(v->num ? "true" : "false");
      break;
    case J_NUM:
      sprintf(b, "%ld", v->num);
      emit(b);
      break;
    case J_STR:
      emit_str(v->str);
      break;
    case J_ARR:
    case J_OBJ:
      emit(v->kind == J_ARR ? "[" : "{");
      for (int i = 0; i < v->n; ++i) {
        emit(i ? ",\n" : "\n");
        indent(d + 1);
        if (v->kind == J_OBJ) {
          emit_str(v->keys[i]);
          emit(": ");
        }
        pretty(v->items[i], d + 1);
      }
      if (v->n) {
        emit("\n");
        indent(d);
      }
      emit(v->kind == J_ARR ? "]" : "}");
  }
}
static const struct jv* get(const struct jv* v, const char* key) {
  for (int i = 0; v->kind == J_OBJ && i < v->n; ++i)
    if (!strcmp(v->keys[i], key)) return v->items[i];
  return NULL;
}
static long sum_numbers(const struct jv* v) {
  long s = v->kind == J_NUM ? v->num : 0;
  for (int i = 0; i < v->n; ++i) s += sum_numbers(v->items[i]);
  return s;
}
static void release(struct jv* v) {
  for (int i = 0; i < v->n; ++i) {
    release(v->items[i]);
    if (v->keys) free(v->keys[i]);
  }
  free(v->items);
  free(v->keys);
  free(v->str);
  free(v);
}

int main(void) {
  static const char doc[] =
      "{\"name\": \"cgym-v0\", \"version\": 3, \"tags\": [\"llvm\", \"phase-ordering\", "
      "\"c\\u0041\"],"
      " \"programs\": [{\"id\": 1, \"size\": 42, \"ok\": true}, {\"id\": 2, \"size\": -7, \"ok\": "
      "false},"
      " {\"id\": 3, \"size\": 1000, \"ok\": null, \"notes\": \"tab\\there \\\"quoted\\\"\"}],"
      " \"empty\": {}, \"nested\": [[1, [2, [3, [4]]]], []]}";
  struct parser p = {doc, 0, 0};
  struct jv* root = parse_value(&p);
  printf("parse error=%d consumed=%d of %zu\n", p.err, p.pos, strlen(doc));
  pretty(root, 0);
  printf("%s\n", out);
  const struct jv* progs = get(root, "programs");
  for (int i = 0; progs && i < progs->n; ++i) {
    const struct jv* ok = get(progs->items[i], "ok");
    printf("program %ld size %ld ok=%s\n", get(progs->items[i], "id")->num,
           get(progs->items[i], "size")->num,
           ok->kind == J_NULL ? "null"
           : ok->num          ? "yes"
                              : "no");
  }
  printf("sum of numbers=%ld\n", sum_numbers(root));
  static char copy[8192];
  strcpy(copy, out);
  int first_len = olen;
  struct parser q = {copy, 0, 0};
  struct jv* again = parse_value(&q);
  olen = 0;
  pretty(again, 0);
  printf("reparse error=%d identical=%d\n", q.err, first_len == olen && !strcmp(copy, out));
  static const char* bad[] = {"{\"a\" 1}", "[1, 2", "tru", "{\"k\": [1,]}"};
  for (int i = 0; i < 4; ++i) {
    struct parser b = {bad[i], 0, 0};
    release(parse_value(&b));
    printf("bad input %d rejected=%d\n", i, b.err);
  }
  release(root);
  release(again);
  return 0;
}
