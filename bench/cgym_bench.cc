// SPDX-License-Identifier: MIT
// libcgym's benchmarks, each next to its reference in the same process. Every figure is one
// Google Benchmark; scripts/bench.sh runs them with interleaved repetitions and
// bench/report.py turns the medians into ratios (see docs/performance.md).
//
//   raw/*              the reference: a unary gRPC C++ ping-pong (bench/pingpong.proto), sync
//                      server and sync client over IPv4 loopback, with requests and replies of
//                      the sizes of the libcgym messages they stand in for
//   capi/step          cgym_step_index through the C API, over gRPC, example session
//   capi/step_ir       cgym_step with the "ir" observation
//   capi/step_inproc   cgym_step_index against an "inproc:" service
//   capi/fork_end      cgym_fork, then cgym_env_free of the fork
//   capi/reset         cgym_env_reset of an env in an episode (EndSession + StartSession)
//   ref/spawn_true     posix_spawn + waitpid of /bin/true
//   capi/managed_spawn cgym_connect to a service binary, GetVersion, cgym_env_free
//   capi/concurrent/N  N sessions on one service, one thread each: steps/s (items_per_second)
//   raw/concurrent/N   N threads of raw ping-pongs of a step's sizes, a channel each
//   capi/obs_1m, obs_16m  a step returning a 1 MiB / 16 MiB observation
//   capi/vec_step/64   a vector env of 64 example sessions on one service, cgym_vec_env_step:
//                      steps/s (items_per_second); _2svc: over two services; _inproc:
//                      in-process
//   capi/vec_serial/64 the same 64 envs stepped one by one with cgym_step (the reference)
#include <benchmark/benchmark.h>
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "bench_session.h"
#include "bench_util.h"
#include "pingpong.grpc.pb.h"
#include "wire_sizes.h"

namespace cgym_bench {
namespace {

constexpr size_t kMiB = size_t{1} << 20;

// --- The raw gRPC reference ------------------------------------------------------------------

class PingPongImpl final : public PingPong::Service {
 public:
  PingPongImpl() : payload_(16 * kMiB + 64, 'x') {}
  grpc::Status Call(grpc::ServerContext*, const Ping* request, Pong* reply) override {
    // One copy into the reply, as a session's observation costs one copy into its event.
    if (request->reply_size()) reply->set_data(payload_.data(), request->reply_size());
    return grpc::Status::OK;
  }

 private:
  const std::string payload_;
};

// The ping-pong server, with the settings of libcgym's (unlimited messages, no proxy, no port
// reuse). It runs in its own process, as a service does: `cgym_bench --pingpong_server
// --working_dir=DIR` writes DIR/port.txt and serves until killed.
int runPingPongServer(const std::string& workingDir) {
  PingPongImpl service;
  grpc::ServerBuilder builder;
  builder.RegisterService(&service);
  builder.SetMaxReceiveMessageSize(-1);
  builder.SetMaxSendMessageSize(-1);
  builder.AddChannelArgument(GRPC_ARG_MAX_METADATA_SIZE, 512 * 1024);
  builder.AddChannelArgument(GRPC_ARG_ENABLE_HTTP_PROXY, 0);
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server || port == 0) die("cannot start the ping-pong server");
  {
    std::ofstream out(workingDir + "/port.txt.tmp");
    out << port << "\n";
  }
  std::filesystem::rename(workingDir + "/port.txt.tmp", workingDir + "/port.txt");
  server->Wait();
  return 0;
}

// A channel with libcgym's client channel settings.
std::shared_ptr<grpc::Channel> rawChannel(const std::string& endpoint) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(-1);
  args.SetMaxSendMessageSize(-1);
  args.SetInt(GRPC_ARG_MAX_METADATA_SIZE, 512 * 1024);
  args.SetInt(GRPC_ARG_ENABLE_HTTP_PROXY, 0);
  args.SetInt(GRPC_ARG_ALLOW_REUSEPORT, 0);
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return grpc::CreateCustomChannel(endpoint, grpc::InsecureChannelCredentials(), args);
}

