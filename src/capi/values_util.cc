// SPDX-License-Identifier: MIT
// The helpers of the C ABI's value files (see values_util.h).
#include "capi/values_util.h"

#include <cmath>
#include <cstdio>
#include <limits>
#include <string_view>

#include "common/text.h"

namespace cgym::capi {

using compiler_gym::ActionSpace;
using compiler_gym::Event;
using compiler_gym::ObservationSpace;
using compiler_gym::Space;

static_assert(sizeof(bool) == 1, "BOOL tensors are read as uint8_t");
static_assert(sizeof(::google::protobuf::uint64) == sizeof(uint64_t), "shapes are uint64_t");

namespace {

std::string describe(const char* what, double value) {
  return std::string(what) + " (" + std::to_string(value) + ")";
}

}  // namespace

Status invalidArgument(std::string message) {
  return Status(StatusCode::kInvalidArgument, std::move(message));
}
Status failedPrecondition(std::string message) {
  return Status(StatusCode::kFailedPrecondition, std::move(message));
}
Status outOfRange(std::string message) {
  return Status(StatusCode::kOutOfRange, std::move(message));
}

// --- Strings -------------------------------------------------------------------------------

// True if `data` is well-formed UTF-8 (no overlong forms, surrogates or code points beyond
// U+10FFFF), as protobuf requires of proto3 `string` fields.
bool isValidUtf8(const char* data, size_t length) {
  const auto* p = reinterpret_cast<const unsigned char*>(data);
  size_t i = 0;
  while (i < length) {
    // ASCII runs 32, then eight bytes at a time: observations are often megabytes of text.
    while (length - i >= 32) {
      uint64_t words[4];
      std::memcpy(words, p + i, 32);
      if ((words[0] | words[1] | words[2] | words[3]) & 0x8080808080808080ULL) break;
      i += 32;
    }
    while (length - i >= 8) {
      uint64_t word;
      std::memcpy(&word, p + i, 8);
      if (word & 0x8080808080808080ULL) break;
      i += 8;
    }
    if (i >= length) break;
    const unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t size;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      size = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      size = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      size = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (length - i < size) return false;
    for (size_t k = 1; k < size; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    if ((size == 2 && cp < 0x80) || (size == 3 && cp < 0x800) || (size == 4 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += size;
  }
  return true;
}

// Copies `length` bytes of UTF-8 at `data` (NULL allowed when length is 0) into *out.
Status copyString(const char* data, size_t length, const char* what, std::string* out) {
  if (data == nullptr) {
    if (length > 0) return nullArgument(what);
    out->clear();
    return Status::OK();
  }
  if (!isValidUtf8(data, length)) return invalidArgument(std::string(what) + " is not valid UTF-8");
  out->assign(data, length);
  return Status::OK();
}

// Copies a NUL-terminated UTF-8 string that must not be NULL.
Status copyCString(const char* text, const char* what, std::string* out) {
  if (text == nullptr) return nullArgument(what);
  return copyString(text, std::strlen(text), what, out);
}

std::string quoted(const std::string& text) {
  // The bytes quoteInput() keeps, escaped; then the same "... (N bytes)" if cut.
  const size_t keptBytes = utf8CutPoint(text, kMaxQuotedInputBytes);
  std::string out = "\"";
  for (const char c : std::string_view(text).substr(0, keptBytes)) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f || c == '"' || c == '\\') {
      char escape[5];
      std::snprintf(escape, sizeof escape, "\\x%02x", byte);
      out += escape;
    } else {
      out += c;
    }
  }
  out += "\"";
  if (keptBytes < text.size()) out += cutSuffix(text.size());
  return out;
}

// --- Kinds ---------------------------------------------------------------------------------

const char* eventKindName(int kind) {
  switch (kind) {
    case CGYM_EVENT_NONE:
      return "NONE";
    case CGYM_EVENT_LIST:
      return "LIST";
    case CGYM_EVENT_DICT:
      return "DICT";
    case CGYM_EVENT_BOOL:
      return "BOOL";
    case CGYM_EVENT_INT64:
      return "INT64";
    case CGYM_EVENT_FLOAT:
      return "FLOAT";
    case CGYM_EVENT_DOUBLE:
      return "DOUBLE";
    case CGYM_EVENT_STRING:
      return "STRING";
    case CGYM_EVENT_BOOL_TENSOR:
      return "BOOL_TENSOR";
    case CGYM_EVENT_BYTE_TENSOR:
      return "BYTE_TENSOR";
    case CGYM_EVENT_INT64_TENSOR:
      return "INT64_TENSOR";
    case CGYM_EVENT_FLOAT_TENSOR:
      return "FLOAT_TENSOR";
    case CGYM_EVENT_DOUBLE_TENSOR:
      return "DOUBLE_TENSOR";
    case CGYM_EVENT_STRING_TENSOR:
      return "STRING_TENSOR";
    case CGYM_EVENT_ANY:
      return "ANY";
    default:
      return "UNKNOWN_KIND";
  }
}

const char* spaceKindName(int kind) {
  switch (kind) {
    case CGYM_SPACE_NONE:
      return "NONE";
    case CGYM_SPACE_LIST:
      return "LIST";
    case CGYM_SPACE_DICT:
      return "DICT";
    case CGYM_SPACE_DISCRETE:
      return "DISCRETE";
    case CGYM_SPACE_NAMED_DISCRETE:
      return "NAMED_DISCRETE";
    case CGYM_SPACE_BOOL_RANGE:
      return "BOOL_RANGE";
    case CGYM_SPACE_INT64_RANGE:
      return "INT64_RANGE";
    case CGYM_SPACE_FLOAT_RANGE:
      return "FLOAT_RANGE";
    case CGYM_SPACE_DOUBLE_RANGE:
      return "DOUBLE_RANGE";
    case CGYM_SPACE_STRING:
      return "STRING";
    case CGYM_SPACE_BOOL_SEQUENCE:
      return "BOOL_SEQUENCE";
    case CGYM_SPACE_BYTE_SEQUENCE:
      return "BYTE_SEQUENCE";
    case CGYM_SPACE_BYTES_SEQUENCE:
      return "BYTES_SEQUENCE";
    case CGYM_SPACE_INT64_SEQUENCE:
      return "INT64_SEQUENCE";
    case CGYM_SPACE_FLOAT_SEQUENCE:
      return "FLOAT_SEQUENCE";
    case CGYM_SPACE_DOUBLE_SEQUENCE:
      return "DOUBLE_SEQUENCE";
    case CGYM_SPACE_STRING_SEQUENCE:
      return "STRING_SEQUENCE";
    case CGYM_SPACE_BOOL_BOX:
      return "BOOL_BOX";
    case CGYM_SPACE_BYTE_BOX:
      return "BYTE_BOX";
    case CGYM_SPACE_INT64_BOX:
      return "INT64_BOX";
    case CGYM_SPACE_FLOAT_BOX:
      return "FLOAT_BOX";
    case CGYM_SPACE_DOUBLE_BOX:
      return "DOUBLE_BOX";
    case CGYM_SPACE_ANY:
      return "ANY";
    case CGYM_SPACE_SPACE_SEQUENCE:
      return "SPACE_SEQUENCE";
    case CGYM_SPACE_SPACE_UNION:
      return "SPACE_UNION";
    default:
      return "UNKNOWN_KIND";
  }
}

Status wrongKind(const std::string& expected, const Event& event) {
  return failedPrecondition("Expected an event of kind " + expected + ", got kind " +
                            eventKindName(kindOf(event)));
}
Status wrongKind(const std::string& expected, const Space& space) {
  return failedPrecondition("Expected a space of kind " + expected + ", got kind " +
                            spaceKindName(kindOf(space)));
}

// --- Shapes and numbers ----------------------------------------------------------------------

// Checks that `count` values fill `shape` (the product of no dimensions is 1) and that
// protobuf's repeated fields can hold them.
Status checkShape(const uint64_t* shape, size_t ndim, size_t count) {
  if (ndim > 0 && shape == nullptr) return nullArgument("shape");
  if (ndim > static_cast<size_t>(INT_MAX) || count > static_cast<size_t>(INT_MAX)) {
    return invalidArgument("Too many dimensions or values for a protobuf message");
  }
  bool zero = false;
  bool overflow = false;
  uint64_t product = 1;
  for (size_t i = 0; i < ndim; ++i) {
    if (shape[i] == 0) {
      zero = true;
    } else if (product > std::numeric_limits<uint64_t>::max() / shape[i]) {
      overflow = true;
    } else {
      product *= shape[i];
    }
  }
  if (zero) product = 0;
  if ((overflow && !zero) || product != static_cast<uint64_t>(count)) {
    return invalidArgument("count " + std::to_string(count) +
                           " is not the product of the shape's dimensions");
  }
  return Status::OK();
}

Status checkNotNan(double value, const char* what) {
  if (std::isnan(value)) return invalidArgument(std::string(what) + " is NaN");
  return Status::OK();
}

Status toInt64(double value, const char* what, int64_t* out) {
  CGYM_RETURN_IF_ERROR(checkNotNan(value, what));
  // [-2^63, 2^63): both bounds are exact doubles.
  if (!(value >= -9223372036854775808.0 && value < 9223372036854775808.0) ||
      std::trunc(value) != value) {
    return invalidArgument(describe(what, value) + " is not an int64 value");
  }
  *out = static_cast<int64_t>(value);
  return Status::OK();
}

Status toInt8(double value, const char* what, int8_t* out) {
  CGYM_RETURN_IF_ERROR(checkNotNan(value, what));
  if (!(value >= -128.0 && value <= 127.0) || std::trunc(value) != value) {
    return invalidArgument(describe(what, value) + " is not an int8 value");
  }
  *out = static_cast<int8_t>(value);
  return Status::OK();
}

Status toFloat(double value, const char* what, float* out) {
  CGYM_RETURN_IF_ERROR(checkNotNan(value, what));
  if (std::isfinite(value) && std::fabs(value) > std::numeric_limits<float>::max()) {
    return invalidArgument(describe(what, value) + " is out of the range of float");
  }
  *out = static_cast<float>(value);
  return Status::OK();
}

// --- Buffers -------------------------------------------------------------------------------

Status fitBuffer(size_t needed, size_t capacity, const char* what, size_t* count) {
  *count = needed;
  if (capacity > 0 && capacity < needed) {
    return outOfRange("capacity " + std::to_string(capacity) + " is less than the " +
                      std::to_string(needed) + " " + what);
  }
  return Status::OK();
}

// --- Nesting -------------------------------------------------------------------------------

namespace {

template <typename Message>
Status checkDepth(const Message& value, int levels, const char* what) {
  const int room = kMaxNestingDepth - levels;
  if (room < 1 || nestingDepth(value, room) > room) {
    return invalidArgument(std::string(what) + " nested deeper than " +
                           std::to_string(kMaxNestingDepth) + " levels");
  }
  return Status::OK();
}

}  // namespace

Status checkNesting(const Event& value, int levels) { return checkDepth(value, levels, "Event"); }
Status checkNesting(const Space& value, int levels) { return checkDepth(value, levels, "Space"); }
Status checkNesting(const ActionSpace& value) { return checkNesting(value.space()); }
Status checkNesting(const ObservationSpace& value) {
  CGYM_RETURN_IF_ERROR(checkNesting(value.space()));
  return checkNesting(value.default_observation());
}

}  // namespace cgym::capi
