// SPDX-License-Identifier: MIT
#include "client/environments.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <mutex>
#include <random>
#include <set>

#include <nlohmann/json.hpp>

#include "common/logging.h"
#include "common/subprocess.h"
#include "common/text.h"
#include "common/toolchain.h"

namespace fs = std::filesystem;
using compiler_gym::Benchmark;
using compiler_gym::Event;

namespace cgym::client {
namespace {

// --- Environments -------------------------------------------------------------------------------

struct EnvironmentSpec {
  const char* id;
  const char* observationSpace;  // "" for none
  const char* rewardSpace;
};

// CompilerGym's LLVM environments and their default spaces.
constexpr EnvironmentSpec kEnvironments[] = {
    {"llvm-v0", "", ""},
    {"llvm-ic-v0", "", "IrInstructionCountOz"},
    {"llvm-codesize-v0", "", "ObjectTextSizeOz"},
    {"llvm-autophase-ic-v0", "Autophase", "IrInstructionCountOz"},
    {"llvm-autophase-codesize-v0", "Autophase", "ObjectTextSizeOz"},
};

// The benchmark of a new env unless the options name one: a mid-sized bundled program, in
// the place of CompilerGym's cbench-v1/qsort.
constexpr const char* kDefaultBenchmark = "benchmark://cgym-v0/sorting";

constexpr const char* kServiceBinary = "cgym-llvm-service";
constexpr const char* kPluginLibrary = "libcgym-llvm.so";
constexpr const char* kServiceVariable = "CGYM_LLVM_SERVICE";
constexpr const char* kPluginVariable = "CGYM_LLVM_PLUGIN";
// The name under which make(id, "inproc") registers the plugin.
constexpr const char* kInProcessName = "llvm";

// The plugin loader and what it registered, behind one lock. In a function, not at namespace
// scope: libcgym installs the loader from a static initializer of another file, which may run
// before this file's.
struct PluginState {
  std::mutex mutex;
  PluginLoader loader;
  std::string registered;  // the path registered as kInProcessName, once
};
PluginState& pluginState() {
  static PluginState* state = new PluginState();  // never destroyed: used until exit
  return *state;
}

Status unknownEnvironment(const std::string& id) {
  std::string known;
  for (const EnvironmentSpec& spec : kEnvironments) {
    known += (known.empty() ? "" : ", ") + std::string(spec.id);
  }
  return Status(StatusCode::kNotFound,
                "Unknown environment " + quotedForMessage(id) + ". Known environments: " + known);
}

const EnvironmentSpec* findSpec(const std::string& id) {
  for (const EnvironmentSpec& spec : kEnvironments) {
    if (id == spec.id) return &spec;
  }
  return nullptr;
}

// The directory of the library or executable holding this code: libcgym.so's for C users.
fs::path codeDirectory() {
  return cgym::codeDirectory(reinterpret_cast<const void*>(&environmentIds));
}

// Where an installed or built file of the library is looked for, next to the code.
std::vector<fs::path> searchDirectories() {
  const fs::path dir = codeDirectory();
  if (dir.empty()) return {};
  std::vector<fs::path> dirs = {dir, dir / "services" / "llvm", dir / ".." / "libexec" / "cgym",
                                dir / "cgym"};
#ifdef CGYM_RELATIVE_LIBEXEC_DIR
  // The install layout's own place (e.g. ../../libexec/cgym from a multiarch lib dir).
  const fs::path installed = (dir / CGYM_RELATIVE_LIBEXEC_DIR).lexically_normal();
  if (std::find(dirs.begin(), dirs.end(), installed) == dirs.end()) dirs.push_back(installed);
#endif
  return dirs;
}

// --- Rewards -----------------------------------------------------------------------------------

std::optional<double> numeric(const Event& event) { return scalarValue(event); }

// --- Datasets ----------------------------------------------------------------------------------

constexpr const char* kBundledDataset = "benchmark://cgym-v0";
constexpr const char* kCsmithDataset = "generator://csmith-v0";
constexpr const char* kLlvmStressDataset = "generator://llvm-stress-v0";
constexpr uint64_t kMaxSeed = 4294967295ULL;

struct BundledProgram {
  std::string name;
  std::vector<std::string> buildFlags;
  std::vector<std::string> runArgs;
};

fs::path bundledDatasetDirectory() {
  if (const char* dir = std::getenv("CGYM_LLVM_DATASET"); dir && *dir) return dir;
  std::error_code error;
#ifdef CGYM_RELATIVE_DATASET_DIR
  if (const fs::path dir = codeDirectory(); !dir.empty()) {
    const fs::path installed = (dir / CGYM_RELATIVE_DATASET_DIR).lexically_normal();
    if (fs::exists(installed / "manifest.json", error)) return installed;
  }
#endif
  for (const fs::path& dir : searchDirectories()) {
    const fs::path installed = dir / ".." / "share" / "cgym" / "llvm" / "dataset";
    if (fs::exists(installed / "manifest.json", error)) return installed;
  }
#ifdef CGYM_LLVM_DATASET_DIR
  return CGYM_LLVM_DATASET_DIR;
#else
  return {};
#endif
}

// The bundled programs, read once from the dataset's manifest.json.
Status bundledPrograms(const std::vector<BundledProgram>** out) {
  static std::mutex mutex;
  static std::optional<std::vector<BundledProgram>> programs;
  std::lock_guard<std::mutex> lock(mutex);
  if (!programs) {
    const fs::path manifest = bundledDatasetDirectory() / "manifest.json";
    std::string text;
    Status status = readFile(manifest, &text);
    if (!status.ok()) {
      return Status(StatusCode::kNotFound,
                    "The bundled dataset benchmark://cgym-v0 is not installed: " +
                        status.message() + " (set CGYM_LLVM_DATASET to its directory)");
    }
    std::vector<BundledProgram> parsed;
    try {
      const nlohmann::json json = nlohmann::json::parse(text);
      for (const auto& program : json.at("programs")) {
        parsed.push_back({program.at("name").get<std::string>(),
                          program.value("build_flags", std::vector<std::string>{}),
                          program.value("run_args", std::vector<std::string>{})});
      }
    } catch (const std::exception& e) {
      return Status(StatusCode::kInternal,
                    "Cannot read " + quotedForMessage(manifest.string()) + ": " + e.what());
    }
    programs = std::move(parsed);
  }
  *out = &*programs;
  return Status::OK();
}

bool hasSourceExtension(const fs::path& path) {
  static const std::set<std::string> extensions = {".c", ".cc", ".cpp", ".cxx", ".ll", ".bc"};
  return extensions.count(path.extension().string()) > 0;
}

// The benchmark files of a "file:///dir" dataset, sorted by name.
Status directoryBenchmarks(const std::string& dataset, std::vector<std::string>* uris) {
  const fs::path dir = dataset.substr(std::string("file://").size());
  std::error_code error;
  if (!fs::is_directory(dir, error)) {
    return Status(StatusCode::kNotFound,
                  "Dataset not found: " + quotedForMessage(dataset) + " is not a directory");
  }
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir, error)) {
    if (entry.is_regular_file(error) && hasSourceExtension(entry.path())) {
      names.push_back(entry.path().filename().string());
    }
  }
  std::sort(names.begin(), names.end());
  uris->clear();
  for (const std::string& name : names) uris->push_back("file://" + (dir / name).string());
  return Status::OK();
}

