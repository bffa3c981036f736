// SPDX-License-Identifier: MIT
// The LLVM environment's twelve rewards over one fixed episode, in C++ on the client's API
// (client/environments.h): llvm-v0 on benchmark://cgym-v0/fibonacci, ten passes, each step
// asking for every reward. The compiler runs in a managed service (cgym-llvm-service), not in
// this process: the plugin links libcgym.so, whose runtime is not the one this program links
// statically, so make(id, "inproc") works only through libcgym (cgym_make). The service runs
// the plugin's session code, so the rewards are the same to the bit. Each reward is printed as the
// bits of its double, so that the printers of every language can be compared byte for byte:
//
//   <step from 1> TAB <action> TAB <reward> TAB <16 hex digits of the double's bits>
//
//   cgym-llvm-rewards-episode-cc
//
// The service is found as cgym_make() finds it, relative to this program when installed; in a
// build tree, set CGYM_LLVM_SERVICE to build/services/llvm/cgym-llvm-service.
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "client/env.h"
#include "client/environments.h"

namespace {

using cgym::Status;
using cgym::client::Env;

const std::vector<std::string> kActions = {"-mem2reg", "-sroa",     "-instcombine", "-simplifycfg",
                                           "-gvn",     "-licm",     "-loop-unroll", "-inline",
                                           "-dce",     "-globaldce"};
const std::vector<std::string> kRewards = {
    "IrInstructionCount",  "IrInstructionCountNorm", "IrInstructionCountO3", "IrInstructionCountOz",
    "ObjectTextSizeBytes", "ObjectTextSizeNorm",     "ObjectTextSizeO3",     "ObjectTextSizeOz",
    "TextSizeBytes",       "TextSizeNorm",           "TextSizeO3",           "TextSizeOz"};

int fail(const std::string& what, const Status& status) {
  std::fprintf(stderr, "error: %s: %s: %s\n", what.c_str(), cgym::statusCodeName(status.code()),
               status.message().c_str());
  return 1;
}

// The action of a flag of the env's (named) action space; NOT_FOUND if it has none.
Status actionByName(const Env& env, const std::string& flag, compiler_gym::Event* action) {
  const auto& names = env.actionSpace().space().named_discrete().name();
  for (int i = 0; i < names.size(); ++i) {
    if (names[i] == flag) {
      action->set_int64_value(i);
      return Status::OK();
    }
  }
  return Status(cgym::StatusCode::kNotFound, "No action " + flag);
}

int run(Env& env) {
  Status status = env.reset();
  if (!status.ok()) return fail("reset", status);
  cgym::client::StepOptions options;
  options.observation_spaces = std::vector<std::string>{};
  options.reward_spaces = kRewards;
  for (size_t a = 0; a < kActions.size(); ++a) {
    compiler_gym::Event action;
    if (!(status = actionByName(env, kActions[a], &action)).ok()) return fail(kActions[a], status);
    cgym::client::StepResult result;
    if (!(status = env.step(action, &result, options)).ok()) return fail(kActions[a], status);
    if (result.done) {
      std::fprintf(stderr, "error: %s ended the episode: %s: %s\n", kActions[a].c_str(),
                   result.info.error_type.c_str(), result.info.error_details.c_str());
      return 1;
    }
    if (result.rewards.size() != kRewards.size()) {
      std::fprintf(stderr, "error: %s: %zu rewards, expected %zu\n", kActions[a].c_str(),
                   result.rewards.size(), kRewards.size());
      return 1;
    }
    for (size_t r = 0; r < kRewards.size(); ++r) {
      uint64_t bits = 0;
      std::memcpy(&bits, &result.rewards[r], sizeof(bits));
      std::printf("%zu\t%s\t%s\t%016" PRIx64 "\n", a + 1, kActions[a].c_str(), kRewards[r].c_str(),
                  bits);
    }
  }
  if (!(status = env.close()).ok()) return fail("close", status);
  return 0;
}

}  // namespace

int main() {
  cgym::client::MakeOptions options;
  options.benchmark.emplace();
  options.benchmark->set_uri("benchmark://cgym-v0/fibonacci");
  std::unique_ptr<Env> env;
  const Status status = cgym::client::make("llvm-v0", "", std::move(options), &env);
  if (!status.ok()) return fail("make", status);
  const int code = run(*env);
  env.reset();
  if (std::fflush(stdout) != 0) {
    std::fprintf(stderr, "error: writing the output failed\n");
    return 1;
  }
  return code;
}
