/* SPDX-License-Identifier: MIT */
/* Medium: two hash tables with string keys, one with separate chaining (malloc'd nodes)
 * and one with open addressing and linear probing with tombstones, exercised with
 * inserts, lookups, updates and deletes; both must agree. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned hash_str(const char* s) {
  unsigned h = 2166136261u;
  while (*s) {
    h ^= (unsigned char)*s++;
    h *= 16777619u;
  }
  return h;
}

/* --- chaining --- */
struct node {
  char key[16];
  int value;
  struct node* next;
};
struct chain_table {
  struct node** buckets;
  unsigned nbuckets, size;
};

static void chain_init(struct chain_table* t, unsigned n) {
  t->buckets = calloc(n, sizeof *t->buckets);
  t->nbuckets = n;
  t->size = 0;
}
static struct node* chain_find(struct chain_table* t, const char* k) {
  for (struct node* p = t->buckets[hash_str(k) % t->nbuckets]; p; p = p->next)
    if (strcmp(p->key, k) == 0) return p;
  return NULL;
}
static void chain_put(struct chain_table* t, const char* k, int v) {
  struct node* p = chain_find(t, k);
  if (p) {
    p->value = v;
    return;
  }
  p = malloc(sizeof *p);
  strcpy(p->key, k);
  p->value = v;
  unsigned b = hash_str(k) % t->nbuckets;
  p->next = t->buckets[b];
  t->buckets[b] = p;
  ++t->size;
}
static int chain_del(struct chain_table* t, const char* k) {
  struct node** pp = &t->buckets[hash_str(k) % t->nbuckets];
  for (; *pp; pp = &(*pp)->next)
    if (strcmp((*pp)->key, k) == 0) {
      struct node* dead = *pp;
      *pp = dead->next;
      free(dead);
      --t->size;
      return 1;
    }
  return 0;
}
static void chain_free(struct chain_table* t) {
  for (unsigned i = 0; i < t->nbuckets; ++i)
    for (struct node* p = t->buckets[i]; p;) {
      struct node* n = p->next;
      free(p);
      p = n;
    }
  free(t->buckets);
}

/* --- open addressing --- */
enum { EMPTY, FULL, TOMB };
struct slot {
  unsigned char state;
  char key[16];
  int value;
};
struct open_table {
  struct slot* slots;
  unsigned cap, size, used;
  long probes;
};

static void open_init(struct open_table* t, unsigned cap) {
  t->slots = calloc(cap, sizeof *t->slots);
  t->cap = cap;
  t->size = t->used = 0;
  t->probes = 0;
}
static void open_put(struct open_table* t, const char* k, int v);
static void open_grow(struct open_table* t) {
  struct open_table n;
  open_init(&n, t->cap * 2);
  n.probes = t->probes;
  for (unsigned i = 0; i < t->cap; ++i)
    if (t->slots[i].state == FULL) open_put(&n, t->slots[i].key, t->slots[i].value);
  free(t->slots);
  *t = n;
}
static long open_find(struct open_table* t, const char* k) {
  for (unsigned i = hash_str(k) & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
    ++t->probes;
    if (t->slots[i].state == EMPTY) return -1;
    if (t->slots[i].state == FULL && strcmp(t->slots[i].key, k) == 0) return i;
  }
}
static void open_put(struct open_table* t, const char* k, int v) {
  long f = open_find(t, k);
  if (f >= 0) {
    t->slots[f].value = v;
    return;
  }
  if ((t->used + 1) * 4 > t->cap * 3) open_grow(t);
  unsigned i = hash_str(k) & (t->cap - 1);
  while (t->slots[i].state == FULL) i = (i + 1) & (t->cap - 1);
  if (t->slots[i].state == EMPTY) ++t->used;
  t->slots[i].state = FULL;
  strcpy(t->slots[i].key, k);
  t->slots[i].value = v;
  ++t->size;
}
static int open_del(struct open_table* t, const char* k) {
  long f = open_find(t, k);
  if (f < 0) return 0;
  t->slots[f].state = TOMB;
  --t->size;
  return 1;
}

static void make_key(char* buf, unsigned i) {
  sprintf(buf, "k%x_%u", i * 2654435761u >> 12, i % 97);
}

int main(void) {
  struct chain_table ct;
  struct open_table ot;
  chain_init(&ct, 1021);
  open_init(&ot, 16);
  char key[16];
  unsigned s = 1u;
  int disagreements = 0;
  long sum_c = 0, sum_o = 0;
  for (int round = 0; round < 40000; ++round) {
    s = s * 1103515245u + 12345u;
    unsigned r = (s >> 8) % 6000u, op = (s >> 4) % 8u;
    make_key(key, r);
    if (op < 4) {
      chain_put(&ct, key, round);
      open_put(&ot, key, round);
    } else if (op < 6) {
      struct node* a = chain_find(&ct, key);
      long b = open_find(&ot, key);
      if ((a == NULL) != (b < 0) || (a && a->value != ot.slots[b].value)) ++disagreements;
      if (a) sum_c += a->value;
      if (b >= 0) sum_o += ot.slots[b].value;
    } else {
      disagreements += chain_del(&ct, key) != open_del(&ot, key);
    }
  }
  printf("chain size=%u open size=%u cap=%u\n", ct.size, ot.size, ot.cap);
  printf("lookup sums %ld %ld disagreements=%d\n", sum_c, sum_o, disagreements);
  unsigned longest = 0, empty = 0;
  for (unsigned i = 0; i < ct.nbuckets; ++i) {
    unsigned len = 0;
    for (struct node* p = ct.buckets[i]; p; p = p->next) ++len;
    if (len > longest) longest = len;
    empty += len == 0;
  }
  printf("longest chain=%u empty buckets=%u probes=%ld\n", longest, empty, ot.probes);
  chain_free(&ct);
  free(ot.slots);
  return disagreements != 0;
}