// A client of the ping-pong server.
class RawPingPong {
 public:
  RawPingPong()
      : server_(selfPath(), {"--pingpong_server"}),
        channel_(rawChannel(server_.endpoint())),
        stub_(PingPong::NewStub(channel_)) {}
  PingPong::Stub& stub() { return *stub_; }
  std::string endpoint() const { return server_.endpoint(); }

 private:
  static std::string selfPath() { return std::filesystem::read_symlink("/proc/self/exe"); }
  ServiceProcess server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<PingPong::Stub> stub_;
};

RawPingPong& raw() {
  static auto* instance = new RawPingPong();
  return *instance;
}

// Round trips of `requestSize` bytes out and `replySize` bytes back (serialized sizes).
void rawRoundTrip(benchmark::State& state, size_t requestSize, size_t replySize) {
  Ping ping;
  const size_t replyData = payloadFor(replySize);
  ping.set_reply_size(replyData);
  const size_t own = replyData ? 1 + varintSize(replyData) : 0;
  ping.set_data(std::string(payloadFor(requestSize > own ? requestSize - own : 0), 'p'));
  PingPong::Stub& stub = raw().stub();
  for (auto _ : state) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(300));
    Pong pong;
    grpc::Status status = stub.Call(&context, ping, &pong);
    if (!status.ok()) die("ping-pong failed: " + status.error_message());
    benchmark::DoNotOptimize(pong.data().data());
  }
  state.counters["request_bytes"] = static_cast<double>(ping.ByteSizeLong());
  state.counters["reply_bytes"] = static_cast<double>(replyData ? lengthDelimited(replyData) : 0);
}

// --- libcgym ---------------------------------------------------------------------------------

// Service processes, each started on first use and kept for the run. The step service holds
// only the step benchmarks' session (id 0), so that its requests have known sizes.
ServiceProcess& exampleService(int which) {
  static ServiceProcess* services[3] = {};
  if (!services[which]) services[which] = new ServiceProcess(CGYM_EXAMPLE_SERVICE_CC);
  return *services[which];
}
enum { kStepService = 0, kLifecycleService = 1, kConcurrencyService = 2 };

ServiceProcess& benchService() {
  static auto* service = new ServiceProcess(CGYM_BENCH_SERVICE);
  return *service;
}

cgym_env_t* stepEnv() {
  static cgym_env_t* env = connectAndReset(exampleService(kStepService).endpoint());
  return env;
}

void capiStep(benchmark::State& state) {
  cgym_env_t* env = stepEnv();
  int done = 0;
  for (auto _ : state) {
    check(cgym_step_index(env, 0, &done, nullptr), "cgym_step_index");
  }
}

// A step with one action and the observation `space`; the observation's bytes are read.
void stepWithObservation(benchmark::State& state, cgym_env_t* env, const char* space) {
  cgym_event_t* action = nullptr;
  check(cgym_event_new_int64(&action, 0), "cgym_event_new_int64");
  const cgym_event_t* actions[1] = {action};
  const char* spaces[1] = {space};
  for (auto _ : state) {
    cgym_step_result_t* result = nullptr;
    check(cgym_step(env, actions, 1, spaces, 1, nullptr, 0, nullptr, &result), "cgym_step");
    const cgym_event_t* observation = nullptr;
    check(cgym_step_result_observation_at(result, 0, &observation),
          "cgym_step_result_observation_at");
    const char* data = nullptr;
    size_t length = 0;
    check(cgym_event_get_string(observation, &data, &length), "cgym_event_get_string");
    benchmark::DoNotOptimize(data);
    cgym_step_result_free(result);
  }
  cgym_event_free(action);
}

void capiStepIr(benchmark::State& state) { stepWithObservation(state, stepEnv(), "ir"); }

