// SPDX-License-Identifier: MIT
// Environments by name (cgym_make), their cost rewards, datasets and user benchmarks: the C ABI
// over src/client/environments.h.
#include <cstdlib>
#include <cstring>
#include <vector>

#include "capi/capi_internal.h"
#include "capi/client_types.h"
#include "client/environments.h"

using namespace cgym;
using namespace cgym::capi;

namespace {

// make(id, "inproc") loads the LLVM plugin through cgym_service_register_plugin()'s code.
const bool pluginLoaderInstalled = [] {
  client::setPluginLoader([](const std::string& name, const std::string& path) {
    return registerPlugin(name.c_str(), path.c_str());
  });
  return true;
}();

// A NULL-terminated array of owned strings (cgym_free_strings()).
char** ownedStrings(const std::vector<std::string>& strings) {
  char** out = static_cast<char**>(std::calloc(strings.size() + 1, sizeof(char*)));
  if (!out) throw std::bad_alloc();
  for (size_t i = 0; i < strings.size(); ++i) out[i] = ownedString(strings[i]);
  return out;
}

Status stringList(const char* const* items, size_t count, const char* what,
                  std::vector<std::string>* out) {
  if (count > 0 && !items) return nullArgument(what);
  for (size_t i = 0; i < count; ++i) {
    if (!items[i]) return nullArgument(what);
    out->push_back(items[i]);
  }
  return Status::OK();
}

// The benchmark's URI and bitcode in memory the caller owns.
Status giveBenchmark(const compiler_gym::Benchmark& benchmark, char** uri, void** bitcode,
                     size_t* length) {
  const std::string& contents = benchmark.program().contents();
  void* bytes = std::malloc(contents.empty() ? 1 : contents.size());
  if (!bytes) throw std::bad_alloc();
  std::memcpy(bytes, contents.data(), contents.size());
  *uri = ownedString(benchmark.uri());
  *bitcode = bytes;
  *length = contents.size();
  return Status::OK();
}

}  // namespace

client::MakeOptions makeOptionsFrom(const cgym_options_t* options) {
  client::MakeOptions make;
  if (options) {
    make.connection = options->connection;
    make.benchmark = options->benchmark;
    make.observation_space = options->observationSpace;
    make.reward_space = options->rewardSpace;
    make.action_space = options->actionSpace;
  }
  return make;
}

extern "C" {

cgym_status_t cgym_env_ids(char*** ids, size_t* count) {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(ids);
    CGYM_CHECK_ARG(count);
    *ids = ownedStrings(client::environmentIds());
    *count = client::environmentIds().size();
    return Status::OK();
  });
}

cgym_status_t cgym_env_service_path(const char* id, int plugin, char** path) {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(id);
    CGYM_CHECK_ARG(path);
    std::string found;
    CGYM_RETURN_IF_ERROR(client::findEnvironmentService(id, plugin != 0, &found));
    *path = ownedString(found);
    return Status::OK();
  });
}

cgym_status_t cgym_make(cgym_env_t** out, const char* id, const char* endpoint,
                        const cgym_options_t* options) {
  (void)pluginLoaderInstalled;
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(out);
    CGYM_CHECK_ARG(id);
    auto env = std::make_unique<cgym_env>();
    CGYM_RETURN_IF_ERROR(
        client::make(id, endpoint ? endpoint : "", makeOptionsFrom(options), &env->env));
    *out = env.release();
    return Status::OK();
  });
}

