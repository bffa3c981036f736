// SPDX-License-Identifier: MIT
#include "session.h"

#include <llvm/ADT/SmallVector.h>
#include <llvm/ADT/StringRef.h>
#include <llvm/Analysis/CGSCCPassManager.h>
#include <llvm/Analysis/LoopAnalysisManager.h>
#include <llvm/Analysis/TargetLibraryInfo.h>
#include <llvm/Bitcode/BitcodeReader.h>
#include <llvm/Bitcode/BitcodeWriter.h>
#include <llvm/Config/llvm-config.h>
#include <llvm/IR/DebugInfo.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/PassManager.h>
#include <llvm/IR/Verifier.h>
#include <llvm/IRReader/IRReader.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/Error.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/SourceMgr.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Support/xxhash.h>
#include <llvm/TargetParser/Triple.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iterator>
#include <limits>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <sstream>
#include <string_view>
#include <thread>
#include <unordered_map>

#include "benchmarks/benchmarks.h"
#include "common/subprocess.h"
#include "common/text.h"
#include "features/features.h"

namespace cgym::llvm_env {

namespace {
// The table's indices must be 0, 1, 2, ...: a row out of place would renumber the actions.
constexpr int kActionIndices[] = {
#define CGYM_LLVM_ACTION(index, flag, pipeline, note) index,
#include "actions.def"
};
constexpr bool indicesInOrder() {
  for (int i = 0; i < static_cast<int>(std::size(kActionIndices)); ++i) {
    if (kActionIndices[i] != i) return false;
  }
  return true;
}
static_assert(std::size(kActionIndices) == 124, "CompilerGym's PassesAll has 124 actions");
static_assert(indicesInOrder(), "actions.def must list the actions in index order");
}  // namespace

const std::vector<ActionInfo>& actionTable() {
  static const std::vector<ActionInfo> table = {
#define CGYM_LLVM_ACTION(index, flag, pipeline, note) {flag, pipeline, note},
#include "actions.def"
  };
  return table;
}

namespace {

// The module serialised to bitcode. With use-list order, the bitcode is an exact image of the
// module (it parses back into an identical module), which makes it the fingerprint.
std::string writeBitcode(const llvm::Module& module, bool preserveUseListOrder) {
  std::string out;
  llvm::raw_string_ostream os(out);
  llvm::WriteBitcodeToFile(module, os, preserveUseListOrder);
  os.flush();
  return out;
}

std::string printIr(const llvm::Module& module) {
  std::string ir;
  llvm::raw_string_ostream os(ir);
  // raw_string_ostream appends every small write to the string; a buffer halves the time.
  os.SetBufferSize(1 << 16);
  module.print(os, /*AAW=*/nullptr);
  os.flush();
  return ir;
}

Status parseModule(llvm::LLVMContext& context, llvm::StringRef bytes, const std::string& name,
                   std::unique_ptr<llvm::Module>* out) {
  llvm::SMDiagnostic error;
  std::unique_ptr<llvm::Module> module =
      llvm::parseIR(llvm::MemoryBufferRef(bytes, name), error, context);
  if (!module) {
    std::string message;
    llvm::raw_string_ostream os(message);
    error.print("", os, /*ShowColors=*/false);
    os.flush();
    while (!message.empty() && message.back() == '\n') message.pop_back();
    return Status(StatusCode::kInvalidArgument,
                  "Failed to parse LLVM bitcode of benchmark " + quoteInput(name) + ": " + message);
  }
  *out = std::move(module);
  return Status::OK();
}

Status verify(const llvm::Module& module) {
  std::string message;
  llvm::raw_string_ostream os(message);
  if (llvm::verifyModule(module, &os)) {
    os.flush();
    return Status(StatusCode::kDataLoss, "Failed to verify module: " + message);
  }
  return Status::OK();
}

// Whether an action's "every analysis preserved" can be taken to mean "the module did not
// change" (then the step writes no bitcode). By the new pass manager's contract it does, and the
// function pass managers' invalidation is what LLVM's own tests check most; but some passes
// break it: renaming and stripping passes change only what analyses ignore (names, debug
// information: -instnamer, -strip and -strip-nondebug were caught), and interprocedural passes
// have missed their own changes (-ipsccp replacing an argument with a constant, -argpromotion
// dropping an sret, caught by tests/llvm_env_test.cc). So the claim is trusted only for
// pipelines of function passes that do not rename, and for -globaldce, whose every deletion
// counts as a change; every other action is checked against the bitcode.
bool trustsPreservedAll(int index) {
  static const std::vector<bool> table = [] {
    const std::set<std::string> renaming = {"-add-discriminators", "-instnamer"};
    std::vector<bool> out;
    for (const ActionInfo& action : actionTable()) {
      const std::string pipeline = action.pipeline;
      const bool functionPasses =
          pipeline.rfind("function(", 0) == 0 && pipeline.find("),") == std::string::npos;
      out.push_back(pipeline.empty() || pipeline == "globaldce" ||
                    (functionPasses && renaming.count(action.flag) == 0));
    }
    return out;
  }();
  return table[index];
}

Status parseInt(const std::string& key, const std::string& value, int64_t* out) {
  try {
    size_t end = 0;
    const long long parsed = std::stoll(value, &end);
    if (end != value.size()) throw std::invalid_argument("trailing characters");
    *out = parsed;
    return Status::OK();
  } catch (const std::exception&) {
    return Status(StatusCode::kInvalidArgument, "Invalid value for " + quoteInput(key) + ": '" +
                                                    quoteInput(value) + "' is not an integer");
  }
}

}  // namespace

// Spins for up to about 50 us until `ready()`, yielding the CPU between checks: a hand-over
// between two threads that sleep costs two wake-ups, several times a cheap pass.
template <typename Ready>
void waitBriefly(Ready&& ready) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(50);
  while (!ready() && std::chrono::steady_clock::now() < until) std::this_thread::yield();
}

