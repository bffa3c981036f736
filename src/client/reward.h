// SPDX-License-Identifier: MIT
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "compiler_gym_service.pb.h"

namespace cgym::client {

// Computes observations on demand, for rewards that need more than the ones they declared.
class ObservationView {
 public:
  virtual ~ObservationView() = default;
  // The current value of observation space `name`.
  virtual Status observe(const std::string& name, compiler_gym::Event* observation) = 0;
};

// A reward computed on the client from observations: CompilerGym's Reward (compiler_gym.spaces).
// Subclass it to add your own. `update` receives, in order, one observation per name in
// observationSpaces(), computed after the step's actions.
class Reward {
 public:
  struct Spec {
    std::string name;
    std::vector<std::string> observationSpaces;
    double defaultValue = 0;
    std::optional<double> min, max;
    bool defaultNegatesReturns = false;
    std::optional<double> successThreshold;
    bool deterministic = false;
    bool platformDependent = true;
  };

  explicit Reward(Spec spec) : spec_(std::move(spec)) {}
  virtual ~Reward() = default;

  const Spec& spec() const { return spec_; }
  const std::string& name() const { return spec_.name; }
  const std::vector<std::string>& observationSpaces() const { return spec_.observationSpaces; }

  // Called at the start of every episode.
  virtual Status reset(const compiler_gym::Benchmark& benchmark, ObservationView& view);
  // The reward for the actions of one step (empty for a reward read on demand).
  virtual Status update(const std::vector<compiler_gym::Event>& actions,
                        const std::vector<compiler_gym::Event>& observations, ObservationView& view,
                        double* reward) = 0;
  // A copy with the same state, for fork(); nullptr if it cannot be copied (fork fails).
  virtual std::unique_ptr<Reward> clone() const = 0;

  // The reward reported when a step fails: the default value, or the default value minus
  // the episode's reward so far if defaultNegatesReturns.
  double rewardOnError(double episodeReward) const;

 private:
  Spec spec_;
};

// The reward CompilerGym synthesises for a scalar observation with a numeric default value:
// the change of the observation since the previous step (0 before the first).
class DefaultRewardFromObservation final : public Reward {
 public:
  explicit DefaultRewardFromObservation(const std::string& observationName);
  Status reset(const compiler_gym::Benchmark& benchmark, ObservationView& view) override;
  Status update(const std::vector<compiler_gym::Event>& actions,
                const std::vector<compiler_gym::Event>& observations, ObservationView& view,
                double* reward) override;
  std::unique_ptr<Reward> clone() const override;

 private:
  double previous_ = 0;
};

// The value of a scalar numeric event (bool, int64, float, double), or nullopt.
std::optional<double> scalarValue(const compiler_gym::Event& event);

}  // namespace cgym::client