Status unknownDataset(const std::string& dataset) {
  return Status(StatusCode::kNotFound, "Dataset not found: " + quotedForMessage(dataset) +
                                           ". Datasets: " + kBundledDataset + ", " +
                                           kCsmithDataset + ", " + kLlvmStressDataset +
                                           ", or file:///DIRECTORY for a directory of sources");
}

// splitmix64: a fixed generator, so that a seed picks the same benchmark in every language.
uint64_t splitmix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// --- User benchmarks ---------------------------------------------------------------------------

constexpr double kCompileTimeoutSeconds = 600;

Status writeFile(const fs::path& path, const std::string& bytes) {
  FILE* file = std::fopen(path.c_str(), "wb");
  if (!file) return Status(StatusCode::kInternal, "Cannot write " + path.string());
  const bool written = std::fwrite(bytes.data(), 1, bytes.size(), file) == bytes.size();
  if (std::fclose(file) != 0 || !written) {
    return Status(StatusCode::kInternal, "Cannot write " + path.string());
  }
  return Status::OK();
}

std::string llvmTool(const char* name) {
  if (std::string(name) == "clang") {
    if (const char* clang = std::getenv("CGYM_CLANG"); clang && *clang) return clang;
  }
#ifdef CGYM_LLVM_TOOLS_DIR
  return (fs::path(CGYM_LLVM_TOOLS_DIR) / name).string();
#else
  return name;
#endif
}

