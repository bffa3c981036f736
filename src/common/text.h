// SPDX-License-Identifier: MIT
// Small text helpers for checking caller input and quoting it in error messages.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace cgym {

// The offset of the first byte of `text` that is not part of well-formed UTF-8 (no overlong
// forms, no surrogates, nothing above U+10FFFF: what protobuf requires of a `string` field),
// or nullopt if all of it is.
inline std::optional<size_t> invalidUtf8Offset(const std::string& text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    const unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t length = 0;
    unsigned char low = 0x80, high = 0xBF;  // the range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      length = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      length = 3;
      if (c == 0xE0) low = 0xA0;   // overlong
      if (c == 0xED) high = 0x9F;  // surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      length = 4;
      if (c == 0xF0) low = 0x90;   // overlong
      if (c == 0xF4) high = 0x8F;  // above U+10FFFF
    } else {
      return i;
    }
    if (n - i < length || s[i + 1] < low || s[i + 1] > high) return i;
    for (size_t k = 2; k < length; ++k) {
      if (s[i + k] < 0x80 || s[i + k] > 0xBF) return i;
    }
    i += length;
  }
  return std::nullopt;
}

// The most bytes of a caller's input that an error message quotes.
inline constexpr size_t kMaxQuotedInputBytes = 200;

// How many bytes of `text` to keep to cut it to at most `max` bytes without splitting a UTF-8
// character: text.size() if it fits.
inline size_t utf8CutPoint(std::string_view text, size_t max) {
  if (text.size() <= max) return text.size();
  size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return end;
}

// What cutWithSize() appends to a text it cut: "... (N bytes)", N the whole size.
inline std::string cutSuffix(size_t size) { return "... (" + std::to_string(size) + " bytes)"; }

// `text` if it has at most `max` bytes; otherwise its first `max` bytes or fewer (cut on a
// UTF-8 character boundary), then "... (N bytes)".
inline std::string cutWithSize(std::string_view text, size_t max) {
  const size_t end = utf8CutPoint(text, max);
  if (end == text.size()) return std::string(text);
  return std::string(text.substr(0, end)) + cutSuffix(text.size());
}

// A client's input (a parameter key, a space name, a benchmark URI, ...) as an error message
// quotes it: at most kMaxQuotedInputBytes of it, then "... (N bytes)". A message that echoed a
// huge input whole would be huge itself, and gRPC fails a status whose message exceeds the
// peer's metadata limit with a transport error instead of the status.
inline std::string quoteInput(std::string_view s) { return cutWithSize(s, kMaxQuotedInputBytes); }

// `text` for an error message: at most `max` bytes (cut on a UTF-8 character boundary), then
// "..." if anything was cut, so that a huge input never makes a huge message. (The client's
// older form; quoteInput() also gives the input's size.)
inline std::string truncateForMessage(const std::string& text, size_t max = 200) {
  if (text.size() <= max) return text;
  size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end) + "...";
}

}  // namespace cgym