// A thread that runs a session's actions, one at a time: a session keeps one for its life
// (starting a thread per action cost more than a cheap pass). Destroying the Worker lets the
// thread finish its current job, if any, and end.
class Session::Worker {
 public:
  Worker() : state_(std::make_shared<State>()) {
    std::thread([state = state_] { state->loop(); }).detach();
  }
  ~Worker() {
    std::lock_guard<std::mutex> lock(state_->mutex);
    state_->stop = true;
    state_->wake.notify_all();
  }
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  void post(std::function<void()> job) {
    std::lock_guard<std::mutex> lock(state_->mutex);
    state_->job = std::move(job);
    state_->pending = true;
    state_->wake.notify_all();
  }

 private:
  struct State {
    std::mutex mutex;
    std::condition_variable wake;
    std::function<void()> job;
    std::atomic<bool> pending{false};  // a job was posted (read without the lock)
    bool stop = false;

    void loop() {
      std::unique_lock<std::mutex> lock(mutex);
      for (;;) {
        if (!stop && !job) {
          // Agents often step again at once: look for the next job before sleeping.
          lock.unlock();
          waitBriefly([&] { return pending.load(); });
          lock.lock();
        }
        wake.wait(lock, [&] { return stop || job; });
        pending = false;
        if (!job) return;  // stopped and idle
        std::function<void()> next = std::move(job);
        job = nullptr;
        lock.unlock();
        next();
        next = nullptr;  // release what the job holds (the engine) before waiting again
        lock.lock();
      }
    }
  };
  std::shared_ptr<State> state_;  // shared with the thread, which may outlive the Worker
};

// The LLVM state of a session: a context of its own (sessions run in parallel on different
// threads, and a context is single-threaded), the module, and the passes that run on it.
struct Session::Engine {
  std::unique_ptr<llvm::LLVMContext> context;
  std::unique_ptr<llvm::Module> module;

  // One PassBuilder and its four analysis managers, cross-registered once, so that analyses a
  // pass preserved stay cached for the next action. Made by the first pass that runs: a fork
  // or a session that is only observed never pays for them.
  struct Passes {
    std::unique_ptr<llvm::TargetLibraryInfoImpl> tlii;
    // Declared in this order so that they are destroyed MAM first (its proxies clear the
    // others).
    llvm::LoopAnalysisManager lam;
    llvm::FunctionAnalysisManager fam;
    llvm::CGSCCAnalysisManager cgam;
    llvm::ModuleAnalysisManager mam;
    // No TargetMachine: the generic cost model, as CompilerGym's legacy pass managers had.
    llvm::PassBuilder pb;
    // Each action's pipeline, parsed on its first use.
    std::vector<std::unique_ptr<llvm::ModulePassManager>> pipelines =
        std::vector<std::unique_ptr<llvm::ModulePassManager>>(actionTable().size());

    explicit Passes(const llvm::Module& module) {
      // Target-library information from the module's triple, registered before the defaults
      // (the first registration of an analysis wins).
      tlii = std::make_unique<llvm::TargetLibraryInfoImpl>(llvm::Triple(module.getTargetTriple()));
      fam.registerPass([this] { return llvm::TargetLibraryAnalysis(*tlii); });
      pb.registerModuleAnalyses(mam);
      pb.registerCGSCCAnalyses(cgam);
      pb.registerFunctionAnalyses(fam);
      pb.registerLoopAnalyses(lam);
      pb.crossRegisterProxies(lam, fam, cgam, mam);
    }
    ~Passes() {
      mam.clear();
      cgam.clear();
      fam.clear();
      lam.clear();
      pipelines.clear();
    }
  };
  std::unique_ptr<Passes> passes;

  Engine(std::unique_ptr<llvm::LLVMContext> c, std::unique_ptr<llvm::Module> m)
      : context(std::move(c)), module(std::move(m)) {}

  ~Engine() {
    passes.reset();  // before the module their cached results point into
    module.reset();
  }

  Passes& ensurePasses() {
    if (!passes) passes = std::make_unique<Passes>(*module);
    return *passes;
  }

  // Creates a pipeline from its text (each is parsed once per engine).
  Status pipeline(int index, llvm::ModulePassManager** out) {
    Passes& p = ensurePasses();
    std::unique_ptr<llvm::ModulePassManager>& slot = p.pipelines[index];
    if (!slot) {
      auto mpm = std::make_unique<llvm::ModulePassManager>();
      const char* text = actionTable()[index].pipeline;
      if (*text) {
        if (llvm::Error error = p.pb.parsePassPipeline(*mpm, text)) {
          return Status(StatusCode::kInternal, "Failed to parse the pipeline '" +
                                                   std::string(text) +
                                                   "': " + llvm::toString(std::move(error)));
        }
      }
      slot = std::move(mpm);
    }
    *out = slot.get();
    return Status::OK();
  }

  // Runs a default -O3/-Oz pipeline on the module; returns whether LLVM reported a change.
  bool runDefaultPipeline(llvm::OptimizationLevel level) {
    Passes& p = ensurePasses();
    llvm::ModulePassManager mpm = p.pb.buildPerModuleDefaultPipeline(level);
    llvm::PreservedAnalyses pa = mpm.run(*module, p.mam);
    return !pa.areAllPreserved();
  }
};

