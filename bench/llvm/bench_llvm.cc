// SPDX-License-Identifier: MIT
// The LLVM environment against CompilerGym 0.2.5's own LLVM service (LLVM 10, from its PyPI
// wheel): both services driven by the same client (libcgym's C API, managed services), on the
// same programs (one bitcode file each, readable by both LLVMs), with the same actions.
// Repetitions are interleaved at random between figures and between the two services; each
// ratio is a ratio of medians of the same run. Prints one Markdown table (docs/llvm.md,
// "Performance").
//   cgym_bench_llvm --compiler-gym-service PATH --small FILE.bc --large FILE.bc
//                   [--service PATH] [--plugin PATH] [--site-data DIR]
//                   [--repetitions N (0: memory only)] [--min-time SECONDS]
//                   [--rss-sessions N] [--rss-steps N] [--rss-reset-every N] [--smoke]
// Exit status: 0 when everything ran (targets missed or not), 2 on an error.
#include <dirent.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cgym.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// The site-data directory this run made, removed on exit.
std::string& tempDir() {
  static std::string dir;
  return dir;
}

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "bench-llvm: %s\n", what.c_str());
  if (!tempDir().empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(tempDir(), ignored);
  }
  std::fflush(stderr);
  // Managed services die with this process (the client's spawner sets PR_SET_PDEATHSIG).
  std::_Exit(2);
}

void check(cgym_status_t status, const std::string& what) {
  if (status != CGYM_OK) {
    die(what + ": " + cgym_status_name(status) + ": " + cgym_last_error_message());
  }
}

double seconds(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) die("cannot read " + path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// --- Processes -----------------------------------------------------------------------------

// The children of this process: libcgym spawns managed services from a thread of its own, so
// every task's children are read.
std::set<pid_t> childPids() {
  std::set<pid_t> pids;
  DIR* tasks = opendir("/proc/self/task");
  if (!tasks) return pids;
  while (dirent* task = readdir(tasks)) {
    if (task->d_name[0] == '.') continue;
    std::ifstream in(std::string("/proc/self/task/") + task->d_name + "/children");
    for (pid_t pid; in >> pid;) pids.insert(pid);
  }
  closedir(tasks);
  return pids;
}

// A field of /proc/PID/status in KiB (VmRSS, VmHWM).
long statusKiB(pid_t pid, const char* field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  const std::string prefix = std::string(field) + ":";
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(prefix, 0) == 0) return std::atol(line.c_str() + prefix.size());
  }
  die("no " + std::string(field) + " for process " + std::to_string(pid));
}

// --- Services, programs, envs --------------------------------------------------------------

struct Program {
  std::string name;    // "small" / "large"
  std::string source;  // the dataset program it was compiled from
  std::string bytes;   // bitcode that LLVM 10 and LLVM 16 both read
  std::string uri() const { return "benchmark://bench-v0/" + name; }
};

struct Service {
  std::string label;     // "ours", "CompilerGym", "ours in-process"
  std::string endpoint;  // a binary, or inproc:NAME
  std::vector<std::pair<std::string, std::string>> env;
};

struct Env {
  cgym_env_t* env = nullptr;
  const Program* program = nullptr;
  pid_t pid = 0;  // the managed service's process; 0 in-process
  ~Env() { cgym_env_free(env); }
};

std::unique_ptr<Env> connect(const Service& service, const Program& program) {
  cgym_options_t* options = nullptr;
  check(cgym_options_new(&options), "cgym_options_new");
  for (const auto& [key, value] : service.env) {
    check(cgym_options_set_script_env(options, key.c_str(), value.c_str()), "set_script_env");
  }
  check(cgym_options_set_benchmark(options, program.uri().c_str(), program.bytes.data(),
                                   program.bytes.size()),
        "cgym_options_set_benchmark");
  auto env = std::make_unique<Env>();
  env->program = &program;
  const std::set<pid_t> before = childPids();
  const cgym_status_t status = cgym_connect(&env->env, service.endpoint.c_str(), options);
  cgym_options_free(options);
  check(status, "cgym_connect " + service.endpoint);
  for (pid_t pid : childPids()) {
    if (!before.count(pid)) env->pid = pid;
  }
  check(cgym_env_reset(env->env, nullptr, nullptr),
        "reset of " + service.label + " on " + program.name);
  return env;
}

