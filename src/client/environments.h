// SPDX-License-Identifier: MIT
// Environments by name (the LLVM environment and its variants), their rewards, datasets and
// user benchmarks: what cgym_make(), cgym_datasets() and cgym_make_benchmark() are made of, for
// C++ users of the client. See docs/llvm.md.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "client/env.h"
#include "client/reward.h"
#include "common/status.h"

namespace cgym::client {

// The ids make() accepts, in order: llvm-v0, llvm-ic-v0, llvm-codesize-v0,
// llvm-autophase-ic-v0, llvm-autophase-codesize-v0.
const std::vector<std::string>& environmentIds();

// Where make() finds the compiler of `id`: the service binary or the plugin (see cgym_make()
// in cgym.h). NOT_FOUND for an unknown id; ENVIRONMENT_NOT_SUPPORTED if not installed.
Status findEnvironmentService(const std::string& id, bool plugin, std::string* path);

// Loads a session plugin and registers it in-process under `name` (cgym_service_register_plugin),
// for make(id, "inproc"). libcgym installs it; without one, "inproc" is FAILED_PRECONDITION.
using PluginLoader = std::function<Status(const std::string& name, const std::string& path)>;
void setPluginLoader(PluginLoader loader);

// Options of make(): unset spaces and benchmark keep the id's defaults; "" means none.
struct MakeOptions {
  ConnectionOpts connection;
  std::optional<compiler_gym::Benchmark> benchmark;
  std::optional<std::string> observation_space;
  std::optional<std::string> reward_space;
  std::optional<std::string> action_space;
};

// Makes an env by id. `endpoint`: "" for a managed service, "inproc" for the plugin in this
// process, or anything cgym_connect() accepts. Errors as cgym_make().
Status make(const std::string& id, const std::string& endpoint, MakeOptions options,
            std::unique_ptr<Env>* out);

// CompilerGym's cost rewards (CostFunctionReward, NormalizedReward,
// BaselineImprovementNormalizedReward): the decrease of a scalar cost observation.
class CostReward final : public Reward {
 public:
  enum class Kind { kDelta = 0, kNormalized = 1, kBaseline = 2 };
  // INVALID_ARGUMENT for a baseline kind without a baseline space.
  static Status create(const std::string& name, const std::string& costSpace,
                       const std::string& initialCostSpace, const std::string& baselineCostSpace,
                       Kind kind, bool deterministic, bool platformDependent,
                       std::unique_ptr<CostReward>* out);

  Status reset(const compiler_gym::Benchmark& benchmark, ObservationView& view) override;
  Status update(const std::vector<compiler_gym::Event>& actions,
                const std::vector<compiler_gym::Event>& observations, ObservationView& view,
                double* reward) override;
  std::unique_ptr<Reward> clone() const override;

 private:
  CostReward(Spec spec, std::string initialCostSpace, std::string baselineCostSpace, Kind kind);
  Status readScalar(ObservationView& view, const std::string& space, double* value) const;

  std::string initialCostSpace_, baselineCostSpace_;
  Kind kind_;
  std::optional<double> previousCost_;
  // C0 and the divisor, kept for the benchmark they were read for.
  std::optional<double> initialCost_, norm_;
  std::string costBenchmark_;
  std::string benchmark_;  // of the current episode
};

// The twelve rewards of the LLVM environment, in the order cgym.h lists them.
std::vector<std::unique_ptr<Reward>> llvmRewards();

// Datasets (see cgym_datasets() and friends in cgym.h).
Status datasetNames(const std::string& envId, std::vector<std::string>* names);
struct DatasetInfo {
  std::string name;
  std::string description;
  uint64_t size = 0;  // 0: a generator without end
};
Status datasetInfo(const std::string& dataset, DatasetInfo* info);
Status datasetBenchmarkAt(const std::string& dataset, uint64_t index, std::string* uri);
Status datasetRandomBenchmark(const std::string& dataset, uint64_t seed, std::string* uri);

// User benchmarks (see cgym_make_benchmark()). `out` gets the URI and the bitcode.
Status makeBenchmark(const std::vector<std::string>& paths, const std::vector<std::string>& copts,
                     compiler_gym::Benchmark* out);
Status makeBenchmarkFromSource(const std::string& source, const std::string& language,
                               const std::vector<std::string>& copts, compiler_gym::Benchmark* out);

}  // namespace cgym::client
