// SPDX-License-Identifier: MIT
// Shared by the C ABI's value files (event.cc, space.cc): argument checks, string copies,
// kind names, numeric conversions, the BUFFERS rule, nesting limits, the one dispatch over
// tensor kinds, and the entry-point wrappers that build, replace, read and (de)serialize
// messages.
#pragma once

#include <algorithm>
#include <climits>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <google/protobuf/stubs/logging.h>

#include "capi/capi_internal.h"
#include "common/limits.h"

static_assert(CGYM_MAX_NESTING_DEPTH == cgym::kMaxNestingDepth, "cgym.h says the limit");

namespace cgym::capi {

Status invalidArgument(std::string message);
Status failedPrecondition(std::string message);
Status outOfRange(std::string message);

// --- Strings -----------------------------------------------------------------------------

// True if `data` is well-formed UTF-8 (no overlong forms, surrogates or code points beyond
// U+10FFFF), as protobuf requires of proto3 `string` fields.
bool isValidUtf8(const char* data, size_t length);

// Copies `length` bytes of UTF-8 at `data` (NULL allowed when length is 0) into *out.
Status copyString(const char* data, size_t length, const char* what, std::string* out);

// Copies a NUL-terminated UTF-8 string that must not be NULL.
Status copyCString(const char* text, const char* what, std::string* out);

// `text` in double quotes, its control bytes (NUL included) escaped, for an error message; as
// quoteInput() does, at most 200 bytes of it, then "... (N bytes)".
std::string quoted(const std::string& text);

// --- Kinds -------------------------------------------------------------------------------

const char* eventKindName(int kind);
const char* spaceKindName(int kind);

inline cgym_event_kind_t kindOf(const compiler_gym::Event& event) {
  return static_cast<cgym_event_kind_t>(event.value_case());
}
inline cgym_space_kind_t kindOf(const compiler_gym::Space& space) {
  return static_cast<cgym_space_kind_t>(space.value_case());
}

Status wrongKind(const std::string& expected, const compiler_gym::Event& event);
Status wrongKind(const std::string& expected, const compiler_gym::Space& space);

inline bool isNumericTensor(cgym_event_kind_t kind) {
  return kind >= CGYM_EVENT_BOOL_TENSOR && kind <= CGYM_EVENT_DOUBLE_TENSOR;
}

// --- Tensors -----------------------------------------------------------------------------

// The tensor message types of events, one per *_TENSOR kind: TensorKind<T> says which kind
// T is and gives its field of an Event.
template <typename Tensor>
struct TensorKind;
#define CGYM_TENSOR_KIND(Tensor, Kind, field)                                       \
  template <>                                                                       \
  struct TensorKind<compiler_gym::Tensor> {                                         \
    using type = compiler_gym::Tensor;                                              \
    static constexpr cgym_event_kind_t kind = Kind;                                 \
    static const type& of(const compiler_gym::Event& e) { return e.field(); }       \
    static type* mutableOf(compiler_gym::Event* e) { return e->mutable_##field(); } \
  }
CGYM_TENSOR_KIND(BooleanTensor, CGYM_EVENT_BOOL_TENSOR, boolean_tensor);
CGYM_TENSOR_KIND(ByteTensor, CGYM_EVENT_BYTE_TENSOR, byte_tensor);
CGYM_TENSOR_KIND(Int64Tensor, CGYM_EVENT_INT64_TENSOR, int64_tensor);
CGYM_TENSOR_KIND(FloatTensor, CGYM_EVENT_FLOAT_TENSOR, float_tensor);
CGYM_TENSOR_KIND(DoubleTensor, CGYM_EVENT_DOUBLE_TENSOR, double_tensor);
CGYM_TENSOR_KIND(StringTensor, CGYM_EVENT_STRING_TENSOR, string_tensor);
#undef CGYM_TENSOR_KIND

// The one switch over tensor kinds: calls visit(TensorKind<T>{}) for the tensor type T of
// `kind`, or otherwise() if `kind` is not a *_TENSOR kind, and returns what it returns.
template <typename Visit, typename Otherwise>
auto dispatchTensor(cgym_event_kind_t kind, Visit&& visit, Otherwise&& otherwise) {
  switch (kind) {
    case CGYM_EVENT_BOOL_TENSOR:
      return visit(TensorKind<compiler_gym::BooleanTensor>{});
    case CGYM_EVENT_BYTE_TENSOR:
      return visit(TensorKind<compiler_gym::ByteTensor>{});
    case CGYM_EVENT_INT64_TENSOR:
      return visit(TensorKind<compiler_gym::Int64Tensor>{});
    case CGYM_EVENT_FLOAT_TENSOR:
      return visit(TensorKind<compiler_gym::FloatTensor>{});
    case CGYM_EVENT_DOUBLE_TENSOR:
      return visit(TensorKind<compiler_gym::DoubleTensor>{});
    case CGYM_EVENT_STRING_TENSOR:
      return visit(TensorKind<compiler_gym::StringTensor>{});
    default:
      return otherwise();
  }
}

// The number of values of a tensor (a ByteTensor's values are the bytes of one string).
template <typename Tensor>
size_t valueCount(const Tensor& tensor) {
  if constexpr (std::is_same_v<Tensor, compiler_gym::ByteTensor>) {
    return tensor.value().size();
  } else {
    return static_cast<size_t>(tensor.value_size());
  }
}

// --- Shapes and numbers ------------------------------------------------------------------

// Checks that `count` values fill `shape` (the product of no dimensions is 1) and that
// protobuf's repeated fields can hold them.
Status checkShape(const uint64_t* shape, size_t ndim, size_t count);

template <typename RepeatedShape>
void copyShape(const uint64_t* shape, size_t ndim, RepeatedShape* out) {
  out->Reserve(static_cast<int>(ndim));
  for (size_t i = 0; i < ndim; ++i) out->Add(shape[i]);
}

Status checkNotNan(double value, const char* what);
Status toInt64(double value, const char* what, int64_t* out);
Status toInt8(double value, const char* what, int8_t* out);
Status toFloat(double value, const char* what, float* out);

// --- Buffers -----------------------------------------------------------------------------

// The BUFFERS rule of cgym.h for `needed` values copied into a buffer of `capacity`:
// *count receives `needed`, even when the capacity is too small, so that the caller learns
// the size either way; capacity 0 is a size query and succeeds (copy nothing); a smaller
// non-zero capacity is OUT_OF_RANGE. The caller copies when this succeeds and capacity > 0.
Status fitBuffer(size_t needed, size_t capacity, const char* what, size_t* count);

// --- Nesting -----------------------------------------------------------------------------

// INVALID_ARGUMENT if a value `levels` deeper than `value` would pass kMaxNestingDepth.
Status checkNesting(const compiler_gym::Event& value, int levels = 0);
Status checkNesting(const compiler_gym::Space& value, int levels = 0);
Status checkNesting(const compiler_gym::ActionSpace& value);
Status checkNesting(const compiler_gym::ObservationSpace& value);

// --- Entry-point wrappers ----------------------------------------------------------------

// Makes a new owned event filled by `fill(Event*)` and hands it out, or nothing on failure.
template <typename Fill>
cgym_status_t newEvent(cgym_event_t** out, Fill&& fill) noexcept {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(out);
    auto event = std::make_unique<compiler_gym::Event>();
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
    compiler_gym::Event next;
    CGYM_RETURN_IF_ERROR(fill(&next));
    compiler_gym::Event* target = unwrap(event);
    if (target->has_type_id()) next.set_type_id(target->type_id());
    *target = std::move(next);
    return Status::OK();
  });
}