void capiBigObservation(benchmark::State& state, const char* space) {
  static cgym_env_t* env = connectAndReset(benchService().endpoint());
  stepWithObservation(state, env, space);
}

void capiStepInProcess(benchmark::State& state) {
  static cgym_env_t* env = [] {
    cgym_service_def_t* def = bench_service_def_new();
    if (!def) die("bench_service_def_new failed");
    check(cgym_service_register("bench", def), "cgym_service_register");
    cgym_service_def_free(def);
    return connectAndReset("inproc:bench");
  }();
  int done = 0;
  for (auto _ : state) {
    check(cgym_step_index(env, 0, &done, nullptr), "cgym_step_index");
  }
}

cgym_env_t* lifecycleEnv() {
  static cgym_env_t* env = connectAndReset(exampleService(kLifecycleService).endpoint());
  return env;
}

void capiForkEnd(benchmark::State& state) {
  cgym_env_t* env = lifecycleEnv();
  for (auto _ : state) {
    cgym_env_t* fork = nullptr;
    check(cgym_fork(env, &fork), "cgym_fork");
    cgym_env_free(fork);
  }
}

void capiReset(benchmark::State& state) {
  cgym_env_t* env = lifecycleEnv();
  for (auto _ : state) {
    check(cgym_env_reset(env, nullptr, nullptr), "cgym_env_reset");
  }
}

void refSpawnTrue(benchmark::State& state) {
  char* argv[] = {const_cast<char*>("/bin/true"), nullptr};
  for (auto _ : state) {
    pid_t pid = 0;
    if (posix_spawn(&pid, "/bin/true", nullptr, nullptr, argv, environ) != 0) die("spawn");
    int status = 0;
    waitpid(pid, &status, 0);
  }
}

void capiManagedSpawn(benchmark::State& state) {
  for (auto _ : state) {
    cgym_env_t* env = nullptr;
    check(cgym_connect(&env, CGYM_EXAMPLE_SERVICE_CC, nullptr), "cgym_connect");
    const char* version = nullptr;
    const char* compiler = nullptr;
    check(cgym_env_version(env, &version, &compiler), "cgym_env_version");
    cgym_env_free(env);
  }
}

// N sessions on one service, each stepped by its own thread. Threads and sessions are made
// once; an iteration is a round of kStepsPerRound steps by every thread.
class Workers {
 public:
  static constexpr int kStepsPerRound = 20;

  // `makeStep()` is called once per thread, before the threads start; the function it
  // returns makes one step.
  Workers(int n, const std::function<std::function<void()>()>& makeStep) {
    for (int i = 0; i < n; ++i) steps_.push_back(makeStep());
    for (int i = 0; i < n; ++i) threads_.emplace_back([this, i] { work(steps_[i]); });
  }

  void round() {
    std::unique_lock<std::mutex> lock(mutex_);
    pending_ = static_cast<int>(steps_.size());
    ++generation_;
    wake_.notify_all();
    done_.wait(lock, [&] { return pending_ == 0; });
  }

 private:
  void work(const std::function<void()>& step) {
    uint64_t seen = 0;
    while (true) {
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return generation_ != seen; });
        seen = generation_;
      }
      for (int s = 0; s < kStepsPerRound; ++s) step();
      std::lock_guard<std::mutex> lock(mutex_);
      if (--pending_ == 0) done_.notify_one();
    }
  }

  std::vector<std::function<void()>> steps_;
  std::vector<std::thread> threads_;  // run until the process exits
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  uint64_t generation_ = 0;
  int pending_ = 0;
};

// N envs on one example service, each stepped by its own thread.
void capiConcurrent(benchmark::State& state, int n) {
  static Workers* workers[65] = {};
  if (!workers[n]) {
    workers[n] = new Workers(n, [] {
      cgym_env_t* env = connectAndReset(exampleService(kConcurrencyService).endpoint());
      return [env] {
        int done = 0;
        check(cgym_step_index(env, 0, &done, nullptr), "cgym_step_index");
      };
    });
  }
  for (auto _ : state) workers[n]->round();
  state.SetItemsProcessed(state.iterations() * n * Workers::kStepsPerRound);
}

