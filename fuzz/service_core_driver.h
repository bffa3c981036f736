// SPDX-License-Identifier: MIT
// Runs one fuzz input (fuzz_input.h) against a new ServiceCore, as a client would over gRPC:
// each record is one RPC, and state carries over from one to the next (sessions started,
// stepped, forked and ended), so that deep paths are reached. Both ServiceCore fuzzers use it,
// with different session factories.
//
// Session ids: a request's session_id >= 0 is taken modulo the number of live sessions and
// replaced by that session's id; -1 to -16 pick an ended session's id; anything else is sent as
// it is. The ids a service hands out need not be small or sequential (they should not be
// guessable), so the fuzzer could not find them otherwise.
//
// Beyond crashes, the driver checks what ServiceCore promises, and aborts (a libFuzzer crash)
// when a promise is broken:
//  * the live sessions are exactly those started or forked and not ended (sessionCount());
//  * a new session's id was never handed out before;
//  * a call on a session that is not live is NOT_FOUND; EndSession is always OK and reports the
//    number of sessions left;
//  * a successful StartSession or Step has one observation per index asked for, and a
//    successful SendSessionParameter one reply per parameter;
//  * an error has a message, and the message is bounded (it never echoes an unbounded input);
//  * every reply serializes and parses back.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "compiler_gym_service.pb.h"
#include "fuzz_input.h"
#include "service/benchmark_cache.h"
#include "service/service_core.h"