// A compiler's failure on the user's input is CompilerGym's BenchmarkInitError.
Status asBenchmarkInit(Status status) {
  if (status.code() == StatusCode::kInvalidArgument) {
    return Status(StatusCode::kBenchmarkInit, status.message());
  }
  return status;
}

// Runs an LLVM tool that writes bitcode to stdout.
Status runTool(const std::vector<std::string>& argv, const std::string& what, std::string* out) {
  CommandResult result;
  CGYM_RETURN_IF_ERROR(runCommand(argv, "", kCompileTimeoutSeconds, &result));
  if (result.timedOut) {
    return Status(StatusCode::kDeadlineExceeded,
                  what + ": " + describeFailure(argv[0], kCompileTimeoutSeconds, result));
  }
  if (!result.succeeded()) {
    return Status(StatusCode::kBenchmarkInit,
                  what + " (" + describeFailure(argv[0], kCompileTimeoutSeconds, result) +
                      "): " + toolDiagnostic(result.stderrText));
  }
  *out = std::move(result.stdoutText);
  return Status::OK();
}

// "benchmark://user-v0/<UTC time>-<4 hex digits>".
std::string userBenchmarkUri() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%S", &utc);
  std::random_device device;
  char suffix[8];
  std::snprintf(suffix, sizeof suffix, "%04x", static_cast<unsigned>(device() & 0xFFFF));
  return std::string("benchmark://user-v0/") + stamp + "-" + suffix;
}

Status finishBenchmark(std::string bitcode, Benchmark* out) {
  out->Clear();
  out->set_uri(userBenchmarkUri());
  out->mutable_program()->set_contents(std::move(bitcode));
  return Status::OK();
}

// --- Validation --------------------------------------------------------------------------------

constexpr double kBuildTimeoutSeconds = 60;
constexpr double kRunTimeoutSeconds = 300;
// Outputs longer than this are compared by their first bytes only, which is plenty to tell
// programs apart; error data quotes less still.
constexpr size_t kMaxOutput = 16 << 20;

struct RunnableBenchmark {
  std::vector<std::string> buildFlags;
  std::vector<std::string> runArgs;
};

// The build flags and arguments of a benchmark that can be run, or nullopt.
std::optional<RunnableBenchmark> runnable(const std::string& uri) {
  const std::string bundled = std::string(kBundledDataset) + "/";
  if (uri.rfind(bundled, 0) == 0) {
    const std::vector<BundledProgram>* programs = nullptr;
    if (!bundledPrograms(&programs).ok()) return std::nullopt;
    const std::string name = uri.substr(bundled.size());
    for (const BundledProgram& program : *programs) {
      if (program.name == name) return RunnableBenchmark{program.buildFlags, program.runArgs};
    }
    return std::nullopt;
  }
  if (uri.rfind(std::string(kCsmithDataset) + "/", 0) == 0) return RunnableBenchmark{};
  return std::nullopt;
}

struct ProgramRun {
  bool built = false;
  std::string buildError;
  CommandResult run;
};

