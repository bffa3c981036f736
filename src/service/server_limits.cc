// SPDX-License-Identifier: MIT
//
// The values below were measured with tests/python/attacks.py (docs/reliability.md has the
// figures): each attack is replayed against the example services while a well-behaved client
// keeps stepping a session.
#include "service/server_limits.h"

#include <grpcpp/grpcpp.h>
#include <grpcpp/resource_quota.h>
#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <thread>

#include "service/grpc_server.h"

namespace cgym {

namespace {

constexpr size_t kMiB = size_t{1} << 20;
constexpr int kSecondMs = 1000;
constexpr int kMinuteMs = 60 * kSecondMs;

// The process's resident set in bytes (0 if unknown).
size_t residentBytes() {
  std::FILE* f = std::fopen("/proc/self/statm", "re");
  if (!f) return 0;
  unsigned long pages = 0, resident = 0;
  const int n = std::fscanf(f, "%lu %lu", &pages, &resident);
  std::fclose(f);
  return n == 2 ? resident * static_cast<size_t>(sysconf(_SC_PAGESIZE)) : 0;
}

// glibc keeps what a burst of calls freed (gRPC's per-call arenas, a large message) in its
// heaps, fragmented across the per-thread arenas, and does not give it back to the system:
// after 20,000 reset streams the example service stayed 260 MB larger until malloc_trim(),
// which brought it back to its idle size. Once a second this thread reads the resident set
// (microseconds) and trims when it is more than kSlack above the smallest seen. A trim that
// gives little back doubles the wait before the next (up to a minute), so that a service that
// legitimately holds much memory is not trimmed every second; growing by kSlack again trims
// at once.
void startMemoryReturner() {
  static std::once_flag once;
  std::call_once(once, [] {
    std::thread([] {
      constexpr size_t kSlack = 16 * kMiB;
      size_t base = residentBytes();
      size_t afterLastTrim = base;
      int interval = 1, waited = 0;
      for (;;) {
        std::this_thread::sleep_for(std::chrono::seconds(1));
        const size_t rss = residentBytes();
        base = std::min(base, rss);
        if (rss <= base + kSlack) continue;
        if (rss <= afterLastTrim + kSlack && ++waited < interval) continue;
        malloc_trim(0);
        afterLastTrim = residentBytes();
        interval = rss > afterLastTrim + kMiB ? 1 : std::min(interval * 2, 64);
        waited = 0;
      }
    }).detach();
  });
}

}  // namespace

void applyServerLimits(const GrpcServerOptions& options, grpc::ServerBuilder* builder) {
  builder->SetMaxReceiveMessageSize(options.maxReceiveMessageSize);
  builder->SetMaxSendMessageSize(options.maxSendMessageSize);

  // A synchronous server serves each call on a thread of its own, made on demand: 20,000
  // reset streams made 1,700 threads, 100,000 cancelled ones 32,000. The quota bounds them at
  // 4 per core (steps are CPU-bound: more would not finish sooner), at least 48, so that the
  // service stays under 64 threads on a small machine. When every thread is busy, gRPC answers
  // further calls RESOURCE_EXHAUSTED "Server Threadpool Exhausted" instead of queueing them.
  const int threads = std::max(48, 4 * static_cast<int>(std::thread::hardware_concurrency()));
  static grpc::ResourceQuota quota("cgym-server");
  quota.SetMaxThreads(threads);
  // Streams per connection: half the threads, so that one connection, however busy, cannot
  // take every thread (a client with more calls in flight queues them: gRPC clients do), and
  // two can run side by side. A peer that opens more is disconnected (GOAWAY), which bounds
  // what HEADERS-only streams hold (100,000 of them held 1.1 GB, and made 32,000 threads when
  // the connection closed). gRPC 1.51 applies it only once the peer acknowledged the
  // SETTINGS frame that announces it.
  builder->AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, threads / 2);
  // Memory of the transport (read buffers, calls): over the quota, gRPC cancels streams
  // (ENHANCE_YOUR_CALM, "Buffers full") and refuses new connections. gRPC 1.51 checks
  // --max_message_bytes only once the whole message is in, and opens its flow-control window
  // to the size a message announces: without a quota a 300 MiB message to a 4 MiB service is
  // buffered whole (+297 MB); with it, it is cut at about 70 to 100 MB. The quota leaves room
  // for a few messages of the largest allowed size at once; with unlimited messages (-1, the
  // default, as CompilerGym's) any size is legitimate and there is no quota.
  if (options.maxReceiveMessageSize > 0) {
    quota.Resize(std::max(64 * kMiB, 4 * static_cast<size_t>(options.maxReceiveMessageSize)));
  }
  builder->SetResourceQuota(quota);
  // Idle pollers are threads waiting for calls; gRPC's defaults (1 to 2) keep an idle service
  // at about 10 threads, and the quota bounds the busy ones.
  builder->SetSyncServerOption(grpc::ServerBuilder::MIN_POLLERS, 1);
  builder->SetSyncServerOption(grpc::ServerBuilder::MAX_POLLERS, 2);

  // Header blocks: our calls carry a few hundred bytes (a token, a deadline, a user agent);
  // 16 KiB is gRPC's later default hard limit. gRPC 1.51 checks it frame by frame, so it also
  // disconnects a peer whose 16 KiB frames are full of headers; a block cut into smaller
  // CONTINUATION frames escapes it (upstream fixed this in 1.56.2).
  builder->AddChannelArgument(GRPC_ARG_MAX_METADATA_SIZE, 16 * 1024);

  // A connection without calls for 15 s is closed (GOAWAY): one costs a file descriptor and
  // about 20 KB, and without this a peer that connects and says nothing more keeps them
  // forever. A client reconnects on its next call, transparently, in about a millisecond on
  // loopback; calls in flight keep a connection busy, so no call is cut.
  builder->AddChannelArgument(GRPC_ARG_MAX_CONNECTION_IDLE_MS, 15 * kSecondMs);
  // A connection kept busy forever (streams that never end) is closed after an hour: GOAWAY,
  // then calls in flight get 10 minutes (longer than CompilerGym's 300 s call deadline) before
  // the connection is cut. A long-lived client's next call opens a new connection;
  // sessions belong to the service, not to a connection, so they carry on.
  builder->AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS, 60 * kMinuteMs);
  builder->AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS, 10 * kMinuteMs);
  // A peer that connects and never completes the HTTP/2 (or TLS) handshake: gRPC's default
  // waits 120 s; a real client needs milliseconds on loopback, a second over a slow network.
  builder->AddChannelArgument(GRPC_ARG_SERVER_HANDSHAKE_TIMEOUT_MS, 10 * kSecondMs);
  // While calls are in flight, ping the client every 5 minutes and drop it if it does not
  // answer within 20 s: a client that vanished (its host died) releases its calls' threads.
  // Without calls, idle connections are closed anyway (above).
  builder->AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, 5 * kMinuteMs);
  builder->AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, 20 * kSecondMs);
  builder->AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 0);
  // A client pinging more often than every 5 minutes while no data flows gets GOAWAY
  // (ENHANCE_YOUR_CALM "too_many_pings") at the third ping (gRPC's defaults, stated here
  // because they bound a ping flood). Our clients and CompilerGym's do not send keepalives.
  builder->AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 5 * kMinuteMs);
  builder->AddChannelArgument(GRPC_ARG_HTTP2_MAX_PING_STRIKES, 2);

  startMemoryReturner();
}

}  // namespace cgym
