// SPDX-License-Identifier: MIT
// Fuzzer (b): every RPC into ServiceCore with sessions written in C on cgym.h's vtable, as a
// sequence of requests that keeps its sessions across calls (service_core_driver.h). The
// sessions are registered as a C program registers them (cgym_service_register()), and the
// fuzzer takes the session factory of that registration, so the C session adapter of
// src/capi/service.cc is what ServiceCore calls. Bit 2 of the options byte picks the session:
// the C example (services/example/example_session.c) or fuzz_c_session.c, which uses every slot.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "cgym.h"
#include "client/inprocess_transport.h"
#include "fuzz_c_session.h"
// The C example's header is plain C.
extern "C" {
#include "example/example_session.h"
}
#include "service_core_driver.h"

namespace {

cgym::SessionFactory registered(const char* name, cgym_status_t (*make)(cgym_service_def_t**)) {
  cgym_service_def_t* def = nullptr;
  if (make(&def) != CGYM_OK || cgym_service_register(name, def) != CGYM_OK) {
    std::fprintf(stderr, "%s: %s\n", name, cgym_last_error_message());
    std::abort();
  }
  cgym_service_def_free(def);
  cgym::SessionFactory factory = cgym::client::findInProcessService(name);
  if (!factory) std::abort();
  return factory;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const cgym::SessionFactory example = registered("fuzz-example", example_service_def_new);
  static const cgym::SessionFactory full = registered("fuzz-full", fuzz_c_session_def_new);
  if (size < 1) return 0;
  cgym::fuzz::ServiceCoreDriver driver(data[0] & 4 ? full : example,
                                       cgym::fuzz::fuzzWorkingDirectory(), data[0]);
  driver.run(data + 1, size - 1);
  return 0;
}
