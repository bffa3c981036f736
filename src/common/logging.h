// SPDX-License-Identifier: MIT
#pragma once

#include <spdlog/logger.h>

namespace cgym {

// The library's own logger. It is never registered in spdlog's global registry and never
// touches the default logger, so loading libcgym into a process (Python, Java, Rust) leaves
// that process's logging setup alone. By default it writes warnings and errors to stderr;
// a service process reconfigures it (see service_main.cc).
spdlog::logger& logger();

}  // namespace cgym