namespace cgym::fuzz {

// The longest error message a call may return. Inputs are quoted in messages at most 200 bytes
// long (truncateForMessage()), and a message has a few of them at most.
constexpr size_t kMaxErrorMessageBytes = 1024;

#define CGYM_FUZZ_CHECK(condition, ...)                                                   \
  do {                                                                                    \
    if (!(condition)) {                                                                   \
      std::fprintf(stderr, "CGYM_FUZZ_CHECK failed at %s:%d: %s\n  ", __FILE__, __LINE__, \
                   #condition);                                                           \
      std::fprintf(stderr, __VA_ARGS__);                                                  \
      std::fprintf(stderr, "\n");                                                         \
      std::abort();                                                                       \
    }                                                                                     \
  } while (0)

class ServiceCoreDriver {
 public:
  // `options` is the input's options byte: bits 0-1 choose ServiceCoreOptions::maxSessions
  // (0 = no limit, 1, 2, 4).
  ServiceCoreDriver(const SessionFactory& factory, const std::filesystem::path& workingDirectory,
                    uint8_t options) {
    static const size_t kMaxSessions[] = {0, 1, 2, 4};
    ServiceCoreOptions coreOptions;
    coreOptions.workingDirectory = workingDirectory;
    coreOptions.maxSessions = kMaxSessions[options & 3];
    // A seeded cache: eviction is random, and a run must replay the same way.
    auto cache = std::make_unique<BenchmarkCache>(BenchmarkCache::kDefaultMaxSizeInBytes, 0);
    core_ = std::make_unique<ServiceCore>(factory, coreOptions, std::move(cache));
  }

  // Runs every record of `data` (after the options byte).
  void run(const uint8_t* data, size_t size) {
    RecordReader reader(data, size);
    Rpc rpc;
    const uint8_t* payload;
    size_t length;
    while (reader.next(&rpc, &payload, &length)) {
      call(rpc, payload, length);
      CGYM_FUZZ_CHECK(core_->sessionCount() == live_.size(), "sessionCount() %zu, live %zu",
                      core_->sessionCount(), live_.size());
    }
  }

 private:
  template <typename Message>
  static bool parse(const uint8_t* payload, size_t length, Message* request) {
    // gRPC never hands the service a message that does not parse; protobuf need not log why.
    const google::protobuf::LogSilencer silence;
    return request->ParseFromArray(payload, static_cast<int>(length));
  }

  bool isLive(int64_t id) const { return std::find(live_.begin(), live_.end(), id) != live_.end(); }
  bool wasHandedOut(int64_t id) const {
    return isLive(id) || std::find(ended_.begin(), ended_.end(), id) != ended_.end();
  }

  int64_t mapSessionId(int64_t id) const {
    if (id >= 0 && !live_.empty()) return live_[static_cast<uint64_t>(id) % live_.size()];
    if (id < 0 && id >= -16 && !ended_.empty()) {
      return ended_[static_cast<uint64_t>(-id - 1) % ended_.size()];
    }
    return id;
  }

  void addSession(int64_t id, const char* rpc) {
    CGYM_FUZZ_CHECK(!wasHandedOut(id), "%s handed out session id %lld again", rpc,
                    static_cast<long long>(id));
    live_.push_back(id);
  }

  static void checkStatus(const Status& status, const char* rpc) {
    if (status.ok()) return;
    CGYM_FUZZ_CHECK(!status.message().empty(), "%s failed with %s and no message", rpc,
                    statusCodeName(status.code()));
    CGYM_FUZZ_CHECK(status.message().size() <= kMaxErrorMessageBytes,
                    "%s: a %zu-byte error message (%s): '%.300s...'", rpc, status.message().size(),
                    statusCodeName(status.code()), status.message().c_str());
  }

  template <typename Reply>
  static void checkReply(const Reply& reply, const char* rpc) {
    std::string bytes;
    CGYM_FUZZ_CHECK(reply.SerializeToString(&bytes), "%s: the reply does not serialize", rpc);
    Reply back;
    CGYM_FUZZ_CHECK(back.ParseFromString(bytes), "%s: the reply does not parse back", rpc);
  }

  void call(Rpc rpc, const uint8_t* payload, size_t length) {
    using namespace compiler_gym;
    switch (rpc) {
      case Rpc::kGetVersion: {
        GetVersionRequest request;
        GetVersionReply reply;
        if (!parse(payload, length, &request)) return;
        const Status status = core_->GetVersion(request, &reply);
        CGYM_FUZZ_CHECK(status.ok(), "GetVersion: %s", status.message().c_str());
        checkReply(reply, "GetVersion");
        return;
      }
      case Rpc::kGetSpaces: {
        GetSpacesRequest request;
        GetSpacesReply reply;
        if (!parse(payload, length, &request)) return;
        const Status status = core_->GetSpaces(request, &reply);
        CGYM_FUZZ_CHECK(status.ok(), "GetSpaces: %s", status.message().c_str());
        CGYM_FUZZ_CHECK(
            static_cast<size_t>(reply.action_space_list_size()) == core_->actionSpaces().size() &&
                static_cast<size_t>(reply.observation_space_list_size()) ==
                    core_->observationSpaces().size(),
            "GetSpaces: wrong number of spaces");
        checkReply(reply, "GetSpaces");
        return;
      }
      case Rpc::kStartSession: {
        StartSessionRequest request;
        StartSessionReply reply;
        if (!parse(payload, length, &request)) return;
        const Status status = core_->StartSession(request, &reply);
        checkStatus(status, "StartSession");
        if (!status.ok()) return;
        addSession(reply.session_id(), "StartSession");
        CGYM_FUZZ_CHECK(reply.observation_size() == request.observation_space_size(),
                        "StartSession: %d observations for %d spaces", reply.observation_size(),
                        request.observation_space_size());
        checkReply(reply, "StartSession");
        return;
      }
      case Rpc::kForkSession: {
        ForkSessionRequest request;
        ForkSessionReply reply;
        if (!parse(payload, length, &request)) return;
        request.set_session_id(mapSessionId(request.session_id()));
        const Status status = core_->ForkSession(request, &reply);
        checkStatus(status, "ForkSession");
        if (!isLive(request.session_id())) {
          CGYM_FUZZ_CHECK(status.code() == StatusCode::kNotFound,
                          "ForkSession of no live session: %s", statusCodeName(status.code()));
        }
        if (!status.ok()) return;
        addSession(reply.session_id(), "ForkSession");
        checkReply(reply, "ForkSession");
        return;
      }
      case Rpc::kEndSession: {
        EndSessionRequest request;
        EndSessionReply reply;
        if (!parse(payload, length, &request)) return;
        const int64_t id = mapSessionId(request.session_id());
        request.set_session_id(id);
        const Status status = core_->EndSession(request, &reply);
        CGYM_FUZZ_CHECK(status.ok(), "EndSession: %s", status.message().c_str());
        auto it = std::find(live_.begin(), live_.end(), id);
        if (it != live_.end()) {
          live_.erase(it);
          ended_.push_back(id);
        }
        CGYM_FUZZ_CHECK(static_cast<size_t>(reply.remaining_sessions()) == live_.size(),
                        "EndSession: remaining_sessions %d, live %zu", reply.remaining_sessions(),
                        live_.size());
        checkReply(reply, "EndSession");
        return;
      }
      case Rpc::kStep: {
        StepRequest request;
        StepReply reply;
        if (!parse(payload, length, &request)) return;
        request.set_session_id(mapSessionId(request.session_id()));
        const Status status = core_->Step(request, &reply);
        checkStatus(status, "Step");
        if (!isLive(request.session_id())) {
          CGYM_FUZZ_CHECK(status.code() == StatusCode::kNotFound, "Step of no live session: %s",
                          statusCodeName(status.code()));
        }
        if (!status.ok()) return;
        CGYM_FUZZ_CHECK(reply.observation_size() == request.observation_space_size(),
                        "Step: %d observations for %d spaces", reply.observation_size(),
                        request.observation_space_size());
        checkReply(reply, "Step");
        return;
      }
      case Rpc::kAddBenchmark: {
        AddBenchmarkRequest request;
        AddBenchmarkReply reply;
        if (!parse(payload, length, &request)) return;
        const Status status = core_->AddBenchmark(request, &reply);
        checkStatus(status, "AddBenchmark");
        return;
      }
      case Rpc::kSendSessionParameter: {
        SendSessionParameterRequest request;
        SendSessionParameterReply reply;
        if (!parse(payload, length, &request)) return;
        request.set_session_id(mapSessionId(request.session_id()));
        const Status status = core_->SendSessionParameter(request, &reply);
        checkStatus(status, "SendSessionParameter");
        if (!isLive(request.session_id())) {
          CGYM_FUZZ_CHECK(status.code() == StatusCode::kNotFound,
                          "SendSessionParameter to no live session: %s",
                          statusCodeName(status.code()));
        }
        if (!status.ok()) return;
        CGYM_FUZZ_CHECK(reply.reply_size() == request.parameter_size(),
                        "SendSessionParameter: %d replies for %d parameters", reply.reply_size(),
                        request.parameter_size());
        checkReply(reply, "SendSessionParameter");
        return;
      }
    }
  }

  std::unique_ptr<ServiceCore> core_;
  std::vector<int64_t> live_;
  std::vector<int64_t> ended_;
};

// A working directory for the sessions of one fuzzer process, removed when it exits.
inline const std::filesystem::path& fuzzWorkingDirectory() {
  struct Directory {
    Directory() {
      std::string pattern = (std::filesystem::temp_directory_path() / "cgym-fuzz-XXXXXX").string();
      if (!mkdtemp(pattern.data())) std::abort();
      path = pattern;
    }
    ~Directory() {
      std::error_code ec;
      std::filesystem::remove_all(path, ec);
    }
    std::filesystem::path path;
  };
  static const Directory directory;
  return directory.path;
}

}  // namespace cgym::fuzz
