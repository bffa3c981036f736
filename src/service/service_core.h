// SPDX-License-Identifier: MIT
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/protocol.h"
#include "common/status.h"
#include "compiler_gym_service.pb.h"
#include "service/benchmark_cache.h"
#include "service/compilation_session.h"

namespace cgym {

// Makes a new session. Called for every StartSession and ForkSession, and once when the
// service starts (to read the spaces and the compiler version).
using SessionFactory = std::function<std::unique_ptr<CompilationSession>(
    const std::filesystem::path& workingDirectory)>;

struct ServiceCoreOptions {
  // Shared by all sessions. Must exist.
  std::filesystem::path workingDirectory = std::filesystem::temp_directory_path();
  std::string serviceVersion = kCompilerGymProtocolVersion;
  uint64_t benchmarkCacheMaxSizeInBytes = BenchmarkCache::kDefaultMaxSizeInBytes;
  // Maximum number of live sessions; 0 means no limit. StartSession and ForkSession beyond
  // it fail with RESOURCE_EXHAUSTED.
  size_t maxSessions = 0;
};

// The eight CompilerGym RPCs with the semantics of CompilerGym's C++ runtime, independent of
// any transport: the gRPC adapter and the in-process transport both call this.
//
// Thread safety: every method may be called from any thread at any time. One session's
// calls are serialised by a per-session lock; different sessions run in parallel; the
// session table is locked only to look up, insert and erase, never while a session runs, so
// StartSession of one session never waits for another session's init.
//
// Session ids are random in [0, 2^63) (not CompilerGym's 0, 1, 2, ...), so that a client
// reaches only the sessions whose ids it was given. Error messages quote a client's input
// with quoteInput() (src/common/text.h), and a session's own error message reaches the
// client cut to 4 KiB as gRPC sends it (percent-encoded).
class ServiceCore {
 public:
  // Fails (throws std::runtime_error) if the factory cannot make a session to read the
  // spaces from, and (std::invalid_argument) if two action spaces or two observation spaces
  // have the same name. `cache` may be injected (tests); by default one is made from the options.
  ServiceCore(SessionFactory factory, ServiceCoreOptions options = {},
              std::unique_ptr<BenchmarkCache> cache = nullptr);
  ~ServiceCore();

  ServiceCore(const ServiceCore&) = delete;
  ServiceCore& operator=(const ServiceCore&) = delete;

  Status GetVersion(const compiler_gym::GetVersionRequest& request,
                    compiler_gym::GetVersionReply* reply);
  Status GetSpaces(const compiler_gym::GetSpacesRequest& request,
                   compiler_gym::GetSpacesReply* reply);
  Status StartSession(const compiler_gym::StartSessionRequest& request,
                      compiler_gym::StartSessionReply* reply);
  Status ForkSession(const compiler_gym::ForkSessionRequest& request,
                     compiler_gym::ForkSessionReply* reply);
  Status EndSession(const compiler_gym::EndSessionRequest& request,
                    compiler_gym::EndSessionReply* reply);
  Status Step(const compiler_gym::StepRequest& request, compiler_gym::StepReply* reply);
  Status AddBenchmark(const compiler_gym::AddBenchmarkRequest& request,
                      compiler_gym::AddBenchmarkReply* reply);
  Status SendSessionParameter(const compiler_gym::SendSessionParameterRequest& request,
                              compiler_gym::SendSessionParameterReply* reply);

  // The number of live sessions.
  size_t sessionCount() const;
  BenchmarkCache& benchmarkCache() { return *cache_; }
  const std::vector<compiler_gym::ActionSpace>& actionSpaces() const { return actionSpaces_; }
  const std::vector<compiler_gym::ObservationSpace>& observationSpaces() const {
    return observationSpaces_;
  }

 private:
  struct SessionEntry {
    std::mutex mutex;
    // Null once the session has ended; guarded by `mutex`.
    std::unique_ptr<CompilationSession> session;
  };

  std::shared_ptr<SessionEntry> find(int64_t sessionId) const;
  Status makeSession(std::unique_ptr<CompilationSession>* out);
  // Counts a session being made against maxSessions until releaseSlot().
  Status reserveSlot();
  void releaseSlot();
  // Gives the session a new random id (see randomSessionId() in the .cc), unique among the
  // live sessions.
  int64_t registerSession(std::unique_ptr<CompilationSession> session);
  Status computeObservations(CompilationSession& session,
                             const google::protobuf::RepeatedField<int32_t>& indices,
                             google::protobuf::RepeatedPtrField<compiler_gym::Event>* out);
  Status handleBuiltinParameter(const std::string& key, const std::string& value,
                                std::optional<std::string>& reply);

  const SessionFactory factory_;
  const ServiceCoreOptions options_;
  std::unique_ptr<BenchmarkCache> cache_;
  std::vector<compiler_gym::ActionSpace> actionSpaces_;
  std::vector<compiler_gym::ObservationSpace> observationSpaces_;
  std::string compilerVersion_;

  mutable std::shared_mutex sessionsMutex_;
  std::unordered_map<int64_t, std::shared_ptr<SessionEntry>> sessions_;
  // Sessions started or forked but not yet registered, so that maxSessions holds while
  // several inits run at once.
  size_t pendingSessions_ = 0;
};

}  // namespace cgym
