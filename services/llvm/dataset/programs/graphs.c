/* SPDX-License-Identifier: MIT */
/* Medium: graph algorithms on a generated weighted graph: BFS, iterative DFS with
 * connected components, Dijkstra with a binary heap, Bellman-Ford, Kruskal's MST with
 * union-find, Prim's MST, Floyd-Warshall on a subgraph and a topological sort of a DAG. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#define V 400
#define E 2400
#define INF INT_MAX

struct edge {
  int u, v, w;
};
static struct edge edges[E];
static int head[V], nxt[2 * E], to[2 * E], wt[2 * E], nadj;

static unsigned seed = 31337u;
static unsigned rnd(unsigned m) {
  seed = seed * 1664525u + 1013904223u;
  return (seed >> 10) % m;
}

static void add_adj(int u, int v, int w) {
  to[nadj] = v;
  wt[nadj] = w;
  nxt[nadj] = head[u];
  head[u] = nadj++;
}

static int bfs(int src, int* dist) {
  static int queue[V];
  int qh = 0, qt = 0, far = 0;
  for (int i = 0; i < V; ++i) dist[i] = -1;
  dist[src] = 0;
  queue[qt++] = src;
  while (qh < qt) {
    int u = queue[qh++];
    if (dist[u] > far) far = dist[u];
    for (int e = head[u]; e >= 0; e = nxt[e])
      if (dist[to[e]] < 0) {
        dist[to[e]] = dist[u] + 1;
        queue[qt++] = to[e];
      }
  }
  return far;
}

static int components(void) {
  static int comp[V], stack[2 * E + V];
  int nc = 0;
  for (int i = 0; i < V; ++i) comp[i] = -1;
  for (int s = 0; s < V; ++s) {
    if (comp[s] >= 0) continue;
    int sp = 0;
    stack[sp++] = s;
    while (sp) {
      int u = stack[--sp];
      if (comp[u] >= 0) continue;
      comp[u] = nc;
      for (int e = head[u]; e >= 0; e = nxt[e])
        if (comp[to[e]] < 0) stack[sp++] = to[e];
    }
    ++nc;
  }
  return nc;
}

/* Binary min-heap of (distance, vertex) with lazy deletion. */
static int hd[2 * E + V], hv[2 * E + V], hn;
static void hpush(int d, int v) {
  int i = hn++;
  while (i && hd[(i - 1) / 2] > d) {
    hd[i] = hd[(i - 1) / 2];
    hv[i] = hv[(i - 1) / 2];
    i = (i - 1) / 2;
  }
  hd[i] = d;
  hv[i] = v;
}
static void hpop(int* d, int* v) {
  *d = hd[0];
  *v = hv[0];
  int ld = hd[--hn], lv = hv[hn], i = 0;
  for (;;) {
    int c = 2 * i + 1;
    if (c >= hn) break;
    if (c + 1 < hn && hd[c + 1] < hd[c]) ++c;
    if (hd[c] >= ld) break;
    hd[i] = hd[c];
    hv[i] = hv[c];
    i = c;
  }
  hd[i] = ld;
  hv[i] = lv;
}

static void dijkstra(int src, int* dist) {
  for (int i = 0; i < V; ++i) dist[i] = INF;
  dist[src] = 0;
  hn = 0;
  hpush(0, src);
  while (hn) {
    int d, u;
    hpop(&d, &u);
    if (d > dist[u]) continue;
    for (int e = head[u]; e >= 0; e = nxt[e])
      if (d + wt[e] < dist[to[e]]) {
        dist[to[e]] = d + wt[e];
        hpush(dist[to[e]], to[e]);
      }
  }
}

static void bellman_ford(int src, int* dist) {
  for (int i = 0; i < V; ++i) dist[i] = INF;
  dist[src] = 0;
  for (int it = 0; it < V - 1; ++it) {
    int changed = 0;
    for (int i = 0; i < E; ++i) {
      struct edge* e = &edges[i];
      if (dist[e->u] != INF && dist[e->u] + e->w < dist[e->v]) {
        dist[e->v] = dist[e->u] + e->w;
        changed = 1;
      }
      if (dist[e->v] != INF && dist[e->v] + e->w < dist[e->u]) {
        dist[e->u] = dist[e->v] + e->w;
        changed = 1;
      }
    }
    if (!changed) break;
  }
}

