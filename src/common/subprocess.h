// SPDX-License-Identifier: MIT
// Running external tools (clang, csmith, llvm-stress, built programs) with a time
// limit, without a shell: arguments are passed as they are, so no user string is ever parsed as
// shell syntax.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"

namespace cgym {

struct CommandResult {
  // The exit status if the process exited, else -1.
  int exitStatus = -1;
  // The signal that ended the process, else 0 (SIGKILL after a timeout).
  int termSignal = 0;
  // True if the time limit was reached and the process group was killed.
  bool timedOut = false;
  std::string stdoutText;
  std::string stderrText;

  // True if the process exited with status 0 in time.
  bool succeeded() const { return !timedOut && termSignal == 0 && exitStatus == 0; }
};

// Runs argv[0] (looked up in PATH if it has no '/') with the arguments argv[1..], in a process
// group of its own, feeding it `stdinText` (or /dev/null if empty) and capturing its stdout and
// stderr (stdout up to 1 GiB, stderr up to 1 MiB; the rest is read and dropped). After
// `timeoutSeconds` (infinity: no limit) the whole process group is killed with SIGKILL and
// `result->timedOut` is set. Returns OK whenever the process was started, whatever its exit
// status; INVALID_ARGUMENT for an empty argv, NaN or negative timeout; INTERNAL if it could not
// be started (the message names the program and the reason).
Status runCommand(const std::vector<std::string>& argv, const std::string& stdinText,
                  double timeoutSeconds, CommandResult* result);

// "<program> timed out after N seconds", "<program> was killed by signal N" or "<program> exited
// with status N", for error messages.
std::string describeFailure(const std::string& program, double timeoutSeconds,
                            const CommandResult& result);

}  // namespace cgym
