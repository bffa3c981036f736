// SPDX-License-Identifier: MIT
// Helpers shared by the benchmark programs: running a service process (CompilerGym's
// port.txt protocol), reading a process's memory use, failing loudly.
#pragma once

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "cgym.h"

extern char** environ;

namespace cgym_bench {

// The service processes running now, stopped by stopAllServices() (and die()).
inline std::vector<pid_t>& liveServices() {
  static std::vector<pid_t> pids;
  return pids;
}

// SIGKILL: the benchmarks leave their sessions and connections open, and a service stopped
// gracefully with a client still connected takes seconds to exit.
inline void stopAllServices() {
  for (pid_t pid : liveServices()) kill(pid, SIGKILL);
  for (pid_t pid : liveServices()) waitpid(pid, nullptr, 0);
  liveServices().clear();
}

[[noreturn]] inline void die(const std::string& what) {
  std::fprintf(stderr, "bench: %s\n", what.c_str());
  stopAllServices();
  std::_Exit(2);
}

inline void check(cgym_status_t status, const char* what) {
  if (status != CGYM_OK) {
    die(std::string(what) + ": " + cgym_status_name(status) + ": " + cgym_last_error_message());
  }
}

// A service binary run as CompilerGym runs one: --working_dir, then port.txt. Stopped with
// SIGTERM when destroyed.
class ServiceProcess {
 public:
  explicit ServiceProcess(const std::string& binary, std::vector<std::string> args = {}) {
    std::string pattern = (std::filesystem::temp_directory_path() / "cgym-bench-XXXXXX").string();
    if (!mkdtemp(pattern.data())) die("mkdtemp failed");
    dir_ = pattern;
    args.insert(args.begin(), binary);
    args.push_back("--working_dir=" + dir_.string());
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    if (posix_spawn(&pid_, binary.c_str(), nullptr, nullptr, argv.data(), environ) != 0) {
      die("cannot start " + binary);
    }
    liveServices().push_back(pid_);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      std::ifstream in(dir_ / "port.txt");
      if (in && (in >> port_) && port_ > 0) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    die(binary + " wrote no port.txt");
  }
  ~ServiceProcess() {
    auto& pids = liveServices();
    for (size_t i = 0; i < pids.size(); ++i) {
      if (pids[i] != pid_) continue;
      pids.erase(pids.begin() + static_cast<long>(i));
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
      break;
    }
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  ServiceProcess(const ServiceProcess&) = delete;
  ServiceProcess& operator=(const ServiceProcess&) = delete;

  pid_t pid() const { return pid_; }
  // The endpoint to dial: IPv4 loopback, as the raw reference.
  std::string endpoint() const { return "127.0.0.1:" + std::to_string(port_); }

 private:
  std::filesystem::path dir_;
  pid_t pid_ = 0;
  int port_ = 0;
};

// A field of /proc/PID/status in KiB (VmRSS, VmHWM), or -1.
inline long procStatusKiB(pid_t pid, const std::string& field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(field + ":", 0) == 0) return std::atol(line.c_str() + field.size() + 1);
  }
  return -1;
}

// An env connected to `endpoint` with an episode started on benchmark://bench/x.
inline cgym_env_t* connectAndReset(const std::string& endpoint) {
  cgym_options_t* options = nullptr;
  check(cgym_options_new(&options), "cgym_options_new");
  check(cgym_options_set_benchmark(options, "benchmark://bench/x", nullptr, 0),
        "cgym_options_set_benchmark");
  cgym_env_t* env = nullptr;
  check(cgym_connect(&env, endpoint.c_str(), options), "cgym_connect");
  cgym_options_free(options);
  check(cgym_env_reset(env, nullptr, nullptr), "cgym_env_reset");
  return env;
}

}  // namespace cgym_bench
