// SPDX-License-Identifier: MIT
// The C ABI's values: events (actions and observations) and spaces. A handle is the protobuf
// message itself (see capi_internal.h); these functions check their arguments, read and
// build the messages, and never let an exception out.
#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <google/protobuf/stubs/logging.h>

#include "capi/capi_internal.h"

namespace cgym::capi {
namespace {

using compiler_gym::ActionSpace;
using compiler_gym::Event;
using compiler_gym::ObservationSpace;
using compiler_gym::Space;

static_assert(sizeof(bool) == 1, "BOOL tensors are read as uint8_t");
static_assert(sizeof(::google::protobuf::uint64) == sizeof(uint64_t), "shapes are uint64_t");

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

cgym_event_kind_t kindOf(const Event& event) {
  return static_cast<cgym_event_kind_t>(event.value_case());
}
cgym_space_kind_t kindOf(const Space& space) {
  return static_cast<cgym_space_kind_t>(space.value_case());
}

Status wrongKind(const std::string& expected, const Event& event) {
  return failedPrecondition("Expected an event of kind " + expected + ", got kind " +
                            eventKindName(kindOf(event)));
}
Status wrongKind(const std::string& expected, const Space& space) {
  return failedPrecondition("Expected a space of kind " + expected + ", got kind " +
                            spaceKindName(kindOf(space)));
}

bool isNumericTensor(cgym_event_kind_t kind) {
  return kind >= CGYM_EVENT_BOOL_TENSOR && kind <= CGYM_EVENT_DOUBLE_TENSOR;
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

template <typename RepeatedShape>
void copyShape(const uint64_t* shape, size_t ndim, RepeatedShape* out) {
  out->Reserve(static_cast<int>(ndim));
  for (size_t i = 0; i < ndim; ++i) out->Add(shape[i]);
}

std::string describe(const char* what, double value) {
  return std::string(what) + " (" + std::to_string(value) + ")";
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

// --- Events ----------------------------------------------------------------------------------

// Fills the empty event `out` with a numeric tensor, checking everything first.
Status buildTensor(cgym_event_kind_t kind, const uint64_t* shape, size_t ndim, const void* values,
                   size_t count, Event* out) {
  if (!isNumericTensor(kind)) {
    return invalidArgument(
        std::string("kind must be BOOL, BYTE, INT64, FLOAT or DOUBLE _TENSOR, got ") +
        eventKindName(kind));
  }
  CGYM_RETURN_IF_ERROR(checkShape(shape, ndim, count));
  if (count > 0 && values == nullptr) return nullArgument("values");
  switch (kind) {
    case CGYM_EVENT_BOOL_TENSOR: {
      auto* tensor = out->mutable_boolean_tensor();
      copyShape(shape, ndim, tensor->mutable_shape());
      const auto* v = static_cast<const uint8_t*>(values);
      tensor->mutable_value()->Reserve(static_cast<int>(count));
      for (size_t i = 0; i < count; ++i) tensor->add_value(v[i] != 0);
      break;
    }
    case CGYM_EVENT_BYTE_TENSOR: {
      auto* tensor = out->mutable_byte_tensor();
      copyShape(shape, ndim, tensor->mutable_shape());
      if (count > 0) tensor->set_value(static_cast<const char*>(values), count);
      break;
    }
    case CGYM_EVENT_INT64_TENSOR: {
      auto* tensor = out->mutable_int64_tensor();
      copyShape(shape, ndim, tensor->mutable_shape());
      const auto* v = static_cast<const int64_t*>(values);
      if (count > 0) tensor->mutable_value()->Add(v, v + count);
      break;
    }
    case CGYM_EVENT_FLOAT_TENSOR: {
      auto* tensor = out->mutable_float_tensor();
      copyShape(shape, ndim, tensor->mutable_shape());
      const auto* v = static_cast<const float*>(values);
      if (count > 0) tensor->mutable_value()->Add(v, v + count);
      break;
    }
    case CGYM_EVENT_DOUBLE_TENSOR: {
      auto* tensor = out->mutable_double_tensor();
      copyShape(shape, ndim, tensor->mutable_shape());
      const auto* v = static_cast<const double*>(values);
      if (count > 0) tensor->mutable_value()->Add(v, v + count);
      break;
    }
  }
  return Status::OK();
}

Status buildStringTensor(const uint64_t* shape, size_t ndim, const char* const* values,
                         const size_t* lengths, size_t count, Event* out) {
  CGYM_RETURN_IF_ERROR(checkShape(shape, ndim, count));
  if (count > 0 && values == nullptr) return nullArgument("values");
  auto* tensor = out->mutable_string_tensor();
  copyShape(shape, ndim, tensor->mutable_shape());
  tensor->mutable_value()->Reserve(static_cast<int>(count));
  for (size_t i = 0; i < count; ++i) {
    const std::string what = "values[" + std::to_string(i) + "]";
    std::string value;
    if (lengths == nullptr) {
      CGYM_RETURN_IF_ERROR(copyCString(values[i], what.c_str(), &value));
    } else {
      CGYM_RETURN_IF_ERROR(copyString(values[i], lengths[i], what.c_str(), &value));
    }
    tensor->add_value(std::move(value));
  }
  return Status::OK();
}

// Makes a new owned event filled by `fill(Event*)` and hands it out, or nothing on failure.
template <typename Fill>
cgym_status_t newEvent(cgym_event_t** out, Fill&& fill) noexcept {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(out);
    auto event = std::make_unique<Event>();
    CGYM_RETURN_IF_ERROR(fill(event.get()));
    *out = wrap(event.release());
    return Status::OK();
  });
}

// Replaces the value of `event` by the value `fill(Event*)` builds (into a fresh message, so
// that inputs may point into `event` and a failure leaves it untouched). Keeps the type_id.
template <typename Fill>
cgym_status_t setEvent(cgym_event_t* event, Fill&& fill) noexcept {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(event);
    Event next;
    CGYM_RETURN_IF_ERROR(fill(&next));
    Event* target = unwrap(event);
    if (target->has_type_id()) next.set_type_id(target->type_id());
    *target = std::move(next);
    return Status::OK();
  });
}

// Runs a reader: checks the event and the output pointers, then `read(const Event&)`.
template <typename Read>
cgym_status_t readEvent(const cgym_event_t* event, Read&& read) noexcept {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(event);
    return read(*unwrap(event));
  });
}

// The entries of a protobuf map sorted by key.
template <typename Map>
std::vector<const typename Map::value_type*> sortedEntries(const Map& map) {
  std::vector<const typename Map::value_type*> entries;
  entries.reserve(map.size());
  for (const auto& entry : map) entries.push_back(&entry);
  std::sort(entries.begin(), entries.end(),
            [](const auto* a, const auto* b) { return a->first < b->first; });
  return entries;
}

// --- Serialization ---------------------------------------------------------------------------

template <typename Message>
Status serializeMessage(const Message& message, const char* what, void** data, size_t* length) {
  std::string bytes;
  if (!message.SerializeToString(&bytes)) {
    return invalidArgument(std::string("Cannot serialize the ") + what +
                           " (protobuf messages are limited to 2 GiB)");
  }
  void* buffer = std::malloc(bytes.empty() ? 1 : bytes.size());
  if (buffer == nullptr) throw std::bad_alloc();
  if (!bytes.empty()) std::memcpy(buffer, bytes.data(), bytes.size());
  *data = buffer;
  *length = bytes.size();
  return Status::OK();
}

