// SPDX-License-Identifier: MIT
#include "llvm_session.h"

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
#include <llvm/TargetParser/Triple.h>

#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <limits>
#include <map>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>
#include <unordered_map>

#ifdef CGYM_LLVM_HAVE_FEATURES
#include "features/features.h"
#endif
#ifdef CGYM_LLVM_HAVE_BENCHMARKS
#include "benchmarks/benchmarks.h"
#include "benchmarks/subprocess.h"
#endif

namespace cgym::llvm_env {

using namespace compiler_gym;

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

constexpr int kInstCountDim = 70;
constexpr int kAutophaseDim = 56;
constexpr int64_t kMaximumPathLength = 4096;

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
  module.print(os, /*AAW=*/nullptr);
  os.flush();
  return ir;
}

#ifndef CGYM_LLVM_HAVE_FEATURES
// CompilerGym's IrSha1: the 160-bit module hash of LLVM's bitcode writer, five zero-padded
// 8-digit hex words (features.h has the same when the features are built).
std::string irSha1(const llvm::Module& module) {
  std::string unused;
  llvm::raw_string_ostream os(unused);
  llvm::ModuleHash hash;
  llvm::WriteBitcodeToFile(module, os, /*ShouldPreserveUseListOrder=*/false, /*Index=*/nullptr,
                           /*GenerateHash=*/true, &hash);
  char text[41];
  for (int i = 0; i < 5; ++i) std::snprintf(text + 8 * i, 9, "%08x", hash[i]);
  return std::string(text, 40);
}
#endif

#ifndef CGYM_LLVM_HAVE_BENCHMARKS
// What CompilerGym does to every benchmark at load: names and debug info are removed so that
// agents cannot key on them (benchmarks.h has the same when benchmark loading is built).
void normaliseModule(llvm::Module& module) {
  module.setModuleIdentifier("-");
  module.setSourceFileName("-");
  llvm::StripDebugInfo(module);
  while (!module.named_metadata_empty()) {
    module.eraseNamedMetadata(&*module.named_metadata_begin());
  }
}
#endif

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
                  "Failed to parse LLVM bitcode of benchmark " + name + ": " + message);
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

Status parseInt(const std::string& key, const std::string& value, int64_t* out) {
  try {
    size_t end = 0;
    const long long parsed = std::stoll(value, &end);
    if (end != value.size()) throw std::invalid_argument("trailing characters");
    *out = parsed;
    return Status::OK();
  } catch (const std::exception&) {
    return Status(StatusCode::kInvalidArgument,
                  "Invalid value for " + key + ": '" + value + "' is not an integer");
  }
}

}  // namespace

// The LLVM state of a session: a context of its own (sessions run in parallel on different
// threads, and a context is single-threaded), the module, and one PassBuilder with its four
// analysis managers, cross-registered once, so that analyses a pass preserved stay cached
// for the next action. Action pipelines are parsed once, on first use.
struct LlvmSession::Engine {
  std::unique_ptr<llvm::LLVMContext> context;
  std::unique_ptr<llvm::Module> module;
  std::unique_ptr<llvm::TargetLibraryInfoImpl> tlii;
  // Declared in this order so that they are destroyed MAM first (its proxies clear the
  // others), and all before the module their results point into.
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  // No TargetMachine: the generic cost model, as CompilerGym's legacy pass managers had.
  llvm::PassBuilder pb;
  std::vector<std::unique_ptr<llvm::ModulePassManager>> pipelines =
      std::vector<std::unique_ptr<llvm::ModulePassManager>>(actionTable().size());

  Engine(std::unique_ptr<llvm::LLVMContext> c, std::unique_ptr<llvm::Module> m)
      : context(std::move(c)), module(std::move(m)) {
    // Target-library information from the module's triple, registered before the defaults
    // (the first registration of an analysis wins).
    tlii = std::make_unique<llvm::TargetLibraryInfoImpl>(llvm::Triple(module->getTargetTriple()));
    fam.registerPass([this] { return llvm::TargetLibraryAnalysis(*tlii); });
    pb.registerModuleAnalyses(mam);
    pb.registerCGSCCAnalyses(cgam);
    pb.registerFunctionAnalyses(fam);
    pb.registerLoopAnalyses(lam);
    pb.crossRegisterProxies(lam, fam, cgam, mam);
  }

