/* SPDX-License-Identifier: MIT */
/* Large: cryptographic hash functions and ciphers with fully unrolled rounds (by macros,
 * as fast implementations do): MD5, SHA-1, SHA-256, SHA-512, the ChaCha20 block function
 * and XTEA. Digests of test messages are printed in hex. Not for security use. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define ROL32(x, n) (((x) << (n)) | ((x) >> (32 - (n))))
#define ROR32(x, n) (((x) >> (n)) | ((x) << (32 - (n))))
#define ROR64(x, n) (((x) >> (n)) | ((x) << (64 - (n))))
#define R4(M, a) M(a) M(a + 1) M(a + 2) M(a + 3)
#define R16(M, a) R4(M, a) R4(M, a + 4) R4(M, a + 8) R4(M, a + 12)

/* Generic Merkle-Damgard padding driver: block size 64 or 128, big or little endian length. */
typedef void (*compress_fn)(void* state, const uint8_t* block);
static void md_hash(compress_fn f, void* state, const uint8_t* msg, size_t n, size_t bs,
                    int big_endian) {
  uint8_t block[128];
  size_t i = 0;
  for (; i + bs <= n; i += bs) f(state, msg + i);
  size_t rem = n - i, lenpos = bs - (bs == 128 ? 16 : 8);
  memset(block, 0, sizeof block);
  memcpy(block, msg + i, rem);
  block[rem] = 0x80;
  if (rem >= lenpos) {
    f(state, block);
    memset(block, 0, sizeof block);
  }
  uint64_t bits = (uint64_t)n * 8;
  for (int k = 0; k < 8; ++k) {
    if (big_endian)
      block[bs - 1 - k] = (uint8_t)(bits >> (8 * k));
    else
      block[lenpos + k] = (uint8_t)(bits >> (8 * k));
  }
  f(state, block);
}

/* ---- MD5 ---- */
static const uint32_t md5_k[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391};
static const int md5_r[64] = {7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
                              5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20,
                              4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
                              6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21};
static void md5_compress(void* st, const uint8_t* p) {
  uint32_t* h = st;
  uint32_t w[16], a = h[0], b = h[1], c = h[2], d = h[3], f, t;
  for (int i = 0; i < 16; ++i)
    w[i] = (uint32_t)p[4 * i] | (uint32_t)p[4 * i + 1] << 8 | (uint32_t)p[4 * i + 2] << 16 |
           (uint32_t)p[4 * i + 3] << 24;
#define MD5_STEP(i)                                    \
  if ((i) < 16)                                        \
    f = (b & c) | (~b & d), t = w[(i) % 16];           \
  else if ((i) < 32)                                   \
    f = (d & b) | (~d & c), t = w[(5 * (i) + 1) % 16]; \
  else if ((i) < 48)                                   \
    f = b ^ c ^ d, t = w[(3 * (i) + 5) % 16];          \
  else                                                 \
    f = c ^ (b | ~d), t = w[(7 * (i)) % 16];           \
  f = f + a + md5_k[i] + t;                            \
  a = d;                                               \
  d = c;                                               \
  c = b;                                               \
  b = b + ROL32(f, md5_r[i]);
  R16(MD5_STEP, 0);
  R16(MD5_STEP, 16);
  R16(MD5_STEP, 32);
  R16(MD5_STEP, 48);
  h[0] += a;
  h[1] += b;
  h[2] += c;
  h[3] += d;
}

/* ---- SHA-1 ---- */
static void sha1_compress(void* st, const uint8_t* p) {
  uint32_t* h = st;
  uint32_t w[80], a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], t;
  for (int i = 0; i < 16; ++i)
    w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 |
           p[4 * i + 3];
#define SHA1_W(i) w[i] = ROL32(w[(i)-3] ^ w[(i)-8] ^ w[(i)-14] ^ w[(i)-16], 1);
  R16(SHA1_W, 16);
  R16(SHA1_W, 32);
  R16(SHA1_W, 48);
  R16(SHA1_W, 64);
#define SHA1_STEP(i)                                 \
  if ((i) < 20)                                      \
    t = ((b & c) | (~b & d)) + 0x5A827999u;          \
  else if ((i) < 40)                                 \
    t = (b ^ c ^ d) + 0x6ED9EBA1u;                   \
  else if ((i) < 60)                                 \
    t = ((b & c) | (b & d) | (c & d)) + 0x8F1BBCDCu; \
  else                                               \
    t = (b ^ c ^ d) + 0xCA62C1D6u;                   \
  t += ROL32(a, 5) + e + w[i];                       \
  e = d;                                             \
  d = c;                                             \
  c = ROL32(b, 30);                                  \
  b = a;                                             \
  a = t;
  R16(SHA1_STEP, 0);
  R16(SHA1_STEP, 16);
  R16(SHA1_STEP, 32);
  R16(SHA1_STEP, 48);
  R16(SHA1_STEP, 64);
  h[0] += a;
  h[1] += b;
  h[2] += c;
  h[3] += d;
  h[4] += e;
}