template <typename Message>
Status parseMessage(const void* data, size_t length, const char* what,
                    std::unique_ptr<Message>* out) {
  if (data == nullptr && length > 0) return nullArgument("data");
  if (length > static_cast<size_t>(INT_MAX)) {
    return invalidArgument(std::string("Malformed ") + what + " bytes: longer than 2 GiB");
  }
  auto message = std::make_unique<Message>();
  // The failure is reported in the status; protobuf need not log it as well.
  const ::google::protobuf::LogSilencer silence;
  if (length > 0 && !message->ParseFromArray(data, static_cast<int>(length))) {
    return invalidArgument(std::string("Malformed ") + what + " bytes");
  }
  *out = std::move(message);
  return Status::OK();
}

// --- Spaces ----------------------------------------------------------------------------------

Status setLengthRange(int64_t min_length, int64_t max_length, compiler_gym::Int64Range* range) {
  if (min_length < 0) {
    return invalidArgument("min_length (" + std::to_string(min_length) + ") is negative");
  }
  if (max_length >= 0 && max_length < min_length) {
    return invalidArgument("max_length (" + std::to_string(max_length) +
                           ") is less than min_length (" + std::to_string(min_length) + ")");
  }
  range->set_min(min_length);
  if (max_length >= 0) range->set_max(max_length);
  return Status::OK();
}

Status checkBounds(double min, int has_min, double max, int has_max) {
  if (has_min) CGYM_RETURN_IF_ERROR(checkNotNan(min, "min"));
  if (has_max) CGYM_RETURN_IF_ERROR(checkNotNan(max, "max"));
  if (has_min && has_max && min > max) {
    return invalidArgument("min (" + std::to_string(min) + ") is greater than max (" +
                           std::to_string(max) + ")");
  }
  return Status::OK();
}

Status setRange(double min, int has_min, double max, int has_max,
                compiler_gym::BooleanRange* range) {
  CGYM_RETURN_IF_ERROR(checkBounds(min, has_min, max, has_max));
  if (has_min) range->set_min(min != 0);
  if (has_max) range->set_max(max != 0);
  return Status::OK();
}
Status setRange(double min, int has_min, double max, int has_max, compiler_gym::Int64Range* range) {
  CGYM_RETURN_IF_ERROR(checkBounds(min, has_min, max, has_max));
  int64_t value = 0;
  if (has_min) {
    CGYM_RETURN_IF_ERROR(toInt64(min, "min", &value));
    range->set_min(value);
  }
  if (has_max) {
    CGYM_RETURN_IF_ERROR(toInt64(max, "max", &value));
    range->set_max(value);
  }
  return Status::OK();
}
Status setRange(double min, int has_min, double max, int has_max, compiler_gym::FloatRange* range) {
  CGYM_RETURN_IF_ERROR(checkBounds(min, has_min, max, has_max));
  float value = 0;
  if (has_min) {
    CGYM_RETURN_IF_ERROR(toFloat(min, "min", &value));
    range->set_min(value);
  }
  if (has_max) {
    CGYM_RETURN_IF_ERROR(toFloat(max, "max", &value));
    range->set_max(value);
  }
  return Status::OK();
}
Status setRange(double min, int has_min, double max, int has_max,
                compiler_gym::DoubleRange* range) {
  CGYM_RETURN_IF_ERROR(checkBounds(min, has_min, max, has_max));
  if (has_min) range->set_min(min);
  if (has_max) range->set_max(max);
  return Status::OK();
}

// A scalar range read as doubles, with CompilerGym's defaults for unset bounds.
struct Range {
  double min;
  int has_min;
  double max;
  int has_max;
};
Range readRange(const compiler_gym::BooleanRange& r) {
  return {r.has_min() ? static_cast<double>(r.min()) : 0.0, r.has_min(),
          r.has_max() ? static_cast<double>(r.max()) : 1.0, r.has_max()};
}
Range readRange(const compiler_gym::Int64Range& r) {
  return {static_cast<double>(r.has_min() ? r.min() : std::numeric_limits<int64_t>::min()),
          r.has_min(),
          static_cast<double>(r.has_max() ? r.max() : std::numeric_limits<int64_t>::max()),
          r.has_max()};
}
Range readRange(const compiler_gym::FloatRange& r) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  return {r.has_min() ? static_cast<double>(r.min()) : -inf, r.has_min(),
          r.has_max() ? static_cast<double>(r.max()) : inf, r.has_max()};
}
Range readRange(const compiler_gym::DoubleRange& r) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  return {r.has_min() ? r.min() : -inf, r.has_min(), r.has_max() ? r.max() : inf, r.has_max()};
}

// The length range of STRING and *_SEQUENCE spaces, or NULL for other kinds.
const compiler_gym::Int64Range* lengthRange(const Space& space) {
  switch (kindOf(space)) {
    case CGYM_SPACE_STRING:
      return &space.string_value().length_range();
    case CGYM_SPACE_BOOL_SEQUENCE:
      return &space.boolean_sequence().length_range();
    case CGYM_SPACE_BYTE_SEQUENCE:
      return &space.byte_sequence().length_range();
    case CGYM_SPACE_BYTES_SEQUENCE:
      return &space.bytes_sequence().length_range();
    case CGYM_SPACE_INT64_SEQUENCE:
      return &space.int64_sequence().length_range();
    case CGYM_SPACE_FLOAT_SEQUENCE:
      return &space.float_sequence().length_range();
    case CGYM_SPACE_DOUBLE_SEQUENCE:
      return &space.double_sequence().length_range();
    case CGYM_SPACE_STRING_SEQUENCE:
      return &space.string_sequence().length_range();
    case CGYM_SPACE_SPACE_SEQUENCE:
      return &space.space_sequence().length_range();
    default:
      return nullptr;
  }
}

// Converts a box's bounds to the element type and stores them in low and high tensors.
template <typename Box, typename Convert>
Status buildBox(const uint64_t* shape, size_t ndim, const double* low, const double* high,
                size_t count, Box* box, Convert&& convert) {
  copyShape(shape, ndim, box->mutable_low()->mutable_shape());
  copyShape(shape, ndim, box->mutable_high()->mutable_shape());
  for (size_t i = 0; i < count; ++i) {
    CGYM_RETURN_IF_ERROR(checkBounds(low[i], 1, high[i], 1));
    CGYM_RETURN_IF_ERROR(convert(low[i], "low", box->mutable_low()));
    CGYM_RETURN_IF_ERROR(convert(high[i], "high", box->mutable_high()));
  }
  return Status::OK();
}