static int parent[V], rankv[V];
static int find(int x) {
  while (parent[x] != x) {
    parent[x] = parent[parent[x]];
    x = parent[x];
  }
  return x;
}
static int unite(int a, int b) {
  a = find(a);
  b = find(b);
  if (a == b) return 0;
  if (rankv[a] < rankv[b]) {
    int t = a;
    a = b;
    b = t;
  }
  parent[b] = a;
  if (rankv[a] == rankv[b]) ++rankv[a];
  return 1;
}
static int edge_order[E];
static long kruskal(void) {
  for (int i = 0; i < V; ++i) {
    parent[i] = i;
    rankv[i] = 0;
  }
  for (int i = 0; i < E; ++i) edge_order[i] = i;
  /* insertion sort by weight then index keeps the order fully determined */
  for (int i = 1; i < E; ++i) {
    int x = edge_order[i], j = i - 1;
    while (j >= 0 && edges[edge_order[j]].w > edges[x].w) {
      edge_order[j + 1] = edge_order[j];
      --j;
    }
    edge_order[j + 1] = x;
  }
  long total = 0;
  for (int i = 0; i < E; ++i) {
    struct edge* e = &edges[edge_order[i]];
    if (unite(e->u, e->v)) total += e->w;
  }
  return total;
}

static long prim(void) {
  static int key[V], in[V];
  for (int i = 0; i < V; ++i) {
    key[i] = INF;
    in[i] = 0;
  }
  long total = 0;
  for (int s = 0; s < V; ++s) {
    if (in[s]) continue;
    key[s] = 0;
    for (;;) {
      int u = -1;
      for (int i = 0; i < V; ++i)
        if (!in[i] && key[i] != INF && (u < 0 || key[i] < key[u])) u = i;
      if (u < 0) break;
      in[u] = 1;
      total += key[u];
      for (int e = head[u]; e >= 0; e = nxt[e])
        if (!in[to[e]] && wt[e] < key[to[e]]) key[to[e]] = wt[e];
    }
  }
  return total;
}

#define FW 60
static int fw[FW][FW];
static long floyd(void) {
  for (int i = 0; i < FW; ++i)
    for (int j = 0; j < FW; ++j) fw[i][j] = i == j ? 0 : INF;
  for (int i = 0; i < E; ++i)
    if (edges[i].u < FW && edges[i].v < FW) {
      int u = edges[i].u, v = edges[i].v;
      if (edges[i].w < fw[u][v]) fw[u][v] = fw[v][u] = edges[i].w;
    }
  for (int k = 0; k < FW; ++k)
    for (int i = 0; i < FW; ++i)
      for (int j = 0; j < FW; ++j)
        if (fw[i][k] != INF && fw[k][j] != INF && fw[i][k] + fw[k][j] < fw[i][j])
          fw[i][j] = fw[i][k] + fw[k][j];
  long s = 0;
  for (int i = 0; i < FW; ++i)
    for (int j = 0; j < FW; ++j)
      if (fw[i][j] != INF) s += fw[i][j];
  return s;
}

static int topo(void) {
  /* DAG: edges go from lower to higher vertex index after a fixed permutation. */
  static int perm[V], indeg[V], order[V], dag_head[V], dag_nxt[E], dag_to[E];
  for (int i = 0; i < V; ++i) {
    perm[i] = (i * 149) % V;
    indeg[i] = 0;
    dag_head[i] = -1;
  }
  for (int i = 0; i < E; ++i) {
    int a = perm[edges[i].u], b = perm[edges[i].v];
    if (a == b) {
      dag_to[i] = -1;
      continue;
    }
    int from = a < b ? a : b, t = a < b ? b : a;
    dag_to[i] = t;
    dag_nxt[i] = dag_head[from];
    dag_head[from] = i;
    ++indeg[t];
  }
  int n = 0, h = 0;
  for (int i = 0; i < V; ++i)
    if (!indeg[i]) order[n++] = i;
  while (h < n) {
    int u = order[h++];
    for (int e = dag_head[u]; e >= 0; e = dag_nxt[e])
      if (--indeg[dag_to[e]] == 0) order[n++] = dag_to[e];
  }
  unsigned long hsh = 0;
  for (int i = 0; i < n; ++i) hsh = hsh * 131u + (unsigned)order[i];
  printf("topological order: %d vertices, hash=%lu\n", n, hsh % 1000000007ul);
  return n;
}

int main(void) {
  static int d1[V], d2[V], bd[V];
  memset(head, -1, sizeof head);
  for (int i = 0; i < E; ++i) {
    int u = (int)rnd(V - 20), v = (int)rnd(V - 20), w = 1 + (int)rnd(100);
    edges[i].u = u;
    edges[i].v = v;
    edges[i].w = w;
    add_adj(u, v, w);
    add_adj(v, u, w);
  }
  printf("components=%d\n", components());
  printf("bfs eccentricity(0)=%d\n", bfs(0, bd));
  dijkstra(0, d1);
  bellman_ford(0, d2);
  long sum = 0;
  int reach = 0, agree = 1;
  for (int i = 0; i < V; ++i) {
    agree &= d1[i] == d2[i];
    if (d1[i] != INF) {
      sum += d1[i];
      ++reach;
    }
  }
  printf("dijkstra reach=%d sum=%ld agree_bellman_ford=%d\n", reach, sum, agree);
  long k = kruskal(), p = prim();
  printf("mst kruskal=%ld prim=%ld\n", k, p);
  printf("floyd-warshall sum=%ld\n", floyd());
  topo();
  return !(agree && k == p);
}