// The same with raw ping-pongs of a step's sizes, each thread on its own channel (as each
// env has its own connection): how far gRPC itself scales on this machine.
void rawConcurrent(benchmark::State& state, int n) {
  static Workers* workers[65] = {};
  if (!workers[n]) {
    workers[n] = new Workers(n, [] {
      auto stub = std::make_shared<std::unique_ptr<PingPong::Stub>>(
          PingPong::NewStub(rawChannel(raw().endpoint())));
      Ping ping;
      ping.set_data(std::string(payloadFor(stepRequestSize(0, 0, -1)), 'p'));
      return [stub, ping] {
        grpc::ClientContext context;
        context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(300));
        Pong pong;
        grpc::Status status = (*stub)->Call(&context, ping, &pong);
        if (!status.ok()) die("ping-pong failed: " + status.error_message());
      };
    });
  }
  for (auto _ : state) workers[n]->round();
  state.SetItemsProcessed(state.iterations() * n * Workers::kStepsPerRound);
}

// --- Many envs at once ---------------------------------------------------------------------

constexpr size_t kVecEnvs = 64;

// A vector env of kVecEnvs example sessions, reset, made once per placement: on one example
// service, on two, or in-process (the benchmarks' session, registered as "bench-vec").
enum VecPlacement { kVecOneService = 0, kVecTwoServices = 1, kVecInProcess = 2 };

cgym_vec_env_t* vecEnv(VecPlacement placement) {
  static cgym_vec_env_t* vecs[3] = {};
  if (vecs[placement]) return vecs[placement];
  std::string endpoint;
  if (placement == kVecInProcess) {
    cgym_service_def_t* def = bench_service_def_new();
    if (!def) die("bench_service_def_new failed");
    check(cgym_service_register("bench-vec", def), "cgym_service_register");
    cgym_service_def_free(def);
    endpoint = "inproc:bench-vec";
  } else {
    // Services of their own, so that the other benchmarks' sessions do not share them.
    static ServiceProcess* services[3] = {};
    const int count = placement == kVecOneService ? 1 : 2;
    for (int i = 0; i < count; ++i) {
      ServiceProcess*& service = services[placement + i];
      if (!service) service = new ServiceProcess(CGYM_EXAMPLE_SERVICE_CC);
      endpoint += (i ? "," : "") + service->endpoint();
    }
  }
  cgym_options_t* options = nullptr;
  check(cgym_options_new(&options), "cgym_options_new");
  check(cgym_options_set_benchmark(options, "benchmark://bench/x", nullptr, 0),
        "cgym_options_set_benchmark");
  cgym_vec_env_t* vec = nullptr;
  check(cgym_vec_env_new(&vec, nullptr, endpoint.c_str(), kVecEnvs, 0, options),
        "cgym_vec_env_new");
  cgym_options_free(options);
  check(cgym_vec_env_reset(vec, nullptr, nullptr), "cgym_vec_env_reset");
  vecs[placement] = vec;
  return vec;
}

// One vector step of every env: items are env steps.
void capiVecStep(benchmark::State& state, VecPlacement placement) {
  cgym_vec_env_t* vec = vecEnv(placement);
  const std::vector<int64_t> actions(kVecEnvs, 0);
  for (auto _ : state) {
    check(cgym_vec_env_step(vec, actions.data(), actions.size(), nullptr), "cgym_vec_env_step");
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kVecEnvs));
}

