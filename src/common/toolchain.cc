// SPDX-License-Identifier: MIT
#include "common/toolchain.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <sstream>
#include <system_error>

#include "common/logging.h"
#include "common/subprocess.h"
#include "common/text.h"

namespace fs = std::filesystem;

namespace cgym {
namespace {

// Diagnostics of clang and LLVM in error messages are cut to this size: enough for the first
// errors, never a megabyte of them.
constexpr size_t kMaxDiagnostic = 4096;

std::vector<std::string> parseIncludeSearchList(const std::string& text) {
  std::vector<std::string> flags;
  std::istringstream lines(text);
  std::string line;
  bool inList = false;
  while (std::getline(lines, line)) {
    if (line.rfind("#include <...> search starts here:", 0) == 0) {
      inList = true;
    } else if (line.rfind("End of search list.", 0) == 0) {
      break;
    } else if (inList) {
      const size_t begin = line.find_first_not_of(" \t");
      if (begin == std::string::npos) continue;
      std::string dir = line.substr(begin);
      // macOS marks some entries "(framework directory)".
      const size_t note = dir.find(" (");
      if (note != std::string::npos) dir.resize(note);
      flags.push_back("-isystem");
      flags.push_back(dir);
    }
  }
  return flags;
}

}  // namespace

std::filesystem::path codeDirectory(const void* symbol) {
  Dl_info info{};
  if (dladdr(symbol, &info) == 0 || !info.dli_fname) return {};
  std::error_code error;
  const std::filesystem::path path =
      std::filesystem::weakly_canonical(std::filesystem::absolute(info.dli_fname, error), error);
  return error ? std::filesystem::path() : path.parent_path();
}

std::string quotedForMessage(const std::string& text) {
  return "\"" + truncateForMessage(text) + "\"";
}

std::string toolDiagnostic(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return truncateForMessage(text, kMaxDiagnostic);
}

int readFileBounded(const std::string& path, size_t maxBytes, std::string* contents) {
  contents->clear();
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return errno;
  struct stat info {};
  int error = ::fstat(fd, &info) != 0 ? errno : S_ISDIR(info.st_mode) ? EISDIR : 0;
  char buffer[65536];
  while (error == 0) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) error = errno;
    if (n <= 0) break;
    contents->append(buffer, static_cast<size_t>(n));
    if (contents->size() > maxBytes) error = EFBIG;
  }
  ::close(fd);
  return error;
}

Status readFile(const fs::path& path, std::string* contents) {
  std::error_code error;
  if (!fs::exists(path, error)) {
    return Status(StatusCode::kNotFound, "File not found: " + quotedForMessage(path.string()));
  }
  const int readError = readFileBounded(path.string(), SIZE_MAX, contents);
  if (readError != 0) {
    return Status(StatusCode::kNotFound, "Error reading file " + quotedForMessage(path.string()) +
                                             ": " + std::strerror(readError));
  }
  return Status::OK();
}

ScratchDirectory::~ScratchDirectory() {
  if (!path_.empty()) {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
}

Status ScratchDirectory::create(const fs::path& parent) {
  std::error_code error;
  fs::path base = parent.empty() ? fs::temp_directory_path(error) : parent;
  std::string pattern = (base / "cgym-benchmark-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    return Status(StatusCode::kInternal, "Cannot create a scratch directory in " +
                                             quotedForMessage(base.string()) + ": " +
                                             std::strerror(errno));
  }
  path_ = pattern;
  return Status::OK();
}

const std::vector<std::string>& systemIncludeFlags() {
  static const std::vector<std::string> flags = [] {
    const char* cxx = std::getenv("CXX");
    const std::string compiler = cxx && *cxx ? cxx : "c++";
    CommandResult result;
    const Status status = runCommand({compiler, "-xc++", "-E", "-v", "-"}, "", 30, &result);
    std::vector<std::string> found;
    if (status.ok() && result.succeeded()) found = parseIncludeSearchList(result.stderrText);
    if (found.empty()) {
      logger().warn("Could not read the system include directories of {}: {}", compiler,
                    status.ok() ? describeFailure(compiler, 30, result) : status.message());
    }
    return found;
  }();
  return flags;
}

Status compileToBitcode(const std::string& clang, const fs::path& source, const std::string& name,
                        bool cxx, const std::vector<std::string>& flags, double timeoutSeconds,
                        const ScratchDirectory& scratch, std::string* bitcode,
                        const std::string& stdinSource) {
  const fs::path output = scratch.path() / "out.bc";
  std::vector<std::string> argv = {clang, "-c", "-emit-llvm", "-o", output.string()};
  const std::vector<std::string>& includes = systemIncludeFlags();
  argv.insert(argv.end(), includes.begin(), includes.end());
  argv.insert(argv.end(),
              {"-O1", "-Xclang", "-disable-llvm-passes", "-Xclang", "-disable-llvm-optzns",
               // No crash reproducers left in /tmp if clang fails badly.
               "-fno-crash-diagnostics"});
  argv.insert(argv.end(), flags.begin(), flags.end());
  argv.push_back(cxx ? "-xc++" : "-xc");
  argv.push_back(source.string());

  CommandResult result;
  CGYM_RETURN_IF_ERROR(runCommand(argv, stdinSource, timeoutSeconds, &result));
  if (result.timedOut) {
    return Status(StatusCode::kDeadlineExceeded,
                  "Failed to compile " + quotedForMessage(name) + ": " +
                      describeFailure("clang", timeoutSeconds, result));
  }
  if (!result.succeeded()) {
    return Status(StatusCode::kInvalidArgument,
                  "Failed to compile " + quotedForMessage(name) + " (" +
                      describeFailure("clang", timeoutSeconds, result) +
                      "): " + toolDiagnostic(result.stderrText));
  }
  return readFile(output, bitcode);
}

}  // namespace cgym