  ~Engine() {
    mam.clear();
    cgam.clear();
    fam.clear();
    lam.clear();
    pipelines.clear();
    module.reset();
  }

  // Creates a pipeline from its text (each is parsed once per engine).
  Status pipeline(int index, llvm::ModulePassManager** out) {
    std::unique_ptr<llvm::ModulePassManager>& slot = pipelines[index];
    if (!slot) {
      auto mpm = std::make_unique<llvm::ModulePassManager>();
      const char* text = actionTable()[index].pipeline;
      if (*text) {
        if (llvm::Error error = pb.parsePassPipeline(*mpm, text)) {
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
    llvm::ModulePassManager mpm = pb.buildPerModuleDefaultPipeline(level);
    llvm::PreservedAnalyses pa = mpm.run(*module, mam);
    return !pa.areAllPreserved();
  }
};

// The O0/O3/Oz baselines of one benchmark (keyed by its normalised bitcode), shared by every
// session of that benchmark, forks included. Each group is computed the first time one of its
// values is asked for: the instruction counts (the -O3/-Oz pipelines), and the sizes (code
// generation of the three modules, which costs more and is needed less often).
struct LlvmSession::Baselines {
  std::string bitcode;
  std::mutex mutex;
  std::map<std::string, int64_t> values;         // observation space name -> value
  std::map<std::string, Status> groupStatus;     // group -> the outcome of its computation
  std::map<std::string, std::string> optimised;  // "O3"/"Oz" -> bitcode after the pipeline

  // The module of a baseline policy, in a new engine.
  Status module(const std::string& level, std::unique_ptr<Engine>* out) {
    auto it = optimised.find(level);
    const std::string& source = it == optimised.end() ? bitcode : it->second;
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
#ifdef CGYM_LLVM_HAVE_FEATURES
      // Benchmarks without a build command measure TextSize as ObjectTextSize, as CompilerGym.
      int64_t size = 0;
      CGYM_RETURN_IF_ERROR(objectTextSizeBytes(*engine->module, &size));
      values[std::string("ObjectTextSize") + level] = size;
      values[std::string("TextSize") + level] = size;
#else
      return Status(StatusCode::kUnimplemented,
                    "object sizes are not available in this build (no feature extractors)");
#endif
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
    *out = level == "O0" ? bitcode : optimised.at(level);
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

// Baselines by benchmark bitcode, so that a benchmark's baselines are computed once per
// process. Bounded as CompilerGym's benchmark factory (128 entries; then half are dropped;
// sessions keep theirs alive).
std::shared_ptr<LlvmSession::Baselines> baselinesFor(const std::string& bitcode) {
  static std::mutex mutex;
  static std::unordered_map<std::string, std::shared_ptr<LlvmSession::Baselines>> cache;
  std::lock_guard<std::mutex> lock(mutex);
  auto it = cache.find(bitcode);
  if (it != cache.end()) return it->second;
  if (cache.size() >= 128) {
    size_t n = 0;
    for (auto i = cache.begin(); i != cache.end();) i = (n++ % 2) ? cache.erase(i) : std::next(i);
  }
  auto baselines = std::make_shared<LlvmSession::Baselines>();
  baselines->bitcode = bitcode;
  cache.emplace(bitcode, baselines);
  return baselines;
}

ObservationSpace space(const std::string& name, bool deterministic, bool platformDependent) {
  ObservationSpace s;
  s.set_name(name);
  s.set_deterministic(deterministic);
  s.set_platform_dependent(platformDependent);
  return s;
}

ObservationSpace int64BoxSpace(const std::string& name, int dim) {
  ObservationSpace s = space(name, true, false);
  Int64Box* box = s.mutable_space()->mutable_int64_box();
  box->mutable_low()->add_shape(dim);
  box->mutable_high()->add_shape(dim);
  Int64Tensor* value = s.mutable_default_observation()->mutable_int64_tensor();
  value->add_shape(dim);
  for (int i = 0; i < dim; ++i) {
    box->mutable_low()->add_value(0);
    box->mutable_high()->add_value(std::numeric_limits<int64_t>::max());
    value->add_value(0);
  }
  return s;
}

ObservationSpace int64ScalarSpace(const std::string& name, bool platformDependent) {
  ObservationSpace s = space(name, true, platformDependent);
  s.mutable_space()->mutable_int64_value()->set_min(0);
  s.mutable_default_observation()->set_int64_value(0);
  return s;
}

}  // namespace

LlvmSession::LlvmSession(std::filesystem::path workingDirectory)
    : CompilationSession(std::move(workingDirectory)) {}

LlvmSession::~LlvmSession() {
  if (!scratch_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(scratch_, ec);
  }
}

std::string LlvmSession::getCompilerVersion() const {
  return std::string(LLVM_VERSION_STRING) + " " +
         llvm::Triple::normalize(LLVM_DEFAULT_TARGET_TRIPLE);
}

std::vector<ActionSpace> LlvmSession::getActionSpaces() const {
  // As CompilerGym sends it: a CommandlineSpace of the flags, packed in an Any.
  ActionSpace space;
  space.set_name("PassesAll");
  CommandlineSpace flags;
  for (const ActionInfo& action : actionTable()) flags.add_name(action.flag);
  space.mutable_space()->mutable_any_value()->PackFrom(flags);
  return {space};
}

std::vector<ObservationSpace> LlvmSession::getObservationSpaces() const {
  std::vector<ObservationSpace> spaces;
  ObservationSpace ir = space("Ir", true, false);
  ir.mutable_space()->mutable_string_value()->mutable_length_range()->set_min(0);
  spaces.push_back(ir);

  ObservationSpace sha1 = space("IrSha1", true, false);
  sha1.mutable_space()->mutable_string_value()->mutable_length_range()->set_min(40);
  sha1.mutable_space()->mutable_string_value()->mutable_length_range()->set_max(40);
  spaces.push_back(sha1);

  ObservationSpace bitcode = space("Bitcode", true, false);
  bitcode.mutable_space()->mutable_byte_sequence()->mutable_length_range()->set_min(0);
  spaces.push_back(bitcode);

  // A new file name each time, hence not deterministic.
  ObservationSpace bitcodeFile = space("BitcodeFile", false, false);
  bitcodeFile.mutable_space()->mutable_string_value()->mutable_length_range()->set_min(0);
  bitcodeFile.mutable_space()->mutable_string_value()->mutable_length_range()->set_max(
      kMaximumPathLength);
  spaces.push_back(bitcodeFile);

  spaces.push_back(int64BoxSpace("InstCount", kInstCountDim));
  spaces.push_back(int64BoxSpace("Autophase", kAutophaseDim));

  ObservationSpace cpuInfo = space("CpuInfo", true, true);
  cpuInfo.mutable_space()->mutable_string_value()->mutable_length_range()->set_min(0);
  Opaque opaque;
  opaque.set_format("json://");
  opaque.set_data("{}");
  cpuInfo.mutable_default_observation()->mutable_any_value()->PackFrom(opaque);
  spaces.push_back(cpuInfo);

  for (const char* name : {"IrInstructionCount", "IrInstructionCountO0", "IrInstructionCountO3",
                           "IrInstructionCountOz"}) {
    spaces.push_back(int64ScalarSpace(name, false));
  }
  for (const char* name :
       {"ObjectTextSizeBytes", "ObjectTextSizeO0", "ObjectTextSizeO3", "ObjectTextSizeOz",
        "TextSizeBytes", "TextSizeO0", "TextSizeO3", "TextSizeOz"}) {
    spaces.push_back(int64ScalarSpace(name, true));
  }

  for (const char* name : {"Runtime", "Buildtime"}) {
    ObservationSpace s = space(name, false, true);
    s.mutable_space()->mutable_double_sequence()->mutable_length_range()->set_min(0);
    s.mutable_space()->mutable_double_sequence()->mutable_scalar_range()->set_min(0);
    spaces.push_back(s);
  }
  for (const char* name : {"IsBuildable", "IsRunnable"}) {
    ObservationSpace s = space(name, true, true);
    s.mutable_space()->mutable_boolean_value();
    // CompilerGym sets an int64 default here; a boolean matches the space.
    s.mutable_default_observation()->set_boolean_value(false);
    spaces.push_back(s);
  }

  // Declared as a string space, as CompilerGym does; the value is a dictionary of four lists.
  ObservationSpace lexedIr = space("LexedIr", true, false);
  lexedIr.mutable_space()->mutable_string_value()->mutable_length_range()->set_min(0);
  spaces.push_back(lexedIr);
  return spaces;
}

Status LlvmSession::loadEngine(const std::string& bitcode, const std::string& name) {
  auto context = std::make_unique<llvm::LLVMContext>();
  std::unique_ptr<llvm::Module> module;
  CGYM_RETURN_IF_ERROR(parseModule(*context, bitcode, name, &module));
  // The identifier is not in bitcode; keep the normalised one (it is printed in Ir).
  module->setModuleIdentifier("-");
  engine_ = std::make_shared<Engine>(std::move(context), std::move(module));
  return Status::OK();
}

Status LlvmSession::init(const ActionSpace& actionSpace, const Benchmark& benchmark) {
  if (actionSpace.name() != "PassesAll") {
    return Status(StatusCode::kInvalidArgument, "Unknown action space: " + actionSpace.name());
  }
  benchmarkUri_ = benchmark.uri();
  dynamicConfig_ = benchmark.dynamic_config();

  std::string bytes;
  if (benchmark.program().has_uri() || benchmark.program().data_case() == File::DATA_NOT_SET) {
    const std::string uri =
        benchmark.program().has_uri() ? benchmark.program().uri() : benchmark.uri();
#ifdef CGYM_LLVM_HAVE_BENCHMARKS
    ResolveOptions options;
    options.scratchDirectory = workingDirectory();
    ResolvedBenchmark resolved;
    CGYM_RETURN_IF_ERROR(resolveBenchmark(uri, options, &resolved));
    bytes = std::move(resolved.bitcode);
    if (!benchmark.has_dynamic_config() && resolved.dynamicConfig) {
      dynamicConfig_ = *resolved.dynamicConfig;
    }
#else
    const std::string prefix = "file:///";
    if (uri.rfind(prefix, 0) != 0) {
      return Status(StatusCode::kInvalidArgument, "Unsupported benchmark URI: " + uri);
    }
    std::ifstream in(uri.substr(prefix.size() - 1), std::ios::binary);
    if (!in) return Status(StatusCode::kNotFound, "File not found: " + uri);
    std::stringstream ss;
    ss << in.rdbuf();
    bytes = ss.str();
#endif
  } else {
    bytes = benchmark.program().contents();
  }

  // Parse and normalise; the module's exact bitcode is the first fingerprint.
  auto context = std::make_unique<llvm::LLVMContext>();
  std::unique_ptr<llvm::Module> module;
#ifdef CGYM_LLVM_HAVE_BENCHMARKS
  CGYM_RETURN_IF_ERROR(parseBenchmark(*context, bytes, &module));
#else
  CGYM_RETURN_IF_ERROR(parseModule(*context, bytes, benchmark.uri(), &module));
  normaliseModule(*module);
  CGYM_RETURN_IF_ERROR(verify(*module));
#endif
  fingerprint_ = writeBitcode(*module, /*preserveUseListOrder=*/true);
  engine_ = std::make_shared<Engine>(std::move(context), std::move(module));
  baselines_ = baselinesFor(fingerprint_);
  return Status::OK();
}

Status LlvmSession::init(CompilationSession* other) {
  // A fork is the parent's fingerprint parsed into a new context: the fingerprint already is
  // the exact bitcode (use-list order included), so only the parse is paid. CloneModule cannot
  // be used: it clones into the parent's context, which the parent's thread keeps using.
  auto* parent = static_cast<LlvmSession*>(other);
  benchmarkUri_ = parent->benchmarkUri_;
  dynamicConfig_ = parent->dynamicConfig_;
  baselines_ = parent->baselines_;
  fingerprint_ = parent->fingerprint_;
  irSha1_ = parent->irSha1_;
  actionTimeoutSeconds_ = parent->actionTimeoutSeconds_;
  // As CompilerGym, the runtime counters are not inherited (its client sends them again).
  return loadEngine(fingerprint_, benchmarkUri_);
}

Status LlvmSession::updateFingerprint(bool* changed) {
  std::string bitcode = writeBitcode(*engine_->module, /*preserveUseListOrder=*/true);
  *changed = bitcode != fingerprint_;
  if (*changed) {
    if (Status status = verify(*engine_->module); !status.ok()) {
      // Back to the last valid module, so that the session stays usable.
      CGYM_RETURN_IF_ERROR(loadEngine(fingerprint_, benchmarkUri_));
      return status;
    }
    fingerprint_ = std::move(bitcode);
    irSha1_.reset();
  }
  return Status::OK();
}

Status LlvmSession::runPipeline(int index, bool* changed) {
  llvm::ModulePassManager* mpm = nullptr;
  CGYM_RETURN_IF_ERROR(engine_->pipeline(index, &mpm));

  // The pass runs on a worker thread so that the session can give up waiting for it. A pass
  // cannot be stopped: on a timeout the worker keeps the engine alive until the pass ends and
  // the session goes on from its snapshot (the fingerprint) in a new engine.
  struct Job {
    std::mutex mutex;
    std::condition_variable done;
    bool finished = false;
    bool allPreserved = false;
    double seconds = 0;
  };
  auto job = std::make_shared<Job>();
  std::shared_ptr<Engine> engine = engine_;
  const auto start = std::chrono::steady_clock::now();
  std::thread([job, engine, mpm, start] {
    llvm::PreservedAnalyses pa = mpm->run(*engine->module, engine->mam);
    const auto end = std::chrono::steady_clock::now();
    std::lock_guard<std::mutex> lock(job->mutex);
    job->allPreserved = pa.areAllPreserved();
    job->seconds = std::chrono::duration<double>(end - start).count();
    job->finished = true;
    job->done.notify_all();
  }).detach();
  bool exceeded = false;
  {
    std::unique_lock<std::mutex> lock(job->mutex);
    auto finished = [&] { return job->finished; };
    if (std::isinf(actionTimeoutSeconds_)) {
      job->done.wait(lock, finished);
    } else {
      // The limit is on the action's duration: one that finished, but late, fails too, so
      // the outcome does not depend on when this thread noticed.
      exceeded = !job->done.wait_for(lock, std::chrono::duration<double>(actionTimeoutSeconds_),
                                     finished) ||
                 job->seconds > actionTimeoutSeconds_;
    }
  }
  if (exceeded) {
    engine.reset();
    engine_.reset();
    CGYM_RETURN_IF_ERROR(loadEngine(fingerprint_, benchmarkUri_));
    std::ostringstream seconds;
    seconds << actionTimeoutSeconds_;
    return Status(StatusCode::kDeadlineExceeded,
                  "Action " + std::string(actionTable()[index].flag) +
                      " exceeded the time limit of " + seconds.str() + " seconds");
  }
  CGYM_RETURN_IF_ERROR(updateFingerprint(changed));
  // A pass that claims to preserve everything but changed the module (instnamer, strip, ...)
  // would leave stale analyses behind: drop them all.
  if (*changed && job->allPreserved) engine_->mam.clear();
  return Status::OK();
}

Status LlvmSession::applyAction(const Event& action, bool&, std::optional<ActionSpace>&,
                                bool& actionHadNoEffect) {
  const int64_t n = static_cast<int64_t>(actionTable().size());
  if (action.value_case() != Event::kInt64Value || action.int64_value() < 0 ||
      action.int64_value() >= n) {
    return Status(StatusCode::kInvalidArgument,
                  "Action out of range: " + (action.value_case() == Event::kInt64Value
                                                 ? std::to_string(action.int64_value())
                                                 : std::string("not an int64")));
  }
  bool changed = false;
  CGYM_RETURN_IF_ERROR(runPipeline(static_cast<int>(action.int64_value()), &changed));
  actionHadNoEffect = !changed;
  return Status::OK();
}

Status LlvmSession::baselineValue(const std::string& name, Event* out) {
  int64_t value = 0;
  CGYM_RETURN_IF_ERROR(baselines_->get(name, &value));
  out->set_int64_value(value);
  return Status::OK();
}

Status LlvmSession::computeObservation(const ObservationSpace& observationSpace,
                                       Event& observation) {
  const std::string& name = observationSpace.name();
  const llvm::Module& module = *engine_->module;
  const bool buildable = dynamicConfig_.build_cmd().argument_size() > 0;
  const bool runnable = buildable && dynamicConfig_.run_cmd().argument_size() > 0;

  if (name == "Ir") {
    observation.set_string_value(printIr(module));
  } else if (name == "IrSha1") {
    if (!irSha1_) irSha1_ = irSha1(module);
    observation.set_string_value(*irSha1_);
  } else if (name == "Bitcode") {
    std::string bitcode = writeBitcode(module, /*preserveUseListOrder=*/false);
    observation.mutable_byte_tensor()->add_shape(bitcode.size());
    observation.mutable_byte_tensor()->set_value(std::move(bitcode));
  } else if (name == "BitcodeFile") {
    // A name no other session of this service uses: the session's address and a counter,
    // plus random bits against other processes sharing the directory.
    std::random_device random;
    char file[96];
    std::snprintf(file, sizeof(file), "module-%08x-%p-%llu.bc", random(),
                  static_cast<const void*>(this),
                  static_cast<unsigned long long>(bitcodeFileCounter_++));
    const std::filesystem::path path = workingDirectory() / file;
    std::string bitcode = writeBitcode(module, /*preserveUseListOrder=*/false);
    std::ofstream out(path, std::ios::binary);
    out.write(bitcode.data(), static_cast<std::streamsize>(bitcode.size()));
    if (!out)
      return Status(StatusCode::kInternal, "Failed to write bitcode file: " + path.string());
    observation.set_string_value(path.string());
  } else if (name == "IrInstructionCount") {
    observation.set_int64_value(module.getInstructionCount());
  } else if (name == "IrInstructionCountO0" || name == "IrInstructionCountO3" ||
             name == "IrInstructionCountOz") {
    return baselineValue(name, &observation);
  } else if (name == "ObjectTextSizeO0" || name == "ObjectTextSizeO3" ||
             name == "ObjectTextSizeOz" ||
             ((name == "TextSizeO0" || name == "TextSizeO3" || name == "TextSizeOz") &&
              !buildable)) {
    return baselineValue(name, &observation);
  } else if (name == "IsBuildable") {
    observation.set_boolean_value(buildable);
  } else if (name == "IsRunnable") {
    observation.set_boolean_value(runnable);
  } else if (name == "Runtime" || name == "Buildtime") {
    if ((name == "Runtime" && !runnable) || (name == "Buildtime" && !buildable)) {
      observation.mutable_double_tensor()->add_shape(0);  // empty, as CompilerGym
      return Status::OK();
    }
#ifdef CGYM_LLVM_HAVE_BENCHMARKS
    if (name == "Runtime") return computeRuntime(&observation);
    CGYM_RETURN_IF_ERROR(buildCurrent());
    // One value, the last build's duration, as CompilerGym (the build is cached while the
    // module is unchanged, so repeated requests return the same number).
    observation.mutable_double_tensor()->add_shape(1);
    observation.mutable_double_tensor()->add_value(buildSeconds_);
#else
    return Status(StatusCode::kUnimplemented, name + " is not available in this build");
#endif
  } else if (name.rfind("TextSize", 0) == 0) {
    if (buildable) {
#ifdef CGYM_LLVM_HAVE_BENCHMARKS
      // The binary built by the benchmark's build command, as CompilerGym.
      int64_t size = 0;
      if (name == "TextSizeBytes") {
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
      observation.set_int64_value(size);
      return Status::OK();
#else
      return Status(StatusCode::kUnimplemented, name + " is not available in this build");
#endif
    }
    // TextSizeBytes without a build command: the object file's size, as CompilerGym.
#ifdef CGYM_LLVM_HAVE_FEATURES
    int64_t size = 0;
    CGYM_RETURN_IF_ERROR(objectTextSizeBytes(module, &size));
    observation.set_int64_value(size);
#else
    return Status(StatusCode::kUnimplemented, name + " is not available in this build");
#endif
#ifdef CGYM_LLVM_HAVE_FEATURES
  } else if (name == "ObjectTextSizeBytes") {
    int64_t size = 0;
    CGYM_RETURN_IF_ERROR(objectTextSizeBytes(module, &size));
    observation.set_int64_value(size);
  } else if (name == "InstCount" || name == "Autophase") {
    std::vector<int64_t> values = name == "InstCount" ? instCount(module) : autophase(module);
    Int64Tensor* tensor = observation.mutable_int64_tensor();
    tensor->add_shape(values.size());
    tensor->mutable_value()->Add(values.begin(), values.end());
  } else if (name == "CpuInfo") {
    observation.set_string_value(cpuInfoJson());
  } else if (name == "LexedIr") {
    CGYM_RETURN_IF_ERROR(lexedIr(module, &observation));
#endif
  } else {
    return Status(StatusCode::kUnimplemented, name + " is not available in this build");
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

Status LlvmSession::scratchDirectory(const std::string& name, std::filesystem::path* out) {
  std::error_code ec;
  if (scratch_.empty()) {
    // Under the working directory, on a filesystem where binaries can run (as CompilerGym's
    // disk/b/), one directory per session.
    std::filesystem::path base = workingDirectory() / "disk" / "b";
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

#ifdef CGYM_LLVM_HAVE_BENCHMARKS
// Runs a dynamic-config command as CompilerGym does: its arguments joined by spaces and run by
// a shell (so $CC, $IN and redirections work), in `dir`, with CC (the matching clang) and IN
// (dir/out.bc) and the command's own variables in its environment, under its time limit
// (300 s if it has none); declared input files are checked before, output files after.
Status LlvmSession::runInScratch(const Command& command, const std::filesystem::path& dir,
                                 const std::string& what, double* seconds) {
  for (const std::string& file : command.infile()) {
    if (!std::filesystem::exists(dir / file)) {
      return Status(StatusCode::kInternal, what + " input file not found: " + file);
    }
  }
  std::string script = "cd " + shellQuote(dir.string()) + " &&";
  for (const std::string& argument : command.argument()) script += " " + argument;
  std::vector<std::string> argv = {"/usr/bin/env",
                                   std::string("CC=") + CGYM_LLVM_TOOLS_DIR + "/clang",
                                   "IN=" + (dir / "out.bc").string()};
  for (const auto& [key, value] : command.env()) argv.push_back(key + "=" + value);
  argv.insert(argv.end(), {"/bin/sh", "-c", script});
  const double timeout = command.timeout_seconds() > 0 ? command.timeout_seconds() : 300;
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
  for (const std::string& file : command.outfile()) {
    if (!std::filesystem::exists(dir / file)) {
      return Status(StatusCode::kInternal, what + " output file not found: " + file);
    }
  }
  return Status::OK();
}

Status LlvmSession::buildBitcode(const std::string& bitcode, const std::filesystem::path& dir,
                                 double* seconds) {
  std::ofstream out(dir / "out.bc", std::ios::binary | std::ios::trunc);
  out.write(bitcode.data(), static_cast<std::streamsize>(bitcode.size()));
  out.close();
  if (!out) return Status(StatusCode::kInternal, "Failed to write " + (dir / "out.bc").string());
  return runInScratch(dynamicConfig_.build_cmd(), dir, "Build command", seconds);
}

Status LlvmSession::buildCurrent() {
  if (!builtFingerprint_.empty() && builtFingerprint_ == fingerprint_) return Status::OK();
  std::filesystem::path dir;
  CGYM_RETURN_IF_ERROR(scratchDirectory("current", &dir));
  builtFingerprint_.clear();
  CGYM_RETURN_IF_ERROR(buildBitcode(writeBitcode(*engine_->module, /*preserveUseListOrder=*/false),
                                    dir, &buildSeconds_));
  builtFingerprint_ = fingerprint_;
  return Status::OK();
}

// The Berkeley "text" size (code, read-only data, unwind tables) of the build's first
// declared output, read from llvm-size as CompilerGym does.
Status LlvmSession::builtTextSize(const std::filesystem::path& dir, int64_t* size) {
  if (dynamicConfig_.build_cmd().outfile_size() == 0) {
    return Status(StatusCode::kInternal, "The build command declares no output file");
  }
  const std::string binary = (dir / dynamicConfig_.build_cmd().outfile(0)).string();
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
Status LlvmSession::computeRuntime(Event* out) {
  CGYM_RETURN_IF_ERROR(buildCurrent());
  const std::filesystem::path dir = scratch_ / "current";
  double seconds = 0;
  for (const Command& command : dynamicConfig_.pre_run_cmd()) {
    CGYM_RETURN_IF_ERROR(runInScratch(command, dir, "Pre-run command", &seconds));
  }
  DoubleTensor* runtimes = out->mutable_double_tensor();
  runtimes->add_shape(runtimesPerObservation_);
  for (int i = 0; i < warmupRunsPerRuntimeObservation_ + runtimesPerObservation_; ++i) {
    CGYM_RETURN_IF_ERROR(runInScratch(dynamicConfig_.run_cmd(), dir, "Run command", &seconds));
    if (i >= warmupRunsPerRuntimeObservation_) runtimes->add_value(seconds);
  }
  for (const Command& command : dynamicConfig_.post_run_cmd()) {
    CGYM_RETURN_IF_ERROR(runInScratch(command, dir, "Post-run command", &seconds));
  }
  return Status::OK();
}
#endif

Status LlvmSession::handleSessionParameter(const std::string& key, const std::string& value,
                                           std::optional<std::string>& reply) {
  int64_t n = 0;
  if (key == "llvm.set_runtimes_per_observation_count") {
    CGYM_RETURN_IF_ERROR(parseInt(key, value, &n));
    if (n < 1 || n > std::numeric_limits<int>::max()) {
      return Status(StatusCode::kInvalidArgument,
                    "runtimes_per_observation_count must be >= 1. Received: " + value);
    }
    runtimesPerObservation_ = static_cast<int>(n);
    reply = value;
  } else if (key == "llvm.get_runtimes_per_observation_count") {
    reply = std::to_string(runtimesPerObservation_);
  } else if (key == "llvm.set_warmup_runs_count_per_runtime_observation") {
    CGYM_RETURN_IF_ERROR(parseInt(key, value, &n));
    if (n < 0 || n > std::numeric_limits<int>::max()) {
      return Status(StatusCode::kInvalidArgument,
                    "warmup_runs_count_per_runtime_observation must be >= 0. Received: " + value);
    }
    warmupRunsPerRuntimeObservation_ = static_cast<int>(n);
    reply = value;
  } else if (key == "llvm.get_warmup_runs_count_per_runtime_observation") {
    reply = std::to_string(warmupRunsPerRuntimeObservation_);
  } else if (key == "llvm.set_buildtimes_per_observation_count") {
    CGYM_RETURN_IF_ERROR(parseInt(key, value, &n));
    if (n < 1 || n > std::numeric_limits<int>::max()) {
      return Status(StatusCode::kInvalidArgument,
                    "buildtimes_per_observation_count must be >= 1. Received: " + value);
    }
    buildtimesPerObservation_ = static_cast<int>(n);
    reply = value;
  } else if (key == "llvm.get_buildtimes_per_observation_count") {
    reply = std::to_string(buildtimesPerObservation_);
  } else if (key == "llvm.apply_baseline_optimizations") {
    if (value != "-Oz" && value != "-O3") {
      return Status(StatusCode::kInvalidArgument,
                    "Invalid value for llvm.apply_baseline_optimizations: " + value);
    }
    // In place, on the session's thread (no time limit, as CompilerGym); unlike CompilerGym
    // the result is verified and the change detected exactly.
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