// Runs a reader: checks the event, then `read(const Event&)`.
template <typename Read>
cgym_status_t readEvent(const cgym_event_t* event, Read&& read) noexcept {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(event);
    return read(*unwrap(event));
  });
}

// Makes a new owned space filled by `fill(Space*)` and hands it out, or nothing on failure.
template <typename Fill>
cgym_status_t newSpace(cgym_space_t** out, Fill&& fill) noexcept {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(out);
    auto space = std::make_unique<compiler_gym::Space>();
    CGYM_RETURN_IF_ERROR(fill(space.get()));
    *out = wrap(space.release());
    return Status::OK();
  });
}

// Runs a reader of a space: checks the space, then `read(const Space&)`.
template <typename Read>
cgym_status_t readSpace(const cgym_space_t* space, Read&& read) noexcept {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(space);
    return read(*unwrap(space));
  });
}

// The entries of a protobuf map sorted by key (byte-wise).
template <typename Map>
std::vector<const typename Map::value_type*> sortedEntries(const Map& map) {
  std::vector<const typename Map::value_type*> entries;
  entries.reserve(map.size());
  for (const auto& entry : map) entries.push_back(&entry);
  std::sort(entries.begin(), entries.end(),
            [](const auto* a, const auto* b) { return a->first < b->first; });
  return entries;
}

// --- Serialization -----------------------------------------------------------------------

// Serializes a message no deeper than kMaxNestingDepth into memory released with cgym_free().
template <typename Message>
Status serializeMessage(const Message& message, const char* what, void** data, size_t* length) {
  CGYM_RETURN_IF_ERROR(checkNesting(message));
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

// Parses a message, which must be no deeper than kMaxNestingDepth.
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
  CGYM_RETURN_IF_ERROR(checkNesting(*message));
  *out = std::move(message);
  return Status::OK();
}

}  // namespace cgym::capi
