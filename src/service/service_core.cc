// SPDX-License-Identifier: MIT
#include "service/service_core.h"

#include <sys/random.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <exception>
#include <stdexcept>
#include <unordered_set>

#include "common/logging.h"
#include "common/text.h"

namespace cgym {

using namespace compiler_gym;

namespace {

const char kSetCacheMax[] = "service.benchmark_cache.set_max_size_in_bytes";
const char kGetCacheMax[] = "service.benchmark_cache.get_max_size_in_bytes";
const char kGetCacheSize[] = "service.benchmark_cache.get_size_in_bytes";

// The longest error message of session code that reaches the client, in bytes as gRPC sends
// it. Sessions may quote their inputs (a benchmark URI, a parameter's value) whole. gRPC
// carries the message percent-encoded in a trailer, and its clients refuse trailers over
// 8 KiB by default (ours and CompilerGym's allow 512 KiB); 4 KiB leaves room for the rest.
constexpr size_t kMaxSessionErrorBytes = 4096;

// The size of a byte in a grpc-message trailer: percent-encoded unless printable ASCII.
size_t encodedSize(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte < 0x20 || byte > 0x7e || byte == '%' ? 3 : 1;
}

Status sessionNotFound(int64_t id) {
  return Status(StatusCode::kNotFound, "Session not found: " + std::to_string(id));
}

// The status with its message cut to kMaxSessionErrorBytes encoded (on a UTF-8 character
// boundary), then "... (N bytes)".
Status bounded(Status status) {
  const std::string& message = status.message();
  size_t end = 0;
  for (size_t size = 0; end < message.size(); ++end) {
    size += encodedSize(message[end]);
    if (size > kMaxSessionErrorBytes) break;
  }
  if (end == message.size()) return status;
  end = utf8CutPoint(message, end);
  return Status(status.code(), message.substr(0, end) + cutSuffix(message.size()));
}

// Runs `body`, turning an exception that escapes session code into INTERNAL, as CompilerGym's
// C++ runtime does, so that a faulty session never takes the service down. Messages are
// bounded: gRPC would turn one larger than the client's metadata limit into a transport error.
template <typename Fn>
Status guarded(Fn&& body) {
  try {
    return bounded(body());
  } catch (const std::exception& e) {
    return bounded(Status(StatusCode::kInternal, std::string("Unhandled exception: ") + e.what()));
  } catch (...) {
    return Status(StatusCode::kInternal, "Unhandled exception: unknown exception type");
  }
}

// A uniformly random id in [0, 2^63) from the kernel's CSPRNG: a client cannot guess the id
// of a session it was not given (ids counting from 0 let any client that can connect step or
// end the sessions of others).
int64_t randomSessionId() {
  uint64_t value = 0;
  auto* bytes = reinterpret_cast<unsigned char*>(&value);
  size_t filled = 0;
  // getrandom() gives up to 256 bytes at once; it is interrupted only while the pool is
  // not yet initialised, early in boot.
  for (int attempt = 0; attempt < 100 && filled < sizeof value; ++attempt) {
    const ssize_t n = ::getrandom(bytes + filled, sizeof value - filled, 0);
    if (n > 0) {
      filled += static_cast<size_t>(n);
    } else if (n < 0 && errno != EINTR) {
      throw std::runtime_error(std::string("getrandom() failed: ") + std::strerror(errno));
    }
  }
  if (filled < sizeof value) throw std::runtime_error("getrandom() gave no random bytes");
  return static_cast<int64_t>(value >> 1);
}

// Spaces are looked up by name (by clients and by CompilerGym), so a name must be unique.
template <typename Space>
void rejectDuplicateNames(const std::vector<Space>& spaces, const char* kind) {
  std::unordered_set<std::string> seen;
  for (const Space& space : spaces) {
    if (!seen.insert(space.name()).second) {
      throw std::invalid_argument(std::string("Duplicate ") + kind + " space name: '" +
                                  quoteInput(space.name()) + "'");
    }
  }
}

}  // namespace

ServiceCore::ServiceCore(SessionFactory factory, ServiceCoreOptions options,
                         std::unique_ptr<BenchmarkCache> cache)
    : factory_(std::move(factory)),
      options_(std::move(options)),
      cache_(cache ? std::move(cache)
                   : std::make_unique<BenchmarkCache>(options_.benchmarkCacheMaxSizeInBytes)) {
  if (!factory_) {
    throw std::invalid_argument("ServiceCore needs a session factory");
  }
  // The spaces and compiler version are static per session type: read them once.
  std::unique_ptr<CompilationSession> probe = factory_(options_.workingDirectory);
  if (!probe) {
    throw std::runtime_error("The session factory returned no session");
  }
  actionSpaces_ = probe->getActionSpaces();
  observationSpaces_ = probe->getObservationSpaces();
  rejectDuplicateNames(actionSpaces_, "action");
  rejectDuplicateNames(observationSpaces_, "observation");
  compilerVersion_ = probe->getCompilerVersion();
}

ServiceCore::~ServiceCore() = default;

size_t ServiceCore::sessionCount() const {
  std::shared_lock<std::shared_mutex> lock(sessionsMutex_);
  return sessions_.size();
}

std::shared_ptr<ServiceCore::SessionEntry> ServiceCore::find(int64_t sessionId) const {
  std::shared_lock<std::shared_mutex> lock(sessionsMutex_);
  auto it = sessions_.find(sessionId);
  return it == sessions_.end() ? nullptr : it->second;
}

Status ServiceCore::reserveSlot() {
  if (options_.maxSessions == 0) return Status::OK();
  std::unique_lock<std::shared_mutex> lock(sessionsMutex_);
  if (sessions_.size() + pendingSessions_ >= options_.maxSessions) {
    return Status(
        StatusCode::kResourceExhausted,
        "Too many sessions: this service allows at most " + std::to_string(options_.maxSessions));
  }
  ++pendingSessions_;
  return Status::OK();
}

void ServiceCore::releaseSlot() {
  if (options_.maxSessions == 0) return;
  std::unique_lock<std::shared_mutex> lock(sessionsMutex_);
  --pendingSessions_;
}

Status ServiceCore::makeSession(std::unique_ptr<CompilationSession>* out) {
  *out = factory_(options_.workingDirectory);
  if (!*out) {
    return Status(StatusCode::kInternal, "The session factory returned no session");
  }
  return Status::OK();
}

int64_t ServiceCore::registerSession(std::unique_ptr<CompilationSession> session) {
  auto entry = std::make_shared<SessionEntry>();
  entry->session = std::move(session);
  std::unique_lock<std::shared_mutex> lock(sessionsMutex_);
  // Two live sessions of 2^63 possible ids collide with a negligible probability; retrying
  // keeps ids unique anyway. A bounded loop: each attempt collides with probability
  // sessions / 2^63.
  for (int attempt = 0; attempt < 64; ++attempt) {
    const int64_t id = randomSessionId();
    if (sessions_.emplace(id, entry).second) return id;
  }
  throw std::runtime_error("No free session id");
}

Status ServiceCore::computeObservations(CompilationSession& session,
                                        const google::protobuf::RepeatedField<int32_t>& indices,
                                        google::protobuf::RepeatedPtrField<Event>* out) {
  for (int32_t index : indices) {
    if (index < 0 || static_cast<size_t>(index) >= observationSpaces_.size()) {
      return Status(StatusCode::kInvalidArgument,
                    "Observation space index out of range: " + std::to_string(index));
    }
    CGYM_RETURN_IF_ERROR(session.computeObservation(observationSpaces_[index], *out->Add()));
  }
  return Status::OK();
}

Status ServiceCore::GetVersion(const GetVersionRequest&, GetVersionReply* reply) {
  reply->set_service_version(options_.serviceVersion);
  reply->set_compiler_version(compilerVersion_);
  return Status::OK();
}

Status ServiceCore::GetSpaces(const GetSpacesRequest&, GetSpacesReply* reply) {
  reply->mutable_action_space_list()->Assign(actionSpaces_.begin(), actionSpaces_.end());
  reply->mutable_observation_space_list()->Assign(observationSpaces_.begin(),
                                                  observationSpaces_.end());
  return Status::OK();
}

Status ServiceCore::StartSession(const StartSessionRequest& request, StartSessionReply* reply) {
  if (request.benchmark().uri().empty()) {
    return Status(StatusCode::kInvalidArgument, "No benchmark URI set for StartSession()");
  }
  std::shared_ptr<const Benchmark> benchmark = request.benchmark().has_program()
                                                   ? cache_->add(request.benchmark())
                                                   : cache_->get(request.benchmark().uri());
  if (!benchmark) {
    return Status(StatusCode::kNotFound, "Benchmark not found");
  }
  CGYM_RETURN_IF_ERROR(reserveSlot());
  Status status = guarded([&]() -> Status {
    std::unique_ptr<CompilationSession> session;
    CGYM_RETURN_IF_ERROR(makeSession(&session));
    const int32_t index = request.action_space();
    if (index < 0 || static_cast<size_t>(index) >= actionSpaces_.size()) {
      return Status(StatusCode::kInvalidArgument,
                    "Action space index out of range: " + std::to_string(index));
    }
    CGYM_RETURN_IF_ERROR(session->init(actionSpaces_[index], *benchmark));
    CGYM_RETURN_IF_ERROR(
        computeObservations(*session, request.observation_space(), reply->mutable_observation()));
    // Registered last: a failure above leaves no session and consumes no id.
    reply->set_session_id(registerSession(std::move(session)));
    return Status::OK();
  });
  releaseSlot();
  return status;
}

Status ServiceCore::ForkSession(const ForkSessionRequest& request, ForkSessionReply* reply) {
  std::shared_ptr<SessionEntry> base = find(request.session_id());
  if (!base) return sessionNotFound(request.session_id());
  CGYM_RETURN_IF_ERROR(reserveSlot());
  Status status = guarded([&]() -> Status {
    std::unique_ptr<CompilationSession> session;
    {
      std::lock_guard<std::mutex> lock(base->mutex);
      if (!base->session) return sessionNotFound(request.session_id());
      CGYM_RETURN_IF_ERROR(makeSession(&session));
      CGYM_RETURN_IF_ERROR(session->init(base->session.get()));
    }
    reply->set_session_id(registerSession(std::move(session)));
    return Status::OK();
  });
  releaseSlot();
  return status;
}

Status ServiceCore::EndSession(const EndSessionRequest& request, EndSessionReply* reply) {
  std::shared_ptr<SessionEntry> entry;
  {
    std::unique_lock<std::shared_mutex> lock(sessionsMutex_);
    auto it = sessions_.find(request.session_id());
    if (it != sessions_.end()) {
      entry = std::move(it->second);
      sessions_.erase(it);
    }
    reply->set_remaining_sessions(static_cast<int32_t>(sessions_.size()));
  }
  if (entry) {
    // Waits for a call in flight on this session, then destroys it outside the table lock.
    std::unique_ptr<CompilationSession> session;
    {
      std::lock_guard<std::mutex> lock(entry->mutex);
      session = std::move(entry->session);
    }
    return guarded([&] {
      session.reset();
      return Status::OK();
    });
  }
  // Unknown ids are not an error, as in both CompilerGym runtimes.
  return Status::OK();
}

Status ServiceCore::Step(const StepRequest& request, StepReply* reply) {
  std::shared_ptr<SessionEntry> entry = find(request.session_id());
  if (!entry) return sessionNotFound(request.session_id());
  std::lock_guard<std::mutex> lock(entry->mutex);
  if (!entry->session) return sessionNotFound(request.session_id());
  CompilationSession& session = *entry->session;
  return guarded([&]() -> Status {
    bool endOfEpisode = false;
    bool actionsHadNoEffect = true;
    std::optional<ActionSpace> newActionSpace;
    for (const Event& action : request.action()) {
      bool actionHadNoEffect = false;
      std::optional<ActionSpace> actionSpace;
      CGYM_RETURN_IF_ERROR(
          session.applyAction(action, endOfEpisode, actionSpace, actionHadNoEffect));
      actionsHadNoEffect &= actionHadNoEffect;
      if (actionSpace) newActionSpace = std::move(actionSpace);
      // The C++ runtime's rule: no action is applied after the episode has ended.
      if (endOfEpisode) break;
    }
    CGYM_RETURN_IF_ERROR(
        computeObservations(session, request.observation_space(), reply->mutable_observation()));
    CGYM_RETURN_IF_ERROR(session.endOfStep(actionsHadNoEffect, endOfEpisode, newActionSpace));
    reply->set_action_had_no_effect(actionsHadNoEffect);
    reply->set_end_of_session(endOfEpisode);
    if (newActionSpace) *reply->mutable_new_action_space() = std::move(*newActionSpace);
    return Status::OK();
  });
}

Status ServiceCore::AddBenchmark(const AddBenchmarkRequest& request, AddBenchmarkReply*) {
  for (const Benchmark& benchmark : request.benchmark()) {
    cache_->add(benchmark);
  }
  return Status::OK();
}

Status ServiceCore::handleBuiltinParameter(const std::string& key, const std::string& value,
                                           std::optional<std::string>& reply) {
  if (key == kSetCacheMax) {
    uint64_t size = 0;
    const char* end = value.data() + value.size();
    auto [ptr, ec] = std::from_chars(value.data(), end, size);
    if (value.empty() || ec != std::errc() || ptr != end) {
      return Status(StatusCode::kInvalidArgument,
                    std::string("Invalid value for ") + kSetCacheMax +
                        ": expected a non-negative integer number of bytes, got '" +
                        quoteInput(value) + "'");
    }
    cache_->setMaxSizeInBytes(size);
    reply = std::to_string(size);
  } else if (key == kGetCacheMax) {
    reply = std::to_string(cache_->maxSizeInBytes());
  } else if (key == kGetCacheSize) {
    reply = std::to_string(cache_->sizeInBytes());
  }
  return Status::OK();
}

Status ServiceCore::SendSessionParameter(const SendSessionParameterRequest& request,
                                         SendSessionParameterReply* reply) {
  std::shared_ptr<SessionEntry> entry = find(request.session_id());
  if (!entry) return sessionNotFound(request.session_id());
  std::lock_guard<std::mutex> lock(entry->mutex);
  if (!entry->session) return sessionNotFound(request.session_id());
  return guarded([&]() -> Status {
    for (const SessionParameter& param : request.parameter()) {
      std::optional<std::string> answer;
      CGYM_RETURN_IF_ERROR(
          entry->session->handleSessionParameter(param.key(), param.value(), answer));
      if (!answer) CGYM_RETURN_IF_ERROR(handleBuiltinParameter(param.key(), param.value(), answer));
      if (!answer) {
        return Status(StatusCode::kInvalidArgument,
                      "Unknown parameter: " + quoteInput(param.key()));
      }
      reply->add_reply(std::move(*answer));
    }
    return Status::OK();
  });
}

}  // namespace cgym
