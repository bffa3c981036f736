// SPDX-License-Identifier: MIT
// Checks bench/wire_sizes.h against the real CompilerGym messages: the raw reference's
// messages are sized from it.
#include <cstdio>
#include <string>

#include "compiler_gym_service.pb.h"
#include "wire_sizes.h"

using namespace compiler_gym;
using namespace cgym_bench;

namespace {

int failures = 0;

void expectEq(const char* what, size_t expected, size_t actual) {
  if (expected == actual) return;
  std::fprintf(stderr, "%s: formula %zu, message %zu\n", what, expected, actual);
  ++failures;
}

StepRequest request(int64_t session, int64_t action, int observation) {
  StepRequest r;
  r.set_session_id(session);
  r.add_action()->set_int64_value(action);
  if (observation >= 0) r.add_observation_space(observation);
  return r;
}

StepReply reply(long long n) {
  StepReply r;
  if (n >= 0) r.add_observation()->set_string_value(std::string(static_cast<size_t>(n), 'x'));
  return r;
}

}  // namespace

int main() {
  for (int64_t session : {0, 1, 127, 128, 100000}) {
    for (int64_t action : {0, 1, 2, -1, 1000}) {
      for (int observation : {-1, 0, 1, 2, 200}) {
        expectEq("StepRequest", stepRequestSize(session, action, observation),
                 request(session, action, observation).ByteSizeLong());
      }
    }
  }
  for (long long n : {-1LL, 0LL, 13LL, 127LL, 128LL, 1LL << 20, 16LL << 20}) {
    expectEq("StepReply", stepReplySize(n), reply(n).ByteSizeLong());
  }
  for (size_t total : {size_t{0}, size_t{4}, size_t{17}, size_t{130}, size_t{1} << 20}) {
    const size_t n = payloadFor(total);
    if (lengthDelimited(n) > total && total != 0) {
      std::fprintf(stderr, "payloadFor(%zu) = %zu is too big\n", total, n);
      ++failures;
    }
  }
  if (failures == 0) std::printf("wire sizes: ok\n");
  return failures == 0 ? 0 : 1;
}
