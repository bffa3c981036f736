// SPDX-License-Identifier: MIT
// The C ABI's spaces, action spaces and observation spaces: a handle is the protobuf message
// itself (see capi_internal.h); these functions check their arguments, read and build the
// messages, and never let an exception out.
#include <algorithm>
#include <climits>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "capi/values_util.h"

namespace cgym::capi {
namespace {

using compiler_gym::Space;

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
// A range whose bounds are converted (with a range check) from the doubles of the C API.
template <typename T, typename Range>
Status setConvertedRange(double min, int has_min, double max, int has_max, Range* range,
                         Status (*convert)(double, const char*, T*)) {
  CGYM_RETURN_IF_ERROR(checkBounds(min, has_min, max, has_max));
  T value{};
  if (has_min) {
    CGYM_RETURN_IF_ERROR(convert(min, "min", &value));
    range->set_min(value);
  }
  if (has_max) {
    CGYM_RETURN_IF_ERROR(convert(max, "max", &value));
    range->set_max(value);
  }
  return Status::OK();
}
Status setRange(double min, int has_min, double max, int has_max, compiler_gym::Int64Range* range) {
  return setConvertedRange<int64_t>(min, has_min, max, has_max, range, toInt64);
}
Status setRange(double min, int has_min, double max, int has_max, compiler_gym::FloatRange* range) {
  return setConvertedRange<float>(min, has_min, max, has_max, range, toFloat);
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

// cgym.h hands a space's text out as NUL-terminated strings, so text with a NUL byte (which
// protobuf strings may hold) would read cut short: two dict keys could read the same, a name
// could not be looked up. Parsed spaces with such text are rejected. Iterative: a parsed space
// is at most kMaxNestingDepth deep, but a wide one has many subspaces.
Status checkNoNul(const std::string& text, const char* what) {
  if (text.find('\0') == std::string::npos) return Status::OK();
  return invalidArgument(std::string(what) + " contains a NUL byte");
}

Status checkSpaceText(const Space& root) {
  std::vector<const Space*> pending = {&root};
  while (!pending.empty()) {
    const Space& space = *pending.back();
    pending.pop_back();
    CGYM_RETURN_IF_ERROR(checkNoNul(space.type_id(), "The type id of a space"));
    switch (space.value_case()) {
      case Space::kNamedDiscrete:
        for (const std::string& name : space.named_discrete().name()) {
          CGYM_RETURN_IF_ERROR(checkNoNul(name, "A name of a named discrete space"));
        }
        break;
      case Space::kSpaceDict:
        for (const auto& entry : space.space_dict().space()) {
          CGYM_RETURN_IF_ERROR(checkNoNul(entry.first, "A key of a dict space"));
          pending.push_back(&entry.second);
        }
        break;
      case Space::kSpaceList:
        for (const Space& s : space.space_list().space()) pending.push_back(&s);
        break;
      case Space::kSpaceUnion:
        for (const Space& s : space.space_union().space()) pending.push_back(&s);
        break;
      case Space::kSpaceSequence:
        if (space.space_sequence().has_space()) pending.push_back(&space.space_sequence().space());
        break;
      default:
        break;
    }
  }
  return Status::OK();
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
    CGYM_RETURN_IF_ERROR(checkNesting(*unwrap(subspace), 1));
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
  return space ? kindOf(*unwrap(space)) : CGYM_SPACE_NONE;
}

const char* cgym_space_type_id(const cgym_space_t* space) {
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

cgym_status_t cgym_space_name_count(const cgym_space_t* space, size_t* count) {
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
    CGYM_RETURN_IF_ERROR(fitBuffer(box.low.size(), capacity, "values of the box", count));
    if (capacity > 0) {
      std::copy(box.low.begin(), box.low.end(), low);
      std::copy(box.high.begin(), box.high.end(), high);
    }
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

cgym_status_t cgym_space_subspace_at(const cgym_space_t* space, size_t index, const char** key,
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
  return space ? unwrap(space)->name().c_str() : "";
}

const cgym_space_t* cgym_action_space_space(const cgym_action_space_t* space) {
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
    CGYM_RETURN_IF_ERROR(checkNoNul(space->name(), "The name of the action space"));
    CGYM_RETURN_IF_ERROR(checkSpaceText(space->space()));
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
  return space ? unwrap(space)->name().c_str() : "";
}

const cgym_space_t* cgym_observation_space_space(const cgym_observation_space_t* space) {
  return space ? wrap(&unwrap(space)->space()) : nullptr;
}

int cgym_observation_space_deterministic(const cgym_observation_space_t* space) {
  return space && unwrap(space)->deterministic() ? 1 : 0;
}

int cgym_observation_space_platform_dependent(const cgym_observation_space_t* space) {
  return space && unwrap(space)->platform_dependent() ? 1 : 0;
}

const cgym_event_t* cgym_observation_space_default(const cgym_observation_space_t* space) {
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
    CGYM_RETURN_IF_ERROR(checkNoNul(space->name(), "The name of the observation space"));
    CGYM_RETURN_IF_ERROR(checkSpaceText(space->space()));
    *out = wrap(space.release());
    return Status::OK();
  });
}

}  // extern "C"