/* ---- SHA-256 ---- */
static const uint32_t k256[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};
static void sha256_compress(void* st, const uint8_t* p) {
  uint32_t* h = st;
  uint32_t w[64], a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7],
                  t1, t2;
  for (int i = 0; i < 16; ++i)
    w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 |
           p[4 * i + 3];
#define S256_W(i)                                                                                 \
  w[i] = w[(i)-16] + (ROR32(w[(i)-15], 7) ^ ROR32(w[(i)-15], 18) ^ (w[(i)-15] >> 3)) + w[(i)-7] + \
         (ROR32(w[(i)-2], 17) ^ ROR32(w[(i)-2], 19) ^ (w[(i)-2] >> 10));
  R16(S256_W, 16);
  R16(S256_W, 32);
  R16(S256_W, 48);
#define S256_STEP(i)                                                                             \
  t1 = hh + (ROR32(e, 6) ^ ROR32(e, 11) ^ ROR32(e, 25)) + ((e & f) ^ (~e & g)) + k256[i] + w[i]; \
  t2 = (ROR32(a, 2) ^ ROR32(a, 13) ^ ROR32(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));              \
  hh = g;                                                                                        \
  g = f;                                                                                         \
  f = e;                                                                                         \
  e = d + t1;                                                                                    \
  d = c;                                                                                         \
  c = b;                                                                                         \
  b = a;                                                                                         \
  a = t1 + t2;
  R16(S256_STEP, 0);
  R16(S256_STEP, 16);
  R16(S256_STEP, 32);
  R16(S256_STEP, 48);
  h[0] += a;
  h[1] += b;
  h[2] += c;
  h[3] += d;
  h[4] += e;
  h[5] += f;
  h[6] += g;
  h[7] += hh;
}

/* ---- SHA-512 ---- */
static const uint64_t k512[80] = {
    0x428a2f98d728ae22ull, 0x7137449123ef65cdull, 0xb5c0fbcfec4d3b2full, 0xe9b5dba58189dbbcull,
    0x3956c25bf348b538ull, 0x59f111f1b605d019ull, 0x923f82a4af194f9bull, 0xab1c5ed5da6d8118ull,
    0xd807aa98a3030242ull, 0x12835b0145706fbeull, 0x243185be4ee4b28cull, 0x550c7dc3d5ffb4e2ull,
    0x72be5d74f27b896full, 0x80deb1fe3b1696b1ull, 0x9bdc06a725c71235ull, 0xc19bf174cf692694ull,
    0xe49b69c19ef14ad2ull, 0xefbe4786384f25e3ull, 0x0fc19dc68b8cd5b5ull, 0x240ca1cc77ac9c65ull,
    0x2de92c6f592b0275ull, 0x4a7484aa6ea6e483ull, 0x5cb0a9dcbd41fbd4ull, 0x76f988da831153b5ull,
    0x983e5152ee66dfabull, 0xa831c66d2db43210ull, 0xb00327c898fb213full, 0xbf597fc7beef0ee4ull,
    0xc6e00bf33da88fc2ull, 0xd5a79147930aa725ull, 0x06ca6351e003826full, 0x142929670a0e6e70ull,
    0x27b70a8546d22ffcull, 0x2e1b21385c26c926ull, 0x4d2c6dfc5ac42aedull, 0x53380d139d95b3dfull,
    0x650a73548baf63deull, 0x766a0abb3c77b2a8ull, 0x81c2c92e47edaee6ull, 0x92722c851482353bull,
    0xa2bfe8a14cf10364ull, 0xa81a664bbc423001ull, 0xc24b8b70d0f89791ull, 0xc76c51a30654be30ull,
    0xd192e819d6ef5218ull, 0xd69906245565a910ull, 0xf40e35855771202aull, 0x106aa07032bbd1b8ull,
    0x19a4c116b8d2d0c8ull, 0x1e376c085141ab53ull, 0x2748774cdf8eeb99ull, 0x34b0bcb5e19b48a8ull,
    0x391c0cb3c5c95a63ull, 0x4ed8aa4ae3418acbull, 0x5b9cca4f7763e373ull, 0x682e6ff3d6b2b8a3ull,
    0x748f82ee5defb2fcull, 0x78a5636f43172f60ull, 0x84c87814a1f0ab72ull, 0x8cc702081a6439ecull,
    0x90befffa23631e28ull, 0xa4506cebde82bde9ull, 0xbef9a3f7b2c67915ull, 0xc67178f2e372532bull,
    0xca273eceea26619cull, 0xd186b8c721c0c207ull, 0xeada7dd6cde0eb1eull, 0xf57d4f7fee6ed178ull,
    0x06f067aa72176fbaull, 0x0a637dc5a2c898a6ull, 0x113f9804bef90daeull, 0x1b710b35131c471bull,
    0x28db77f523047d84ull, 0x32caab7b40c72493ull, 0x3c9ebe0a15c9bebcull, 0x431d67c49c100d4cull,
    0x4cc5d4becb3e42b6ull, 0x597f299cfc657e2aull, 0x5fcb6fab3ad6faecull, 0x6c44198c4a475817ull};