// The O0/O3/Oz baselines of one benchmark (keyed by its fingerprint), shared by every
// session of that benchmark, forks included. Each group is computed the first time one of its
// values is asked for: the instruction counts (the -O3/-Oz pipelines), and the sizes (code
// generation of the three modules, which costs more and is needed less often).
struct Session::Baselines {
  std::shared_ptr<const std::string> bitcode;  // the benchmark's fingerprint
  std::mutex mutex;
  std::map<std::string, int64_t> values;         // observation space name -> value
  std::map<std::string, Status> groupStatus;     // group -> the outcome of its computation
  std::map<std::string, std::string> optimised;  // "O3"/"Oz" -> bitcode after the pipeline

  // The module of a baseline policy, in a new engine.
  Status module(const std::string& level, std::unique_ptr<Engine>* out) {
    auto it = optimised.find(level);
    const std::string& source = it == optimised.end() ? *bitcode : it->second;
    auto context = std::make_unique<llvm::LLVMContext>();
    std::unique_ptr<llvm::Module> m;
    CGYM_RETURN_IF_ERROR(parseModule(*context, source, "baseline", &m));
    *out = std::make_unique<Engine>(std::move(context), std::move(m));
    if (level != "O0" && it == optimised.end()) {
      (*out)->runDefaultPipeline(level == "O3" ? llvm::OptimizationLevel::O3
                                               : llvm::OptimizationLevel::Oz);
      optimised[level] = writeBitcode(*(*out)->module, /*preserveUseListOrder=*/true);
    }
    return Status::OK();
  }

  Status compute(const std::string& group) {
    for (const char* level : {"O0", "O3", "Oz"}) {
      std::unique_ptr<Engine> engine;
      CGYM_RETURN_IF_ERROR(module(level, &engine));
      if (group == "IrInstructionCount") {
        values[std::string("IrInstructionCount") + level] = engine->module->getInstructionCount();
        continue;
      }
      // Benchmarks without a build command measure TextSize as ObjectTextSize, as CompilerGym.
      int64_t size = 0;
      // The module is the engine's own, thrown away after: code generation may lower it in
      // place. O0's is the verified benchmark; the pipelines' output is verified there.
      CGYM_RETURN_IF_ERROR(objectTextSizeBytes(std::move(engine->module),
                                               /*verified=*/std::string(level) == "O0", &size));
      values[std::string("ObjectTextSize") + level] = size;
      values[std::string("TextSize") + level] = size;
    }
    return Status::OK();
  }

  // The bitcode of a baseline policy's module (for builds).
  Status levelBitcode(const std::string& level, std::string* out) {
    std::lock_guard<std::mutex> lock(mutex);
    if (level != "O0" && !optimised.count(level)) {
      std::unique_ptr<Engine> engine;
      CGYM_RETURN_IF_ERROR(module(level, &engine));
    }
    *out = level == "O0" ? *bitcode : optimised.at(level);
    return Status::OK();
  }

  Status get(const std::string& name, int64_t* out) {
    const std::string group =
        name.rfind("IrInstructionCount", 0) == 0 ? "IrInstructionCount" : "Size";
    std::lock_guard<std::mutex> lock(mutex);
    auto done = groupStatus.find(group);
    if (done == groupStatus.end()) done = groupStatus.emplace(group, compute(group)).first;
    CGYM_RETURN_IF_ERROR(done->second);
    *out = values.at(name);
    return Status::OK();
  }
};

namespace {

// A process-wide map from keys to shared values, bounded as CompilerGym's benchmark factory:
// at 128 entries, half are dropped (their users keep them alive).
template <typename Value>
class BoundedCache {
 public:
  std::shared_ptr<Value> find(const std::string& key) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = map_.find(key);
    return it == map_.end() ? nullptr : it->second;
  }
  // Keeps `value` under `key` unless the key has one already; returns the kept one.
  std::shared_ptr<Value> insert(const std::string& key, std::shared_ptr<Value> value) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (auto it = map_.find(key); it != map_.end()) return it->second;
    if (map_.size() >= 128) {
      size_t n = 0;
      for (auto i = map_.begin(); i != map_.end();) i = (n++ % 2) ? map_.erase(i) : std::next(i);
    }
    return map_.emplace(key, std::move(value)).first->second;
  }

 private:
  std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<Value>> map_;
};

// A key for bytes (a program, a fingerprint): their size and two unrelated 64-bit hashes
// (xxHash64 and the standard library's).
std::string contentKey(const std::string& bytes) {
  return std::to_string(bytes.size()) + ":" + std::to_string(llvm::xxHash64(bytes)) + ":" +
         std::to_string(std::hash<std::string>()(bytes));
}

// Baselines by fingerprint, so that a benchmark's baselines are computed once per process
// even when it comes under several names.
std::shared_ptr<Session::Baselines> baselinesFor(std::shared_ptr<const std::string> fingerprint) {
  static BoundedCache<Session::Baselines> cache;
  const std::string key = contentKey(*fingerprint);
  if (std::shared_ptr<Session::Baselines> known = cache.find(key)) return known;
  auto baselines = std::make_shared<Session::Baselines>();
  baselines->bitcode = std::move(fingerprint);
  return cache.insert(key, std::move(baselines));
}

