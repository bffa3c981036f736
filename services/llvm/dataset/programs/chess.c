/* SPDX-License-Identifier: MIT */
/* Medium: a chess move generator on bitboards (pieces per colour and type, plus a square
 * board for lookups), with castling, en passant and promotions, checked by perft node
 * counts (the number of legal move sequences of a given depth) on standard positions. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

enum { WHITE, BLACK };
enum { PAWN, KNIGHT, BISHOP, ROOK, QUEEN, KING, NONE = 7 };
enum { F_CAPTURE = 1, F_DOUBLE = 2, F_EP = 4, F_CASTLE = 8 };

struct position {
  uint64_t bb[2][6], occ[2];
  unsigned char board[64]; /* piece type | colour << 3, or NONE */
  int side, ep, castle;    /* ep: target square or -1; castle: 1 K, 2 Q, 4 k, 8 q */
};
struct move {
  unsigned char from, to, promo, flags;
};

static uint64_t knight_att[64], king_att[64], pawn_att[2][64];
static int castle_mask[64];

static int on_board(int f, int r) { return f >= 0 && f < 8 && r >= 0 && r < 8; }
static void init_tables(void) {
  static const int kn[8][2] = {{1, 2},   {2, 1},   {2, -1}, {1, -2},
                               {-1, -2}, {-2, -1}, {-2, 1}, {-1, 2}};
  for (int sq = 0; sq < 64; ++sq) {
    int f = sq % 8, r = sq / 8;
    knight_att[sq] = king_att[sq] = pawn_att[0][sq] = pawn_att[1][sq] = 0;
    for (int i = 0; i < 8; ++i)
      if (on_board(f + kn[i][0], r + kn[i][1]))
        knight_att[sq] |= 1ull << (sq + kn[i][0] + 8 * kn[i][1]);
    for (int df = -1; df <= 1; ++df)
      for (int dr = -1; dr <= 1; ++dr)
        if ((df || dr) && on_board(f + df, r + dr)) king_att[sq] |= 1ull << (sq + df + 8 * dr);
    for (int df = -1; df <= 1; df += 2) {
      if (on_board(f + df, r + 1)) pawn_att[WHITE][sq] |= 1ull << (sq + df + 8);
      if (on_board(f + df, r - 1)) pawn_att[BLACK][sq] |= 1ull << (sq + df - 8);
    }
    castle_mask[sq] = 15;
  }
  castle_mask[4] = 15 & ~3;
  castle_mask[7] = 15 & ~1;
  castle_mask[0] = 15 & ~2;
  castle_mask[60] = 15 & ~12;
  castle_mask[63] = 15 & ~4;
  castle_mask[56] = 15 & ~8;
}

static uint64_t ray_attacks(int sq, uint64_t occ, const int (*dirs)[2]) {
  uint64_t a = 0;
  for (int d = 0; d < 4; ++d) {
    int f = sq % 8 + dirs[d][0], r = sq / 8 + dirs[d][1];
    while (on_board(f, r)) {
      a |= 1ull << (r * 8 + f);
      if (occ & (1ull << (r * 8 + f))) break;
      f += dirs[d][0];
      r += dirs[d][1];
    }
  }
  return a;
}
static const int diag[4][2] = {{1, 1}, {1, -1}, {-1, 1}, {-1, -1}};
static const int ortho[4][2] = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}};
static uint64_t bishop_att(int sq, uint64_t occ) { return ray_attacks(sq, occ, diag); }
static uint64_t rook_att(int sq, uint64_t occ) { return ray_attacks(sq, occ, ortho); }

static int attacked(const struct position* p, int sq, int by) {
  uint64_t occ = p->occ[0] | p->occ[1];
  if (pawn_att[by ^ 1][sq] & p->bb[by][PAWN]) return 1;
  if (knight_att[sq] & p->bb[by][KNIGHT]) return 1;
  if (king_att[sq] & p->bb[by][KING]) return 1;
  if (bishop_att(sq, occ) & (p->bb[by][BISHOP] | p->bb[by][QUEEN])) return 1;
  if (rook_att(sq, occ) & (p->bb[by][ROOK] | p->bb[by][QUEEN])) return 1;
  return 0;
}

