/* SPDX-License-Identifier: MIT */
/* Medium: a tiny C-like language: tokenizer, recursive descent parser into an AST, and a
 * tree-walking interpreter with integer variables, arrays, functions, recursion, while/if,
 * and a print statement. Runs a few programs and prints their output. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum tok { T_EOF, T_NUM, T_ID, T_FN, T_VAR, T_IF, T_ELSE, T_WHILE, T_RETURN, T_PRINT, T_OP };
struct token {
  enum tok kind;
  long num;
  char text[16];
};

static struct token toks[4096];
static int ntoks, tp;

static int tokenize(const char* s) {
  static const struct {
    const char* word;
    enum tok kind;
  } keywords[] = {{"fn", T_FN},       {"var", T_VAR},       {"if", T_IF},      {"else", T_ELSE},
                  {"while", T_WHILE}, {"return", T_RETURN}, {"print", T_PRINT}};
  ntoks = 0;
  while (*s) {
    if (*s == ' ' || *s == '\n' || *s == '\t') {
      ++s;
      continue;
    }
    if (s[0] == '/' && s[1] == '/') {
      while (*s && *s != '\n') ++s;
      continue;
    }
    struct token* t = &toks[ntoks++];
    memset(t, 0, sizeof *t);
    if (*s >= '0' && *s <= '9') {
      t->kind = T_NUM;
      while (*s >= '0' && *s <= '9') t->num = t->num * 10 + (*s++ - '0');
    } else if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_') {
      int n = 0;
      while ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
             *s == '_') {
        if (n < 15) t->text[n++] = *s;
        ++s;
      }
      t->kind = T_ID;
      for (unsigned k = 0; k < sizeof keywords / sizeof *keywords; ++k)
        if (!strcmp(t->text, keywords[k].word)) t->kind = keywords[k].kind;
    } else {
      static const char* two[] = {"==", "!=", "<=", ">=", "&&", "||"};
      t->kind = T_OP;
      t->text[0] = *s;
      for (int k = 0; k < 6; ++k)
        if (s[0] == two[k][0] && s[1] == two[k][1]) t->text[1] = s[1];
      s += t->text[1] ? 2 : 1;
    }
  }
  toks[ntoks].kind = T_EOF;
  return ntoks;
}

enum node_kind {
  N_NUM,
  N_VAR,
  N_INDEX,
  N_BIN,
  N_NEG,
  N_NOT,
  N_CALL,
  N_ASSIGN,
  N_ASSIGN_INDEX,
  N_DECL,
  N_IF,
  N_WHILE,
  N_RETURN,
  N_PRINT,
  N_BLOCK,
  N_EXPR
};
struct node {
  enum node_kind kind;
  long num;
  char name[16], op[3];
  struct node *a, *b, *c;
  struct node** list;
  int n;
};
struct func {
  char name[16];
  char params[8][16];
  int nparams;
  struct node* body;
};
static struct func funcs[32];
static int nfuncs, parse_errors;

static struct node* mk(enum node_kind k) {
  struct node* n = calloc(1, sizeof *n);
  n->kind = k;
  return n;
}
static void add(struct node* n, struct node* child) {
  n->list = realloc(n->list, sizeof *n->list * (size_t)(n->n + 1));
  n->list[n->n++] = child;
}
static int is_op(const char* op) { return toks[tp].kind == T_OP && !strcmp(toks[tp].text, op); }
static void expect(const char* op) {
  if (is_op(op))
    ++tp;
  else {
    ++parse_errors;
    if (toks[tp].kind != T_EOF) ++tp;
  }
}

static struct node* expr(void);
static void free_node(struct node* n);
static struct node* primary(void) {
  struct token* t = &toks[tp];
  if (t->kind == T_NUM) {
    ++tp;
    struct node* n = mk(N_NUM);
    n->num = t->num;
    return n;
  }
  if (is_op("(")) {
    ++tp;
    struct node* n = expr();
    expect(")");
    return n;
  }
  if (is_op("-")) {
    ++tp;
    struct node* n = mk(N_NEG);
    n->a = primary();
    return n;
  }
  if (is_op("!")) {
    ++tp;
    struct node* n = mk(N_NOT);
    n->a = primary();
    return n;
  }
  if (t->kind == T_ID) {
    ++tp;
    struct node* n;
    if (is_op("(")) {
      ++tp;
      n = mk(N_CALL);
      while (!is_op(")") && toks[tp].kind != T_EOF) {
        add(n, expr());
        if (is_op(",")) ++tp;
      }
      expect(")");
    } else if (is_op("[")) {
      ++tp;
      n = mk(N_INDEX);
      n->a = expr();
      expect("]");
    } else {
      n = mk(N_VAR);
    }
    strcpy(n->name, t->text);
    return n;
  }
  ++parse_errors;
  ++tp;
  return mk(N_NUM);
}
/* Precedence climbing over binary operators. */
static int prec(const char* op) {
  static const struct {
    const char* op;
    int p;
  } table[] = {{"||", 1}, {"&&", 2}, {"==", 3}, {"!=", 3}, {"<", 4}, {">", 4}, {"<=", 4},
               {">=", 4}, {"+", 5},  {"-", 5},  {"*", 6},  {"/", 6}, {"%", 6}};
  for (unsigned i = 0; i < sizeof table / sizeof *table; ++i)
    if (!strcmp(table[i].op, op)) return table[i].p;
  return 0;
}
static struct node* binary(int min_prec) {
  struct node* lhs = primary();
  while (toks[tp].kind == T_OP && prec(toks[tp].text) >= min_prec && prec(toks[tp].text) > 0) {
    struct node* n = mk(N_BIN);
    strcpy(n->op, toks[tp].text);
    int p = prec(toks[tp++].text);
    n->a = lhs;
    n->b = binary(p + 1);
    lhs = n;
  }
  return lhs;
}
static struct node* expr(void) { return binary(1); }