// A box's bounds as doubles.
struct BoxView {
  const ::google::protobuf::RepeatedField<::google::protobuf::uint64>* shape = nullptr;
  std::vector<double> low;
  std::vector<double> high;
};
template <typename Tensor>
void viewTensor(const Tensor& tensor, std::vector<double>* out) {
  out->reserve(tensor.value_size());
  for (const auto value : tensor.value()) out->push_back(static_cast<double>(value));
}
void viewTensor(const compiler_gym::ByteTensor& tensor, std::vector<double>* out) {
  out->reserve(tensor.value().size());
  for (const char value : tensor.value()) out->push_back(static_cast<int8_t>(value));
}
template <typename Box>
void viewBox(const Box& box, BoxView* view, bool values) {
  view->shape = &box.low().shape();
  if (!values) return;
  viewTensor(box.low(), &view->low);
  viewTensor(box.high(), &view->high);
}
Status readBox(const Space& space, BoxView* view, bool values) {
  switch (kindOf(space)) {
    case CGYM_SPACE_BOOL_BOX:
      viewBox(space.boolean_box(), view, values);
      break;
    case CGYM_SPACE_BYTE_BOX:
      viewBox(space.byte_box(), view, values);
      break;
    case CGYM_SPACE_INT64_BOX:
      viewBox(space.int64_box(), view, values);
      break;
    case CGYM_SPACE_FLOAT_BOX:
      viewBox(space.float_box(), view, values);
      break;
    case CGYM_SPACE_DOUBLE_BOX:
      viewBox(space.double_box(), view, values);
      break;
    default:
      return wrongKind("BOOL, BYTE, INT64, FLOAT or DOUBLE _BOX", space);
  }
  return Status::OK();
}

// The subspaces of a composite space: (key or NULL, subspace), dict entries in key order.
Status subspaces(const Space& space,
                 std::vector<std::pair<const std::string*, const Space*>>* out) {
  switch (kindOf(space)) {
    case CGYM_SPACE_LIST:
      for (const Space& s : space.space_list().space()) out->emplace_back(nullptr, &s);
      return Status::OK();
    case CGYM_SPACE_SPACE_UNION:
      for (const Space& s : space.space_union().space()) out->emplace_back(nullptr, &s);
      return Status::OK();
    case CGYM_SPACE_DICT:
      for (const auto* entry : sortedEntries(space.space_dict().space())) {
        out->emplace_back(&entry->first, &entry->second);
      }
      return Status::OK();
    case CGYM_SPACE_SPACE_SEQUENCE:
      if (space.space_sequence().has_space()) {
        out->emplace_back(nullptr, &space.space_sequence().space());
      }
      return Status::OK();
    default:
      return wrongKind("LIST, DICT, SPACE_UNION or SPACE_SEQUENCE", space);
  }
}

template <typename Fill>
cgym_status_t newSpace(cgym_space_t** out, Fill&& fill) noexcept {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(out);
    auto space = std::make_unique<Space>();
    CGYM_RETURN_IF_ERROR(fill(space.get()));
    *out = wrap(space.release());
    return Status::OK();
  });
}

}  // namespace
}  // namespace cgym::capi

using namespace cgym::capi;
using cgym::Status;
using compiler_gym::ActionSpace;
using compiler_gym::Event;
using compiler_gym::ObservationSpace;
using compiler_gym::Space;

extern "C" {

// ===== Events: constructors and setters =====================================================

cgym_status_t cgym_event_new(cgym_event_t** out) {
  return newEvent(out, [](Event*) { return Status::OK(); });
}

cgym_status_t cgym_event_new_bool(cgym_event_t** out, int value) {
  return newEvent(out, [&](Event* e) {
    e->set_boolean_value(value != 0);
    return Status::OK();
  });
}

cgym_status_t cgym_event_new_int64(cgym_event_t** out, int64_t value) {
  return newEvent(out, [&](Event* e) {
    e->set_int64_value(value);
    return Status::OK();
  });
}

cgym_status_t cgym_event_new_float(cgym_event_t** out, float value) {
  return newEvent(out, [&](Event* e) {
    e->set_float_value(value);
    return Status::OK();
  });
}

cgym_status_t cgym_event_new_double(cgym_event_t** out, double value) {
  return newEvent(out, [&](Event* e) {
    e->set_double_value(value);
    return Status::OK();
  });
}

cgym_status_t cgym_event_new_string(cgym_event_t** out, const char* data, size_t length) {
  return newEvent(out, [&](Event* e) {
    std::string value;
    CGYM_RETURN_IF_ERROR(copyString(data, length, "data", &value));
    e->set_string_value(std::move(value));
    return Status::OK();
  });
}

cgym_status_t cgym_event_new_tensor(cgym_event_t** out, cgym_event_kind_t kind,
                                    const uint64_t* shape, size_t ndim, const void* values,
                                    size_t count) {
  return newEvent(out, [&](Event* e) { return buildTensor(kind, shape, ndim, values, count, e); });
}

cgym_status_t cgym_event_new_string_tensor(cgym_event_t** out, const uint64_t* shape, size_t ndim,
                                           const char* const* values, const size_t* lengths,
                                           size_t count) {
  return newEvent(
      out, [&](Event* e) { return buildStringTensor(shape, ndim, values, lengths, count, e); });
}

namespace {

Status fillList(Event* e) {
  e->mutable_event_list();
  return Status::OK();
}

Status fillDict(Event* e) {
  e->mutable_event_dict();
  return Status::OK();
}

// A filler of a protobuf Any with this type URL and value.
auto fillAny(const char* type_url, const void* data, size_t length) {
  return [=](Event* e) -> Status {
    std::string url;
    CGYM_RETURN_IF_ERROR(copyCString(type_url, "type_url", &url));
    if (data == nullptr && length > 0) return nullArgument("data");
    auto* any = e->mutable_any_value();
    any->set_type_url(std::move(url));
    if (length > 0) any->set_value(static_cast<const char*>(data), length);
    return Status::OK();
  };
}

}  // namespace

cgym_status_t cgym_event_new_list(cgym_event_t** out) { return newEvent(out, fillList); }

cgym_status_t cgym_event_new_dict(cgym_event_t** out) { return newEvent(out, fillDict); }

cgym_status_t cgym_event_new_any(cgym_event_t** out, const char* type_url, const void* data,
                                 size_t length) {
  return newEvent(out, fillAny(type_url, data, length));
}

cgym_status_t cgym_event_set_list(cgym_event_t* event) { return setEvent(event, fillList); }

cgym_status_t cgym_event_set_dict(cgym_event_t* event) { return setEvent(event, fillDict); }

cgym_status_t cgym_event_set_any(cgym_event_t* event, const char* type_url, const void* data,
                                 size_t length) {
  return setEvent(event, fillAny(type_url, data, length));
}

cgym_status_t cgym_event_clone(cgym_event_t** out, const cgym_event_t* event) {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(out);
    CGYM_CHECK_ARG(event);
    *out = wrap(new Event(*unwrap(event)));
    return Status::OK();
  });
}

void cgym_event_free(cgym_event_t* event) { delete unwrap(event); }

cgym_status_t cgym_event_clear(cgym_event_t* event) {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(event);
    unwrap(event)->Clear();
    return Status::OK();
  });
}

cgym_status_t cgym_event_set_bool(cgym_event_t* event, int value) {
  return setEvent(event, [&](Event* e) {
    e->set_boolean_value(value != 0);
    return Status::OK();
  });
}

cgym_status_t cgym_event_set_int64(cgym_event_t* event, int64_t value) {
  return setEvent(event, [&](Event* e) {
    e->set_int64_value(value);
    return Status::OK();
  });
}

