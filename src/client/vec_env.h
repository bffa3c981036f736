// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "client/env.h"
#include "client/step_queue.h"
#include "common/status.h"

namespace cgym::client {

// What happens to an env whose episode ends (gymnasium's AutoresetMode; cgym.h's values).
enum class AutoresetMode : int32_t { kNextStep = 0, kSameStep = 1, kDisabled = 2 };

// Makes one env connected to `endpoint`; for a managed endpoint, on a service of its own.
using EnvMaker = std::function<Status(const std::string& endpoint, std::unique_ptr<Env>* out)>;

// Makes `numEnvs` envs placed as cgym_vec_env_new() says: over `numServices` managed services
// (0: one per core), one in-process service, or a comma-separated list of endpoints, env i on
// service i % count. The first env of each service comes from `maker`, the others are its
// siblings (Env::sibling()). `kind` is the endpoint's (endpointKind(), or as the caller knows
// it for an env id). *servicesUsed receives the number of services.
Status makeEnvs(const std::string& endpoint, Connection::Kind kind, size_t numEnvs,
                size_t numServices, const EnvMaker& maker, std::vector<std::unique_ptr<Env>>* out,
                size_t* servicesUsed);

// Envs stepped together through a StepQueue, with gymnasium's autoreset modes. The envs are
// the caller's and must outlive this object; between calls the caller may use them directly.
class VecEnv {
 public:
  explicit VecEnv(std::vector<Env*> envs);

  size_t size() const { return envs_.size(); }
  AutoresetMode autoreset() const { return mode_; }
  Status setAutoreset(int32_t mode);

  // Resets the envs whose mask entry is non-zero (null: all); see cgym_vec_env_reset().
  Status reset(const uint8_t* mask, double timeout);
  // One action index per env, all in flight at once; see cgym_vec_env_step().
  Status step(const std::vector<int64_t>& actions, double timeout);

  // Env i's latest outcome; null before any.
  const StepOutcome* result(size_t i) const { return results_[i] ? &*results_[i] : nullptr; }
  // With kSameStep, the outcome of the step that ended env i's episode in the last step().
  const StepOutcome* finalResult(size_t i) const { return finals_[i] ? &*finals_[i] : nullptr; }

 private:
  // Resets env i now; its outcome is the reset's (or the error's).
  Status resetOne(size_t i, double timeout);
  // Keeps env i's step outcome (a failed one as failed() makes it) and whether it ended.
  void record(size_t i, StepOutcome outcome);
  // The outcome of a step that failed with `status`: the episode is over.
  StepOutcome failed(size_t i, const Status& status) const;

  std::vector<Env*> envs_;
  AutoresetMode mode_ = AutoresetMode::kNextStep;
  std::vector<std::optional<StepOutcome>> results_, finals_;
  std::vector<bool> ended_;  // the episode ended at the last step (for kNextStep)
  StepQueue queue_;
};

}  // namespace cgym::client