// Benchmarks this process has prepared (parsed, verified, normalised, fingerprinted): by the
// program's content when the client sent it, by URI when the benchmark was resolved from a
// generator or the bundled dataset (which always give the same program); never for file://
// (the file may change).
BoundedCache<const Session::Prepared>& preparedCache() {
  static BoundedCache<const Session::Prepared> cache;
  return cache;
}

}  // namespace

std::string Session::preparedKey(const BenchmarkSpec& benchmark) {
  if (benchmark.program) return "program:" + contentKey(*benchmark.program);
  const std::string uri = benchmark.programUri.value_or(benchmark.uri);
  if (uri.rfind("generator://", 0) == 0 || uri.rfind("benchmark://cgym-v0/", 0) == 0) {
    return "uri:" + uri;
  }
  return "";
}

Session::Session(std::filesystem::path workingDirectory)
    : workingDirectory_(std::move(workingDirectory)) {}

Session::~Session() {
  if (!scratch_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(scratch_, ec);
  }
}

std::string compilerVersion() {
  return std::string(LLVM_VERSION_STRING) + " " +
         llvm::Triple::normalize(LLVM_DEFAULT_TARGET_TRIPLE);
}

bool Session::buildable() const { return !dynamicConfig_->build.argument.empty(); }
bool Session::runnable() const { return buildable() && !dynamicConfig_->run.argument.empty(); }

Status Session::loadEngine(const std::string& bitcode, const std::string& name) {
  // Lazily: the module-level records now, the function bodies when something first needs the
  // module (materialize()), so that a fork or a reset of a known benchmark that is never
  // used, or only observed through cached values, costs little.
  auto context = std::make_unique<llvm::LLVMContext>();
  llvm::Expected<std::unique_ptr<llvm::Module>> module = llvm::getOwningLazyBitcodeModule(
      llvm::MemoryBuffer::getMemBufferCopy(bitcode, name), *context);
  if (!module) {
    return Status(StatusCode::kInternal, "Failed to parse the module's own bitcode: " +
                                             llvm::toString(module.takeError()));
  }
  // The identifier is not in bitcode; keep the normalised one (it is printed in Ir).
  (*module)->setModuleIdentifier("-");
  engine_ = std::make_shared<Engine>(std::move(context), std::move(*module));
  return Status::OK();
}

Status Session::materialize() {
  if (engine_->module->isMaterialized()) return Status::OK();
  if (llvm::Error error = engine_->module->materializeAll()) {
    return Status(StatusCode::kInternal,
                  "Failed to load the module's functions: " + llvm::toString(std::move(error)));
  }
  return Status::OK();
}

Status Session::init(const std::string& actionSpace, const BenchmarkSpec& benchmark) {
  if (actionSpace != kActionSpaceName) {
    return Status(StatusCode::kInvalidArgument, "Unknown action space: " + actionSpace);
  }
  benchmarkUri_ = benchmark.uri;
  dynamicConfig_ = benchmark.dynamicConfig;

  // A benchmark seen before in this process starts from its prepared fingerprint: no
  // resolution, verification, normalisation or bitcode writing again.
  const std::string key = preparedKey(benchmark);
  if (std::shared_ptr<const Prepared> prepared =
          key.empty() ? nullptr : preparedCache().find(key)) {
    fingerprint_ = prepared->fingerprint;
    baselines_ = prepared->baselines;
    if (!dynamicConfig_) dynamicConfig_ = prepared->dynamicConfig;
    if (!dynamicConfig_) dynamicConfig_ = std::make_shared<const DynamicConfig>();
    return loadEngine(*fingerprint_, benchmarkUri_);
  }

  std::shared_ptr<const DynamicConfig> resolvedConfig;
  std::string resolvedBytes;
  std::string_view bytes;
  if (benchmark.program) {
    bytes = *benchmark.program;
  } else {
    ResolveOptions options;
    options.scratchDirectory = workingDirectory_;
    ResolvedBenchmark resolved;
    CGYM_RETURN_IF_ERROR(
        resolveBenchmark(benchmark.programUri.value_or(benchmark.uri), options, &resolved));
    resolvedBytes = std::move(resolved.bitcode);
    bytes = resolvedBytes;
    if (resolved.dynamicConfig) {
      resolvedConfig = std::make_shared<const DynamicConfig>(std::move(*resolved.dynamicConfig));
    }
    if (!dynamicConfig_) dynamicConfig_ = resolvedConfig;
  }
  if (!dynamicConfig_) dynamicConfig_ = std::make_shared<const DynamicConfig>();

  // Parse and normalise; the module's exact bitcode is the first fingerprint.
  auto context = std::make_unique<llvm::LLVMContext>();
  std::unique_ptr<llvm::Module> module;
  CGYM_RETURN_IF_ERROR(parseBenchmark(*context, bytes, &module));
  fingerprint_ =
      std::make_shared<const std::string>(writeBitcode(*module, /*preserveUseListOrder=*/true));
  engine_ = std::make_shared<Engine>(std::move(context), std::move(module));
  baselines_ = baselinesFor(fingerprint_);
  if (!key.empty()) {
    preparedCache().insert(
        key, std::make_shared<const Prepared>(Prepared{fingerprint_, baselines_, resolvedConfig}));
  }
  return Status::OK();
}

Status Session::initFork(const Session& parent) {
  // A fork is the parent's fingerprint parsed into a new context: the fingerprint already is
  // the exact bitcode (use-list order included), so only the parse is paid. CloneModule cannot
  // be used: it clones into the parent's context, which the parent's thread keeps using.
  benchmarkUri_ = parent.benchmarkUri_;
  dynamicConfig_ = parent.dynamicConfig_;
  baselines_ = parent.baselines_;
  fingerprint_ = parent.fingerprint_;
  cache_ = parent.cache_;  // the same module, so the same values
  actionTimeoutSeconds_ = parent.actionTimeoutSeconds_;
  // As CompilerGym, the runtime counters are not inherited (its client sends them again).
  return loadEngine(*fingerprint_, benchmarkUri_);
}

