/* SPDX-License-Identifier: MIT */
/* Medium: checksums and hashes over generated buffers: CRC-32 (bitwise and table), CRC-16,
 * Adler-32, Fletcher-16, FNV-1a, djb2, MurmurHash3-style mixing and a 64-bit xorshift. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint32_t crc_table[256];

static void crc32_init(void) {
  for (uint32_t n = 0; n < 256; ++n) {
    uint32_t c = n;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    crc_table[n] = c;
  }
}
static uint32_t crc32_table(const uint8_t* p, size_t n) {
  uint32_t c = 0xffffffffu;
  while (n--) c = crc_table[(c ^ *p++) & 0xff] ^ (c >> 8);
  return c ^ 0xffffffffu;
}
static uint32_t crc32_bitwise(const uint8_t* p, size_t n) {
  uint32_t c = 0xffffffffu;
  for (size_t i = 0; i < n; ++i) {
    c ^= p[i];
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
  }
  return ~c;
}
static uint16_t crc16_ccitt(const uint8_t* p, size_t n) {
  uint16_t c = 0xffff;
  for (size_t i = 0; i < n; ++i) {
    c ^= (uint16_t)(p[i] << 8);
    for (int k = 0; k < 8; ++k) c = (uint16_t)((c & 0x8000) ? (c << 1) ^ 0x1021 : c << 1);
  }
  return c;
}
static uint32_t adler32(const uint8_t* p, size_t n) {
  uint32_t a = 1, b = 0;
  for (size_t i = 0; i < n; ++i) {
    a = (a + p[i]) % 65521u;
    b = (b + a) % 65521u;
  }
  return (b << 16) | a;
}
static uint16_t fletcher16(const uint8_t* p, size_t n) {
  uint16_t s1 = 0, s2 = 0;
  for (size_t i = 0; i < n; ++i) {
    s1 = (uint16_t)((s1 + p[i]) % 255);
    s2 = (uint16_t)((s2 + s1) % 255);
  }
  return (uint16_t)((s2 << 8) | s1);
}
static uint32_t fnv1a(const uint8_t* p, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; ++i) {
    h ^= p[i];
    h *= 16777619u;
  }
  return h;
}
static uint32_t djb2(const uint8_t* p, size_t n) {
  uint32_t h = 5381;
  for (size_t i = 0; i < n; ++i) h = h * 33u + p[i];
  return h;
}
static uint32_t rotl32(uint32_t x, int r) { return (x << r) | (x >> (32 - r)); }
static uint32_t murmurish(const uint8_t* p, size_t n, uint32_t seed) {
  uint32_t h = seed;
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    uint32_t k = (uint32_t)p[i] | (uint32_t)p[i + 1] << 8 | (uint32_t)p[i + 2] << 16 |
                 (uint32_t)p[i + 3] << 24;
    k *= 0xcc9e2d51u;
    k = rotl32(k, 15);
    k *= 0x1b873593u;
    h ^= k;
    h = rotl32(h, 13);
    h = h * 5u + 0xe6546b64u;
  }
  uint32_t k = 0;
  switch (n & 3) {
    case 3:
      k ^= (uint32_t)p[i + 2] << 16; /* fall through */
    case 2:
      k ^= (uint32_t)p[i + 1] << 8; /* fall through */
    case 1:
      k ^= p[i];
      k *= 0xcc9e2d51u;
      k = rotl32(k, 15);
      k *= 0x1b873593u;
      h ^= k;
  }
  h ^= (uint32_t)n;
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  h ^= h >> 16;
  return h;
}

static uint64_t xs_state = 0x9E3779B97F4A7C15ull;
static uint64_t xorshift64(void) {
  xs_state ^= xs_state << 13;
  xs_state ^= xs_state >> 7;
  xs_state ^= xs_state << 17;
  return xs_state;
}

static uint8_t buf[1 << 16];

int main(void) {
  crc32_init();
  const char* text = "The quick brown fox jumps over the lazy dog";
  size_t tn = strlen(text);
  const uint8_t* t = (const uint8_t*)text;
  printf("text crc32=%08x crc16=%04x adler=%08x fletcher=%04x fnv=%08x djb2=%08x murmur=%08x\n",
         crc32_table(t, tn), crc16_ccitt(t, tn), adler32(t, tn), fletcher16(t, tn), fnv1a(t, tn),
         djb2(t, tn), murmurish(t, tn, 0));
  for (size_t i = 0; i < sizeof buf; ++i) buf[i] = (uint8_t)(xorshift64() >> 56);
  static const size_t sizes[] = {0, 1, 3, 7, 64, 1000, 4096, sizeof buf};
  for (unsigned s = 0; s < sizeof sizes / sizeof sizes[0]; ++s) {
    size_t n = sizes[s];
    uint32_t a = crc32_table(buf, n), b = crc32_bitwise(buf, n);
    printf("n=%5zu crc32=%08x %s crc16=%04x adler=%08x fl16=%04x fnv=%08x murmur=%08x\n", n, a,
           a == b ? "==" : "!=", crc16_ccitt(buf, n), adler32(buf, n), fletcher16(buf, n),
           fnv1a(buf, n), murmurish(buf, n, 42));
  }
  return 0;
}
