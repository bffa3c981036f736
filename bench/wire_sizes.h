// SPDX-License-Identifier: MIT
// Serialized sizes of the CompilerGym messages the benchmarks send, computed from the protobuf
// wire format (bench/sizes_check.cc checks them against the real messages), and of the
// ping-pong messages that stand in for them.
#pragma once

#include <cstddef>
#include <cstdint>

namespace cgym_bench {

inline size_t varintSize(uint64_t v) {
  size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

// A length-delimited field (tag < 16) holding `n` bytes.
inline size_t lengthDelimited(size_t n) { return 1 + varintSize(n) + n; }

// Event{int64_value = v} (a sint64: zigzag).
inline size_t int64EventSize(int64_t v) {
  return 1 + varintSize((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63));
}

// Event{string_value = n bytes}.
inline size_t stringEventSize(size_t n) { return lengthDelimited(n); }

// StepRequest{session_id, action = [Event{int64_value = action}], observation_space =
// [index] or none}.
inline size_t stepRequestSize(int64_t sessionId, int64_t action, int observationIndex) {
  size_t n = sessionId ? 1 + varintSize(static_cast<uint64_t>(sessionId)) : 0;
  n += lengthDelimited(int64EventSize(action));
  if (observationIndex >= 0) n += lengthDelimited(varintSize(observationIndex));
  return n;
}

// StepReply with no flags set and one string observation of n bytes, or none (n < 0).
inline size_t stepReplySize(long long n) {
  return n < 0 ? 0 : lengthDelimited(stringEventSize(static_cast<size_t>(n)));
}

// The length of a bytes field (tag < 16) whose encoding is as close as possible to `total`
// bytes (0 for 0), not more.
inline size_t payloadFor(size_t total) {
  if (total < 2) return 0;
  size_t n = total - 2;
  while (n > 0 && lengthDelimited(n) > total) --n;
  return n;
}

}  // namespace cgym_bench
