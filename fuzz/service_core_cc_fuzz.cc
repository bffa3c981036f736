// SPDX-License-Identifier: MIT
// Fuzzer (a): every RPC into ServiceCore with the C++ example session (services/example_cc),
// as a sequence of requests that keeps its sessions across calls (service_core_driver.h).
#include <cstddef>
#include <cstdint>
#include <memory>

#include "example_cc/example_session.h"
#include "service_core_driver.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const cgym::SessionFactory factory = [](const std::filesystem::path& workingDirectory) {
    return std::make_unique<cgym::example::ExampleSession>(workingDirectory);
  };
  cgym::fuzz::ServiceCoreDriver driver(factory, cgym::fuzz::fuzzWorkingDirectory(), data[0]);
  driver.run(data + 1, size - 1);
  return 0;
}