cgym_status_t cgym_event_set_float(cgym_event_t* event, float value) {
  return setEvent(event, [&](Event* e) {
    e->set_float_value(value);
    return Status::OK();
  });
}

cgym_status_t cgym_event_set_double(cgym_event_t* event, double value) {
  return setEvent(event, [&](Event* e) {
    e->set_double_value(value);
    return Status::OK();
  });
}

cgym_status_t cgym_event_set_string(cgym_event_t* event, const char* data, size_t length) {
  return setEvent(event, [&](Event* e) {
    std::string value;
    CGYM_RETURN_IF_ERROR(copyString(data, length, "data", &value));
    e->set_string_value(std::move(value));
    return Status::OK();
  });
}

cgym_status_t cgym_event_set_tensor(cgym_event_t* event, cgym_event_kind_t kind,
                                    const uint64_t* shape, size_t ndim, const void* values,
                                    size_t count) {
  return setEvent(event,
                  [&](Event* e) { return buildTensor(kind, shape, ndim, values, count, e); });
}

cgym_status_t cgym_event_set_string_tensor(cgym_event_t* event, const uint64_t* shape, size_t ndim,
                                           const char* const* values, const size_t* lengths,
                                           size_t count) {
  return setEvent(
      event, [&](Event* e) { return buildStringTensor(shape, ndim, values, lengths, count, e); });
}

cgym_status_t cgym_event_list_append(cgym_event_t* list, const cgym_event_t* item) {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(list);
    CGYM_CHECK_ARG(item);
    Event* target = unwrap(list);
    const cgym_event_kind_t kind = kindOf(*target);
    if (kind != CGYM_EVENT_LIST && kind != CGYM_EVENT_NONE) return wrongKind("LIST", *target);
    Event copy(*unwrap(item));  // `item` may live inside `list`.
    *target->mutable_event_list()->add_event() = std::move(copy);
    return Status::OK();
  });
}

cgym_status_t cgym_event_dict_set(cgym_event_t* dict, const char* key, const cgym_event_t* value) {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(dict);
    CGYM_CHECK_ARG(value);
    std::string name;
    CGYM_RETURN_IF_ERROR(copyCString(key, "key", &name));
    Event* target = unwrap(dict);
    const cgym_event_kind_t kind = kindOf(*target);
    if (kind != CGYM_EVENT_DICT && kind != CGYM_EVENT_NONE) return wrongKind("DICT", *target);
    Event copy(*unwrap(value));  // `value` may live inside `dict`.
    (*target->mutable_event_dict()->mutable_event())[name] = std::move(copy);
    return Status::OK();
  });
}

// ===== Events: readers ======================================================================

cgym_event_kind_t cgym_event_kind(const cgym_event_t* event) {
  clearError();
  return event ? kindOf(*unwrap(event)) : CGYM_EVENT_NONE;
}

cgym_status_t cgym_event_get_bool(const cgym_event_t* event, int* value) {
  return readEvent(event, [&](const Event& e) -> Status {
    CGYM_CHECK_ARG(value);
    if (kindOf(e) != CGYM_EVENT_BOOL) return wrongKind("BOOL", e);
    *value = e.boolean_value() ? 1 : 0;
    return Status::OK();
  });
}

cgym_status_t cgym_event_get_int64(const cgym_event_t* event, int64_t* value) {
  return readEvent(event, [&](const Event& e) -> Status {
    CGYM_CHECK_ARG(value);
    switch (kindOf(e)) {
      case CGYM_EVENT_BOOL:
        *value = e.boolean_value() ? 1 : 0;
        return Status::OK();
      case CGYM_EVENT_INT64:
        *value = e.int64_value();
        return Status::OK();
      default:
        return wrongKind("BOOL or INT64", e);
    }
  });
}

cgym_status_t cgym_event_get_float(const cgym_event_t* event, float* value) {
  return readEvent(event, [&](const Event& e) -> Status {
    CGYM_CHECK_ARG(value);
    if (kindOf(e) != CGYM_EVENT_FLOAT) return wrongKind("FLOAT", e);
    *value = e.float_value();
    return Status::OK();
  });
}

cgym_status_t cgym_event_get_double(const cgym_event_t* event, double* value) {
  return readEvent(event, [&](const Event& e) -> Status {
    CGYM_CHECK_ARG(value);
    switch (kindOf(e)) {
      case CGYM_EVENT_BOOL:
        *value = e.boolean_value() ? 1.0 : 0.0;
        return Status::OK();
      case CGYM_EVENT_INT64:
        *value = static_cast<double>(e.int64_value());
        return Status::OK();
      case CGYM_EVENT_FLOAT:
        *value = e.float_value();
        return Status::OK();
      case CGYM_EVENT_DOUBLE:
        *value = e.double_value();
        return Status::OK();
      default:
        return wrongKind("BOOL, INT64, FLOAT or DOUBLE", e);
    }
  });
}

cgym_status_t cgym_event_get_string(const cgym_event_t* event, const char** data, size_t* length) {
  return readEvent(event, [&](const Event& e) -> Status {
    CGYM_CHECK_ARG(data);
    CGYM_CHECK_ARG(length);
    if (kindOf(e) != CGYM_EVENT_STRING) return wrongKind("STRING", e);
    *data = e.string_value().data();
    *length = e.string_value().size();
    return Status::OK();
  });
}

cgym_status_t cgym_event_tensor_shape(const cgym_event_t* event, const uint64_t** shape,
                                      size_t* ndim) {
  return readEvent(event, [&](const Event& e) -> Status {
    CGYM_CHECK_ARG(shape);
    CGYM_CHECK_ARG(ndim);
    const ::google::protobuf::RepeatedField<::google::protobuf::uint64>* dims;
    switch (kindOf(e)) {
      case CGYM_EVENT_BOOL_TENSOR:
        dims = &e.boolean_tensor().shape();
        break;
      case CGYM_EVENT_BYTE_TENSOR:
        dims = &e.byte_tensor().shape();
        break;
      case CGYM_EVENT_INT64_TENSOR:
        dims = &e.int64_tensor().shape();
        break;
      case CGYM_EVENT_FLOAT_TENSOR:
        dims = &e.float_tensor().shape();
        break;
      case CGYM_EVENT_DOUBLE_TENSOR:
        dims = &e.double_tensor().shape();
        break;
      case CGYM_EVENT_STRING_TENSOR:
        dims = &e.string_tensor().shape();
        break;
      default:
        return wrongKind("*_TENSOR", e);
    }
    *shape = dims->empty() ? nullptr : reinterpret_cast<const uint64_t*>(dims->data());
    *ndim = static_cast<size_t>(dims->size());
    return Status::OK();
  });
}