Status Session::updateFingerprint(bool* changed) {
  std::string bitcode = writeBitcode(*engine_->module, /*preserveUseListOrder=*/true);
  *changed = bitcode != *fingerprint_;
  if (*changed) {
    if (Status status = verify(*engine_->module); !status.ok()) {
      // Back to the last valid module, so that the session stays usable.
      CGYM_RETURN_IF_ERROR(loadEngine(*fingerprint_, benchmarkUri_));
      return status;
    }
    fingerprint_ = std::make_shared<const std::string>(std::move(bitcode));
    cache_.clear();
  }
  return Status::OK();
}

Status Session::runPipeline(int index, bool* changed) {
  llvm::ModulePassManager* mpm = nullptr;
  CGYM_RETURN_IF_ERROR(engine_->pipeline(index, &mpm));

  bool allPreserved = false;
  bool exceeded = false;
  if (std::isinf(actionTimeoutSeconds_)) {
    // No time limit: nothing to give up on, so the pass runs on this thread (no hand-over).
    allPreserved = mpm->run(*engine_->module, engine_->passes->mam).areAllPreserved();
  } else {
    // The pass runs on the session's worker thread so that the session can give up waiting
    // for it. A pass cannot be stopped: on a timeout the worker keeps the engine alive until
    // the pass ends, and the session goes on from its snapshot (the fingerprint) in a new
    // engine, with a new worker.
    struct Job {
      std::mutex mutex;
      std::condition_variable done;
      std::atomic<bool> finished{false};
      bool allPreserved = false;
      double seconds = 0;
    };
    auto job = std::make_shared<Job>();
    std::shared_ptr<Engine> engine = engine_;
    const auto start = std::chrono::steady_clock::now();
    if (!worker_) worker_ = std::make_unique<Worker>();
    worker_->post([job, engine, mpm, start] {
      llvm::PreservedAnalyses pa = mpm->run(*engine->module, engine->passes->mam);
      const auto end = std::chrono::steady_clock::now();
      std::lock_guard<std::mutex> lock(job->mutex);
      job->allPreserved = pa.areAllPreserved();
      job->seconds = std::chrono::duration<double>(end - start).count();
      job->finished = true;
      job->done.notify_all();
    });
    // Most actions take microseconds: wait for them without sleeping first (a wake-up of
    // this thread costs more than the pass).
    waitBriefly([&] { return job->finished.load(); });
    {
      std::unique_lock<std::mutex> lock(job->mutex);
      // The limit is on the action's duration: one that finished, but late, fails too, so
      // the outcome does not depend on when this thread noticed.
      exceeded = !job->done.wait_for(lock, std::chrono::duration<double>(actionTimeoutSeconds_),
                                     [&] { return job->finished.load(); }) ||
                 job->seconds > actionTimeoutSeconds_;
      allPreserved = job->allPreserved;
    }
    engine.reset();
  }
  if (exceeded) {
    worker_.reset();  // its thread ends after the abandoned pass
    engine_.reset();
    CGYM_RETURN_IF_ERROR(loadEngine(*fingerprint_, benchmarkUri_));
    std::ostringstream seconds;
    seconds << actionTimeoutSeconds_;
    return Status(StatusCode::kDeadlineExceeded,
                  "Action " + std::string(actionTable()[index].flag) +
                      " exceeded the time limit of " + seconds.str() + " seconds");
  }
  // A trusted pass that preserved every analysis did not change the module (see
  // trustsPreservedAll): the step costs no bitcode write. For the others, and for every pass
  // that claims a change (some claim changes they did not make), the fingerprint decides.
  // tests/llvm_env_test.cc checks the flag against the module on every action and program.
  if (allPreserved && trustsPreservedAll(index)) {
    *changed = false;
    return Status::OK();
  }
  CGYM_RETURN_IF_ERROR(updateFingerprint(changed));
  // A pass that claims to preserve everything but changed the module (instnamer, strip, ...)
  // would leave stale analyses behind: drop them all.
  if (*changed && allPreserved) engine_->passes->mam.clear();
  return Status::OK();
}

Status Session::applyAction(int64_t index, bool* noEffect) {
  const int64_t n = static_cast<int64_t>(actionTable().size());
  if (index < 0 || index >= n) {
    return Status(StatusCode::kInvalidArgument, "Action out of range: " + std::to_string(index));
  }
  bool changed = false;
  CGYM_RETURN_IF_ERROR(materialize());
  CGYM_RETURN_IF_ERROR(runPipeline(static_cast<int>(index), &changed));
  *noEffect = !changed;
  return Status::OK();
}

Status Session::baselineValue(const std::string& name, Observation* out) {
  out->kind = Observation::Kind::kInt64;
  return baselines_->get(name, &out->int64);
}

