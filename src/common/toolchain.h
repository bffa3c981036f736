// SPDX-License-Identifier: MIT
// Files and compilers: reading a program, a scratch directory, and clang's compilation of a
// source into unoptimised bitcode as the LLVM environment takes it. Shared by the LLVM service
// (file:// and generated benchmarks) and the client (cgym_make_benchmark, validation).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "common/status.h"

namespace cgym {

// Reads the file at `path` into `contents`, stopping past `maxBytes` (so that a path such as
// /dev/zero cannot make the reader hang). Returns 0, or the errno that stopped it: EISDIR for
// a directory, EFBIG for a file larger than `maxBytes`, or what open() or read() set.
int readFileBounded(const std::string& path, size_t maxBytes, std::string* contents);

// Reads a whole file. NOT_FOUND "File not found: "<path>"" if it does not exist, NOT_FOUND
// with strerror if it cannot be read.
Status readFile(const std::filesystem::path& path, std::string* contents);

// The directory of the executable or shared library that holds `symbol` (its canonical path),
// or an empty path if the loader cannot tell: what installed files are found relative to.
std::filesystem::path codeDirectory(const void* symbol);

// `text` quoted for an error message, cut to a bounded size.
std::string quotedForMessage(const std::string& text);

// A tool's diagnostic for an error message: trailing newlines dropped, size bounded.
std::string toolDiagnostic(std::string text);

// A fresh directory, removed with everything in it when destroyed.
class ScratchDirectory {
 public:
  ScratchDirectory() = default;
  ScratchDirectory(const ScratchDirectory&) = delete;
  ScratchDirectory& operator=(const ScratchDirectory&) = delete;
  ~ScratchDirectory();

  // Creates "cgym-benchmark-XXXXXX" in `parent` (empty: the system's temporary directory).
  // INTERNAL if it cannot.
  Status create(const std::filesystem::path& parent);
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// The host C++ compiler's system include directories, as "-isystem <dir>" pairs, found as
// CompilerGym does by running `$CXX -xc++ -E -v -` (default c++) once per process. Empty if
// that fails (clang then uses its own).
const std::vector<std::string>& systemIncludeFlags();

// Compiles `source` (C, or C++ if `cxx`; "-" to read `stdinSource`) into `*bitcode` with
// `clang` and CompilerGym's flags: -O1 with LLVM's passes disabled gives unoptimised IR
// without the optnone/noinline that -O0 would stamp on every function (which would block the
// agent's passes), plus the system include directories, then `flags`. `name` names the source
// in messages. INVALID_ARGUMENT "Failed to compile "<name>" (clang exited with status N):
// <clang's diagnostic>" if it does not compile; DEADLINE_EXCEEDED after `timeoutSeconds`;
// INTERNAL if clang cannot be run.
Status compileToBitcode(const std::string& clang, const std::filesystem::path& source,
                        const std::string& name, bool cxx, const std::vector<std::string>& flags,
                        double timeoutSeconds, const ScratchDirectory& scratch,
                        std::string* bitcode, const std::string& stdinSource = "");

}  // namespace cgym