// The index of a flag in the env's action space: CompilerGym's 124 flags, which both services
// send as a CommandlineSpace and the client presents as named actions.
int64_t actionIndex(cgym_env_t* env, const std::string& flag) {
  const cgym_space_t* space = cgym_action_space_space(cgym_env_action_space(env));
  size_t count = 0;
  check(cgym_space_name_count(space, &count), "the action space's names");
  for (size_t i = 0; i < count; ++i) {
    const char* name = nullptr;
    check(cgym_space_name_at(space, i, &name), "an action's name");
    if (flag == name) return static_cast<int64_t>(i);
  }
  die("no action " + flag);
}

// The env's own program (a benchmark the service has cached) for the next reset.
void setProgram(Env& env) {
  check(cgym_env_set_benchmark(env.env, env.program->uri().c_str(), env.program->bytes.data(),
                               env.program->bytes.size()),
        "set_benchmark");
}

// Back to the start of an episode on the env's own program.
void restart(Env& env) {
  setProgram(env);
  check(cgym_env_reset(env.env, nullptr, nullptr), "reset");
}

// One observation, computed and dropped.
void observeOnce(cgym_env_t* env, const std::string& space) {
  cgym_event_t* observation = nullptr;
  check(cgym_env_observe(env, space.c_str(), &observation), "observe " + space);
  cgym_event_free(observation);
}

void step(Env& env, int64_t action, const char* what) {
  int done = 0;
  check(cgym_step_index(env.env, action, &done, nullptr), what);
  if (done) die(std::string(what) + ": the episode ended (the service failed)");
}

// --- Timing ----------------------------------------------------------------------------------

template <typename F>
double timed(F&& f) {
  const auto start = Clock::now();
  f();
  return seconds(start);
}

// The q-quantile (0..1) by linear interpolation; q = 0.5 is the median.
double quantile(std::vector<double> v, double q) {
  if (v.empty()) return NAN;
  std::sort(v.begin(), v.end());
  const double at = q * static_cast<double>(v.size() - 1);
  const size_t low = static_cast<size_t>(at);
  const size_t high = std::min(low + 1, v.size() - 1);
  return v[low] + (v[high] - v[low]) * (at - static_cast<double>(low));
}

double median(const std::vector<double>& v) { return quantile(v, 0.5); }

std::string formatTime(double s) {
  char buffer[64];
  if (std::isnan(s)) return "-";
  if (s >= 1) {
    std::snprintf(buffer, sizeof buffer, "%.2f s", s);
  } else if (s >= 1e-3) {
    std::snprintf(buffer, sizeof buffer, "%.3g ms", s * 1e3);
  } else {
    std::snprintf(buffer, sizeof buffer, "%.3g us", s * 1e6);
  }
  return buffer;
}

std::string formatMiB(long kib) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.1f MiB", static_cast<double>(kib) / 1024);
  return buffer;
}

// A row of the table: `ours` against `ref`, timed in the same repetitions.
struct Figure {
  std::string label;
  // Target on ours/ref: ratio <= maxRatio; 0 = none. `faster` prints it as "N x faster".
  double maxRatio = 0;
  bool faster = false;
  std::function<void()> prepareOurs, prepareRef;  // may be empty
  std::function<double()> ours, ref;              // one operation each, timed
  std::vector<double> oursSamples, refSamples;
};