static struct node* statement(void) {
  struct node* n;
  if (is_op("{")) {
    ++tp;
    n = mk(N_BLOCK);
    while (!is_op("}") && toks[tp].kind != T_EOF) add(n, statement());
    expect("}");
    return n;
  }
  switch (toks[tp].kind) {
    case T_VAR:
      ++tp;
      n = mk(N_DECL);
      strcpy(n->name, toks[tp++].text);
      if (is_op("[")) {
        ++tp;
        n->b = expr();
        expect("]");
      }
      if (is_op("=")) {
        ++tp;
        n->a = expr();
      }
      expect(";");
      return n;
    case T_IF:
      ++tp;
      n = mk(N_IF);
      expect("(");
      n->a = expr();
      expect(")");
      n->b = statement();
      if (toks[tp].kind == T_ELSE) {
        ++tp;
        n->c = statement();
      }
      return n;
    case T_WHILE:
      ++tp;
      n = mk(N_WHILE);
      expect("(");
      n->a = expr();
      expect(")");
      n->b = statement();
      return n;
    case T_RETURN:
      ++tp;
      n = mk(N_RETURN);
      n->a = expr();
      expect(";");
      return n;
    case T_PRINT:
      ++tp;
      n = mk(N_PRINT);
      n->a = expr();
      expect(";");
      return n;
    default:
      break;
  }
  if (toks[tp].kind == T_ID && toks[tp + 1].kind == T_OP && !strcmp(toks[tp + 1].text, "=")) {
    n = mk(N_ASSIGN);
    strcpy(n->name, toks[tp].text);
    tp += 2;
    n->a = expr();
    expect(";");
    return n;
  }
  n = mk(N_EXPR);
  n->a = expr();
  if (n->a->kind == N_INDEX && is_op("=")) { /* a[i] = e; */
    ++tp;
    n->kind = N_ASSIGN_INDEX;
    strcpy(n->name, n->a->name);
    struct node* index = n->a;
    n->b = index->a;
    index->a = NULL;
    free_node(index);
    n->a = expr();
  }
  expect(";");
  return n;
}
static void parse_program(void) {
  tp = 0;
  nfuncs = parse_errors = 0;
  while (toks[tp].kind == T_FN) {
    ++tp;
    struct func* f = &funcs[nfuncs++];
    memset(f, 0, sizeof *f);
    strcpy(f->name, toks[tp++].text);
    expect("(");
    while (toks[tp].kind == T_ID) {
      strcpy(f->params[f->nparams++], toks[tp++].text);
      if (is_op(",")) ++tp;
    }
    expect(")");
    f->body = statement();
  }
  if (toks[tp].kind != T_EOF) ++parse_errors;
}
static void free_node(struct node* n) {
  if (!n) return;
  free_node(n->a);
  free_node(n->b);
  free_node(n->c);
  for (int i = 0; i < n->n; ++i) free_node(n->list[i]);
  free(n->list);
  free(n);
}