cgym_status_t cgym_event_tensor_values(const cgym_event_t* event, const void** values,
                                       size_t* count) {
  return readEvent(event, [&](const Event& e) -> Status {
    CGYM_CHECK_ARG(values);
    CGYM_CHECK_ARG(count);
    switch (kindOf(e)) {
      case CGYM_EVENT_BOOL_TENSOR:
        // bool is one byte holding 0 or 1: readable as uint8_t.
        *values = e.boolean_tensor().value().data();
        *count = static_cast<size_t>(e.boolean_tensor().value_size());
        return Status::OK();
      case CGYM_EVENT_BYTE_TENSOR:
        *values = e.byte_tensor().value().data();
        *count = e.byte_tensor().value().size();
        return Status::OK();
      case CGYM_EVENT_INT64_TENSOR:
        *values = e.int64_tensor().value().data();
        *count = static_cast<size_t>(e.int64_tensor().value_size());
        return Status::OK();
      case CGYM_EVENT_FLOAT_TENSOR:
        *values = e.float_tensor().value().data();
        *count = static_cast<size_t>(e.float_tensor().value_size());
        return Status::OK();
      case CGYM_EVENT_DOUBLE_TENSOR:
        *values = e.double_tensor().value().data();
        *count = static_cast<size_t>(e.double_tensor().value_size());
        return Status::OK();
      default:
        return wrongKind("BOOL, BYTE, INT64, FLOAT or DOUBLE _TENSOR", e);
    }
  });
}

cgym_status_t cgym_event_tensor_count(const cgym_event_t* event, size_t* count) {
  return readEvent(event, [&](const Event& e) -> Status {
    CGYM_CHECK_ARG(count);
    switch (kindOf(e)) {
      case CGYM_EVENT_BOOL_TENSOR:
        *count = e.boolean_tensor().value_size();
        break;
      case CGYM_EVENT_BYTE_TENSOR:
        *count = e.byte_tensor().value().size();
        break;
      case CGYM_EVENT_INT64_TENSOR:
        *count = e.int64_tensor().value_size();
        break;
      case CGYM_EVENT_FLOAT_TENSOR:
        *count = e.float_tensor().value_size();
        break;
      case CGYM_EVENT_DOUBLE_TENSOR:
        *count = e.double_tensor().value_size();
        break;
      case CGYM_EVENT_STRING_TENSOR:
        *count = e.string_tensor().value_size();
        break;
      default:
        return wrongKind("*_TENSOR", e);
    }
    return Status::OK();
  });
}

cgym_status_t cgym_event_string_tensor_get(const cgym_event_t* event, size_t index,
                                           const char** data, size_t* length) {
  return readEvent(event, [&](const Event& e) -> Status {
    CGYM_CHECK_ARG(data);
    CGYM_CHECK_ARG(length);
    if (kindOf(e) != CGYM_EVENT_STRING_TENSOR) return wrongKind("STRING_TENSOR", e);
    const auto& values = e.string_tensor().value();
    if (index >= static_cast<size_t>(values.size())) {
      return outOfRange("index " + std::to_string(index) + " is out of range for " +
                        std::to_string(values.size()) + " strings");
    }
    const std::string& value = values.Get(static_cast<int>(index));
    *data = value.data();
    *length = value.size();
    return Status::OK();
  });
}

cgym_status_t cgym_event_list_size(const cgym_event_t* event, size_t* size) {
  return readEvent(event, [&](const Event& e) -> Status {
    CGYM_CHECK_ARG(size);
    if (kindOf(e) != CGYM_EVENT_LIST) return wrongKind("LIST", e);
    *size = static_cast<size_t>(e.event_list().event_size());
    return Status::OK();
  });
}

cgym_status_t cgym_event_list_get(const cgym_event_t* event, size_t index,
                                  const cgym_event_t** item) {
  return readEvent(event, [&](const Event& e) -> Status {
    CGYM_CHECK_ARG(item);
    if (kindOf(e) != CGYM_EVENT_LIST) return wrongKind("LIST", e);
    const auto& items = e.event_list().event();
    if (index >= static_cast<size_t>(items.size())) {
      return outOfRange("index " + std::to_string(index) + " is out of range for a list of " +
                        std::to_string(items.size()));
    }
    *item = wrap(&items.Get(static_cast<int>(index)));
    return Status::OK();
  });
}

cgym_status_t cgym_event_dict_size(const cgym_event_t* event, size_t* size) {
  return readEvent(event, [&](const Event& e) -> Status {
    CGYM_CHECK_ARG(size);
    if (kindOf(e) != CGYM_EVENT_DICT) return wrongKind("DICT", e);
    *size = e.event_dict().event().size();
    return Status::OK();
  });
}

cgym_status_t cgym_event_dict_get(const cgym_event_t* event, const char* key,
                                  const cgym_event_t** value) {
  return readEvent(event, [&](const Event& e) -> Status {
    CGYM_CHECK_ARG(key);
    CGYM_CHECK_ARG(value);
    if (kindOf(e) != CGYM_EVENT_DICT) return wrongKind("DICT", e);
    const auto& map = e.event_dict().event();
    const auto it = map.find(std::string(key));
    if (it == map.end()) {
      return Status(cgym::StatusCode::kNotFound, std::string("No key \"") + key + "\" in the dict");
    }
    *value = wrap(&it->second);
    return Status::OK();
  });
}

cgym_status_t cgym_event_dict_entry(const cgym_event_t* event, size_t index, const char** key,
                                    const cgym_event_t** value) {
  return readEvent(event, [&](const Event& e) -> Status {
    CGYM_CHECK_ARG(key);
    CGYM_CHECK_ARG(value);
    if (kindOf(e) != CGYM_EVENT_DICT) return wrongKind("DICT", e);
    const auto& map = e.event_dict().event();
    if (index >= map.size()) {
      return outOfRange("index " + std::to_string(index) + " is out of range for a dict of " +
                        std::to_string(map.size()));
    }
    const auto entries = sortedEntries(map);
    *key = entries[index]->first.c_str();
    *value = wrap(&entries[index]->second);
    return Status::OK();
  });
}

cgym_status_t cgym_event_get_any(const cgym_event_t* event, const char** type_url,
                                 const void** data, size_t* length) {
  return readEvent(event, [&](const Event& e) -> Status {
    CGYM_CHECK_ARG(type_url);
    CGYM_CHECK_ARG(data);
    CGYM_CHECK_ARG(length);
    if (kindOf(e) != CGYM_EVENT_ANY) return wrongKind("ANY", e);
    *type_url = e.any_value().type_url().c_str();
    *data = e.any_value().value().data();
    *length = e.any_value().value().size();
    return Status::OK();
  });
}

cgym_status_t cgym_event_serialize(const cgym_event_t* event, void** data, size_t* length) {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(event);
    CGYM_CHECK_ARG(data);
    CGYM_CHECK_ARG(length);
    return serializeMessage(*unwrap(event), "compiler_gym.Event", data, length);
  });
}

cgym_status_t cgym_event_parse(cgym_event_t** out, const void* data, size_t length) {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(out);
    std::unique_ptr<Event> event;
    CGYM_RETURN_IF_ERROR(parseMessage(data, length, "compiler_gym.Event", &event));
    *out = wrap(event.release());
    return Status::OK();
  });
}

// ===== Spaces: constructors =================================================================

cgym_status_t cgym_space_new_discrete(cgym_space_t** out, int64_t n) {
  return newSpace(out, [&](Space* s) -> Status {
    if (n < 0) return invalidArgument("n (" + std::to_string(n) + ") is negative");
    s->mutable_discrete()->set_n(n);
    return Status::OK();
  });
}

