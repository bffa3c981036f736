// SPDX-License-Identifier: MIT
// Limits that every side of the protocol (the C ABI, the client, the service runtime) applies
// alike, so that a value one side accepts is never one another side cannot read.
#pragma once

#include <algorithm>

#include "compiler_gym_service.pb.h"

namespace cgym {

// The deepest nesting of an Event or a Space that libcgym builds, sends, serializes or parses.
// A value that holds no other value (a scalar, a tensor, an empty list) is 1 level deep; a
// list or dict is 1 level deeper than its deepest item. Chosen so that protobuf's default
// recursion limit (100 messages, as gRPC parses every message with it) reads any such value
// in the deepest place the protocol puts one: a dict costs 3 message levels (Event ->
// DictEvent -> map entry -> Event), a box space or a tensor one more at the bottom, and
// GetSpacesReply -> ObservationSpace -> default_observation (or -> space) two more at the top,
// so 33 levels of dicts still parse; 32 keeps one level in hand.
inline constexpr int kMaxNestingDepth = 32;

// The nesting depth of `event` as defined above, but at most `cap` + 1: the walk stops one
// level below `cap`, so that its recursion stays bounded whatever the value.
inline int nestingDepth(const compiler_gym::Event& event, int cap = kMaxNestingDepth) {
  if (cap <= 0) return 1;
  int deepest = 0;
  switch (event.value_case()) {
    case compiler_gym::Event::kEventList:
      for (const auto& item : event.event_list().event()) {
        deepest = std::max(deepest, nestingDepth(item, cap - 1));
        if (deepest >= cap) break;
      }
      break;
    case compiler_gym::Event::kEventDict:
      for (const auto& entry : event.event_dict().event()) {
        deepest = std::max(deepest, nestingDepth(entry.second, cap - 1));
        if (deepest >= cap) break;
      }
      break;
    default:
      break;
  }
  return 1 + deepest;
}

// The same for a space: LIST, DICT, SPACE_UNION and SPACE_SEQUENCE spaces hold spaces.
inline int nestingDepth(const compiler_gym::Space& space, int cap = kMaxNestingDepth) {
  if (cap <= 0) return 1;
  int deepest = 0;
  const auto visit = [&](const compiler_gym::Space& subspace) {
    deepest = std::max(deepest, nestingDepth(subspace, cap - 1));
    return deepest < cap;
  };
  switch (space.value_case()) {
    case compiler_gym::Space::kSpaceList:
      for (const auto& subspace : space.space_list().space()) {
        if (!visit(subspace)) break;
      }
      break;
    case compiler_gym::Space::kSpaceUnion:
      for (const auto& subspace : space.space_union().space()) {
        if (!visit(subspace)) break;
      }
      break;
    case compiler_gym::Space::kSpaceDict:
      for (const auto& entry : space.space_dict().space()) {
        if (!visit(entry.second)) break;
      }
      break;
    case compiler_gym::Space::kSpaceSequence:
      if (space.space_sequence().has_space()) visit(space.space_sequence().space());
      break;
    default:
      break;
  }
  return 1 + deepest;
}

}  // namespace cgym