struct Options {
  std::string ourService = CGYM_BENCH_LLVM_SERVICE;
  std::string theirService;
  std::string plugin =
#ifdef CGYM_BENCH_LLVM_PLUGIN
      CGYM_BENCH_LLVM_PLUGIN;
#else
      "";
#endif
  std::string siteData;
  std::vector<std::pair<std::string, std::string>> programs;  // name, file
  int repetitions = 15;
  double minTime = 0.05;
  int rssSessions = 100;
  long rssSteps = 10000;
  long rssResetEvery = 500;
  bool smoke = false;
};

Options parseArgs(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) die("missing value for " + arg);
      return argv[++i];
    };
    if (arg == "--service") {
      o.ourService = value();
    } else if (arg == "--compiler-gym-service") {
      o.theirService = value();
    } else if (arg == "--plugin") {
      o.plugin = value();
    } else if (arg == "--site-data") {
      o.siteData = value();
    } else if (arg == "--small" || arg == "--large") {
      o.programs.emplace_back(arg.substr(2), value());
    } else if (arg == "--repetitions") {
      o.repetitions = std::atoi(value().c_str());
    } else if (arg == "--min-time") {
      o.minTime = std::atof(value().c_str());
    } else if (arg == "--rss-sessions") {
      o.rssSessions = std::atoi(value().c_str());
    } else if (arg == "--rss-reset-every") {
      o.rssResetEvery = std::atol(value().c_str());
    } else if (arg == "--rss-steps") {
      o.rssSteps = std::atol(value().c_str());
    } else if (arg == "--smoke") {
      o.smoke = true;
    } else {
      die("unknown argument " + arg);
    }
  }
  if (o.smoke) {
    o.repetitions = 1;
    o.minTime = 0;
    o.rssSessions = 3;
    o.rssSteps = 50;
  }
  if (o.theirService.empty()) die("--compiler-gym-service PATH is required");
  if (o.programs.size() != 2 || o.programs[0].first != "small" || o.programs[1].first != "large")
    die("--small FILE.bc and --large FILE.bc are required, in that order");
  if (o.repetitions < 0) die("--repetitions must be >= 0 (0: memory only)");
  return o;
}

// CompilerGym's LLVM service finds clang and llvm-size in $COMPILER_GYM_SITE_DATA/llvm-v0/bin
// (normally a download of LLVM 10's tools): this one links them to the LLVM 16 tools.
std::string makeSiteData(const std::string& dir) {
  const fs::path bin = fs::path(dir) / "llvm-v0" / "bin";
  fs::create_directories(bin);
  for (const char* tool : {"clang", "clang++", "opt", "llc", "llvm-size", "llvm-as", "llvm-dis",
                           "llvm-link", "llvm-stress"}) {
    const fs::path target = fs::path(CGYM_BENCH_LLVM_TOOLS_DIR) / tool;
    const fs::path link = bin / tool;
    if (fs::exists(target) && !fs::is_symlink(link)) fs::create_symlink(target, link);
  }
  if (!fs::exists(bin / "clang")) die(std::string("no clang in ") + CGYM_BENCH_LLVM_TOOLS_DIR);
  std::ofstream(fs::path(dir) / "llvm-v0" / ".unpacked").put('\n');
  return dir;
}

}  // namespace