cgym_status_t cgym_env_add_cost_reward(cgym_env_t* env, const char* name, const char* cost_space,
                                       const char* initial_cost_space,
                                       const char* baseline_cost_space,
                                       cgym_cost_reward_kind_t kind, int deterministic,
                                       int platform_dependent) {
  return guard([&]() -> Status {
    if (!env || !env->env) return nullArgument("env");
    CGYM_CHECK_ARG(name);
    CGYM_CHECK_ARG(cost_space);
    CGYM_CHECK_ARG(initial_cost_space);
    for (const char* space : {cost_space, initial_cost_space, baseline_cost_space}) {
      if (space && !env->env->findObservationSpace(space)) {
        return Status(StatusCode::kNotFound, std::string("Observation space not found: ") + space);
      }
    }
    std::unique_ptr<client::CostReward> reward;
    CGYM_RETURN_IF_ERROR(client::CostReward::create(
        name, cost_space, initial_cost_space, baseline_cost_space ? baseline_cost_space : "",
        static_cast<client::CostReward::Kind>(kind), deterministic != 0, platform_dependent != 0,
        &reward));
    env->env->addReward(std::move(reward));
    return Status::OK();
  });
}

cgym_status_t cgym_datasets(const char* env_id, char*** names, size_t* count) {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(env_id);
    CGYM_CHECK_ARG(names);
    CGYM_CHECK_ARG(count);
    std::vector<std::string> found;
    CGYM_RETURN_IF_ERROR(client::datasetNames(env_id, &found));
    *names = ownedStrings(found);
    *count = found.size();
    return Status::OK();
  });
}

cgym_status_t cgym_dataset_info(const char* dataset, char** description, uint64_t* size) {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(dataset);
    client::DatasetInfo info;
    CGYM_RETURN_IF_ERROR(client::datasetInfo(dataset, &info));
    if (description) *description = ownedString(info.description);
    if (size) *size = info.size;
    return Status::OK();
  });
}

cgym_status_t cgym_dataset_benchmark_at(const char* dataset, uint64_t index, char** uri) {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(dataset);
    CGYM_CHECK_ARG(uri);
    std::string found;
    CGYM_RETURN_IF_ERROR(client::datasetBenchmarkAt(dataset, index, &found));
    *uri = ownedString(found);
    return Status::OK();
  });
}

cgym_status_t cgym_dataset_random_benchmark(const char* dataset, uint64_t seed, char** uri) {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(dataset);
    CGYM_CHECK_ARG(uri);
    std::string found;
    CGYM_RETURN_IF_ERROR(client::datasetRandomBenchmark(dataset, seed, &found));
    *uri = ownedString(found);
    return Status::OK();
  });
}

cgym_status_t cgym_make_benchmark(const char* const* paths, size_t num_paths,
                                  const char* const* copts, size_t num_copts, char** uri,
                                  void** bitcode, size_t* length) {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(uri);
    CGYM_CHECK_ARG(bitcode);
    CGYM_CHECK_ARG(length);
    std::vector<std::string> inputs, flags;
    CGYM_RETURN_IF_ERROR(stringList(paths, num_paths, "paths", &inputs));
    CGYM_RETURN_IF_ERROR(stringList(copts, num_copts, "copts", &flags));
    compiler_gym::Benchmark benchmark;
    CGYM_RETURN_IF_ERROR(client::makeBenchmark(inputs, flags, &benchmark));
    return giveBenchmark(benchmark, uri, bitcode, length);
  });
}

cgym_status_t cgym_make_benchmark_from_source(const char* source, const char* language,
                                              const char* const* copts, size_t num_copts,
                                              char** uri, void** bitcode, size_t* length) {
  return guard([&]() -> Status {
    CGYM_CHECK_ARG(source);
    CGYM_CHECK_ARG(language);
    CGYM_CHECK_ARG(uri);
    CGYM_CHECK_ARG(bitcode);
    CGYM_CHECK_ARG(length);
    std::vector<std::string> flags;
    CGYM_RETURN_IF_ERROR(stringList(copts, num_copts, "copts", &flags));
    compiler_gym::Benchmark benchmark;
    CGYM_RETURN_IF_ERROR(client::makeBenchmarkFromSource(source, language, flags, &benchmark));
    return giveBenchmark(benchmark, uri, bitcode, length);
  });
}

}  // extern "C"
