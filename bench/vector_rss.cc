// SPDX-License-Identifier: MIT
// Memory of a vector env: the RSS (VmRSS) of this client process and of its services, sampled
// every N vector steps, for a vector env of many example sessions and one of LLVM sessions.
// The envs are reset after each sample, so that what an episode keeps (its actions) stays
// bounded and growth between samples is a leak. Prints JSON.
//   cgym_bench_vector_rss SERVICE [--example-envs 1000] [--llvm-envs 100] [--steps 10000]
//                         [--every 1000] [--llvm-steps 1000] [--llvm-every 100]
//                         [--services 2]
// SERVICE is the example service binary; the LLVM service is found as cgym_make() finds it
// (CGYM_LLVM_SERVICE, or next to libcgym); --llvm-envs 0 leaves LLVM out.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "bench_util.h"

using namespace cgym_bench;

namespace {

long selfRssKiB() { return procStatusKiB(getpid(), "VmRSS"); }

// The RSS of this process's live children running `binary`: the managed services, which the
// API does not name.
long childrenRssKiB(const std::string& binary) {
  std::error_code ec;
  const std::filesystem::path real = std::filesystem::canonical(binary, ec);
  long total = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename();
    if (name.empty() || name[0] < '0' || name[0] > '9') continue;
    std::ifstream stat(entry.path() / "stat");
    std::string line;
    if (!std::getline(stat, line)) continue;
    const size_t paren = line.rfind(')');
    if (paren == std::string::npos) continue;
    char state = 0;
    long ppid = 0;
    if (std::sscanf(line.c_str() + paren + 1, " %c %ld", &state, &ppid) != 2) continue;
    if (ppid != getpid() || state == 'Z') continue;
    std::error_code exeError;
    if (std::filesystem::read_symlink(entry.path() / "exe", exeError) != real) continue;
    const long kib = procStatusKiB(static_cast<pid_t>(std::atol(name.c_str())), "VmRSS");
    if (kib > 0) total += kib;
  }
  return total;
}