Status Session::observe(const std::string& name, Observation* out) {
  using Kind = Observation::Kind;
  // Everything but cached values, baselines, the benchmark's flags, the host and the object
  // size (computed from the fingerprint) needs the module's functions.
  static const std::set<std::string> withoutModule = {
      "IsBuildable",          "IsRunnable",           "CpuInfo",          "IrInstructionCountO0",
      "IrInstructionCountO3", "IrInstructionCountOz", "ObjectTextSizeO0", "ObjectTextSizeO3",
      "ObjectTextSizeOz",     "ObjectTextSizeBytes"};
  const bool known = cache_.count(name) > 0 || withoutModule.count(name) > 0 ||
                     (name.rfind("TextSize", 0) == 0 && !buildable());
  if (!known) CGYM_RETURN_IF_ERROR(materialize());
  const llvm::Module& module = *engine_->module;
  Observation& observation = *out;
  auto setInt64 = [&](int64_t value) {
    observation.kind = Kind::kInt64;
    observation.int64 = value;
  };
  auto setString = [&](Kind kind, std::string text) {
    observation.kind = kind;
    observation.text = std::move(text);
  };

  if (name == "Ir") {
    setString(Kind::kString, printIr(module));
  } else if (name == "IrSha1") {
    return cached(name, out, [&](Observation* value) {
      value->kind = Kind::kString;
      value->text = irSha1(module);
      return Status::OK();
    });
  } else if (name == "Bitcode") {
    setString(Kind::kBytes, writeBitcode(module, /*preserveUseListOrder=*/false));
  } else if (name == "BitcodeFile") {
    // A name no other session of this process uses: the session's address and a counter,
    // plus random bits against other processes sharing the directory.
    std::random_device random;
    char file[96];
    std::snprintf(file, sizeof(file), "module-%08x-%p-%llu.bc", random(),
                  static_cast<const void*>(this),
                  static_cast<unsigned long long>(bitcodeFileCounter_++));
    const std::filesystem::path path = workingDirectory_ / file;
    std::string bitcode = writeBitcode(module, /*preserveUseListOrder=*/false);
    std::ofstream stream(path, std::ios::binary);
    stream.write(bitcode.data(), static_cast<std::streamsize>(bitcode.size()));
    if (!stream)
      return Status(StatusCode::kInternal, "Failed to write bitcode file: " + path.string());
    setString(Kind::kString, path.string());
  } else if (name == "IrInstructionCount") {
    return cached(name, out, [&](Observation* value) {
      value->kind = Kind::kInt64;
      value->int64 = module.getInstructionCount();
      return Status::OK();
    });
  } else if (name == "IrInstructionCountO0" || name == "IrInstructionCountO3" ||
             name == "IrInstructionCountOz") {
    return baselineValue(name, &observation);
  } else if (name == "ObjectTextSizeO0" || name == "ObjectTextSizeO3" ||
             name == "ObjectTextSizeOz" ||
             ((name == "TextSizeO0" || name == "TextSizeO3" || name == "TextSizeOz") &&
              !buildable())) {
    return baselineValue(name, &observation);
  } else if (name == "IsBuildable") {
    observation.kind = Kind::kBool;
    observation.boolean = buildable();
  } else if (name == "IsRunnable") {
    observation.kind = Kind::kBool;
    observation.boolean = runnable();
  } else if (name == "Runtime" || name == "Buildtime") {
    observation.kind = Kind::kDoubleVector;
    observation.doubles.clear();
    // Empty when the benchmark cannot be built or run, as CompilerGym.
    if (name == "Runtime") return runnable() ? computeRuntime(&observation) : Status::OK();
    if (!buildable()) return Status::OK();
    CGYM_RETURN_IF_ERROR(buildCurrent());
    // One value, the last build's duration, as CompilerGym (the build is cached while the
    // module is unchanged, so repeated requests return the same number).
    observation.doubles.push_back(buildSeconds_);
  } else if (name.rfind("TextSize", 0) == 0) {
    int64_t size = 0;
    if (!buildable()) {
      // TextSizeBytes without a build command: the object file's size, as CompilerGym.
      CGYM_RETURN_IF_ERROR(objectTextSize(&size));
    } else if (name == "TextSizeBytes") {
      // The binary built by the benchmark's build command, as CompilerGym.
      CGYM_RETURN_IF_ERROR(buildCurrent());
      CGYM_RETURN_IF_ERROR(builtTextSize(scratch_ / "current", &size));
    } else {
      auto cached = builtBaselineSizes_.find(name);
      if (cached == builtBaselineSizes_.end()) {
        const std::string level = name.substr(std::string("TextSize").size());
        std::string bitcode;
        CGYM_RETURN_IF_ERROR(baselines_->levelBitcode(level, &bitcode));
        std::filesystem::path dir;
        CGYM_RETURN_IF_ERROR(scratchDirectory(level, &dir));
        double seconds = 0;
        CGYM_RETURN_IF_ERROR(buildBitcode(bitcode, dir, &seconds));
        CGYM_RETURN_IF_ERROR(builtTextSize(dir, &size));
        cached = builtBaselineSizes_.emplace(name, size).first;
      }
      size = cached->second;
    }
    setInt64(size);
  } else if (name == "ObjectTextSizeBytes") {
    int64_t size = 0;
    CGYM_RETURN_IF_ERROR(objectTextSize(&size));
    setInt64(size);
  } else if (name == "InstCount" || name == "Autophase") {
    return cached(name, out, [&](Observation* value) {
      value->kind = Kind::kInt64Vector;
      value->int64s = name == "InstCount" ? instCount(module) : autophase(module);
      return Status::OK();
    });
  } else if (name == "CpuInfo") {
    setString(Kind::kString, cpuInfoJson());
  } else if (name == "LexedIr") {
    auto tokens = std::make_shared<LexedIr>();
    CGYM_RETURN_IF_ERROR(lexedIr(module, tokens.get()));
    observation.kind = Kind::kLexedIr;
    observation.lexedIr = std::move(tokens);
  } else {
    return Status(StatusCode::kUnimplemented, "Unknown observation space: " + quoteInput(name));
  }
  return Status::OK();
}