// Builds `bitcode` with clang at -O0 and runs it in `dir`.
Status buildAndRun(const std::string& bitcode, const RunnableBenchmark& benchmark,
                   const fs::path& dir, ProgramRun* out) {
  const fs::path input = dir / "program.bc";
  const fs::path binary = dir / "a.out";
  CGYM_RETURN_IF_ERROR(writeFile(input, bitcode));
  std::vector<std::string> build = {llvmTool("clang"), "-O0", "-w",           "-ffp-contract=off",
                                    input.string(),    "-o",  binary.string()};
  build.insert(build.end(), benchmark.buildFlags.begin(), benchmark.buildFlags.end());
  CommandResult built;
  CGYM_RETURN_IF_ERROR(runCommand(build, "", kBuildTimeoutSeconds, &built));
  if (!built.succeeded()) {
    out->buildError = describeFailure("clang", kBuildTimeoutSeconds, built) + ": " +
                      toolDiagnostic(built.stderrText);
    return Status::OK();
  }
  out->built = true;
  std::vector<std::string> run = {binary.string()};
  run.insert(run.end(), benchmark.runArgs.begin(), benchmark.runArgs.end());
  return runCommand(run, "", kRunTimeoutSeconds, &out->run);
}

std::string jsonData(const nlohmann::json& data) { return data.dump(); }

// The bitcode of `env`'s current state.
Status bitcodeOf(Env& env, std::string* bitcode) {
  Event observation;
  CGYM_RETURN_IF_ERROR(env.observe("Bitcode", &observation));
  if (observation.value_case() == Event::kByteTensor) {
    *bitcode = observation.byte_tensor().value();
  } else if (observation.value_case() == Event::kStringValue) {
    *bitcode = observation.string_value();
  } else {
    return Status(StatusCode::kFailedPrecondition, "The Bitcode observation is not bytes");
  }
  return Status::OK();
}

// What a run did, as an error type ("" if it exited 0 in time).
std::string runFailure(const ProgramRun& run) {
  if (!run.built) return "Compilation failed";
  if (run.run.timedOut) return "Execution timeout";
  if (run.run.termSignal != 0 || run.run.exitStatus != 0) return "Runtime error";
  return "";
}

// LLVM's semantics check: the unoptimised and the replayed program, built and run, print the
// same output and exit the same way.
Status validateLlvmSemantics(Env& replayed, ValidationResult* result) {
  const std::optional<RunnableBenchmark> benchmark = runnable(result->state.benchmark);
  if (!benchmark) return Status::OK();
  std::string optimised, original;
  CGYM_RETURN_IF_ERROR(bitcodeOf(replayed, &optimised));
  {
    std::unique_ptr<Env> gold;
    CGYM_RETURN_IF_ERROR(replayed.fork(&gold));
    ResetOptions reset;
    if (replayed.benchmark()) reset.benchmark = *replayed.benchmark();
    reset.observation_space = "";
    reset.reward_space = "";
    CGYM_RETURN_IF_ERROR(gold->reset(reset));
    CGYM_RETURN_IF_ERROR(bitcodeOf(*gold, &original));
    const Status closed = gold->close();
    if (!closed.ok()) logger().warn("{}", closed.message());
  }
  ScratchDirectory goldDir, runDir;
  CGYM_RETURN_IF_ERROR(goldDir.create({}));
  CGYM_RETURN_IF_ERROR(runDir.create({}));
  ProgramRun goldRun, actualRun;
  CGYM_RETURN_IF_ERROR(buildAndRun(original, *benchmark, goldDir.path(), &goldRun));
  CGYM_RETURN_IF_ERROR(buildAndRun(optimised, *benchmark, runDir.path(), &actualRun));

  result->benchmark_semantics_validated = true;
  auto fail = [&](const std::string& type, nlohmann::json data) {
    result->benchmark_semantics_validation_failed = true;
    result->errors.push_back({type, jsonData(data)});
  };
  const std::string goldFailure = runFailure(goldRun);
  if (!goldFailure.empty()) {
    fail("Gold standard: " + goldFailure,
         {{"message", goldRun.built ? describeFailure("program", kRunTimeoutSeconds, goldRun.run)
                                    : goldRun.buildError}});
    return Status::OK();
  }
  const std::string failure = runFailure(actualRun);
  if (!failure.empty()) {
    fail(failure, {{"message", actualRun.built
                                   ? describeFailure("program", kRunTimeoutSeconds, actualRun.run)
                                   : actualRun.buildError}});
    return Status::OK();
  }
  const std::string& expected = goldRun.run.stdoutText;
  const std::string& actual = actualRun.run.stdoutText;
  if (expected.substr(0, kMaxOutput) != actual.substr(0, kMaxOutput)) {
    const auto mismatch =
        std::mismatch(expected.begin(), expected.end(), actual.begin(), actual.end());
    fail("Wrong output", {{"expected_bytes", expected.size()},
                          {"actual_bytes", actual.size()},
                          {"first_difference_at", mismatch.first - expected.begin()}});
  }
  return Status::OK();
}

}  // namespace