cgym_status_t cgym_space_new_named_discrete(cgym_space_t** out, const char* const* names,
                                            size_t count) {
  return newSpace(out, [&](Space* s) -> Status {
    if (count > 0 && names == nullptr) return nullArgument("names");
    if (count > static_cast<size_t>(INT_MAX)) return invalidArgument("Too many names");
    auto* space = s->mutable_named_discrete();
    space->mutable_name()->Reserve(static_cast<int>(count));
    for (size_t i = 0; i < count; ++i) {
      const std::string what = "names[" + std::to_string(i) + "]";
      std::string name;
      CGYM_RETURN_IF_ERROR(copyCString(names[i], what.c_str(), &name));
      space->add_name(std::move(name));
    }
    return Status::OK();
  });
}

cgym_status_t cgym_space_new_range(cgym_space_t** out, cgym_space_kind_t kind, double min,
                                   int has_min, double max, int has_max) {
  return newSpace(out, [&](Space* s) -> Status {
    switch (kind) {
      case CGYM_SPACE_BOOL_RANGE:
        return setRange(min, has_min, max, has_max, s->mutable_boolean_value());
      case CGYM_SPACE_INT64_RANGE:
        return setRange(min, has_min, max, has_max, s->mutable_int64_value());
      case CGYM_SPACE_FLOAT_RANGE:
        return setRange(min, has_min, max, has_max, s->mutable_float_value());
      case CGYM_SPACE_DOUBLE_RANGE:
        return setRange(min, has_min, max, has_max, s->mutable_double_value());
      default:
        return invalidArgument(
            std::string("kind must be BOOL, INT64, FLOAT or DOUBLE _RANGE, got ") +
            spaceKindName(kind));
    }
  });
}

cgym_status_t cgym_space_new_string(cgym_space_t** out, int64_t min_length, int64_t max_length) {
  return newSpace(out, [&](Space* s) {
    return setLengthRange(min_length, max_length,
                          s->mutable_string_value()->mutable_length_range());
  });
}

cgym_status_t cgym_space_new_box(cgym_space_t** out, cgym_space_kind_t kind, const uint64_t* shape,
                                 size_t ndim, const double* low, const double* high, size_t count) {
  return newSpace(out, [&](Space* s) -> Status {
    if (kind < CGYM_SPACE_BOOL_BOX || kind > CGYM_SPACE_DOUBLE_BOX) {
      return invalidArgument(
          std::string("kind must be BOOL, BYTE, INT64, FLOAT or DOUBLE _BOX, got ") +
          spaceKindName(kind));
    }
    CGYM_RETURN_IF_ERROR(checkShape(shape, ndim, count));
    if (count > 0 && low == nullptr) return nullArgument("low");
    if (count > 0 && high == nullptr) return nullArgument("high");
    switch (kind) {
      case CGYM_SPACE_BOOL_BOX:
        return buildBox(shape, ndim, low, high, count, s->mutable_boolean_box(),
                        [](double v, const char*, compiler_gym::BooleanTensor* t) {
                          t->add_value(v != 0);
                          return Status::OK();
                        });
      case CGYM_SPACE_BYTE_BOX:
        return buildBox(shape, ndim, low, high, count, s->mutable_byte_box(),
                        [](double v, const char* what, compiler_gym::ByteTensor* t) {
                          int8_t byte = 0;
                          CGYM_RETURN_IF_ERROR(toInt8(v, what, &byte));
                          t->mutable_value()->push_back(static_cast<char>(byte));
                          return Status::OK();
                        });
      case CGYM_SPACE_INT64_BOX:
        return buildBox(shape, ndim, low, high, count, s->mutable_int64_box(),
                        [](double v, const char* what, compiler_gym::Int64Tensor* t) {
                          int64_t value = 0;
                          CGYM_RETURN_IF_ERROR(toInt64(v, what, &value));
                          t->add_value(value);
                          return Status::OK();
                        });
      case CGYM_SPACE_FLOAT_BOX:
        return buildBox(shape, ndim, low, high, count, s->mutable_float_box(),
                        [](double v, const char* what, compiler_gym::FloatTensor* t) {
                          float value = 0;
                          CGYM_RETURN_IF_ERROR(toFloat(v, what, &value));
                          t->add_value(value);
                          return Status::OK();
                        });
      default:
        return buildBox(shape, ndim, low, high, count, s->mutable_double_box(),
                        [](double v, const char*, compiler_gym::DoubleTensor* t) {
                          t->add_value(v);
                          return Status::OK();
                        });
    }
  });
}

cgym_status_t cgym_space_new_sequence(cgym_space_t** out, cgym_space_kind_t kind,
                                      int64_t min_length, int64_t max_length, double scalar_min,
                                      int has_scalar_min, double scalar_max, int has_scalar_max) {
  return newSpace(out, [&](Space* s) -> Status {
    // Sets the length range and, if a bound is given, the scalar range of `sequence`.
    const auto fill = [&](auto* sequence) -> Status {
      CGYM_RETURN_IF_ERROR(
          setLengthRange(min_length, max_length, sequence->mutable_length_range()));
      if (!has_scalar_min && !has_scalar_max) return Status::OK();
      return setRange(scalar_min, has_scalar_min, scalar_max, has_scalar_max,
                      sequence->mutable_scalar_range());
    };
    switch (kind) {
      case CGYM_SPACE_BOOL_SEQUENCE:
        return fill(s->mutable_boolean_sequence());
      case CGYM_SPACE_BYTE_SEQUENCE:
        return fill(s->mutable_byte_sequence());
      case CGYM_SPACE_INT64_SEQUENCE:
        return fill(s->mutable_int64_sequence());
      case CGYM_SPACE_FLOAT_SEQUENCE:
        return fill(s->mutable_float_sequence());
      case CGYM_SPACE_DOUBLE_SEQUENCE:
        return fill(s->mutable_double_sequence());
      case CGYM_SPACE_BYTES_SEQUENCE:
        return setLengthRange(min_length, max_length,
                              s->mutable_bytes_sequence()->mutable_length_range());
      case CGYM_SPACE_STRING_SEQUENCE:
        return setLengthRange(min_length, max_length,
                              s->mutable_string_sequence()->mutable_length_range());
      case CGYM_SPACE_SPACE_SEQUENCE:
        return setLengthRange(min_length, max_length,
                              s->mutable_space_sequence()->mutable_length_range());
      default:
        return invalidArgument(std::string("kind must be a *_SEQUENCE kind, got ") +
                               spaceKindName(kind));
    }
  });
}

cgym_status_t cgym_space_new_composite(cgym_space_t** out, cgym_space_kind_t kind) {
  return newSpace(out, [&](Space* s) -> Status {
    switch (kind) {
      case CGYM_SPACE_LIST:
        s->mutable_space_list();
        return Status::OK();
      case CGYM_SPACE_SPACE_UNION:
        s->mutable_space_union();
        return Status::OK();
      case CGYM_SPACE_DICT:
        s->mutable_space_dict();
        return Status::OK();
      default:
        return invalidArgument(std::string("kind must be LIST, SPACE_UNION or DICT, got ") +
                               spaceKindName(kind));
    }
  });
}