int main(int argc, char** argv) {
  setenv("GRPC_VERBOSITY", "NONE", 0);
  Options o = parseArgs(argc, argv);
  const auto runStart = Clock::now();

  if (o.siteData.empty()) {
    std::string pattern = (fs::temp_directory_path() / "cgym-bench-llvm-XXXXXX").string();
    if (!mkdtemp(pattern.data())) die("mkdtemp failed");
    tempDir() = pattern;
    o.siteData = makeSiteData(tempDir());
  }

  std::vector<Program> programs;
  for (const auto& [name, file] : o.programs) {
    programs.push_back({name, fs::path(file).stem().string(), readFile(file)});
  }
  const Program& small = programs[0];
  const Program& large = programs[1];

  const Service ours{"ours", o.ourService, {}};
  const Service theirs{"CompilerGym", o.theirService, {{"COMPILER_GYM_SITE_DATA", o.siteData}}};
  Service inproc{"ours in-process", "", {}};
  std::string inprocNote;
#ifdef CGYM_BENCH_LLVM_PLUGIN
  if (!o.plugin.empty()) {
    check(cgym_service_register_plugin("llvm", o.plugin.c_str()), "register " + o.plugin);
    inproc.endpoint = "inproc:llvm";
  }
#else
  if (!o.plugin.empty()) die("--plugin: this build has no in-process plugin support");
#endif
  if (inproc.endpoint.empty()) inprocNote = "not measured: no in-process plugin";

  // One env (one managed service) per service and program.
  std::unique_ptr<Env> oursEnv[2], theirEnv[2], inprocEnv[2], inprocNoLimitEnv[2];
  for (int p = 0; p < 2; ++p) {
    oursEnv[p] = connect(ours, programs[p]);
    theirEnv[p] = connect(theirs, programs[p]);
    if (!inproc.endpoint.empty()) {
      inprocEnv[p] = connect(inproc, programs[p]);
      // Without a per-action time limit, actions run on the caller's thread.
      inprocNoLimitEnv[p] = connect(inproc, programs[p]);
      check(cgym_send_param(inprocNoLimitEnv[p]->env, "llvm.set_action_timeout_seconds", "inf",
                            /*resend_on_reset=*/1, nullptr),
            "set the time limit");
    }
  }
  const char* ourVersion = "";
  const char* theirVersion = "";
  const char* ignored = nullptr;
  check(cgym_env_version(oursEnv[0]->env, &ignored, &ourVersion), "version");
  check(cgym_env_version(theirEnv[0]->env, &ignored, &theirVersion), "version");

  // The same program in both: its instruction count as each LLVM sees it.
  std::printf("# LLVM environment vs CompilerGym's LLVM service\n\n");
  std::printf("ours: %s (%s); CompilerGym: %s (%s)\n\n", o.ourService.c_str(), ourVersion,
              o.theirService.c_str(), theirVersion);
  for (int p = 0; p < 2; ++p) {
    double oursCount = 0, theirCount = 0;
    check(cgym_env_observe_double(oursEnv[p]->env, "IrInstructionCount", &oursCount), "observe");
    check(cgym_env_observe_double(theirEnv[p]->env, "IrInstructionCount", &theirCount), "observe");
    std::printf(
        "program %s: dataset program `%s`, %zu bytes of bitcode, %.0f IR instructions "
        "(LLVM 16) / %.0f (LLVM 10)\n",
        programs[p].name.c_str(), programs[p].source.c_str(), programs[p].bytes.size(), oursCount,
        theirCount);
  }
  std::printf("\n");
  std::fflush(stdout);

  // Action indices, from each service's own action space.
  auto index = [](Env& env, const std::string& flag) { return actionIndex(env.env, flag); };
  for (int p = 0; p < 2; ++p) {
    if (index(*oursEnv[p], "-globaldce") != index(*theirEnv[p], "-globaldce"))
      die("the action spaces differ");
  }

  std::vector<Figure> figures;
  // A side of a figure: `prepare` (untimed, once per sample) and `op`, one operation that
  // returns its own duration (so that it can leave its setup out).
  struct Side {
    std::function<void()> prepare;
    std::function<double()> op;
  };
  long coldCounter = 0;
  auto coldReset = [&](Env& env) {
    return Side{
        nullptr, [&env, &coldCounter]() {
          // A URI the service has never seen: StartSession fails with NOT_FOUND, the
          // client sends the program (AddBenchmark) and starts again, as CompilerGym's
          // client does.
          const std::string uri = env.program->uri() + "-cold-" + std::to_string(getpid()) + "-" +
                                  std::to_string(++coldCounter);
          check(cgym_env_set_benchmark(env.env, uri.c_str(), env.program->bytes.data(),
                                       env.program->bytes.size()),
                "set_benchmark");
          return timed([&] { check(cgym_env_reset(env.env, nullptr, nullptr), "cold reset"); });
        }};
  };
  auto cachedReset = [&](Env& env) {
    return Side{
        nullptr, [&env]() {
          setProgram(env);
          // The URI is known: one StartSession with the URI only.
          return timed([&] { check(cgym_env_reset(env.env, nullptr, nullptr), "cached reset"); });
        }};
  };
  // The other figures start from a fresh episode (untimed), so that both services work on the
  // same module whatever figure ran before.
  // Repeated from the second step of an episode: the first one (untimed) may change the module
  // and loads ours' functions (see the lazily loaded benchmarks below).
  auto cheapStep = [&](Env& env, const std::string& flag) {
    const int64_t action = index(env, flag);
    return Side{[&env, action] {
                  restart(env);
                  step(env, action, "first step");
                },
                [&env, action] { return timed([&] { step(env, action, "step"); }); }};
  };
  auto forkEnd = [&](Env& env) {
    return Side{[&env] { restart(env); },
                [&env] {
                  return timed([&] {
                    cgym_env_t* fork = nullptr;
                    check(cgym_fork(env.env, &fork), "fork");
                    cgym_env_free(fork);
                  });
                }};
  };
  auto observe = [&](Env& env, const std::string& space) {
    return Side{[&env] { restart(env); },
                [&env, space] { return timed([&] { observeOnce(env.env, space); }); }};
  };
  // The first observation after a reset (untimed): what an agent pays once per episode, and
  // what no cache of the current module can serve.
  auto firstObservation = [&](Env& env, const std::string& space) {
    return Side{nullptr, [&env, space] {
                  restart(env);
                  return timed([&] { observeOnce(env.env, space); });
                }};
  };
  // A cached reset and the first observation together: ours loads a known benchmark's
  // functions lazily, so the reset alone leaves part of its cost to the first use.
  auto resetAndObserve = [&](Env& env) {
    return Side{nullptr, [&env]() {
                  setProgram(env);
                  return timed([&] {
                    check(cgym_env_reset(env.env, nullptr, nullptr), "cached reset");
                    observeOnce(env.env, "IrInstructionCount");
                  });
                }};
  };
  // A fork that is used: one cheap step on it before it ends (ours loads the fork's functions
  // lazily, on that step).
  auto forkStepEnd = [&](Env& env) {
    const int64_t action = index(env, "-globaldce");
    return Side{[&env] { restart(env); },
                [&env, action] {
                  return timed([&] {
                    cgym_env_t* fork = nullptr;
                    check(cgym_fork(env.env, &fork), "fork");
                    check(cgym_step_index(fork, action, nullptr, nullptr), "step on the fork");
                    cgym_env_free(fork);
                  });
                }};
  };
  auto costlyStep = [&](Env& env, const std::string& flag) {
    const int64_t action = index(env, flag);
    return Side{nullptr, [&env, action] {
                  restart(env);  // each pass on the unoptimised program, loaded
                  observeOnce(env.env, "IrInstructionCount");
                  return timed([&] { step(env, action, "costly step"); });
                }};
  };
  auto add = [&](std::string label, double maxRatio, bool faster, Side mine, Side reference) {
    Figure f;
    f.label = std::move(label);
    f.maxRatio = maxRatio;
    f.faster = faster;
    f.prepareOurs = std::move(mine.prepare);
    f.ours = std::move(mine.op);
    f.prepareRef = std::move(reference.prepare);
    f.ref = std::move(reference.op);
    figures.push_back(std::move(f));
  };

  for (int p = 0; p < 2; ++p) {
    const std::string n = programs[p].name;
    add("reset, cold benchmark, " + n, 0.5, true, coldReset(*oursEnv[p]), coldReset(*theirEnv[p]));
    add("reset, cached benchmark, " + n, 0.5, true, cachedReset(*oursEnv[p]),
        cachedReset(*theirEnv[p]));
    add("reset, cached benchmark, + IrInstructionCount, " + n, 0, false,
        resetAndObserve(*oursEnv[p]), resetAndObserve(*theirEnv[p]));
  }
  for (int p = 0; p < 2; ++p) {
    add("step `-globaldce` over gRPC, " + programs[p].name, 1.0, false,
        cheapStep(*oursEnv[p], "-globaldce"), cheapStep(*theirEnv[p], "-globaldce"));
  }
  for (int p = 0; p < 2; ++p) {
    if (!inprocEnv[p]) continue;
    add("step `-globaldce` in-process (vs CompilerGym over gRPC), " + programs[p].name, 0.1, true,
        cheapStep(*inprocEnv[p], "-globaldce"), cheapStep(*theirEnv[p], "-globaldce"));
    add("step `-globaldce` in-process, no time limit (vs CompilerGym over gRPC), " +
            programs[p].name,
        0.1, true, cheapStep(*inprocNoLimitEnv[p], "-globaldce"),
        cheapStep(*theirEnv[p], "-globaldce"));
  }
  for (int p = 0; p < 2; ++p) {
    add("fork + end of the fork, " + programs[p].name, 0.5, true, forkEnd(*oursEnv[p]),
        forkEnd(*theirEnv[p]));
    add("fork + step `-globaldce` on it + end, " + programs[p].name, 0, false,
        forkStepEnd(*oursEnv[p]), forkStepEnd(*theirEnv[p]));
  }
  for (int p = 0; p < 2; ++p) {
    for (const char* space : {"IrInstructionCount", "Autophase", "InstCount", "Ir"}) {
      add(std::string("observation ") + space + ", " + programs[p].name, 1.0, false,
          observe(*oursEnv[p], space), observe(*theirEnv[p], space));
    }
    add("observation ObjectTextSizeBytes, " + programs[p].name, 0.1, true,
        observe(*oursEnv[p], "ObjectTextSizeBytes"), observe(*theirEnv[p], "ObjectTextSizeBytes"));
    for (const char* space : {"IrInstructionCount", "Autophase", "ObjectTextSizeBytes"}) {
      add(std::string("observation ") + space + ", first after a reset, " + programs[p].name, 0,
          false, firstObservation(*oursEnv[p], space), firstObservation(*theirEnv[p], space));
    }
  }
  for (int p = 0; p < 2; ++p) {
    for (const char* flag : {"-instcombine", "-gvn", "-inline", "-licm", "-sroa", "-mem2reg"}) {
      add(std::string("step `") + flag + "` on the unoptimised program, " + programs[p].name, 0,
          false, costlyStep(*oursEnv[p], flag), costlyStep(*theirEnv[p], flag));
    }
  }

  // Interleaved repetitions: every repetition runs every figure, in a random order. A sample
  // alternates single operations of the two sides (starting with a random one) until both
  // have run for `minTime`, so that both see the same load of the machine.
  std::mt19937 rng(12345);
  std::vector<size_t> order(figures.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  for (int r = 0; r < o.repetitions; ++r) {
    std::shuffle(order.begin(), order.end(), rng);
    for (size_t i : order) {
      Figure& f = figures[i];
      if (f.prepareOurs) f.prepareOurs();
      if (f.prepareRef) f.prepareRef();
      const bool oursFirst = rng() & 1;
      double total[2] = {0, 0};
      long n = 0;
      const auto start = Clock::now();
      do {
        if (oursFirst) {
          total[0] += f.ours();
          total[1] += f.ref();
        } else {
          total[1] += f.ref();
          total[0] += f.ours();
        }
        ++n;
      } while (seconds(start) < 2 * o.minTime);
      f.oursSamples.push_back(total[0] / static_cast<double>(n));
      f.refSamples.push_back(total[1] / static_cast<double>(n));
    }
    std::fprintf(stderr, "bench-llvm: repetition %d/%d done (%.0f s)\n", r + 1, o.repetitions,
                 seconds(runStart));
  }
  const double timingSeconds = seconds(runStart);
  for (int p = 0; p < 2; ++p) {
    oursEnv[p].reset();
    theirEnv[p].reset();
    inprocEnv[p].reset();
    inprocNoLimitEnv[p].reset();
  }

  // Memory: fresh services. Sessions: an env on the large program and its forks. Steps: the
  // cheap pass on the small program, with a (cached) reset every 1,000 steps.
  struct Memory {
    long idle = 0, sessions = 0, peak = 0, before = 0, middle = 0, after = 0;
  } memory[2];
  const Service* sides[2] = {&ours, &theirs};
  for (int s = 0; s < 2; ++s) {
    {
      std::unique_ptr<Env> env = connect(*sides[s], large);
      if (!env->pid) die("cannot find the process of " + sides[s]->label);
      memory[s].idle = statusKiB(env->pid, "VmRSS");
      std::vector<cgym_env_t*> forks;
      // Each session with its module loaded: ours loads a fork's functions on first use, so
      // each fork takes one observation that needs them (Ir: forks inherit cached values).
      observeOnce(env->env, "Ir");
      for (int i = 1; i < o.rssSessions; ++i) {
        cgym_env_t* fork = nullptr;
        check(cgym_fork(env->env, &fork), "fork");
        observeOnce(fork, "Ir");
        forks.push_back(fork);
      }
      memory[s].sessions = statusKiB(env->pid, "VmRSS");
      memory[s].peak = statusKiB(env->pid, "VmHWM");
      for (cgym_env_t* fork : forks) cgym_env_free(fork);
    }
    {
      std::unique_ptr<Env> env = connect(*sides[s], small);
      const int64_t action = index(*env, "-globaldce");
      // Steps with a (cached) reset every 500 (--rss-reset-every): a warm-up of a tenth, at
      // least 5,000 steps, 10 resets (the RSS settles over the first resets: with 1,000 steps it
      // still grew by 2 MiB over the next 10,000 steps, then by 0.5 MiB over 40,000), then
      // the measured steps, with the RSS at their middle too.
      long count = 0;
      auto steps = [&](long n) {
        for (long i = 0; i < n; ++i, ++count) {
          if (o.rssResetEvery > 0 && count % o.rssResetEvery == o.rssResetEvery - 1) {
            restart(*env);
          }
          step(*env, action, "step");
        }
      };
      steps(std::max(5000L, o.rssSteps / 10));
      memory[s].before = statusKiB(env->pid, "VmRSS");
      steps(o.rssSteps / 2);
      memory[s].middle = statusKiB(env->pid, "VmRSS");
      steps(o.rssSteps - o.rssSteps / 2);
      memory[s].after = statusKiB(env->pid, "VmRSS");
    }
  }

  // The table.
  int misses = 0, passes = 0;
  std::printf("| figure | ours | CompilerGym | ratio (ours/CompilerGym) | target | result |\n");
  std::printf("|---|---|---|---|---|---|\n");
  for (const Figure& f : figures) {
    if (f.oursSamples.empty()) continue;
    const double a = median(f.oursSamples), b = median(f.refSamples);
    const double ratio = a / b;
    char ratioText[128], targetText[64];
    if (ratio < 0.5 || (f.faster && ratio < 1)) {
      std::snprintf(ratioText, sizeof ratioText, "%.3gx (%.3gx faster)", ratio, 1 / ratio);
    } else if (f.faster) {
      std::snprintf(ratioText, sizeof ratioText, "%.3gx (%.3gx slower)", ratio, ratio);
    } else {
      std::snprintf(ratioText, sizeof ratioText, "%.3gx", ratio);
    }
    // The spread: quartiles of the ratios of the repetitions (both sides of one repetition ran
    // next to each other).
    if (f.oursSamples.size() >= 4) {
      std::vector<double> ratios;
      for (size_t i = 0; i < f.oursSamples.size(); ++i) {
        ratios.push_back(f.oursSamples[i] / f.refSamples[i]);
      }
      const size_t used = std::strlen(ratioText);
      std::snprintf(ratioText + used, sizeof ratioText - used, " [%.3g-%.3g]",
                    quantile(ratios, 0.25), quantile(ratios, 0.75));
    }
    const char* result = "-";
    if (f.maxRatio > 0) {
      if (f.faster) {
        std::snprintf(targetText, sizeof targetText, ">= %.3gx faster", 1 / f.maxRatio);
      } else {
        std::snprintf(targetText, sizeof targetText, "<= %.2fx", f.maxRatio);
      }
      result = ratio <= f.maxRatio ? "PASS" : "MISS";
      (ratio <= f.maxRatio ? passes : misses)++;
    } else {
      std::snprintf(targetText, sizeof targetText, "(report)");
    }
    std::printf("| %s | %s | %s | %s | %s | %s |\n", f.label.c_str(), formatTime(a).c_str(),
                formatTime(b).c_str(), ratioText, targetText, result);
  }
  if (!inprocNote.empty()) {
    std::printf(
        "| step `-globaldce` in-process (vs CompilerGym over gRPC) | %s | - | - | "
        ">= 10x faster | - |\n",
        inprocNote.c_str());
  }
  std::printf("| service RSS, 1 session of %s | %s | %s | %.3gx | (report) | - |\n",
              large.name.c_str(), formatMiB(memory[0].idle).c_str(),
              formatMiB(memory[1].idle).c_str(),
              static_cast<double>(memory[0].idle) / static_cast<double>(memory[1].idle));
  std::printf(
      "| service RSS, %d sessions of %s (peak) | %s (%s) | %s (%s) | %.3gx | (report) | - |\n",
      o.rssSessions, large.name.c_str(), formatMiB(memory[0].sessions).c_str(),
      formatMiB(memory[0].peak).c_str(), formatMiB(memory[1].sessions).c_str(),
      formatMiB(memory[1].peak).c_str(),
      static_cast<double>(memory[0].sessions) / static_cast<double>(memory[1].sessions));
  // "Flat": under 1 MiB or 2% of the RSS before the steps, whichever is larger.
  const long growth = memory[0].after - memory[0].before;
  const long allowed = std::max(1024L, memory[0].before / 50);
  auto growthText = [](const Memory& m) {
    char buffer[160];
    std::snprintf(buffer, sizeof buffer, "%+ld KiB (%s -> %s -> %s)", m.after - m.before,
                  formatMiB(m.before).c_str(), formatMiB(m.middle).c_str(),
                  formatMiB(m.after).c_str());
    return std::string(buffer);
  };
  std::printf(
      "| service RSS growth over %ld steps `-globaldce` (before -> half-way -> after), %s "
      "| %s | %s | - | flat (< %s) | %s |\n",
      o.rssSteps, small.name.c_str(), growthText(memory[0]).c_str(), growthText(memory[1]).c_str(),
      formatMiB(allowed).c_str(), growth < allowed ? "PASS" : "MISS");
  (growth < allowed ? passes : misses)++;
  std::printf(
      "\nMedians of %d interleaved repetitions (each at least %g s of operations); in "
      "brackets, the quartiles of the per-repetition ratios. %d targets met, %d missed; timing "
      "%.0f s, total %.0f s.\n",
      o.repetitions, o.minTime, passes, misses, timingSeconds, seconds(runStart));
  std::fflush(stdout);
  if (!tempDir().empty()) {
    std::error_code ignoredError;
    fs::remove_all(tempDir(), ignoredError);
  }
  return 0;
}