// --- Environments -------------------------------------------------------------------------------

const std::vector<std::string>& environmentIds() {
  static const std::vector<std::string> ids = [] {
    std::vector<std::string> out;
    for (const EnvironmentSpec& spec : kEnvironments) out.push_back(spec.id);
    return out;
  }();
  return ids;
}

Status findEnvironmentService(const std::string& id, bool plugin, std::string* path) {
  if (!findSpec(id)) return unknownEnvironment(id);
  const char* variable = plugin ? kPluginVariable : kServiceVariable;
  const char* file = plugin ? kPluginLibrary : kServiceBinary;
  std::error_code error;
  if (const char* value = std::getenv(variable); value && *value) {
    if (!fs::is_regular_file(value, error)) {
      return Status(StatusCode::kEnvironmentNotSupported,
                    std::string("The LLVM environment is not installed: ") + variable + "=" +
                        quotedForMessage(value) + " is not a file");
    }
    *path = value;
    return Status::OK();
  }
  std::string searched;
  for (const fs::path& dir : searchDirectories()) {
    const fs::path candidate = (dir / file).lexically_normal();
    if (fs::is_regular_file(candidate, error)) {
      *path = candidate.string();
      return Status::OK();
    }
    searched += (searched.empty() ? "" : ", ") + dir.lexically_normal().string();
  }
  return Status(StatusCode::kEnvironmentNotSupported,
                std::string("The LLVM environment is not installed: no ") + file + " in " +
                    (searched.empty() ? "the library's directory" : searched) +
                    ". Build or install libcgym with the LLVM environment (CGYM_BUILD_LLVM=ON, "
                    "Debian's llvm-16-dev and clang-16), or set " +
                    variable + " to its path");
}

void setPluginLoader(PluginLoader loader) {
  PluginState& state = pluginState();
  std::lock_guard<std::mutex> lock(state.mutex);
  state.loader = std::move(loader);
}

Status make(const std::string& id, const std::string& endpoint, MakeOptions options,
            std::unique_ptr<Env>* out) {
  const EnvironmentSpec* spec = findSpec(id);
  if (!spec) return unknownEnvironment(id);
  std::string target = endpoint;
  if (endpoint.empty()) {
    CGYM_RETURN_IF_ERROR(findEnvironmentService(id, /*plugin=*/false, &target));
  } else if (endpoint == "inproc") {
    std::string plugin;
    CGYM_RETURN_IF_ERROR(findEnvironmentService(id, /*plugin=*/true, &plugin));
    PluginState& state = pluginState();
    std::lock_guard<std::mutex> lock(state.mutex);
    if (state.registered.empty()) {
      if (!state.loader) {
        return Status(StatusCode::kFailedPrecondition,
                      "In-process environments are made through libcgym (cgym_make), which "
                      "loads the plugin");
      }
      CGYM_RETURN_IF_ERROR(state.loader(kInProcessName, plugin));
      state.registered = plugin;
    }
    target = std::string("inproc:") + kInProcessName;
  }
  EnvOptions env;
  env.connection = options.connection;
  if (options.benchmark) {
    env.benchmark = std::move(options.benchmark);
  } else {
    env.benchmark.emplace();
    env.benchmark->set_uri(kDefaultBenchmark);
  }
  env.observation_space = options.observation_space.value_or(spec->observationSpace);
  env.reward_space = options.reward_space.value_or(spec->rewardSpace);
  env.action_space = options.action_space.value_or("");
  env.rewards = llvmRewards();
  env.useDefaultRewards = false;
  env.validator = validateLlvmSemantics;
  return Env::make(target, std::move(env), out);
}

