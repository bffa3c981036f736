// SPDX-License-Identifier: MIT
// Timeouts given in seconds (doubles, as CompilerGym takes them): checking them and turning
// them into deadlines without overflow.
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <thread>

#include "common/status.h"

namespace cgym {

// INVALID_ARGUMENT unless `seconds` is a number >= 0 (+infinity included: no limit).
inline Status checkSeconds(const char* what, double seconds) {
  if (seconds >= 0) return Status::OK();  // false for NaN
  char value[64];
  std::snprintf(value, sizeof value, "%g", seconds);
  return Status(
      StatusCode::kInvalidArgument,
      std::string(what) + " must be a number of seconds >= 0 (or infinity), got " + value);
}

// The time `seconds` after `now`. Saturates: +infinity, or any time past what the clock can
// represent, is time_point::max(), which gRPC and the standard library take as "never". NaN
// and values <= 0 are `now`.
template <typename Clock>
typename Clock::time_point deadlineAfter(double seconds,
                                         typename Clock::time_point now = Clock::now()) {
  if (!(seconds > 0)) return now;
  const std::chrono::duration<double> room = Clock::time_point::max() - now;
  // A second of margin: converting a double near the limit to ticks may round up past it.
  if (seconds >= room.count() - 1) return Clock::time_point::max();
  return now + std::chrono::duration_cast<typename Clock::duration>(
                   std::chrono::duration<double>(seconds));
}

// Seconds elapsed on the steady clock since `start`.
inline double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Sleeps `seconds`; nothing for NaN or values <= 0. Capped (at about 31 years), because
// converting an infinite duration overflows.
inline void sleepSeconds(double seconds) {
  if (!(seconds > 0)) return;
  std::this_thread::sleep_for(std::chrono::duration<double>(std::min(seconds, 1e9)));
}

// Python's "%.1f" of a float, as CompilerGym's messages print seconds.
inline std::string oneDecimal(double seconds) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.1f", seconds);
  return buffer;
}

}  // namespace cgym