static int lsb(uint64_t b) {
  int i = 0;
  while (!(b & 1)) {
    b >>= 1;
    ++i;
  }
  return i;
}
static void put(struct position* p, int sq, int color, int type) {
  p->bb[color][type] |= 1ull << sq;
  p->occ[color] |= 1ull << sq;
  p->board[sq] = (unsigned char)(type | color << 3);
}
static void remove_piece(struct position* p, int sq) {
  int pc = p->board[sq];
  if (pc == NONE) return;
  p->bb[pc >> 3][pc & 7] &= ~(1ull << sq);
  p->occ[pc >> 3] &= ~(1ull << sq);
  p->board[sq] = NONE;
}

static int parse_fen(struct position* p, const char* fen) {
  memset(p, 0, sizeof *p);
  memset(p->board, NONE, sizeof p->board);
  int r = 7, f = 0;
  for (; *fen && *fen != ' '; ++fen) {
    if (*fen == '/') {
      --r;
      f = 0;
      continue;
    }
    if (*fen >= '1' && *fen <= '8') {
      f += *fen - '0';
      continue;
    }
    const char* types = "pnbrqk";
    const char* t = strchr(types, *fen | 32);
    if (!t || f > 7 || r < 0) return 0;
    put(p, r * 8 + f, *fen >= 'a' ? BLACK : WHITE, (int)(t - types));
    ++f;
  }
  if (*fen) ++fen;
  p->side = *fen == 'b' ? BLACK : WHITE;
  fen += 2;
  for (; *fen && *fen != ' '; ++fen) {
    if (*fen == 'K') p->castle |= 1;
    if (*fen == 'Q') p->castle |= 2;
    if (*fen == 'k') p->castle |= 4;
    if (*fen == 'q') p->castle |= 8;
  }
  if (*fen) ++fen;
  p->ep = *fen && *fen != '-' ? (fen[1] - '1') * 8 + (fen[0] - 'a') : -1;
  return 1;
}

static int add_move(struct move* list, int n, int from, int to, int promo, int flags) {
  list[n].from = (unsigned char)from;
  list[n].to = (unsigned char)to;
  list[n].promo = (unsigned char)promo;
  list[n].flags = (unsigned char)flags;
  return n + 1;
}
static int add_pawn_move(struct move* list, int n, int from, int to, int flags) {
  if (to >= 56 || to < 8) {
    for (int pr = QUEEN; pr >= KNIGHT; --pr) n = add_move(list, n, from, to, pr, flags);
    return n;
  }
  return add_move(list, n, from, to, NONE, flags);
}

/* Pseudo-legal moves; legality is checked after making each one. */
static int generate(const struct position* p, struct move* list) {
  int n = 0, us = p->side, them = us ^ 1;
  uint64_t occ = p->occ[0] | p->occ[1], own = p->occ[us], enemy = p->occ[them];
  int fwd = us == WHITE ? 8 : -8, start_rank = us == WHITE ? 1 : 6;
  for (uint64_t b = p->bb[us][PAWN]; b; b &= b - 1) {
    int sq = lsb(b), to = sq + fwd;
    if (!(occ & (1ull << to))) {
      n = add_pawn_move(list, n, sq, to, 0);
      if (sq / 8 == start_rank && !(occ & (1ull << (to + fwd))))
        n = add_move(list, n, sq, to + fwd, NONE, F_DOUBLE);
    }
    for (uint64_t a = pawn_att[us][sq] & enemy; a; a &= a - 1)
      n = add_pawn_move(list, n, sq, lsb(a), F_CAPTURE);
    if (p->ep >= 0 && (pawn_att[us][sq] & (1ull << p->ep)))
      n = add_move(list, n, sq, p->ep, NONE, F_CAPTURE | F_EP);
  }
  for (int type = KNIGHT; type <= KING; ++type)
    for (uint64_t b = p->bb[us][type]; b; b &= b - 1) {
      int sq = lsb(b);
      uint64_t a = type == KNIGHT   ? knight_att[sq]
                   : type == BISHOP ? bishop_att(sq, occ)
                   : type == ROOK   ? rook_att(sq, occ)
                   : type == QUEEN  ? bishop_att(sq, occ) | rook_att(sq, occ)
                                    : king_att[sq];
      for (a &= ~own; a; a &= a - 1) {
        int to = lsb(a);
        n = add_move(list, n, sq, to, NONE, (enemy >> to) & 1 ? F_CAPTURE : 0);
      }
    }
  /* Castling: squares between empty, king not in or through check. */
  int base = us == WHITE ? 0 : 56, kbit = us == WHITE ? 1 : 4, qbit = us == WHITE ? 2 : 8;
  if ((p->castle & kbit) && !(occ & (96ull << base)) && !attacked(p, base + 4, them) &&
      !attacked(p, base + 5, them))
    n = add_move(list, n, base + 4, base + 6, NONE, F_CASTLE);
  if ((p->castle & qbit) && !(occ & (14ull << base)) && !attacked(p, base + 4, them) &&
      !attacked(p, base + 3, them))
    n = add_move(list, n, base + 4, base + 2, NONE, F_CASTLE);
  return n;
}

