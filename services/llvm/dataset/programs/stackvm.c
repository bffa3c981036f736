/* SPDX-License-Identifier: MIT */
/* Large: a stack virtual machine with well over a hundred opcodes (integer arithmetic at
 * four widths, floating point, stack, locals, memory, control flow, calls), an assembler
 * from text, a disassembler, a peephole constant folder, a stack-depth verifier, and two
 * interpreters (a switch loop and a table of handler functions) that must agree. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef union {
  uint64_t u;
  double f;
} value;

/* Integer binary operators: name, expression on unsigned a and b of type T with width W. */
#define INT_BINOPS(X, T, W)                                                    \
  X(ADD##W, T, (T)(a + b))                                                     \
  X(SUB##W, T, (T)(a - b))                                                     \
  X(MUL##W, T, (T)(a * b))                                                     \
  X(DIV##W, T, (T)(b ? a / b : 0))                                             \
  X(REM##W, T, (T)(b ? a % b : 0))                                             \
  X(AND##W, T, (T)(a & b))                                                     \
  X(OR##W, T, (T)(a | b))                                                      \
  X(XOR##W, T, (T)(a ^ b))                                                     \
  X(SHL##W, T, (T)((T)a << (b % W)))                                           \
  X(SHR##W, T, (T)(a >> (b % W)))                                              \
  X(ROTL##W, T, (T)(b % W ? (T)((T)a << (b % W)) | (T)(a >> (W - b % W)) : a)) \
  X(MIN##W, T, (T)(a < b ? a : b))                                             \
  X(MAX##W, T, (T)(a > b ? a : b))                                             \
  X(EQ##W, T, (T)(a == b))                                                     \
  X(NE##W, T, (T)(a != b))                                                     \
  X(LT##W, T, (T)(a < b))                                                      \
  X(LE##W, T, (T)(a <= b))                                                     \
  X(GT##W, T, (T)(a > b))                                                      \
  X(GE##W, T, (T)(a >= b))                                                     \
  X(AVG##W, T, (T)((a & b) + ((a ^ b) >> 1))) X(ABSDIFF##W, T, (T)(a > b ? a - b : b - a))
#define ALL_INT_BINOPS(X)   \
  INT_BINOPS(X, uint8_t, 8) \
  INT_BINOPS(X, uint16_t, 16) INT_BINOPS(X, uint32_t, 32) INT_BINOPS(X, uint64_t, 64)
/* Floating point binary operators on doubles a and b; comparisons give 0.0 or 1.0. */
#define FLOAT_BINOPS(X)         \
  X(FADD, a + b)                \
  X(FSUB, a - b)                \
  X(FMUL, a* b)                 \
  X(FDIV, b != 0 ? a / b : 0.0) \
  X(FMIN, a < b ? a : b)        \
  X(FMAX, a > b ? a : b)        \
  X(FEQ, (double)(a == b))      \
  X(FLT, (double)(a < b)) X(FLE, (double)(a <= b)) X(FHYPOT, sqrt(a* a + b * b))
/* Unary operators on value v (integer ops use v.u, float ops v.f). */
#define UNOPS(X)                                                                           \
  X(NEG32, r.u = (uint32_t)(0u - (uint32_t)v.u))                                           \
  X(NOT32, r.u = (uint32_t) ~(uint32_t)v.u)                                                \
  X(NEG64, r.u = 0u - v.u)                                                                 \
  X(NOT64, r.u = ~v.u)                                                                     \
  X(INC, r.u = v.u + 1)                                                                    \
  X(DEC, r.u = v.u - 1)                                                                    \
  X(POPCNT, {                                                                              \
    r.u = 0;                                                                               \
    for (uint64_t t = v.u; t; t &= t - 1) ++r.u;                                           \
  })                                                                                       \
  X(CLZ64, {                                                                               \
    r.u = 64;                                                                              \
    for (uint64_t t = v.u; t; t >>= 1) --r.u;                                              \
  })                                                                                       \
  X(BSWAP32, r.u = (uint32_t)(((uint32_t)v.u >> 24) | (((uint32_t)v.u >> 8) & 0xff00u) |   \
                              (((uint32_t)v.u << 8) & 0xff0000u) | ((uint32_t)v.u << 24))) \
  X(ISZERO, r.u = v.u == 0)                                                                \
  X(SEXT8, r.u = (v.u & 0x80u) ? (v.u | ~(uint64_t)0xff) : (v.u & 0xffu))                  \
  X(FNEG, r.f = -v.f)                                                                      \
  X(FABS, r.f = fabs(v.f))                                                                 \
  X(FSQRT, r.f = v.f >= 0 ? sqrt(v.f) : 0.0)                                               \
  X(FFLOOR, r.f = floor(v.f))                                                              \
  X(FSIN, r.f = sin(v.f))                                                                  \
  X(FCOS, r.f = cos(v.f))                                                                  \
  X(I2F, r.f = (double)(int64_t)v.u)                                                       \
  X(F2I, r.u = v.f != v.f       ? 0                                                        \
               : v.f >= 9.0e18  ? (uint64_t)INT64_MAX                                      \
               : v.f <= -9.0e18 ? (uint64_t)INT64_MIN                                      \
                                : (uint64_t)(int64_t)v.f)
/* Everything else, with its immediate count and stack effect (pops, pushes). */
#define OTHER_OPS(X) \
  X(HALT, 0, 0, 0)   \
  X(PUSH, 1, 0, 1)   \
  X(DUP, 0, 1, 2)    \
  X(DROP, 0, 1, 0)   \
  X(SWAP, 0, 2, 2)   \
  X(OVER, 0, 2, 3)   \
  X(ROT, 0, 3, 3)    \
  X(LOAD, 1, 0, 1)   \
  X(STORE, 1, 1, 0)  \
  X(MLOAD, 0, 1, 1)  \
  X(MSTORE, 0, 2, 0) \
  X(JMP, 1, 0, 0)    \
  X(JZ, 1, 1, 0)     \
  X(JNZ, 1, 1, 0)    \
  X(CALL, 1, 0, 0) X(RET, 0, 0, 0) X(PRINT, 0, 1, 0) X(FPRINT, 0, 1, 0) X(NOP, 0, 0, 0)

enum opcode {
#define E_INT(n, T, e) OP_##n,
#define E_FLT(n, e) OP_##n,
#define E_UN(n, s) OP_##n,
#define E_OTH(n, imm, pop, push) OP_##n,
  ALL_INT_BINOPS(E_INT) FLOAT_BINOPS(E_FLT) UNOPS(E_UN) OTHER_OPS(E_OTH) NUM_OPS
};
static const char* const op_names[] = {
#define N_INT(n, T, e) #n,
#define N_FLT(n, e) #n,
#define N_UN(n, s) #n,
#define N_OTH(n, imm, pop, push) #n,
    ALL_INT_BINOPS(N_INT) FLOAT_BINOPS(N_FLT) UNOPS(N_UN) OTHER_OPS(N_OTH)};

static int op_imms(int op) {
  switch (op) {
#define I_OTH(n, imm, pop, push) \
  case OP_##n:                   \
    return imm;
    OTHER_OPS(I_OTH)
    default:
      return 0;
  }
}
/* Stack effect; CALL and RET are handled by the verifier as barriers. */
static void op_effect(int op, int* pops, int* pushes) {
  switch (op) {
#define S_INT(n, T, e) \
  case OP_##n:         \
    *pops = 2;         \
    *pushes = 1;       \
    return;
#define S_FLT(n, e) \
  case OP_##n:      \
    *pops = 2;      \
    *pushes = 1;    \
    return;
#define S_UN(n, s) \
  case OP_##n:     \
    *pops = 1;     \
    *pushes = 1;   \
    return;
#define S_OTH(n, imm, pop, push) \
  case OP_##n:                   \
    *pops = pop;                 \
    *pushes = push;              \
    return;
    ALL_INT_BINOPS(S_INT) FLOAT_BINOPS(S_FLT) UNOPS(S_UN) OTHER_OPS(S_OTH)
  }
  *pops = *pushes = 0;
}

#define MAXCODE 4096
struct program {
  int64_t code[MAXCODE];
  int len;
};

/* ---- assembler: one instruction per line, "name:" labels, ';' comments ---- */
static int find_op(const char* name) {
  for (int i = 0; i < NUM_OPS; ++i)
    if (!strcmp(op_names[i], name)) return i;
  return -1;
}
static int assemble(const char* src, struct program* p) {
  char labels[64][16];
  int label_pos[64], nlabels = 0, fix_at[256], nfix = 0;
  char fix_name[256][16];
  p->len = 0;
  for (int pass = 0; pass < 1; ++pass) {
    const char* s = src;
    while (*s) {
      char line[96];
      int n = 0;
      while (*s && *s != '\n') {
        if (n < 95) line[n++] = *s;
        ++s;
      }
      if (*s) ++s;
      line[n] = 0;
      char* semi = strchr(line, ';');
      if (semi) *semi = 0;
      char tok[3][32];
      int nt = sscanf(line, "%31s %31s %31s", tok[0], tok[1], tok[2]);
      if (nt <= 0) continue;
      size_t tl = strlen(tok[0]);
      if (tok[0][tl - 1] == ':') {
        tok[0][tl - 1] = 0;
        strcpy(labels[nlabels], tok[0]);
        label_pos[nlabels++] = p->len;
        continue;
      }
      int op = find_op(tok[0]);
      if (op < 0) {
        printf("unknown op %s\n", tok[0]);
        return -1;
      }
      p->code[p->len++] = op;
      if (op_imms(op)) {
        if (nt < 2) {
          printf("missing operand for %s\n", tok[0]);
          return -1;
        }
        char* end;
        if (strchr(tok[1], '.')) {
          value v;
          v.f = strtod(tok[1], &end);
          p->code[p->len++] = (int64_t)v.u;
        } else {
          long long x = strtoll(tok[1], &end, 0);
          if (*end) {
            strcpy(fix_name[nfix], tok[1]);
            fix_at[nfix++] = p->len;
            x = 0;
          }
          p->code[p->len++] = x;
        }
      }
    }
  }
  for (int i = 0; i < nfix; ++i) {
    int found = -1;
    for (int l = 0; l < nlabels; ++l)
      if (!strcmp(labels[l], fix_name[i])) found = label_pos[l];
    if (found < 0) {
      printf("unknown label %s\n", fix_name[i]);
      return -1;
    }
    p->code[fix_at[i]] = found;
  }
  return p->len;
}

/* ---- disassembler: a checksum of the listing keeps the output short ---- */
static unsigned long disassemble(const struct program* p, int show) {
  unsigned long h = 0;
  char buf[64];
  for (int pc = 0; pc < p->len;) {
    int op = (int)p->code[pc];
    int n = op_imms(op) ? sprintf(buf, "%04d %s %lld", pc, op_names[op], (long long)p->code[pc + 1])
                        : sprintf(buf, "%04d %s", pc, op_names[op]);
    if (show) printf("  %s\n", buf);
    for (int i = 0; i < n; ++i) h = h * 31u + (unsigned char)buf[i];
    pc += 1 + op_imms(op);
  }
  return h & 0xffffffffu;
}

/* ---- constant folder: PUSH a, PUSH b, BINOP -> PUSH r; PUSH a, UNOP -> PUSH r ---- */
static int fold_binary(int op, value x, value y, value* r) {
  switch (op) {
#define F_INT(n, T, e)        \
  case OP_##n: {              \
    T a = (T)x.u, b = (T)y.u; \
    r->u = e;                 \
    return 1;                 \
  }
#define F_FLT(n, e)          \
  case OP_##n: {             \
    double a = x.f, b = y.f; \
    r->f = e;                \
    return 1;                \
  }
    ALL_INT_BINOPS(F_INT) FLOAT_BINOPS(F_FLT) default : return 0;
  }
}
static int fold_unary(int op, value v, value* out) {
  value r;
  switch (op) {
#define F_UN(n, s) \
  case OP_##n:     \
    s;             \
    *out = r;      \
    return 1;
    UNOPS(F_UN)
    default:
      return 0;
  }
}
static int is_target(const struct program* p, int at) {
  for (int pc = 0; pc < p->len; pc += 1 + op_imms((int)p->code[pc])) {
    int op = (int)p->code[pc];
    if ((op == OP_JMP || op == OP_JZ || op == OP_JNZ || op == OP_CALL) && p->code[pc + 1] == at)
      return 1;
  }
  return 0;
}
/* Folds in place by rewriting into PUSH + NOPs so that jump targets stay valid. */
static int fold(struct program* p) {
  int folded = 0;
  for (int pc = 0; pc < p->len; pc += 1 + op_imms((int)p->code[pc])) {
    if (p->code[pc] != OP_PUSH) continue;
    int pc2 = pc + 2;
    value a, b, r;
    a.u = (uint64_t)p->code[pc + 1];
    if (pc2 < p->len && !is_target(p, pc2) && fold_unary((int)p->code[pc2], a, &r)) {
      p->code[pc + 1] = (int64_t)r.u;
      p->code[pc2] = OP_NOP;
      ++folded;
      continue;
    }
    if (pc2 + 2 < p->len && p->code[pc2] == OP_PUSH && !is_target(p, pc2) &&
        !is_target(p, pc2 + 2)) {
      b.u = (uint64_t)p->code[pc2 + 1];
      if (fold_binary((int)p->code[pc2 + 2], a, b, &r)) {
        p->code[pc + 1] = (int64_t)r.u;
        p->code[pc2] = p->code[pc2 + 1] = p->code[pc2 + 2] = OP_NOP;
        ++folded;
      }
    }
  }
  return folded;
}

/* ---- verifier: maximum straight-line stack depth, checks operands ---- */
static int verify(const struct program* p) {
  int depth = 0, max = 0;
  for (int pc = 0; pc < p->len;) {
    int op = (int)p->code[pc];
    if (op < 0 || op >= NUM_OPS) return -1;
    int pops, pushes;
    op_effect(op, &pops, &pushes);
    depth -= pops;
    if (depth < 0) depth = 0; /* values from callers or other paths */
    depth += pushes;
    if (depth > max) max = depth;
    if (op == OP_JMP || op == OP_RET || op == OP_HALT) depth = 0;
    if ((op == OP_JMP || op == OP_JZ || op == OP_JNZ || op == OP_CALL) &&
        (p->code[pc + 1] < 0 || p->code[pc + 1] >= p->len))
      return -2;
    pc += 1 + op_imms(op);
  }
  return max;
}

/* ---- machine state ---- */
#define STACK 256
#define FRAMES 64
#define MEM 1024
struct vm {
  value stack[STACK];
  int sp, fp, pc, nframes;
  int ret_pc[FRAMES], ret_fp[FRAMES];
  value locals[FRAMES * 16];
  value mem[MEM];
  long steps;
  unsigned long out_hash;
  int quiet;
};
static void vm_reset(struct vm* m) { memset(m, 0, sizeof *m); }
static void out_int(struct vm* m, uint64_t v) {
  m->out_hash = (m->out_hash * 1000003u) ^ v;
  if (!m->quiet) printf("  out %llu\n", (unsigned long long)v);
}
static void out_float(struct vm* m, double v) {
  char b[40];
  sprintf(b, "%.6f", v);
  for (char* c = b; *c; ++c) m->out_hash = m->out_hash * 131u + (unsigned char)*c;
  if (!m->quiet) printf("  out %s\n", b);
}

#define POP() (m->stack[--m->sp])
#define PUSHV(v) (m->stack[m->sp++] = (v))
#define IMM() (p->code[m->pc++])

/* Interpreter 1: one big switch. Returns 0 on HALT, negative on a fault. */
static int run_switch(struct vm* m, const struct program* p, long max_steps) {
  while (m->steps++ < max_steps) {
    if (m->pc < 0 || m->pc >= p->len) return -1;
    int op = (int)p->code[m->pc++];
    int pops, pushes;
    op_effect(op, &pops, &pushes);
    if (m->sp < pops || m->sp - pops + pushes > STACK) return -2;
    switch (op) {
#define X_INT(n, T, e)                \
  case OP_##n: {                      \
    T b = (T)POP().u, a = (T)POP().u; \
    value r;                          \
    r.u = e;                          \
    PUSHV(r);                         \
    break;                            \
  }
#define X_FLT(n, e)                  \
  case OP_##n: {                     \
    double b = POP().f, a = POP().f; \
    value r;                         \
    r.f = e;                         \
    PUSHV(r);                        \
    break;                           \
  }
#define X_UN(n, s)      \
  case OP_##n: {        \
    value v = POP(), r; \
    s;                  \
    PUSHV(r);           \
    break;              \
  }
      ALL_INT_BINOPS(X_INT) FLOAT_BINOPS(X_FLT) UNOPS(X_UN) case OP_HALT : return 0;
      case OP_PUSH: {
        value v;
        v.u = (uint64_t)IMM();
        PUSHV(v);
        break;
      }
      case OP_DUP: {
        value v = m->stack[m->sp - 1];
        PUSHV(v);
        break;
      }
      case OP_DROP:
        --m->sp;
        break;
      case OP_SWAP: {
        value t = m->stack[m->sp - 1];
        m->stack[m->sp - 1] = m->stack[m->sp - 2];
        m->stack[m->sp - 2] = t;
        break;
      }
      case OP_OVER: {
        value v = m->stack[m->sp - 2];
        PUSHV(v);
        break;
      }
      case OP_ROT: {
        value t = m->stack[m->sp - 3];
        m->stack[m->sp - 3] = m->stack[m->sp - 2];
        m->stack[m->sp - 2] = m->stack[m->sp - 1];
        m->stack[m->sp - 1] = t;
        break;
      }
      case OP_LOAD: {
        int64_t i = IMM();
        if (i < 0 || i > 15) return -3;
        PUSHV(m->locals[m->fp * 16 + i]);
        break;
      }
      case OP_STORE: {
        int64_t i = IMM();
        if (i < 0 || i > 15) return -3;
        m->locals[m->fp * 16 + i] = POP();
        break;
      }
      case OP_MLOAD: {
        value a = POP();
        PUSHV(m->mem[a.u % MEM]);
        break;
      }
      case OP_MSTORE: {
        value a = POP(), v = POP();
        m->mem[a.u % MEM] = v;
        break;
      }
      case OP_JMP:
        m->pc = (int)p->code[m->pc];
        break;
      case OP_JZ: {
        int64_t t = IMM();
        if (POP().u == 0) m->pc = (int)t;
        break;
      }
      case OP_JNZ: {
        int64_t t = IMM();
        if (POP().u != 0) m->pc = (int)t;
        break;
      }
      case OP_CALL: {
        int64_t t = IMM();
        if (m->nframes + 1 >= FRAMES) return -4;
        m->ret_pc[m->nframes] = m->pc;
        m->ret_fp[m->nframes] = m->fp;
        ++m->nframes;
        m->fp = m->nframes;
        memset(&m->locals[m->fp * 16], 0, 16 * sizeof(value));
        m->pc = (int)t;
        break;
      }
      case OP_RET:
        if (!m->nframes) return -5;
        --m->nframes;
        m->pc = m->ret_pc[m->nframes];
        m->fp = m->ret_fp[m->nframes];
        break;
      case OP_PRINT:
        out_int(m, POP().u);
        break;
      case OP_FPRINT:
        out_float(m, POP().f);
        break;
      case OP_NOP:
        break;
      default:
        return -6;
    }
  }
  return -7;
}

/* Interpreter 2: a table of handler functions, one per opcode. */
typedef int (*handler)(struct vm* m, const struct program* p);
#define H_INT(n, T, e)                                      \
  static int h_##n(struct vm* m, const struct program* p) { \
    (void)p;                                                \
    T b = (T)POP().u, a = (T)POP().u;                       \
    value r;                                                \
    r.u = e;                                                \
    PUSHV(r);                                               \
    return 1;                                               \
  }
#define H_FLT(n, e)                                         \
  static int h_##n(struct vm* m, const struct program* p) { \
    (void)p;                                                \
    double b = POP().f, a = POP().f;                        \
    value r;                                                \
    r.f = e;                                                \
    PUSHV(r);                                               \
    return 1;                                               \
  }
#define H_UN(n, s)                                          \
  static int h_##n(struct vm* m, const struct program* p) { \
    (void)p;                                                \
    value v = POP(), r;                                     \
    s;                                                      \
    PUSHV(r);                                               \
    return 1;                                               \
  }
ALL_INT_BINOPS(H_INT)
FLOAT_BINOPS(H_FLT) UNOPS(H_UN) static int h_HALT(struct vm* m, const struct program* p) {
  (void)m;
  (void)p;
  return 0;
}
static int h_PUSH(struct vm* m, const struct program* p) {
  value v;
  v.u = (uint64_t)IMM();
  PUSHV(v);
  return 1;
}
static int h_DUP(struct vm* m, const struct program* p) {
  (void)p;
  value v = m->stack[m->sp - 1];
  PUSHV(v);
  return 1;
}
static int h_DROP(struct vm* m, const struct program* p) {
  (void)p;
  --m->sp;
  return 1;
}
static int h_SWAP(struct vm* m, const struct program* p) {
  (void)p;
  value t = m->stack[m->sp - 1];
  m->stack[m->sp - 1] = m->stack[m->sp - 2];
  m->stack[m->sp - 2] = t;
  return 1;
}
static int h_OVER(struct vm* m, const struct program* p) {
  (void)p;
  value v = m->stack[m->sp - 2];
  PUSHV(v);
  return 1;
}
static int h_ROT(struct vm* m, const struct program* p) {
  (void)p;
  value t = m->stack[m->sp - 3];
  m->stack[m->sp - 3] = m->stack[m->sp - 2];
  m->stack[m->sp - 2] = m->stack[m->sp - 1];
  m->stack[m->sp - 1] = t;
  return 1;
}
static int h_LOAD(struct vm* m, const struct program* p) {
  int64_t i = IMM();
  if (i < 0 || i > 15) return -3;
  PUSHV(m->locals[m->fp * 16 + i]);
  return 1;
}
static int h_STORE(struct vm* m, const struct program* p) {
  int64_t i = IMM();
  if (i < 0 || i > 15) return -3;
  m->locals[m->fp * 16 + i] = POP();
  return 1;
}
static int h_MLOAD(struct vm* m, const struct program* p) {
  (void)p;
  value a = POP();
  PUSHV(m->mem[a.u % MEM]);
  return 1;
}
static int h_MSTORE(struct vm* m, const struct program* p) {
  (void)p;
  value a = POP(), v = POP();
  m->mem[a.u % MEM] = v;
  return 1;
}
static int h_JMP(struct vm* m, const struct program* p) {
  m->pc = (int)p->code[m->pc];
  return 1;
}
static int h_JZ(struct vm* m, const struct program* p) {
  int64_t t = IMM();
  if (POP().u == 0) m->pc = (int)t;
  return 1;
}
static int h_JNZ(struct vm* m, const struct program* p) {
  int64_t t = IMM();
  if (POP().u != 0) m->pc = (int)t;
  return 1;
}
static int h_CALL(struct vm* m, const struct program* p) {
  int64_t t = IMM();
  if (m->nframes + 1 >= FRAMES) return -4;
  m->ret_pc[m->nframes] = m->pc;
  m->ret_fp[m->nframes] = m->fp;
  ++m->nframes;
  m->fp = m->nframes;
  memset(&m->locals[m->fp * 16], 0, 16 * sizeof(value));
  m->pc = (int)t;
  return 1;
}
static int h_RET(struct vm* m, const struct program* p) {
  (void)p;
  if (!m->nframes) return -5;
  --m->nframes;
  m->pc = m->ret_pc[m->nframes];
  m->fp = m->ret_fp[m->nframes];
  return 1;
}
static int h_PRINT(struct vm* m, const struct program* p) {
  (void)p;
  out_int(m, POP().u);
  return 1;
}
static int h_FPRINT(struct vm* m, const struct program* p) {
  (void)p;
  out_float(m, POP().f);
  return 1;
}
static int h_NOP(struct vm* m, const struct program* p) {
  (void)m;
  (void)p;
  return 1;
}
static const handler handlers[NUM_OPS] = {
#define T_INT(n, T, e) h_##n,
#define T_FLT(n, e) h_##n,
#define T_UN(n, s) h_##n,
#define T_OTH(n, imm, pop, push) h_##n,
    ALL_INT_BINOPS(T_INT) FLOAT_BINOPS(T_FLT) UNOPS(T_UN) OTHER_OPS(T_OTH)};

static int run_table(struct vm* m, const struct program* p, long max_steps) {
  while (m->steps++ < max_steps) {
    if (m->pc < 0 || m->pc >= p->len) return -1;
    int op = (int)p->code[m->pc++];
    if (op < 0 || op >= NUM_OPS) return -6;
    int pops, pushes;
    op_effect(op, &pops, &pushes);
    if (m->sp < pops || m->sp - pops + pushes > STACK) return -2;
    int r = handlers[op](m, p);
    if (r <= 0) return r;
  }
  return -7;
}

/* ---- test programs in assembly ---- */
static const char* const sources[] = {
    /* factorials and fibonacci with a call */
    "  PUSH 1\n  STORE 0\n  PUSH 1\n  STORE 1\n"
    "loop:\n  LOAD 0\n  LOAD 1\n  MUL64\n  STORE 0\n  LOAD 0\n  PRINT\n"
    "  LOAD 1\n  INC\n  DUP\n  STORE 1\n  PUSH 16\n  LE64\n  JNZ loop\n"
    "  PUSH 50\n  CALL fib\n  PRINT\n  HALT\n"
    "fib:\n  STORE 0\n  PUSH 0\n  STORE 1\n  PUSH 1\n  STORE 2\n"
    "fl:\n  LOAD 0\n  JZ fdone\n  LOAD 1\n  LOAD 2\n  DUP\n  STORE 1\n  ADD64\n  STORE 2\n"
    "  LOAD 0\n  DEC\n  STORE 0\n  JMP fl\nfdone:\n  LOAD 1\n  RET\n",
    /* recursive gcd and a sieve in memory */
    "  PUSH 1071\n  PUSH 462\n  CALL gcd\n  PRINT\n"
    "  PUSH 2\n  STORE 0\n"
    "outer:\n  LOAD 0\n  MLOAD\n  JNZ next\n  LOAD 0\n  PRINT\n  LOAD 0\n  DUP\n  ADD32\n  STORE "
    "1\n"
    "inner:\n  LOAD 1\n  PUSH 200\n  LT32\n  JZ next\n  PUSH 1\n  LOAD 1\n  MSTORE\n  LOAD 1\n  "
    "LOAD 0\n  ADD32\n  STORE 1\n  JMP inner\n"
    "next:\n  LOAD 0\n  INC\n  DUP\n  STORE 0\n  PUSH 60\n  LT32\n  JNZ outer\n  HALT\n"
    "gcd:\n  STORE 1\n  STORE 0\n  LOAD 1\n  JZ gdone\n  LOAD 1\n  LOAD 0\n  LOAD 1\n  REM64\n  "
    "CALL gcd\n  RET\n"
    "gdone:\n  LOAD 0\n  RET\n",
    /* floating point: Newton square roots, a series for pi, trigonometry */
    "  PUSH 2.0\n  STORE 0\n  PUSH 1.0\n  STORE 1\n  PUSH 8\n  STORE 2\n"
    "nw:\n  LOAD 1\n  LOAD 0\n  LOAD 1\n  FDIV\n  FADD\n  PUSH 0.5\n  FMUL\n  STORE 1\n"
    "  LOAD 2\n  DEC\n  DUP\n  STORE 2\n  JNZ nw\n  LOAD 1\n  FPRINT\n"
    "  PUSH 0.0\n  STORE 3\n  PUSH 1.0\n  STORE 4\n  PUSH 1.0\n  STORE 5\n  PUSH 2000\n  STORE 2\n"
    "series:\n  LOAD 3\n  LOAD 5\n  LOAD 4\n  FDIV\n  FADD\n  STORE 3\n  LOAD 4\n  PUSH 2.0\n  "
    "FADD\n  STORE 4\n"
    "  LOAD 5\n  FNEG\n  STORE 5\n  LOAD 2\n  DEC\n  DUP\n  STORE 2\n  JNZ series\n"
    "  LOAD 3\n  PUSH 4.0\n  FMUL\n  FPRINT\n  PUSH 0.5\n  FSIN\n  PUSH 0.5\n  FCOS\n  FHYPOT\n  "
    "FPRINT\n"
    "  PUSH -7.75\n  FFLOOR\n  F2I\n  NEG64\n  PRINT\n  PUSH 3.0\n  PUSH 4.0\n  FHYPOT\n  FSQRT\n  "
    "FPRINT\n  HALT\n",
    /* every integer width, with constants the folder can fold */
    "  PUSH 200\n  PUSH 100\n  ADD8\n  PRINT\n  PUSH 65535\n  PUSH 2\n  MUL16\n  PRINT\n"
    "  PUSH 0x80000001\n  PUSH 1\n  ROTL32\n  PRINT\n  PUSH 1\n  PUSH 63\n  SHL64\n  PRINT\n"
    "  PUSH 7\n  PUSH 0\n  DIV32\n  PRINT\n  PUSH 250\n  PUSH 10\n  ABSDIFF8\n  PRINT\n"
    "  PUSH 0x12345678\n  BSWAP32\n  PRINT\n  PUSH 255\n  SEXT8\n  PRINT\n  PUSH 0xff00\n  "
    "POPCNT\n  PRINT\n"
    "  PUSH 1\n  CLZ64\n  PRINT\n  PUSH 9\n  PUSH 4\n  AVG16\n  PRINT\n  PUSH 5\n  PUSH 9\n  "
    "MAX64\n  PRINT\n"
    "  PUSH 0\n  STORE 0\n  PUSH 0\n  STORE 1\n"
    "mix:\n  LOAD 1\n  LOAD 0\n  PUSH 2654435761\n  MUL32\n  XOR32\n  PUSH 5\n  ROTL32\n  STORE 1\n"
    "  LOAD 0\n  INC\n  DUP\n  STORE 0\n  PUSH 5000\n  LT16\n  JNZ mix\n  LOAD 1\n  PRINT\n"
    "  PUSH 3\n  PUSH 4\n  PUSH 5\n  ROT\n  SUB64\n  SWAP\n  DROP\n  PRINT\n  PUSH 6\n  PUSH 7\n  "
    "OVER\n  MUL8\n  ADD8\n  PRINT\n  NOP\n  HALT\n",
};

int main(void) {
  static struct program prog;
  static struct vm m1, m2;
  printf("opcodes: %d\n", NUM_OPS);
  for (unsigned i = 0; i < sizeof sources / sizeof *sources; ++i) {
    if (assemble(sources[i], &prog) < 0) return 1;
    printf("program %u: %d words, max depth %d, listing %08lx\n", i, prog.len, verify(&prog),
           disassemble(&prog, 0));
    vm_reset(&m1);
    int r1 = run_switch(&m1, &prog, 10000000);
    vm_reset(&m2);
    m2.quiet = 1;
    int r2 = run_table(&m2, &prog, 10000000);
    printf("  switch: status %d steps %ld hash %08lx; table: status %d steps %ld hash %08lx\n", r1,
           m1.steps, m1.out_hash & 0xffffffffu, r2, m2.steps, m2.out_hash & 0xffffffffu);
    int nf = fold(&prog);
    vm_reset(&m2);
    m2.quiet = 1;
    int r3 = run_table(&m2, &prog, 10000000);
    printf("  folded %d: status %d steps %ld hash %08lx %s\n", nf, r3, m2.steps,
           m2.out_hash & 0xffffffffu, m2.out_hash == m1.out_hash ? "same" : "DIFFERENT");
  }
  static const char* bad[] = {"  BOGUS 1\n", "  JMP nowhere\n", "  PUSH\n"};
  for (int i = 0; i < 3; ++i) printf("bad %d -> %d\n", i, assemble(bad[i], &prog));
  assemble("  DROP\n  HALT\n", &prog);
  vm_reset(&m1);
  printf("underflow -> %d\n", run_switch(&m1, &prog, 100));
  assemble("loop:\n  PUSH 1\n  JMP loop\n", &prog);
  vm_reset(&m1);
  printf("overflow -> %d\n", run_switch(&m1, &prog, 100000));
  assemble("  CALL r\nr:\n  CALL r\n", &prog);
  vm_reset(&m1);
  printf("deep calls -> %d\n", run_table(&m1, &prog, 100000));
  disassemble(&prog, 1);
  return 0;
}