static void sha512_compress(void* st, const uint8_t* p) {
  uint64_t* h = st;
  uint64_t w[80], a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7],
                  t1, t2;
  for (int i = 0; i < 16; ++i) {
    w[i] = 0;
    for (int k = 0; k < 8; ++k) w[i] = w[i] << 8 | p[8 * i + k];
  }
#define S512_W(i)                                                                                \
  w[i] = w[(i)-16] + (ROR64(w[(i)-15], 1) ^ ROR64(w[(i)-15], 8) ^ (w[(i)-15] >> 7)) + w[(i)-7] + \
         (ROR64(w[(i)-2], 19) ^ ROR64(w[(i)-2], 61) ^ (w[(i)-2] >> 6));
  R16(S512_W, 16);
  R16(S512_W, 32);
  R16(S512_W, 48);
  R16(S512_W, 64);
#define S512_STEP(i)                                                                              \
  t1 = hh + (ROR64(e, 14) ^ ROR64(e, 18) ^ ROR64(e, 41)) + ((e & f) ^ (~e & g)) + k512[i] + w[i]; \
  t2 = (ROR64(a, 28) ^ ROR64(a, 34) ^ ROR64(a, 39)) + ((a & b) ^ (a & c) ^ (b & c));              \
  hh = g;                                                                                         \
  g = f;                                                                                          \
  f = e;                                                                                          \
  e = d + t1;                                                                                     \
  d = c;                                                                                          \
  c = b;                                                                                          \
  b = a;                                                                                          \
  a = t1 + t2;
  R16(S512_STEP, 0);
  R16(S512_STEP, 16);
  R16(S512_STEP, 32);
  R16(S512_STEP, 48);
  R16(S512_STEP, 64);
  h[0] += a;
  h[1] += b;
  h[2] += c;
  h[3] += d;
  h[4] += e;
  h[5] += f;
  h[6] += g;
  h[7] += hh;
}

/* ---- ChaCha20 block ---- */
#define QR(a, b, c, d)    \
  x[a] += x[b];           \
  x[d] ^= x[a];           \
  x[d] = ROL32(x[d], 16); \
  x[c] += x[d];           \
  x[b] ^= x[c];           \
  x[b] = ROL32(x[b], 12); \
  x[a] += x[b];           \
  x[d] ^= x[a];           \
  x[d] = ROL32(x[d], 8);  \
  x[c] += x[d];           \
  x[b] ^= x[c];           \
  x[b] = ROL32(x[b], 7);
#define DOUBLE_ROUND(i) \
  QR(0, 4, 8, 12)       \
  QR(1, 5, 9, 13)       \
  QR(2, 6, 10, 14)      \
  QR(3, 7, 11, 15) QR(0, 5, 10, 15) QR(1, 6, 11, 12) QR(2, 7, 8, 13) QR(3, 4, 9, 14)
static void chacha20_block(const uint32_t in[16], uint32_t out[16]) {
  uint32_t x[16];
  memcpy(x, in, sizeof x);
  R4(DOUBLE_ROUND, 0)
  R4(DOUBLE_ROUND, 4)
  DOUBLE_ROUND(8) DOUBLE_ROUND(9) for (int i = 0; i < 16; ++i) out[i] = x[i] + in[i];
}