// The same envs, stepped one after the other with cgym_step (one action, default spaces: what
// a vector step asks of each env).
void capiVecSerial(benchmark::State& state, VecPlacement placement) {
  cgym_vec_env_t* vec = vecEnv(placement);
  std::vector<cgym_env_t*> envs(kVecEnvs);
  for (size_t i = 0; i < kVecEnvs; ++i) check(cgym_vec_env_at(vec, i, &envs[i]), "vec_env_at");
  cgym_event_t* action = nullptr;
  check(cgym_event_new_int64(&action, 0), "cgym_event_new_int64");
  const cgym_event_t* actions[1] = {action};
  for (auto _ : state) {
    for (cgym_env_t* env : envs) {
      cgym_step_result_t* result = nullptr;
      check(cgym_step(env, actions, 1, nullptr, 0, nullptr, 0, nullptr, &result), "cgym_step");
      cgym_step_result_free(result);
    }
  }
  cgym_event_free(action);
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kVecEnvs));
}

void registerAll() {
  using benchmark::RegisterBenchmark;
  const size_t stepRequest = stepRequestSize(0, 0, -1);
  const size_t irRequest = stepRequestSize(0, 0, 0);
  const size_t irReply = stepReplySize(13);
  RegisterBenchmark("raw/step", rawRoundTrip, stepRequest, stepReplySize(-1));
  RegisterBenchmark("capi/step", capiStep);
  RegisterBenchmark("raw/step_ir", rawRoundTrip, irRequest, irReply);
  RegisterBenchmark("capi/step_ir", capiStepIr);
  RegisterBenchmark("capi/step_inproc", capiStepInProcess);
  RegisterBenchmark("capi/fork_end", capiForkEnd);
  RegisterBenchmark("capi/reset", capiReset);
  RegisterBenchmark("ref/spawn_true", refSpawnTrue);
  RegisterBenchmark("capi/managed_spawn", capiManagedSpawn);
  for (int n : {1, 2, 8, 64}) {
    RegisterBenchmark(("capi/concurrent/" + std::to_string(n)).c_str(), capiConcurrent, n)
        ->UseRealTime();
  }
  for (int n : {1, 2}) {
    RegisterBenchmark(("raw/concurrent/" + std::to_string(n)).c_str(), rawConcurrent, n)
        ->UseRealTime();
  }
  // The big observations come from observation spaces 1 and 2 of the bench service.
  RegisterBenchmark("raw/obs_1m", rawRoundTrip, stepRequestSize(0, 0, 1), stepReplySize(kMiB));
  RegisterBenchmark("capi/obs_1m", capiBigObservation, "obs_1m");
  RegisterBenchmark("raw/obs_16m", rawRoundTrip, stepRequestSize(0, 0, 2),
                    stepReplySize(16 * kMiB));
  RegisterBenchmark("capi/obs_16m", capiBigObservation, "obs_16m");
  const std::string n = std::to_string(kVecEnvs);
  for (auto [suffix, placement] :
       {std::pair{"", kVecOneService}, {"_2svc", kVecTwoServices}, {"_inproc", kVecInProcess}}) {
    RegisterBenchmark(("capi/vec_step" + std::string(suffix) + "/" + n).c_str(), capiVecStep,
                      placement)
        ->UseRealTime();
    RegisterBenchmark(("capi/vec_serial" + std::string(suffix) + "/" + n).c_str(), capiVecSerial,
                      placement)
        ->UseRealTime();
  }
}

}  // namespace
}  // namespace cgym_bench

int main(int argc, char** argv) {
  setenv("GRPC_VERBOSITY", "NONE", 0);
  if (argc == 3 && std::string(argv[1]) == "--pingpong_server" &&
      std::string(argv[2]).rfind("--working_dir=", 0) == 0) {
    return cgym_bench::runPingPongServer(std::string(argv[2]).substr(14));
  }
  cgym_bench::registerAll();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  // The services stop now; the concurrency benchmarks' threads and the envs are left to the
  // exit (the threads wait forever).
  cgym_bench::stopAllServices();
  std::_Exit(0);
}
