// SPDX-License-Identifier: MIT
#include "service/compilation_session.h"

namespace cgym {

Status CompilationSession::init(CompilationSession* /*other*/) {
  // CompilerGym's message, so clients that match on it keep working.
  return Status(StatusCode::kUnimplemented, "CompilationSession::init() not implemented");
}

Status CompilationSession::endOfStep(bool /*actionHadNoEffect*/, bool& /*endOfEpisode*/,
                                     std::optional<compiler_gym::ActionSpace>& /*newActionSpace*/) {
  return Status::OK();
}

Status CompilationSession::handleSessionParameter(const std::string& /*key*/,
                                                  const std::string& /*value*/,
                                                  std::optional<std::string>& /*reply*/) {
  return Status::OK();
}

}  // namespace cgym
