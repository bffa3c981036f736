// SPDX-License-Identifier: MIT
// Memory of a service process (the C++ example service): peak RSS (VmHWM) with 1, 100 and
// 1000 open sessions, and RSS growth over many steps of one session. Prints JSON.
//   cgym_bench_rss SERVICE [--steps N] [--sessions 1,100,1000]
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

#include "bench_util.h"

using namespace cgym_bench;

int main(int argc, char** argv) {
  if (argc < 2) die("usage: cgym_bench_rss SERVICE [--steps N] [--sessions 1,100,1000]");
  setenv("GRPC_VERBOSITY", "NONE", 0);
  const std::string binary = argv[1];
  long steps = 100000;
  std::vector<long> counts = {1, 100, 1000};
  for (int i = 2; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--steps") == 0) {
      steps = std::atol(argv[i + 1]);
    } else if (std::strcmp(argv[i], "--sessions") == 0) {
      counts.clear();
      std::stringstream list(argv[i + 1]);
      for (std::string item; std::getline(list, item, ',');)
        counts.push_back(std::atol(item.c_str()));
    } else {
      die(std::string("unknown flag ") + argv[i]);
    }
  }

  std::string json = "{";
  {
    // Sessions: one env and its forks (ForkSession on the same service).
    ServiceProcess service(binary);
    cgym_env_t* env = connectAndReset(service.endpoint());
    std::vector<cgym_env_t*> forks;
    json += "\"idle_kib\": " + std::to_string(procStatusKiB(service.pid(), "VmRSS"));
    json += ", \"peak_rss_kib\": {";
    for (size_t c = 0; c < counts.size(); ++c) {
      while (static_cast<long>(forks.size()) + 1 < counts[c]) {
        cgym_env_t* fork = nullptr;
        check(cgym_fork(env, &fork), "cgym_fork");
        forks.push_back(fork);
      }
      json += (c ? ", \"" : "\"") + std::to_string(counts[c]) +
              "\": " + std::to_string(procStatusKiB(service.pid(), "VmHWM"));
    }
    json += "}";
    for (cgym_env_t* fork : forks) cgym_env_free(fork);
    cgym_env_free(env);
  }
  {
    // Steps on a fresh service: RSS after a warm-up, then after `steps` more steps.
    ServiceProcess service(binary);
    cgym_env_t* env = connectAndReset(service.endpoint());
    int done = 0;
    const long warmup = steps / 10;
    for (long i = 0; i < warmup; ++i) check(cgym_step_index(env, 0, &done, nullptr), "step");
    const long before = procStatusKiB(service.pid(), "VmRSS");
    for (long i = 0; i < steps; ++i) check(cgym_step_index(env, 0, &done, nullptr), "step");
    const long after = procStatusKiB(service.pid(), "VmRSS");
    json += ", \"steps\": " + std::to_string(steps) +
            ", \"rss_before_steps_kib\": " + std::to_string(before) +
            ", \"rss_after_steps_kib\": " + std::to_string(after);
    cgym_env_free(env);
  }
  json += "}";
  std::printf("%s\n", json.c_str());
  return 0;
}