namespace {

std::string shellQuote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

}  // namespace

// The current module's object .text size, kept until the module changes. Code generation
// lowers the IR in place, so it runs on a copy parsed from the fingerprint (the exact module,
// already verified; parsing is faster than CloneModule).
Status Session::objectTextSize(int64_t* size) {
  Observation value;
  CGYM_RETURN_IF_ERROR(cached("ObjectTextSizeBytes", &value, [&](Observation* computed) {
    auto context = std::make_unique<llvm::LLVMContext>();
    std::unique_ptr<llvm::Module> copy;
    CGYM_RETURN_IF_ERROR(parseModule(*context, *fingerprint_, benchmarkUri_, &copy));
    computed->kind = Observation::Kind::kInt64;
    return objectTextSizeBytes(std::move(copy), /*verified=*/true, &computed->int64);
  }));
  *size = value.int64;
  return Status::OK();
}

Status Session::cached(const std::string& name, Observation* out,
                       const std::function<Status(Observation*)>& compute) {
  auto it = cache_.find(name);
  if (it == cache_.end()) {
    Observation value;
    CGYM_RETURN_IF_ERROR(compute(&value));
    it = cache_.emplace(name, std::move(value)).first;
  }
  *out = it->second;
  return Status::OK();
}

Status Session::scratchDirectory(const std::string& name, std::filesystem::path* out) {
  std::error_code ec;
  if (scratch_.empty()) {
    // Under the working directory, on a filesystem where binaries can run (as CompilerGym's
    // disk/b/), one directory per session.
    std::filesystem::path base = workingDirectory_ / "disk" / "b";
    std::filesystem::create_directories(base, ec);
    std::string pattern = (base / "session-XXXXXX").string();
    if (ec || !mkdtemp(pattern.data())) {
      return Status(StatusCode::kInternal,
                    "Failed to create a scratch directory under " + base.string());
    }
    scratch_ = pattern;
  }
  *out = scratch_ / name;
  std::filesystem::create_directories(*out, ec);
  if (ec) return Status(StatusCode::kInternal, "Failed to create " + out->string());
  return Status::OK();
}

// Runs a dynamic-config command as CompilerGym does: its arguments joined by spaces and run by
// a shell (so $CC, $IN and redirections work), in `dir`, with CC (the matching clang) and IN
// (dir/out.bc) and the command's own variables in its environment, under its time limit
// (300 s if it has none); declared input files are checked before, output files after.
Status Session::runInScratch(const Command& command, const std::filesystem::path& dir,
                             const std::string& what, double* seconds) {
  for (const std::string& file : command.infile) {
    if (!std::filesystem::exists(dir / file)) {
      return Status(StatusCode::kInternal, what + " input file not found: " + file);
    }
  }
  std::string script = "cd " + shellQuote(dir.string()) + " &&";
  for (const std::string& argument : command.argument) script += " " + argument;
  std::vector<std::string> argv = {"/usr/bin/env",
                                   std::string("CC=") + CGYM_LLVM_TOOLS_DIR + "/clang",
                                   "IN=" + (dir / "out.bc").string()};
  for (const auto& [key, value] : command.env) argv.push_back(key + "=" + value);
  argv.insert(argv.end(), {"/bin/sh", "-c", script});
  const double timeout = command.timeoutSeconds > 0 ? command.timeoutSeconds : 300;
  CommandResult result;
  const auto start = std::chrono::steady_clock::now();
  CGYM_RETURN_IF_ERROR(runCommand(argv, "", timeout, &result));
  *seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (result.timedOut) {
    return Status(StatusCode::kDeadlineExceeded, describeFailure(what, timeout, result));
  }
  if (!result.succeeded()) {
    return Status(StatusCode::kInternal,
                  describeFailure(what, timeout, result) + ": " + result.stderrText);
  }
  for (const std::string& file : command.outfile) {
    if (!std::filesystem::exists(dir / file)) {
      return Status(StatusCode::kInternal, what + " output file not found: " + file);
    }
  }
  return Status::OK();
}

Status Session::buildBitcode(const std::string& bitcode, const std::filesystem::path& dir,
                             double* seconds) {
  std::ofstream out(dir / "out.bc", std::ios::binary | std::ios::trunc);
  out.write(bitcode.data(), static_cast<std::streamsize>(bitcode.size()));
  out.close();
  if (!out) return Status(StatusCode::kInternal, "Failed to write " + (dir / "out.bc").string());
  return runInScratch(dynamicConfig_->build, dir, "Build command", seconds);
}

Status Session::buildCurrent() {
  if (builtFingerprint_ && builtFingerprint_ == fingerprint_) return Status::OK();
  std::filesystem::path dir;
  CGYM_RETURN_IF_ERROR(scratchDirectory("current", &dir));
  builtFingerprint_.reset();
  CGYM_RETURN_IF_ERROR(buildBitcode(writeBitcode(*engine_->module, /*preserveUseListOrder=*/false),
                                    dir, &buildSeconds_));
  builtFingerprint_ = fingerprint_;
  return Status::OK();
}