// --- Rewards -----------------------------------------------------------------------------------

Status CostReward::create(const std::string& name, const std::string& costSpace,
                          const std::string& initialCostSpace, const std::string& baselineCostSpace,
                          Kind kind, bool deterministic, bool platformDependent,
                          std::unique_ptr<CostReward>* out) {
  if (kind != Kind::kDelta && kind != Kind::kNormalized && kind != Kind::kBaseline) {
    return Status(StatusCode::kInvalidArgument,
                  "Unknown cost reward kind " + std::to_string(static_cast<int>(kind)));
  }
  if (name.empty() || costSpace.empty() || initialCostSpace.empty()) {
    return Status(StatusCode::kInvalidArgument,
                  "A cost reward needs a name, a cost space and an initial cost space");
  }
  if (kind == Kind::kBaseline && baselineCostSpace.empty()) {
    return Status(
        StatusCode::kInvalidArgument,
        "The baseline cost reward " + quotedForMessage(name) + " needs a baseline cost space");
  }
  Spec spec;
  spec.name = name;
  spec.observationSpaces = {costSpace};
  spec.defaultValue = 0;
  spec.defaultNegatesReturns = true;
  spec.deterministic = deterministic;
  spec.platformDependent = platformDependent;
  if (kind == Kind::kNormalized) spec.max = 1;
  if (kind == Kind::kBaseline) spec.successThreshold = 1;
  out->reset(new CostReward(std::move(spec), initialCostSpace,
                            kind == Kind::kBaseline ? baselineCostSpace : "", kind));
  return Status::OK();
}

CostReward::CostReward(Spec spec, std::string initialCostSpace, std::string baselineCostSpace,
                       Kind kind)
    : Reward(std::move(spec)),
      initialCostSpace_(std::move(initialCostSpace)),
      baselineCostSpace_(std::move(baselineCostSpace)),
      kind_(kind) {}

Status CostReward::readScalar(ObservationView& view, const std::string& space,
                              double* value) const {
  Event observation;
  CGYM_RETURN_IF_ERROR(view.observe(space, &observation));
  const std::optional<double> number = numeric(observation);
  if (!number) {
    return Status(StatusCode::kFailedPrecondition, "Reward " + quotedForMessage(name()) +
                                                       ": observation " + quotedForMessage(space) +
                                                       " is not a number");
  }
  *value = *number;
  return Status::OK();
}

Status CostReward::reset(const Benchmark& benchmark, ObservationView&) {
  previousCost_.reset();
  benchmark_ = benchmark.uri();
  return Status::OK();
}

Status CostReward::update(const std::vector<Event>&, const std::vector<Event>& observations,
                          ObservationView& view, double* reward) {
  if (observations.size() != 1) {
    return Status(StatusCode::kInternal,
                  "Reward " + quotedForMessage(name()) + " expected one observation");
  }
  const std::optional<double> cost = numeric(observations[0]);
  if (!cost) {
    return Status(StatusCode::kFailedPrecondition,
                  "Reward " + quotedForMessage(name()) + ": observation " +
                      quotedForMessage(observationSpaces()[0]) + " is not a number");
  }
  // C0 and the divisor are the benchmark's: read once per benchmark, not per episode.
  if (!initialCost_ || costBenchmark_ != benchmark_) {
    double initial = 0;
    CGYM_RETURN_IF_ERROR(readScalar(view, initialCostSpace_, &initial));
    double norm = 1;
    if (kind_ == Kind::kNormalized) norm = initial;
    if (kind_ == Kind::kBaseline) {
      double baseline = 0;
      CGYM_RETURN_IF_ERROR(readScalar(view, baselineCostSpace_, &baseline));
      norm = std::max(initial - baseline, 1.0);
    }
    initialCost_ = initial;
    norm_ = norm;
    costBenchmark_ = benchmark_;
  }
  const double previous = previousCost_.value_or(*initialCost_);
  previousCost_ = *cost;
  const double delta = previous - *cost;
  *reward = kind_ == Kind::kDelta ? delta : delta / *norm_;
  return Status::OK();
}

