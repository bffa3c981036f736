// SPDX-License-Identifier: MIT
#include "example_session.h"

#include "common/text.h"

namespace cgym::example {

using namespace compiler_gym;

std::vector<ActionSpace> ExampleSession::getActionSpaces() const {
  ActionSpace space;
  space.set_name("default");
  NamedDiscreteSpace* names = space.mutable_space()->mutable_named_discrete();
  for (const char* name : {"a", "b", "c"}) names->add_name(name);
  return {space};
}

std::vector<ObservationSpace> ExampleSession::getObservationSpaces() const {
  ObservationSpace ir;
  ir.set_name("ir");
  ir.mutable_space()->mutable_string_value()->mutable_length_range()->set_min(0);
  ir.set_deterministic(true);
  ir.set_platform_dependent(false);

  ObservationSpace features;
  features.set_name("features");
  Int64Box* box = features.mutable_space()->mutable_int64_box();
  for (auto [tensor, bound] : {std::pair{box->mutable_low(), -100}, {box->mutable_high(), 100}}) {
    tensor->add_shape(3);
    for (int i = 0; i < 3; ++i) tensor->add_value(bound);
  }
  features.set_deterministic(false);
  features.set_platform_dependent(false);

  ObservationSpace runtime;
  runtime.set_name("runtime");
  runtime.mutable_space()->mutable_double_value()->set_min(0);
  runtime.set_deterministic(false);
  runtime.set_platform_dependent(true);

  return {ir, features, runtime};
}

Status ExampleSession::init(const ActionSpace&, const Benchmark&) { return Status::OK(); }

Status ExampleSession::init(CompilationSession*) { return Status::OK(); }

Status ExampleSession::applyAction(const Event& action, bool&, std::optional<ActionSpace>&, bool&) {
  const int64_t choice = action.int64_value();
  if (choice < 0 || choice >= 3) {
    return Status(StatusCode::kInvalidArgument, "Out-of-range");
  }
  return Status::OK();
}

Status ExampleSession::computeObservation(const ObservationSpace& space, Event& observation) {
  if (space.name() == "ir") {
    observation.set_string_value("Hello, world!");
  } else if (space.name() == "features") {
    Int64Tensor* tensor = observation.mutable_int64_tensor();
    tensor->add_shape(3);
    for (int i = 0; i < 3; ++i) tensor->add_value(0);
  } else if (space.name() == "runtime") {
    observation.set_double_value(0);
  } else {
    // Unreachable through the service, which checks indices; CompilerGym aborts here.
    return Status(StatusCode::kInvalidArgument,
                  "Unknown observation space: " + quoteInput(space.name()));
  }
  return Status::OK();
}

}  // namespace cgym::example