/* Copy-make: returns 0 if the move leaves the mover's king in check. */
static int make(const struct position* p, struct move m, struct position* q) {
  *q = *p;
  int us = p->side, pc = p->board[m.from], type = pc & 7;
  if (m.flags & F_EP) remove_piece(q, m.to + (us == WHITE ? -8 : 8));
  remove_piece(q, m.to);
  remove_piece(q, m.from);
  put(q, m.to, us, m.promo != NONE ? m.promo : type);
  if (m.flags & F_CASTLE) {
    int rook_from = m.to > m.from ? m.from + 3 : m.from - 4,
        rook_to = m.to > m.from ? m.from + 1 : m.from - 1;
    remove_piece(q, rook_from);
    put(q, rook_to, us, ROOK);
  }
  q->ep = (m.flags & F_DOUBLE) ? (m.from + m.to) / 2 : -1;
  q->castle &= castle_mask[m.from] & castle_mask[m.to];
  q->side = us ^ 1;
  return !attacked(q, lsb(q->bb[us][KING]), us ^ 1);
}

static unsigned long long perft(const struct position* p, int depth, unsigned long long* captures) {
  struct move list[256];
  int n = generate(p, list);
  unsigned long long nodes = 0;
  for (int i = 0; i < n; ++i) {
    struct position q;
    if (!make(p, list[i], &q)) continue;
    if (depth == 1) {
      ++nodes;
      *captures += list[i].flags & F_CAPTURE ? 1 : 0;
    } else {
      nodes += perft(&q, depth - 1, captures);
    }
  }
  return nodes;
}

int main(void) {
  static const struct {
    const char* name;
    const char* fen;
    int depth;
  } tests[] = {
      {"start", "rnbqkbnr/pppppppp/8/8/8/8/PPPPPPPP/RNBQKBNR w KQkq - 0 1", 3},
      {"kiwipete", "r3k2r/p1ppqpb1/bn2pnp1/3PN3/1p2P3/2N2Q1p/PPPBBPPP/R3K2R w KQkq - 0 1", 2},
      {"endgame", "8/2p5/3p4/KP5r/1R3p1k/8/4P1P1/8 w - - 0 1", 4},
      {"promotions", "r3k2r/Pppp1ppp/1b3nbN/nP6/BBP1P3/q4N2/Pp1P2PP/R2Q1RK1 w kq - 0 1", 3},
      {"middlegame", "rnbq1k1r/pp1Pbppp/2p5/8/2B5/8/PPP1NnPP/RNBQK2R w KQ - 1 8", 2},
  };
  init_tables();
  for (unsigned t = 0; t < sizeof tests / sizeof *tests; ++t) {
    struct position p;
    if (!parse_fen(&p, tests[t].fen)) {
      printf("bad fen %u\n", t);
      return 1;
    }
    printf("%-10s", tests[t].name);
    for (int d = 1; d <= tests[t].depth; ++d) {
      unsigned long long caps = 0, nodes = perft(&p, d, &caps);
      printf(" d%d=%llu/%llu", d, nodes, caps);
    }
    printf("\n");
  }
  return 0;
}