std::unique_ptr<Reward> CostReward::clone() const { return std::make_unique<CostReward>(*this); }

std::vector<std::unique_ptr<Reward>> llvmRewards() {
  struct Family {
    const char* cost;    // the cost observation and the plain reward's name
    const char* prefix;  // of the other rewards' and the baselines' names
    bool platformDependent;
  };
  const Family families[] = {{"IrInstructionCount", "IrInstructionCount", false},
                             {"ObjectTextSizeBytes", "ObjectTextSize", true},
                             {"TextSizeBytes", "TextSize", true}};
  std::vector<std::unique_ptr<Reward>> rewards;
  for (const Family& family : families) {
    const std::string prefix = family.prefix;
    const std::string initial = prefix + "O0";
    struct Variant {
      std::string name;
      CostReward::Kind kind;
      std::string baseline;
    };
    const Variant variants[] = {{family.cost, CostReward::Kind::kDelta, ""},
                                {prefix + "Norm", CostReward::Kind::kNormalized, ""},
                                {prefix + "O3", CostReward::Kind::kBaseline, prefix + "O3"},
                                {prefix + "Oz", CostReward::Kind::kBaseline, prefix + "Oz"}};
    for (const Variant& variant : variants) {
      std::unique_ptr<CostReward> reward;
      const Status status =
          CostReward::create(variant.name, family.cost, initial, variant.baseline, variant.kind,
                             /*deterministic=*/true, family.platformDependent, &reward);
      if (status.ok()) rewards.push_back(std::move(reward));
    }
  }
  return rewards;
}

// --- Datasets ----------------------------------------------------------------------------------

Status datasetNames(const std::string& envId, std::vector<std::string>* names) {
  if (!findSpec(envId)) return unknownEnvironment(envId);
  *names = {kBundledDataset, kCsmithDataset, kLlvmStressDataset};
  return Status::OK();
}

Status datasetInfo(const std::string& dataset, DatasetInfo* info) {
  *info = DatasetInfo();
  info->name = dataset;
  if (dataset == kBundledDataset) {
    const std::vector<BundledProgram>* programs = nullptr;
    CGYM_RETURN_IF_ERROR(bundledPrograms(&programs));
    info->description =
        "Self-contained C programs bundled with libcgym, from a few dozen to tens of thousands "
        "of instructions; runnable, so validate() checks their behaviour";
    info->size = programs->size();
  } else if (dataset == kCsmithDataset) {
    info->description = "Random C99 programs generated by csmith, one per seed; runnable";
  } else if (dataset == kLlvmStressDataset) {
    info->description = "Random LLVM IR generated by llvm-stress, one per seed";
  } else if (dataset.rfind("file:///", 0) == 0) {
    std::vector<std::string> uris;
    CGYM_RETURN_IF_ERROR(directoryBenchmarks(dataset, &uris));
    info->description = "The C, C++, LLVM IR and bitcode files of a directory";
    info->size = uris.size();
  } else {
    return unknownDataset(dataset);
  }
  return Status::OK();
}

Status datasetBenchmarkAt(const std::string& dataset, uint64_t index, std::string* uri) {
  auto outOfRange = [&](uint64_t size) {
    return Status(StatusCode::kOutOfRange, "Benchmark index " + std::to_string(index) +
                                               " is out of range: " + dataset + " has " +
                                               std::to_string(size) + " benchmarks");
  };
  if (dataset == kCsmithDataset || dataset == kLlvmStressDataset) {
    if (index > kMaxSeed) return outOfRange(kMaxSeed + 1);
    *uri = dataset + "/" + std::to_string(index);
    return Status::OK();
  }
  if (dataset == kBundledDataset) {
    const std::vector<BundledProgram>* programs = nullptr;
    CGYM_RETURN_IF_ERROR(bundledPrograms(&programs));
    if (index >= programs->size()) return outOfRange(programs->size());
    *uri = dataset + "/" + (*programs)[index].name;
    return Status::OK();
  }
  if (dataset.rfind("file:///", 0) == 0) {
    std::vector<std::string> uris;
    CGYM_RETURN_IF_ERROR(directoryBenchmarks(dataset, &uris));
    if (index >= uris.size()) return outOfRange(uris.size());
    *uri = uris[index];
    return Status::OK();
  }
  return unknownDataset(dataset);
}