cgym_status_t cgym_space_add(cgym_space_t* space, const char* key, const cgym_space_t* subspace) {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(space);
    CGYM_CHECK_ARG(subspace);
    Space* target = unwrap(space);
    const cgym_space_kind_t kind = kindOf(*target);
    std::string name;
    if (kind == CGYM_SPACE_DICT) {
      CGYM_RETURN_IF_ERROR(copyCString(key, "key", &name));
    } else if (kind != CGYM_SPACE_LIST && kind != CGYM_SPACE_SPACE_UNION &&
               kind != CGYM_SPACE_SPACE_SEQUENCE) {
      return wrongKind("LIST, DICT, SPACE_UNION or SPACE_SEQUENCE", *target);
    }
    Space copy(*unwrap(subspace));  // `subspace` may live inside `space`.
    switch (kind) {
      case CGYM_SPACE_LIST:
        *target->mutable_space_list()->add_space() = std::move(copy);
        break;
      case CGYM_SPACE_SPACE_UNION:
        *target->mutable_space_union()->add_space() = std::move(copy);
        break;
      case CGYM_SPACE_SPACE_SEQUENCE:
        *target->mutable_space_sequence()->mutable_space() = std::move(copy);
        break;
      default:
        (*target->mutable_space_dict()->mutable_space())[name] = std::move(copy);
    }
    return Status::OK();
  });
}

cgym_status_t cgym_space_clone(cgym_space_t** out, const cgym_space_t* space) {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(out);
    CGYM_CHECK_ARG(space);
    *out = wrap(new Space(*unwrap(space)));
    return Status::OK();
  });
}

void cgym_space_free(cgym_space_t* space) { delete unwrap(space); }

// ===== Spaces: readers ======================================================================

cgym_space_kind_t cgym_space_kind(const cgym_space_t* space) {
  clearError();
  return space ? kindOf(*unwrap(space)) : CGYM_SPACE_NONE;
}

const char* cgym_space_type_id(const cgym_space_t* space) {
  clearError();
  if (space == nullptr || !unwrap(space)->has_type_id()) return nullptr;
  return unwrap(space)->type_id().c_str();
}

cgym_status_t cgym_space_discrete_n(const cgym_space_t* space, int64_t* n) {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(space);
    CGYM_CHECK_ARG(n);
    const Space& s = *unwrap(space);
    if (kindOf(s) != CGYM_SPACE_DISCRETE) return wrongKind("DISCRETE", s);
    *n = s.discrete().n();
    return Status::OK();
  });
}

cgym_status_t cgym_space_names_count(const cgym_space_t* space, size_t* count) {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(space);
    CGYM_CHECK_ARG(count);
    const Space& s = *unwrap(space);
    if (kindOf(s) != CGYM_SPACE_NAMED_DISCRETE) return wrongKind("NAMED_DISCRETE", s);
    *count = static_cast<size_t>(s.named_discrete().name_size());
    return Status::OK();
  });
}

cgym_status_t cgym_space_name_at(const cgym_space_t* space, size_t index, const char** name) {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(space);
    CGYM_CHECK_ARG(name);
    const Space& s = *unwrap(space);
    if (kindOf(s) != CGYM_SPACE_NAMED_DISCRETE) return wrongKind("NAMED_DISCRETE", s);
    const auto& names = s.named_discrete().name();
    if (index >= static_cast<size_t>(names.size())) {
      return outOfRange("index " + std::to_string(index) + " is out of range for " +
                        std::to_string(names.size()) + " names");
    }
    *name = names.Get(static_cast<int>(index)).c_str();
    return Status::OK();
  });
}

cgym_status_t cgym_space_range(const cgym_space_t* space, double* min, int* has_min, double* max,
                               int* has_max) {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(space);
    CGYM_CHECK_ARG(min);
    CGYM_CHECK_ARG(has_min);
    CGYM_CHECK_ARG(max);
    CGYM_CHECK_ARG(has_max);
    const Space& s = *unwrap(space);
    Range r;
    switch (kindOf(s)) {
      case CGYM_SPACE_BOOL_RANGE:
        r = readRange(s.boolean_value());
        break;
      case CGYM_SPACE_INT64_RANGE:
        r = readRange(s.int64_value());
        break;
      case CGYM_SPACE_FLOAT_RANGE:
        r = readRange(s.float_value());
        break;
      case CGYM_SPACE_DOUBLE_RANGE:
        r = readRange(s.double_value());
        break;
      case CGYM_SPACE_BOOL_SEQUENCE:
        r = readRange(s.boolean_sequence().scalar_range());
        break;
      case CGYM_SPACE_BYTE_SEQUENCE:
        r = readRange(s.byte_sequence().scalar_range());
        break;
      case CGYM_SPACE_INT64_SEQUENCE:
        r = readRange(s.int64_sequence().scalar_range());
        break;
      case CGYM_SPACE_FLOAT_SEQUENCE:
        r = readRange(s.float_sequence().scalar_range());
        break;
      case CGYM_SPACE_DOUBLE_SEQUENCE:
        r = readRange(s.double_sequence().scalar_range());
        break;
      default:
        return wrongKind("*_RANGE or BOOL, BYTE, INT64, FLOAT or DOUBLE _SEQUENCE", s);
    }
    *min = r.min;
    *has_min = r.has_min;
    *max = r.max;
    *has_max = r.has_max;
    return Status::OK();
  });
}

cgym_status_t cgym_space_int64_range(const cgym_space_t* space, int64_t* min, int* has_min,
                                     int64_t* max, int* has_max) {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(space);
    CGYM_CHECK_ARG(min);
    CGYM_CHECK_ARG(has_min);
    CGYM_CHECK_ARG(max);
    CGYM_CHECK_ARG(has_max);
    const Space& s = *unwrap(space);
    const compiler_gym::Int64Range* r;
    switch (kindOf(s)) {
      case CGYM_SPACE_INT64_RANGE:
        r = &s.int64_value();
        break;
      case CGYM_SPACE_INT64_SEQUENCE:
        r = &s.int64_sequence().scalar_range();
        break;
      case CGYM_SPACE_BYTE_SEQUENCE:
        r = &s.byte_sequence().scalar_range();
        break;
      default:
        return wrongKind("INT64_RANGE, INT64_SEQUENCE or BYTE_SEQUENCE", s);
    }
    *min = r->has_min() ? r->min() : std::numeric_limits<int64_t>::min();
    *has_min = r->has_min();
    *max = r->has_max() ? r->max() : std::numeric_limits<int64_t>::max();
    *has_max = r->has_max();
    return Status::OK();
  });
}

cgym_status_t cgym_space_length_range(const cgym_space_t* space, int64_t* min, int64_t* max) {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(space);
    CGYM_CHECK_ARG(min);
    CGYM_CHECK_ARG(max);
    const Space& s = *unwrap(space);
    const compiler_gym::Int64Range* r = lengthRange(s);
    if (r == nullptr) return wrongKind("STRING or *_SEQUENCE", s);
    *min = r->has_min() ? r->min() : 0;
    *max = r->has_max() ? r->max() : -1;
    return Status::OK();
  });
}