/* ---- interpreter: each call has a frame of named slots; arrays live in a shared heap ---- */
struct slot {
  char name[16];
  long value;
  int array;
};
struct frame {
  struct slot slots[32];
  int n;
};
static long heap[8192];
static int heap_top, depth;
static long steps;
static unsigned long out_hash;
static int returning;
static long return_value;

static struct slot* lookup(struct frame* f, const char* name) {
  for (int i = f->n - 1; i >= 0; --i)
    if (!strcmp(f->slots[i].name, name)) return &f->slots[i];
  return NULL;
}
static long call(const char* name, long* args, int nargs);
static long eval(struct node* n, struct frame* f) {
  ++steps;
  switch (n->kind) {
    case N_NUM:
      return n->num;
    case N_VAR: {
      struct slot* s = lookup(f, n->name);
      return s ? s->value : 0;
    }
    case N_INDEX: {
      struct slot* s = lookup(f, n->name);
      long i = eval(n->a, f);
      return s && s->array && i >= 0 && s->value + i < heap_top ? heap[s->value + i] : 0;
    }
    case N_NEG:
      return -eval(n->a, f);
    case N_NOT:
      return !eval(n->a, f);
    case N_BIN: {
      if (!strcmp(n->op, "&&")) return eval(n->a, f) && eval(n->b, f);
      if (!strcmp(n->op, "||")) return eval(n->a, f) || eval(n->b, f);
      long a = eval(n->a, f), b = eval(n->b, f);
      switch (n->op[0]) {
        case '+':
          return (long)((unsigned long)a + (unsigned long)b);
        case '-':
          return (long)((unsigned long)a - (unsigned long)b);
        case '*':
          return (long)((unsigned long)a * (unsigned long)b);
        case '/':
          return b == 0 || (b == -1 && a < -2147483647L * 2147483647L) ? 0 : a / b;
        case '%':
          return b == 0 || b == -1 ? 0 : a % b;
        case '<':
          return n->op[1] ? a <= b : a < b;
        case '>':
          return n->op[1] ? a >= b : a > b;
        case '=':
          return a == b;
        case '!':
          return a != b;
      }
      return 0;
    }
    case N_CALL: {
      long args[8];
      int na = n->n < 8 ? n->n : 8;
      for (int i = 0; i < na; ++i) args[i] = eval(n->list[i], f);
      return call(n->name, args, na);
    }
    default:
      return 0;
  }
}
static void exec(struct node* n, struct frame* f) {
  if (returning) return;
  ++steps;
  switch (n->kind) {
    case N_BLOCK: { /* block scope: names and arrays declared inside end with it */
      int saved_n = f->n, saved_heap = heap_top;
      for (int i = 0; i < n->n && !returning; ++i) exec(n->list[i], f);
      f->n = saved_n;
      heap_top = saved_heap;
      break;
    }
    case N_DECL: {
      if (f->n >= 32) break;
      struct slot* s = &f->slots[f->n++];
      strcpy(s->name, n->name);
      s->array = n->b != NULL;
      if (s->array) {
        long size = eval(n->b, f);
        if (size < 0 || heap_top + size > (long)(sizeof heap / sizeof *heap)) size = 0;
        s->value = heap_top;
        memset(heap + heap_top, 0, sizeof(long) * (size_t)size);
        heap_top += (int)size;
      } else {
        s->value = n->a ? eval(n->a, f) : 0;
      }
      break;
    }
    case N_ASSIGN: {
      long v = eval(n->a, f);
      struct slot* s = lookup(f, n->name);
      if (s) s->value = v;
      break;
    }
    case N_ASSIGN_INDEX: {
      long v = eval(n->a, f), i = eval(n->b, f);
      struct slot* s = lookup(f, n->name);
      if (s && s->array && i >= 0 && s->value + i < heap_top) heap[s->value + i] = v;
      break;
    }
    case N_IF:
      if (eval(n->a, f))
        exec(n->b, f);
      else if (n->c)
        exec(n->c, f);
      break;
    case N_WHILE:
      while (!returning && eval(n->a, f)) exec(n->b, f);
      break;
    case N_RETURN:
      return_value = eval(n->a, f);
      returning = 1;
      break;
    case N_PRINT: {
      long v = eval(n->a, f);
      printf("  %ld\n", v);
      out_hash = out_hash * 31u + (unsigned long)v;
      break;
    }
    case N_EXPR:
      eval(n->a, f);
      break;
    default:
      break;
  }
}
static long call(const char* name, long* args, int nargs) {
  for (int i = 0; i < nfuncs; ++i) {
    if (strcmp(funcs[i].name, name)) continue;
    if (depth > 200) return 0;
    struct frame* fr = calloc(1, sizeof *fr);
    for (int p = 0; p < funcs[i].nparams; ++p) {
      strcpy(fr->slots[p].name, funcs[i].params[p]);
      fr->slots[p].value = p < nargs ? args[p] : 0;
    }
    fr->n = funcs[i].nparams;
    int saved_heap = heap_top;
    ++depth;
    exec(funcs[i].body, fr);
    --depth;
    heap_top = saved_heap;
    free(fr);
    long r = returning ? return_value : 0;
    returning = 0;
    return r;
  }
  return 0;
}