// Steps a vector env of `numEnvs` envs (by `id`, or the example service's envs for id NULL) on
// `numServices` services of `binary` for `steps` vector steps with random actions in
// [0, numActions), sampling the RSS every `every` steps. Returns a JSON object. The services
// are unmanaged, or, with `managed`, managed by the vector env (replaced if one dies, as an
// LLVM pass may crash its service).
std::string measure(const char* id, const std::string& binary, size_t numEnvs, int numServices,
                    long steps, long every, int64_t numActions, bool managed) {
  std::vector<std::unique_ptr<ServiceProcess>> services;
  std::string endpoint = managed ? binary : "";
  for (int i = 0; !managed && i < numServices; ++i) {
    services.push_back(std::make_unique<ServiceProcess>(binary));
    endpoint += (i ? "," : "") + services.back()->endpoint();
  }
  auto servicesKiB = [&] {
    if (managed) return childrenRssKiB(binary);
    long total = 0;
    for (auto& service : services) total += procStatusKiB(service->pid(), "VmRSS");
    return total;
  };
  cgym_options_t* options = nullptr;
  check(cgym_options_new(&options), "cgym_options_new");
  if (!id) {
    check(cgym_options_set_benchmark(options, "benchmark://bench/x", nullptr, 0),
          "cgym_options_set_benchmark");
  }
  cgym_vec_env_t* vec = nullptr;
  const long before = selfRssKiB();
  check(cgym_vec_env_new(&vec, id, endpoint.c_str(), numEnvs, static_cast<size_t>(numServices),
                         options),
        "cgym_vec_env_new");
  cgym_options_free(options);
  check(cgym_vec_env_reset(vec, nullptr, nullptr), "cgym_vec_env_reset");
  std::string json =
      "{\"envs\": " + std::to_string(numEnvs) + ", \"services\": " + std::to_string(numServices) +
      ", \"managed\": " + (managed ? "true" : "false") + ", \"steps\": " + std::to_string(steps) +
      ", \"every\": " + std::to_string(every) + ", \"client_idle_kib\": " + std::to_string(before) +
      ", \"after_reset\": {\"client_kib\": " + std::to_string(selfRssKiB()) +
      ", \"services_kib\": " + std::to_string(servicesKiB()) + "}, \"samples\": [";
  std::mt19937_64 random(0);
  std::uniform_int_distribution<int64_t> pick(0, numActions - 1);
  std::vector<int64_t> actions(numEnvs);
  const auto start = std::chrono::steady_clock::now();
  for (long step = 1; step <= steps; ++step) {
    for (int64_t& action : actions) action = pick(random);
    check(cgym_vec_env_step(vec, actions.data(), actions.size(), nullptr), "cgym_vec_env_step");
    if (step % every == 0) {
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      json += std::string(step == every ? "" : ", ") + "{\"step\": " + std::to_string(step) +
              ", \"client_kib\": " + std::to_string(selfRssKiB()) +
              ", \"services_kib\": " + std::to_string(servicesKiB()) +
              ", \"seconds\": " + std::to_string(seconds) + "}";
      std::fprintf(stderr, "vector_rss: %s: %ld/%ld steps, %.0f s\n", id ? id : "example", step,
                   steps, seconds);
      check(cgym_vec_env_reset(vec, nullptr, nullptr), "cgym_vec_env_reset");
    }
  }
  json += "]}";
  cgym_vec_env_free(vec);
  return json;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) die("usage: cgym_bench_vector_rss SERVICE [--example-envs N] [--llvm-envs N] ...");
  setenv("GRPC_VERBOSITY", "NONE", 0);
  const std::string binary = argv[1];
  long exampleEnvs = 1000, llvmEnvs = 100, steps = 10000, every = 1000, llvmSteps = 1000,
       llvmEvery = 100, numServices = 2;
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const long value = std::atol(argv[i + 1]);
    if (flag == "--example-envs") {
      exampleEnvs = value;
    } else if (flag == "--llvm-envs") {
      llvmEnvs = value;
    } else if (flag == "--steps") {
      steps = value;
    } else if (flag == "--every") {
      every = value;
    } else if (flag == "--llvm-steps") {
      llvmSteps = value;
    } else if (flag == "--llvm-every") {
      llvmEvery = value;
    } else if (flag == "--services") {
      numServices = value;
    } else {
      die("unknown flag " + flag);
    }
  }
  if (every <= 0 || llvmEvery <= 0 || numServices <= 0) die("--every and --services must be > 0");

  std::string json =
      "{\"example\": " +
      measure(nullptr, binary, exampleEnvs, static_cast<int>(numServices), steps, every, 3, false);
  if (llvmEnvs > 0) {
    char* llvm = nullptr;
    if (cgym_env_service_path("llvm-autophase-ic-v0", 0, &llvm) != CGYM_OK) {
      // Not built or installed: the figure is left out, with the reason.
      std::fprintf(stderr, "vector_rss: no LLVM service: %s\n", cgym_last_error_message());
      std::printf("%s}\n", json.c_str());
      stopAllServices();
      return 0;
    }
    const std::string llvmBinary = llvm;
    cgym_free(llvm);
    // The number of actions of the LLVM action space, from one env.
    int64_t numActions = 0;
    {
      cgym_env_t* env = nullptr;
      check(cgym_make(&env, "llvm-autophase-ic-v0", llvmBinary.c_str(), nullptr), "cgym_make");
      size_t count = 0;
      check(cgym_space_name_count(cgym_action_space_space(cgym_env_action_space(env)), &count),
            "cgym_space_name_count");
      numActions = static_cast<int64_t>(count);
      cgym_env_free(env);
    }
    json += ", \"llvm\": " + measure("llvm-autophase-ic-v0", llvmBinary, llvmEnvs,
                                     static_cast<int>(numServices), llvmSteps, llvmEvery,
                                     numActions, true);
  }
  json += "}";
  std::printf("%s\n", json.c_str());
  stopAllServices();
  return 0;
}