cgym_status_t cgym_space_box_shape(const cgym_space_t* space, const uint64_t** shape,
                                   size_t* ndim) {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(space);
    CGYM_CHECK_ARG(shape);
    CGYM_CHECK_ARG(ndim);
    BoxView box;
    CGYM_RETURN_IF_ERROR(readBox(*unwrap(space), &box, false));
    *shape = box.shape->empty() ? nullptr : reinterpret_cast<const uint64_t*>(box.shape->data());
    *ndim = static_cast<size_t>(box.shape->size());
    return Status::OK();
  });
}

cgym_status_t cgym_space_box_bounds(const cgym_space_t* space, double* low, double* high,
                                    size_t capacity, size_t* count) {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(space);
    CGYM_CHECK_ARG(count);
    if (capacity > 0) {
      CGYM_CHECK_ARG(low);
      CGYM_CHECK_ARG(high);
    }
    BoxView box;
    CGYM_RETURN_IF_ERROR(readBox(*unwrap(space), &box, true));
    if (box.low.size() != box.high.size()) {
      return invalidArgument("The box's low and high bounds differ in size (" +
                             std::to_string(box.low.size()) + " and " +
                             std::to_string(box.high.size()) + ")");
    }
    const size_t n = box.low.size();
    if (n > capacity) {
      return outOfRange("capacity " + std::to_string(capacity) + " is less than the box's " +
                        std::to_string(n) + " values");
    }
    std::copy(box.low.begin(), box.low.end(), low);
    std::copy(box.high.begin(), box.high.end(), high);
    *count = n;
    return Status::OK();
  });
}

cgym_status_t cgym_space_subspace_count(const cgym_space_t* space, size_t* count) {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(space);
    CGYM_CHECK_ARG(count);
    const Space& s = *unwrap(space);
    switch (kindOf(s)) {
      case CGYM_SPACE_LIST:
        *count = s.space_list().space_size();
        return Status::OK();
      case CGYM_SPACE_SPACE_UNION:
        *count = s.space_union().space_size();
        return Status::OK();
      case CGYM_SPACE_DICT:
        *count = s.space_dict().space().size();
        return Status::OK();
      case CGYM_SPACE_SPACE_SEQUENCE:
        *count = s.space_sequence().has_space() ? 1 : 0;
        return Status::OK();
      default:
        return wrongKind("LIST, DICT, SPACE_UNION or SPACE_SEQUENCE", s);
    }
  });
}

cgym_status_t cgym_space_subspace(const cgym_space_t* space, size_t index, const char** key,
                                  const cgym_space_t** subspace) {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(space);
    CGYM_CHECK_ARG(key);
    CGYM_CHECK_ARG(subspace);
    std::vector<std::pair<const std::string*, const Space*>> entries;
    CGYM_RETURN_IF_ERROR(subspaces(*unwrap(space), &entries));
    if (index >= entries.size()) {
      return outOfRange("index " + std::to_string(index) + " is out of range for " +
                        std::to_string(entries.size()) + " subspaces");
    }
    *key = entries[index].first ? entries[index].first->c_str() : nullptr;
    *subspace = wrap(entries[index].second);
    return Status::OK();
  });
}

// ===== Action spaces ========================================================================

cgym_status_t cgym_action_space_new(cgym_action_space_t** out, const char* name,
                                    const cgym_space_t* space) {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(out);
    CGYM_CHECK_ARG(space);
    auto action_space = std::make_unique<ActionSpace>();
    CGYM_RETURN_IF_ERROR(copyCString(name, "name", action_space->mutable_name()));
    *action_space->mutable_space() = *unwrap(space);
    *out = wrap(action_space.release());
    return Status::OK();
  });
}

void cgym_action_space_free(cgym_action_space_t* space) { delete unwrap(space); }

const char* cgym_action_space_name(const cgym_action_space_t* space) {
  clearError();
  return space ? unwrap(space)->name().c_str() : "";
}

const cgym_space_t* cgym_action_space_space(const cgym_action_space_t* space) {
  clearError();
  return space ? wrap(&unwrap(space)->space()) : nullptr;
}

cgym_status_t cgym_action_space_serialize(const cgym_action_space_t* space, void** data,
                                          size_t* length) {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(space);
    CGYM_CHECK_ARG(data);
    CGYM_CHECK_ARG(length);
    return serializeMessage(*unwrap(space), "compiler_gym.ActionSpace", data, length);
  });
}

cgym_status_t cgym_action_space_parse(cgym_action_space_t** out, const void* data, size_t length) {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(out);
    std::unique_ptr<ActionSpace> space;
    CGYM_RETURN_IF_ERROR(parseMessage(data, length, "compiler_gym.ActionSpace", &space));
    *out = wrap(space.release());
    return Status::OK();
  });
}

// ===== Observation spaces ===================================================================

cgym_status_t cgym_observation_space_new(cgym_observation_space_t** out, const char* name,
                                         const cgym_space_t* space, int deterministic,
                                         int platform_dependent,
                                         const cgym_event_t* default_observation) {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(out);
    CGYM_CHECK_ARG(space);
    auto observation_space = std::make_unique<ObservationSpace>();
    CGYM_RETURN_IF_ERROR(copyCString(name, "name", observation_space->mutable_name()));
    *observation_space->mutable_space() = *unwrap(space);
    observation_space->set_deterministic(deterministic != 0);
    observation_space->set_platform_dependent(platform_dependent != 0);
    if (default_observation) {
      *observation_space->mutable_default_observation() = *unwrap(default_observation);
    }
    *out = wrap(observation_space.release());
    return Status::OK();
  });
}

void cgym_observation_space_free(cgym_observation_space_t* space) { delete unwrap(space); }

const char* cgym_observation_space_name(const cgym_observation_space_t* space) {
  clearError();
  return space ? unwrap(space)->name().c_str() : "";
}

const cgym_space_t* cgym_observation_space_space(const cgym_observation_space_t* space) {
  clearError();
  return space ? wrap(&unwrap(space)->space()) : nullptr;
}

int cgym_observation_space_deterministic(const cgym_observation_space_t* space) {
  clearError();
  return space && unwrap(space)->deterministic() ? 1 : 0;
}

int cgym_observation_space_platform_dependent(const cgym_observation_space_t* space) {
  clearError();
  return space && unwrap(space)->platform_dependent() ? 1 : 0;
}

const cgym_event_t* cgym_observation_space_default(const cgym_observation_space_t* space) {
  clearError();
  return space ? wrap(&unwrap(space)->default_observation()) : nullptr;
}

cgym_status_t cgym_observation_space_serialize(const cgym_observation_space_t* space, void** data,
                                               size_t* length) {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(space);
    CGYM_CHECK_ARG(data);
    CGYM_CHECK_ARG(length);
    return serializeMessage(*unwrap(space), "compiler_gym.ObservationSpace", data, length);
  });
}

cgym_status_t cgym_observation_space_parse(cgym_observation_space_t** out, const void* data,
                                           size_t length) {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(out);
    std::unique_ptr<ObservationSpace> space;
    CGYM_RETURN_IF_ERROR(parseMessage(data, length, "compiler_gym.ObservationSpace", &space));
    *out = wrap(space.release());
    return Status::OK();
  });
}

}  // extern "C"