static const char* const programs[] = {
    "fn fib(n) { if (n < 2) return n; return fib(n - 1) + fib(n - 2); }\n"
    "fn main() { var i = 0; while (i <= 20) { print fib(i); i = i + 5; } }\n",
    "// sieve and sum of primes\n"
    "fn main() {\n  var n = 500; var s[501]; var i = 2; var count = 0; var sum = 0;\n"
    "  while (i <= n) {\n    if (!s[i]) { count = count + 1; sum = sum + i; var j = i * i;\n"
    "      while (j <= n) { s[j] = 1; j = j + i; } }\n    i = i + 1;\n  }\n"
    "  print count; print sum;\n}\n",
    "fn gcd(a, b) { while (b != 0) { var t = a % b; a = b; b = t; } return a; }\n"
    "fn collatz(n) { var steps = 0; while (n != 1) { if (n % 2 == 0) n = n / 2; else n = 3 * n + "
    "1; steps = steps + 1; } return steps; }\n"
    "fn main() { print gcd(1071, 462); var best = 0; var arg = 0; var i = 1;\n"
    "  while (i < 300) { var c = collatz(i); if (c > best) { best = c; arg = i; } i = i + 1; }\n"
    "  print arg; print best; print -7 / 2; print -7 % 3; print (1 < 2) && (3 >= 3) || 0; }\n",
    "fn sort(n) { var a[64]; var i = 0; var x = 7;\n"
    "  while (i < n) { x = (x * 1103 + 12345) % 65536; a[i] = x % 1000; i = i + 1; }\n"
    "  i = 1; while (i < n) { var v = a[i]; var j = i - 1;\n"
    "    while (j >= 0 && a[j] > v) { a[j + 1] = a[j]; j = j - 1; } a[j + 1] = v; i = i + 1; }\n"
    "  print a[0]; print a[n / 2]; print a[n - 1]; var ok = 1; i = 1;\n"
    "  while (i < n) { if (a[i - 1] > a[i]) ok = 0; i = i + 1; } return ok; }\n"
    "fn main() { print sort(64); }\n",
    "fn main() { var x = ; print (1 + ; }\n",
};

int main(void) {
  for (unsigned p = 0; p < sizeof programs / sizeof *programs; ++p) {
    int nt = tokenize(programs[p]);
    parse_program();
    printf("program %u: %d tokens, %d functions, %d parse errors\n", p, nt, nfuncs, parse_errors);
    steps = 0;
    out_hash = 0;
    heap_top = 0;
    if (!parse_errors) call("main", NULL, 0);
    printf("  steps %ld hash %lu\n", steps, out_hash % 1000000007ul);
    for (int i = 0; i < nfuncs; ++i) free_node(funcs[i].body);
  }
  return 0;
}
