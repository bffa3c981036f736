// SPDX-License-Identifier: MIT
#include "client/reward.h"

namespace cgym::client {

using compiler_gym::Event;

Status Reward::reset(const compiler_gym::Benchmark&, ObservationView&) { return Status::OK(); }

double Reward::rewardOnError(double episodeReward) const {
  return spec_.defaultNegatesReturns ? spec_.defaultValue - episodeReward : spec_.defaultValue;
}

std::optional<double> scalarValue(const Event& event) {
  switch (event.value_case()) {
    case Event::kBooleanValue:
      return event.boolean_value() ? 1.0 : 0.0;
    case Event::kInt64Value:
      return static_cast<double>(event.int64_value());
    case Event::kFloatValue:
      return event.float_value();
    case Event::kDoubleValue:
      return event.double_value();
    default:
      return std::nullopt;
  }
}

namespace {
Reward::Spec defaultRewardSpec(const std::string& observationName) {
  Reward::Spec spec;
  spec.name = observationName;
  spec.observationSpaces = {observationName};
  return spec;
}
}  // namespace

DefaultRewardFromObservation::DefaultRewardFromObservation(const std::string& observationName)
    : Reward(defaultRewardSpec(observationName)) {}

Status DefaultRewardFromObservation::reset(const compiler_gym::Benchmark&, ObservationView&) {
  previous_ = 0;
  return Status::OK();
}

Status DefaultRewardFromObservation::update(const std::vector<Event>&,
                                            const std::vector<Event>& observations,
                                            ObservationView&, double* reward) {
  if (observations.size() != 1) {
    return Status(StatusCode::kInvalidArgument, "Reward '" + name() +
                                                    "' expects one observation, got " +
                                                    std::to_string(observations.size()));
  }
  std::optional<double> value = scalarValue(observations[0]);
  if (!value) {
    return Status(StatusCode::kInvalidArgument,
                  "Reward '" + name() + "' needs a scalar numeric observation");
  }
  *reward = *value - previous_;
  previous_ = *value;
  return Status::OK();
}

std::unique_ptr<Reward> DefaultRewardFromObservation::clone() const {
  return std::make_unique<DefaultRewardFromObservation>(*this);
}

}  // namespace cgym::client
