// SPDX-License-Identifier: MIT
//
// CpuInfo: the host CPU, from /proc/cpuinfo and the kernel's cache topology in sysfs.
#include <cctype>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <utility>

#include "features.h"
#include "nlohmann/json.hpp"

namespace cgym::llvm_env {
namespace {

namespace fs = std::filesystem;

std::string trim(const std::string& text) {
  const size_t begin = text.find_first_not_of(" \t\n");
  if (begin == std::string::npos) return "";
  return text.substr(begin, text.find_last_not_of(" \t\n") - begin + 1);
}

std::string readLine(const fs::path& path) {
  std::ifstream file(path);
  std::string line;
  std::getline(file, line);
  return trim(line);
}

// "48K" -> 49152; -1 when unreadable.
int64_t parseSize(const std::string& text) {
  if (text.empty() || !std::isdigit(static_cast<unsigned char>(text[0]))) return -1;
  size_t end = 0;
  int64_t value = std::stoll(text, &end);
  const std::string unit = text.substr(end);
  if (unit == "K") value <<= 10;
  if (unit == "M") value <<= 20;
  if (unit == "G") value <<= 30;
  return value;
}

// The marketing name without trademarks, the word "CPU" and the frequency, like the
// cpuinfo library that CompilerGym uses ("Intel(R) Xeon(R) CPU E5-2680 v4 @ 2.40GHz" ->
// "Intel Xeon E5-2680 v4").
std::string normalizeName(std::string name) {
  for (const char* mark : {"(R)", "(r)", "(TM)", "(tm)"}) {
    for (size_t at = name.find(mark); at != std::string::npos; at = name.find(mark)) {
      name.erase(at, std::string(mark).size());
    }
  }
  name = name.substr(0, name.find('@'));
  std::istringstream words(name);
  std::string word, result;
  while (words >> word) {
    if (word == "CPU") continue;
    result += (result.empty() ? "" : " ") + word;
  }
  return result;
}

// "cpu0", "cpu17", but not "cpufreq" or "cpuidle".
bool isCpuDirectory(const std::string& name) {
  return name.size() > 3 && name.rfind("cpu", 0) == 0 &&
         name.find_first_not_of("0123456789", 3) == std::string::npos;
}

}  // namespace

std::string cpuInfoJson() {
  // /proc/cpuinfo: the first model name, and the physical cores as distinct
  // (package, core) pairs; logical processors when the kernel does not say.
  std::string name;
  std::set<std::pair<std::string, std::string>> cores;
  int64_t processors = 0;
  {
    std::ifstream cpuinfo("/proc/cpuinfo");
    std::string line, package;
    while (std::getline(cpuinfo, line)) {
      const size_t colon = line.find(':');
      if (colon == std::string::npos) continue;
      const std::string key = trim(line.substr(0, colon));
      const std::string value = trim(line.substr(colon + 1));
      if (key == "processor") {
        ++processors;
        package.clear();
      } else if (key == "physical id") {
        package = value;
      } else if (key == "core id") {
        cores.emplace(package, value);
      } else if (name.empty() &&
                 (key == "model name" || key == "Model name" || key == "cpu model")) {
        name = normalizeName(value);
      }
    }
  }
  int64_t coresCount = !cores.empty() ? static_cast<int64_t>(cores.size()) : processors;
  if (coresCount == 0) coresCount = std::thread::hardware_concurrency();

  // sysfs: every cache of every CPU, identified by the CPUs that share it.
  struct Cache {
    int64_t size = -1;
    std::set<std::string> instances;
  };
  std::map<std::string, Cache> caches;  // "l1i", "l1d", "l2", ...
  std::error_code ec;
  for (const auto& cpu : fs::directory_iterator("/sys/devices/system/cpu", ec)) {
    if (!isCpuDirectory(cpu.path().filename().string())) continue;
    for (const auto& index : fs::directory_iterator(cpu.path() / "cache", ec)) {
      if (index.path().filename().string().rfind("index", 0) != 0) continue;
      const std::string level = readLine(index.path() / "level");
      const std::string type = readLine(index.path() / "type");
      std::string key = "l" + level;
      if (level == "1" && type == "Instruction") key = "l1i";
      if (level == "1" && type == "Data") key = "l1d";
      if (level == "1" && type == "Unified") key = "l1d";  // A unified L1 serves data.
      Cache& cache = caches[key];
      if (cache.size < 0) cache.size = parseSize(readLine(index.path() / "size"));
      cache.instances.insert(readLine(index.path() / "shared_cpu_list"));
    }
  }

  // CompilerGym reports the number of L1d caches as the L1i count too; we report each level's
  // own count (they are equal on common machines).
  nlohmann::json info;
  info["name"] = name;
  info["cores_count"] = coresCount;
  for (const char* level : {"l1i", "l1d", "l2", "l3", "l4"}) {
    const auto it = caches.find(level);
    const bool present = it != caches.end();
    info[std::string(level) + "_cache_size"] = present ? it->second.size : -1;
    info[std::string(level) + "_cache_count"] =
        present ? static_cast<int64_t>(it->second.instances.size()) : 0;
  }
  return info.dump();
}

}  // namespace cgym::llvm_env
