// SPDX-License-Identifier: MIT
// cgym-llvm-service: CompilerGym's LLVM phase-ordering environment as a service process.
#include <llvm/Config/llvm-config.h>

#include "llvm_session.h"
#include "service/service_main.h"

int main(int argc, char** argv) {
  return cgym::runtime::createAndRunService<cgym::llvm_env::LlvmSession>(
      argc, argv, "The libcgym LLVM phase-ordering service (LLVM " LLVM_VERSION_STRING ").");
}