// The Berkeley "text" size (code, read-only data, unwind tables) of the build's first
// declared output, read from llvm-size as CompilerGym does.
Status Session::builtTextSize(const std::filesystem::path& dir, int64_t* size) {
  if (dynamicConfig_->build.outfile.empty()) {
    return Status(StatusCode::kInternal, "The build command declares no output file");
  }
  const std::string binary = (dir / dynamicConfig_->build.outfile[0]).string();
  CommandResult result;
  CGYM_RETURN_IF_ERROR(
      runCommand({std::string(CGYM_LLVM_TOOLS_DIR) + "/llvm-size", binary}, "", 60, &result));
  if (!result.succeeded()) {
    return Status(StatusCode::kInternal,
                  describeFailure("llvm-size", 60, result) + ": " + result.stderrText);
  }
  std::istringstream lines(result.stdoutText);
  std::string header, line;
  std::getline(lines, header);
  std::getline(lines, line);
  std::istringstream fields(line);
  if (!(fields >> *size)) {
    return Status(StatusCode::kInternal, "Failed to read llvm-size output: " + result.stdoutText);
  }
  return Status::OK();
}

// Builds if the module changed, runs the pre-run commands, W unmeasured and N measured runs,
// then the post-run commands; N wall-clock durations in seconds.
Status Session::computeRuntime(Observation* out) {
  CGYM_RETURN_IF_ERROR(buildCurrent());
  const std::filesystem::path dir = scratch_ / "current";
  double seconds = 0;
  for (const Command& command : dynamicConfig_->preRun) {
    CGYM_RETURN_IF_ERROR(runInScratch(command, dir, "Pre-run command", &seconds));
  }
  out->kind = Observation::Kind::kDoubleVector;
  out->doubles.clear();
  for (int i = 0; i < warmupRunsPerRuntimeObservation_ + runtimesPerObservation_; ++i) {
    CGYM_RETURN_IF_ERROR(runInScratch(dynamicConfig_->run, dir, "Run command", &seconds));
    if (i >= warmupRunsPerRuntimeObservation_) out->doubles.push_back(seconds);
  }
  for (const Command& command : dynamicConfig_->postRun) {
    CGYM_RETURN_IF_ERROR(runInScratch(command, dir, "Post-run command", &seconds));
  }
  return Status::OK();
}

Status Session::handleParameter(const std::string& key, const std::string& value,
                                std::optional<std::string>* replyOut) {
  std::optional<std::string>& reply = *replyOut;
  int64_t n = 0;
  if (key == "llvm.set_runtimes_per_observation_count") {
    CGYM_RETURN_IF_ERROR(parseInt(key, value, &n));
    if (n < 1 || n > std::numeric_limits<int>::max()) {
      return Status(StatusCode::kInvalidArgument,
                    "runtimes_per_observation_count must be >= 1. Received: " + quoteInput(value));
    }
    runtimesPerObservation_ = static_cast<int>(n);
    reply = value;
  } else if (key == "llvm.get_runtimes_per_observation_count") {
    reply = std::to_string(runtimesPerObservation_);
  } else if (key == "llvm.set_warmup_runs_count_per_runtime_observation") {
    CGYM_RETURN_IF_ERROR(parseInt(key, value, &n));
    if (n < 0 || n > std::numeric_limits<int>::max()) {
      return Status(
          StatusCode::kInvalidArgument,
          "warmup_runs_count_per_runtime_observation must be >= 0. Received: " + quoteInput(value));
    }
    warmupRunsPerRuntimeObservation_ = static_cast<int>(n);
    reply = value;
  } else if (key == "llvm.get_warmup_runs_count_per_runtime_observation") {
    reply = std::to_string(warmupRunsPerRuntimeObservation_);
  } else if (key == "llvm.set_buildtimes_per_observation_count") {
    CGYM_RETURN_IF_ERROR(parseInt(key, value, &n));
    if (n < 1 || n > std::numeric_limits<int>::max()) {
      return Status(
          StatusCode::kInvalidArgument,
          "buildtimes_per_observation_count must be >= 1. Received: " + quoteInput(value));
    }
    buildtimesPerObservation_ = static_cast<int>(n);
    reply = value;
  } else if (key == "llvm.get_buildtimes_per_observation_count") {
    reply = std::to_string(buildtimesPerObservation_);
  } else if (key == "llvm.apply_baseline_optimizations") {
    if (value != "-Oz" && value != "-O3") {
      return Status(StatusCode::kInvalidArgument,
                    "Invalid value for llvm.apply_baseline_optimizations: " + quoteInput(value));
    }
    // In place, on the session's thread (no time limit, as CompilerGym); unlike CompilerGym
    // the result is verified and the change detected exactly.
    CGYM_RETURN_IF_ERROR(materialize());
    engine_->runDefaultPipeline(value == "-Oz" ? llvm::OptimizationLevel::Oz
                                               : llvm::OptimizationLevel::O3);
    bool changed = false;
    CGYM_RETURN_IF_ERROR(updateFingerprint(&changed));
    reply = changed ? "1" : "0";
  } else if (key == "llvm.set_action_timeout_seconds") {
    double seconds = 0;
    try {
      size_t end = 0;
      seconds = std::stod(value, &end);
      if (end != value.size()) throw std::invalid_argument("trailing characters");
    } catch (const std::exception&) {
      seconds = -1;
    }
    if (!(seconds > 0)) {
      return Status(StatusCode::kInvalidArgument,
                    "llvm.set_action_timeout_seconds must be a number > 0 (inf for no limit). "
                    "Received: " +
                        value);
    }
    actionTimeoutSeconds_ = seconds;
    reply = value;
  } else if (key == "llvm.get_action_timeout_seconds") {
    std::ostringstream os;
    os << actionTimeoutSeconds_;
    reply = os.str();
  }
  return Status::OK();
}

}  // namespace cgym::llvm_env
