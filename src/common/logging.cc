// SPDX-License-Identifier: MIT
#include "common/logging.h"

#include <spdlog/sinks/stdout_sinks.h>

#include <memory>

namespace cgym {

spdlog::logger& logger() {
  // Leaked on purpose: sessions may log from threads that outlive static destruction.
  static spdlog::logger* const instance = [] {
    auto* l = new spdlog::logger("cgym", std::make_shared<spdlog::sinks::stderr_sink_mt>());
    l->set_level(spdlog::level::warn);
    l->set_pattern("%L%m%d %H:%M:%S.%f %t] %v");
    return l;
  }();
  return *instance;
}

}  // namespace cgym
