// SPDX-License-Identifier: MIT
// The C ABI's events (actions and observations): a handle is the compiler_gym.Event message
// itself (see capi_internal.h); these functions check their arguments, read and build the
// messages, and never let an exception out.
#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>

#include "capi/values_util.h"

namespace cgym::capi {
namespace {

using compiler_gym::Event;

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
  dispatchTensor(
      kind,
      [&](auto tensor_kind) {
        using Tensor = typename decltype(tensor_kind)::type;
        // STRING_TENSOR was rejected above; its values are not one C array.
        if constexpr (!std::is_same_v<Tensor, compiler_gym::StringTensor>) {
          Tensor* tensor = decltype(tensor_kind)::mutableOf(out);
          copyShape(shape, ndim, tensor->mutable_shape());
          if constexpr (std::is_same_v<Tensor, compiler_gym::BooleanTensor>) {
            const auto* v = static_cast<const uint8_t*>(values);
            tensor->mutable_value()->Reserve(static_cast<int>(count));
            for (size_t i = 0; i < count; ++i) tensor->add_value(v[i] != 0);
          } else if constexpr (std::is_same_v<Tensor, compiler_gym::ByteTensor>) {
            if (count > 0) tensor->set_value(static_cast<const char*>(values), count);
          } else {
            using Value = typename std::decay_t<decltype(tensor->value())>::value_type;
            const auto* v = static_cast<const Value*>(values);
            if (count > 0) tensor->mutable_value()->Add(v, v + count);
          }
        }
      },
      [] {});
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
}  // namespace cgym::capi

using namespace cgym::capi;
using cgym::Status;
using compiler_gym::Event;

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
    CGYM_RETURN_IF_ERROR(checkNesting(*unwrap(item), 1));
    Event copy(*unwrap(item));  // `item` may live inside `list`.
    *target->mutable_event_list()->add_event() = std::move(copy);
    return Status::OK();
  });
}

cgym_status_t cgym_event_dict_set(cgym_event_t* dict, const char* key, size_t key_length,
                                  const cgym_event_t* value) {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(dict);
    CGYM_CHECK_ARG(value);
    std::string name;
    CGYM_RETURN_IF_ERROR(copyString(key, key_length, "key", &name));
    Event* target = unwrap(dict);
    const cgym_event_kind_t kind = kindOf(*target);
    if (kind != CGYM_EVENT_DICT && kind != CGYM_EVENT_NONE) return wrongKind("DICT", *target);
    CGYM_RETURN_IF_ERROR(checkNesting(*unwrap(value), 1));
    Event copy(*unwrap(value));  // `value` may live inside `dict`.
    (*target->mutable_event_dict()->mutable_event())[name] = std::move(copy);
    return Status::OK();
  });
}

// ===== Events: readers ======================================================================

cgym_event_kind_t cgym_event_kind(const cgym_event_t* event) {
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
    return dispatchTensor(
        kindOf(e),
        [&](auto tensor_kind) {
          const auto& dims = decltype(tensor_kind)::of(e).shape();
          *shape = dims.empty() ? nullptr : reinterpret_cast<const uint64_t*>(dims.data());
          *ndim = static_cast<size_t>(dims.size());
          return Status::OK();
        },
        [&] { return wrongKind("*_TENSOR", e); });
  });
}

cgym_status_t cgym_event_tensor_values(const cgym_event_t* event, const void** values,
                                       size_t* count) {
  return readEvent(event, [&](const Event& e) -> Status {
    CGYM_CHECK_ARG(values);
    CGYM_CHECK_ARG(count);
    const auto not_numeric = [&] {
      return wrongKind("BOOL, BYTE, INT64, FLOAT or DOUBLE _TENSOR", e);
    };
    return dispatchTensor(
        kindOf(e),
        [&](auto tensor_kind) {
          using Tensor = typename decltype(tensor_kind)::type;
          if constexpr (std::is_same_v<Tensor, compiler_gym::StringTensor>) {
            return not_numeric();
          } else {
            // A BOOL tensor's bool is one byte holding 0 or 1: readable as uint8_t.
            const Tensor& tensor = decltype(tensor_kind)::of(e);
            *values = tensor.value().data();
            *count = valueCount(tensor);
            return Status::OK();
          }
        },
        not_numeric);
  });
}

cgym_status_t cgym_event_tensor_count(const cgym_event_t* event, size_t* count) {
  return readEvent(event, [&](const Event& e) -> Status {
    CGYM_CHECK_ARG(count);
    return dispatchTensor(
        kindOf(e),
        [&](auto tensor_kind) {
          *count = valueCount(decltype(tensor_kind)::of(e));
          return Status::OK();
        },
        [&] { return wrongKind("*_TENSOR", e); });
  });
}

cgym_status_t cgym_event_string_tensor_at(const cgym_event_t* event, size_t index,
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

cgym_status_t cgym_event_list_count(const cgym_event_t* event, size_t* count) {
  return readEvent(event, [&](const Event& e) -> Status {
    CGYM_CHECK_ARG(count);
    if (kindOf(e) != CGYM_EVENT_LIST) return wrongKind("LIST", e);
    *count = static_cast<size_t>(e.event_list().event_size());
    return Status::OK();
  });
}

cgym_status_t cgym_event_list_at(const cgym_event_t* event, size_t index,
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

cgym_status_t cgym_event_dict_count(const cgym_event_t* event, size_t* count) {
  return readEvent(event, [&](const Event& e) -> Status {
    CGYM_CHECK_ARG(count);
    if (kindOf(e) != CGYM_EVENT_DICT) return wrongKind("DICT", e);
    *count = e.event_dict().event().size();
    return Status::OK();
  });
}

cgym_status_t cgym_event_dict_get(const cgym_event_t* event, const char* key, size_t key_length,
                                  const cgym_event_t** value) {
  return readEvent(event, [&](const Event& e) -> Status {
    std::string name;
    CGYM_RETURN_IF_ERROR(copyString(key, key_length, "key", &name));
    CGYM_CHECK_ARG(value);
    if (kindOf(e) != CGYM_EVENT_DICT) return wrongKind("DICT", e);
    const auto& map = e.event_dict().event();
    const auto it = map.find(name);
    if (it == map.end()) {
      return Status(cgym::StatusCode::kNotFound, "No key " + quoted(name) + " in the dict");
    }
    *value = wrap(&it->second);
    return Status::OK();
  });
}

cgym_status_t cgym_event_dict_at(const cgym_event_t* event, size_t index, const char** key,
                                 size_t* key_length, const cgym_event_t** value) {
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
    if (key_length) *key_length = entries[index]->first.size();
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

}  // extern "C"