/* ---- XTEA ---- */
static void xtea_encrypt(uint32_t v[2], const uint32_t key[4]) {
  uint32_t v0 = v[0], v1 = v[1], sum = 0;
#define XTEA_ROUND(i)                                          \
  v0 += (((v1 << 4) ^ (v1 >> 5)) + v1) ^ (sum + key[sum & 3]); \
  sum += 0x9E3779B9u;                                          \
  v1 += (((v0 << 4) ^ (v0 >> 5)) + v0) ^ (sum + key[(sum >> 11) & 3]);
  R16(XTEA_ROUND, 0);
  R16(XTEA_ROUND, 16);
  v[0] = v0;
  v[1] = v1;
}
static void xtea_decrypt(uint32_t v[2], const uint32_t key[4]) {
  uint32_t v0 = v[0], v1 = v[1], sum = 0x9E3779B9u * 32u;
  for (int i = 0; i < 32; ++i) {
    v1 -= (((v0 << 4) ^ (v0 >> 5)) + v0) ^ (sum + key[(sum >> 11) & 3]);
    sum -= 0x9E3779B9u;
    v0 -= (((v1 << 4) ^ (v1 >> 5)) + v1) ^ (sum + key[sum & 3]);
  }
  v[0] = v0;
  v[1] = v1;
}

static void print_hex32(const char* name, const char* label, const uint32_t* h, int n, int little) {
  printf("%-7s %-6s ", name, label);
  for (int i = 0; i < n; ++i) {
    uint32_t v = h[i];
    if (little) v = (v >> 24) | ((v >> 8) & 0xff00u) | ((v << 8) & 0xff0000u) | (v << 24);
    printf("%08x", v);
  }
  printf("\n");
}

static uint8_t big[100000];

int main(void) {
  const char* msgs[] = {"", "abc", "The quick brown fox jumps over the lazy dog",
                        "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", NULL};
  const char* labels[] = {"empty", "abc", "fox", "448bit", "100k"};
  for (size_t i = 0; i < sizeof big; ++i) big[i] = (uint8_t)(i * 7u + (i >> 8));
  for (int m = 0; m < 5; ++m) {
    const uint8_t* data = msgs[m] ? (const uint8_t*)msgs[m] : big;
    size_t n = msgs[m] ? strlen(msgs[m]) : sizeof big;
    uint32_t h5[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
    md_hash(md5_compress, h5, data, n, 64, 0);
    print_hex32("md5", labels[m], h5, 4, 1);
    uint32_t h1[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
    md_hash(sha1_compress, h1, data, n, 64, 1);
    print_hex32("sha1", labels[m], h1, 5, 0);
    uint32_t h2[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                      0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    md_hash(sha256_compress, h2, data, n, 64, 1);
    print_hex32("sha256", labels[m], h2, 8, 0);
    uint64_t h3[8] = {0x6a09e667f3bcc908ull, 0xbb67ae8584caa73bull, 0x3c6ef372fe94f82bull,
                      0xa54ff53a5f1d36f1ull, 0x510e527fade682d1ull, 0x9b05688c2b3e6c1full,
                      0x1f83d9abfb41bd6bull, 0x5be0cd19137e2179ull};
    md_hash(sha512_compress, h3, data, n, 128, 1);
    printf("%-7s %-6s ", "sha512", labels[m]);
    for (int i = 0; i < 8; ++i) printf("%016llx", (unsigned long long)h3[i]);
    printf("\n");
  }
  uint32_t in[16] = {0x61707865, 0x3320646e, 0x79622d32, 0x6b206574}, out[16];
  for (int i = 0; i < 8; ++i)
    in[4 + i] = (uint32_t)(4 * i) | (uint32_t)(4 * i + 1) << 8 | (uint32_t)(4 * i + 2) << 16 |
                (uint32_t)(4 * i + 3) << 24;
  in[12] = 1;
  in[13] = 0x09000000;
  in[14] = 0x4a000000;
  in[15] = 0;
  chacha20_block(in, out);
  print_hex32("chacha", "block", out, 16, 1);
  uint32_t key[4] = {0x01234567, 0x89abcdef, 0xfedcba98, 0x76543210},
           v[2] = {0xdeadbeef, 0x0badf00d};
  uint32_t acc = 0;
  for (int i = 0; i < 1000; ++i) {
    xtea_encrypt(v, key);
    acc ^= v[0] + v[1];
  }
  printf("xtea 1000x: %08x %08x acc=%08x\n", v[0], v[1], acc);
  for (int i = 0; i < 1000; ++i) xtea_decrypt(v, key);
  printf("xtea roundtrip: %08x %08x\n", v[0], v[1]);
  return 0;
}
