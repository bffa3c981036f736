// SPDX-License-Identifier: MIT
// The C++ example service: a CompilerGym service that CompilerGym's own client can launch.
#include "example_session.h"
#include "service/service_main.h"

int main(int argc, char** argv) {
  return cgym::runtime::createAndRunService<cgym::example::ExampleSession>(
      argc, argv, "The libcgym example service (C++ session).");
}