Status datasetRandomBenchmark(const std::string& dataset, uint64_t seed, std::string* uri) {
  DatasetInfo info;
  CGYM_RETURN_IF_ERROR(datasetInfo(dataset, &info));
  const bool generator = dataset == kCsmithDataset || dataset == kLlvmStressDataset;
  const uint64_t size = generator ? kMaxSeed + 1 : info.size;
  if (size == 0) {
    return Status(StatusCode::kOutOfRange, "Dataset " + quotedForMessage(dataset) + " is empty");
  }
  return datasetBenchmarkAt(dataset, splitmix64(seed) % size, uri);
}

// --- User benchmarks ---------------------------------------------------------------------------

Status makeBenchmark(const std::vector<std::string>& paths, const std::vector<std::string>& copts,
                     Benchmark* out) {
  if (paths.empty()) {
    return Status(StatusCode::kInvalidArgument, "No input files to make a benchmark from");
  }
  std::error_code error;
  for (const std::string& path : paths) {
    const std::string extension = fs::path(path).extension().string();
    if (!hasSourceExtension(path)) {
      return Status(StatusCode::kInvalidArgument,
                    "Unrecognized file type " + quotedForMessage(extension) + " of " +
                        quotedForMessage(path) + ": expected .c, .cc, .cpp, .cxx, .ll or .bc");
    }
    if (!fs::is_regular_file(path, error)) {
      return Status(StatusCode::kNotFound, "File not found: " + quotedForMessage(path));
    }
  }
  ScratchDirectory scratch;
  CGYM_RETURN_IF_ERROR(scratch.create({}));
  std::vector<std::string> link = {llvmTool("llvm-link"), "-o", "-"};
  std::string single;
  for (size_t i = 0; i < paths.size(); ++i) {
    const fs::path path = paths[i];
    const std::string extension = path.extension().string();
    std::string bitcode;
    if (extension == ".bc") {
      CGYM_RETURN_IF_ERROR(readFile(path, &bitcode));
    } else if (extension == ".ll") {
      CGYM_RETURN_IF_ERROR(runTool({llvmTool("llvm-as"), "-o", "-", path.string()},
                                   "Failed to assemble " + quotedForMessage(path.string()),
                                   &bitcode));
    } else {
      ScratchDirectory one;
      CGYM_RETURN_IF_ERROR(one.create(scratch.path()));
      CGYM_RETURN_IF_ERROR(asBenchmarkInit(
          compileToBitcode(llvmTool("clang"), path, path.string(), extension != ".c", copts,
                           kCompileTimeoutSeconds, one, &bitcode)));
    }
    if (paths.size() == 1) {
      single = std::move(bitcode);
      break;
    }
    const fs::path part = scratch.path() / (std::to_string(i) + ".bc");
    CGYM_RETURN_IF_ERROR(writeFile(part, bitcode));
    link.push_back(part.string());
  }
  if (paths.size() > 1) {
    CGYM_RETURN_IF_ERROR(runTool(link, "Failed to link the benchmark's inputs", &single));
  }
  return finishBenchmark(std::move(single), out);
}

Status makeBenchmarkFromSource(const std::string& source, const std::string& language,
                               const std::vector<std::string>& copts, Benchmark* out) {
  if (language != "c" && language != "c++") {
    return Status(
        StatusCode::kInvalidArgument,
        "Unsupported language " + quotedForMessage(language) + ": expected \"c\" or \"c++\"");
  }
  ScratchDirectory scratch;
  CGYM_RETURN_IF_ERROR(scratch.create({}));
  std::string bitcode;
  CGYM_RETURN_IF_ERROR(
      asBenchmarkInit(compileToBitcode(llvmTool("clang"), "-", "<source>", language == "c++", copts,
                                       kCompileTimeoutSeconds, scratch, &bitcode, source)));
  return finishBenchmark(std::move(bitcode), out);
}

}  // namespace cgym::client
