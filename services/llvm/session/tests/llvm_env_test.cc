// SPDX-License-Identifier: MIT
// The LLVM environment as users drive it, through libcgym's C API (cgym.h) only:
//
// - EveryAction: every action of PassesAll from the reset state of each bundled program and
//   of fixed csmith programs: the step succeeds, the module verifies, and
//   action_had_no_effect agrees with an independent comparison of the module before and
//   after (its Bitcode and Ir observations).
// - SameBehaviour: one scripted episode (steps, a fork, session parameters) on two targets
//   gives identical spaces, flags, replies and observations. The targets are two instances of
//   the service binary, and the service binary against the in-process plugin when it is built.
//
// Environment variables: CGYM_LLVM_ENV_TEST_TARGET (`service`, the default, or `inproc`) picks
// the target of EveryAction.
#include <gtest/gtest.h>
#include <llvm/Bitcode/BitcodeReader.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Support/Error.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/raw_ostream.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "cgym.h"

namespace {

// CompilerGym's flags, by index, from the same table the session runs.
const char* const kFlags[] = {
#define CGYM_LLVM_ACTION(index, flag, pipeline, note) flag,
#include "actions.def"
};
constexpr int kNumActions = static_cast<int>(std::size(kFlags));

// Owning handles for the C objects.
struct EnvDeleter {
  void operator()(cgym_env_t* env) const { cgym_env_free(env); }
};
struct EventDeleter {
  void operator()(cgym_event_t* event) const { cgym_event_free(event); }
};
struct StepResultDeleter {
  void operator()(cgym_step_result_t* result) const { cgym_step_result_free(result); }
};
struct OptionsDeleter {
  void operator()(cgym_options_t* options) const { cgym_options_free(options); }
};
struct CallOptionsDeleter {
  void operator()(cgym_call_options_t* options) const { cgym_call_options_free(options); }
};
struct FreeDeleter {
  void operator()(void* p) const { cgym_free(p); }
};
using Env = std::unique_ptr<cgym_env_t, EnvDeleter>;
using EventPtr = std::unique_ptr<cgym_event_t, EventDeleter>;
using StepResult = std::unique_ptr<cgym_step_result_t, StepResultDeleter>;
using Options = std::unique_ptr<cgym_options_t, OptionsDeleter>;
using CallOptions = std::unique_ptr<cgym_call_options_t, CallOptionsDeleter>;

// "CODE: message" of the calling thread's last error.
std::string lastError() {
  return std::string(cgym_status_name(cgym_last_error_code())) + ": " + cgym_last_error_message();
}

#define ASSERT_CGYM(expr) ASSERT_EQ((expr), CGYM_OK) << #expr << ": " << lastError()
#define EXPECT_CGYM(expr) EXPECT_EQ((expr), CGYM_OK) << #expr << ": " << lastError()

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// ---------------------------------------------------------------------------------------
// Targets: how a test reaches the environment.

struct Target {
  std::string name;
  // Returns the endpoint for cgym_connect() after whatever setup it needs; "" (with a test
  // failure) if the setup failed.
  std::function<std::string()> endpoint;
};

// The service binary, a managed service: each cgym_connect() launches its own process.
Target serviceTarget() {
  return {"service", [] { return std::string(CGYM_LLVM_SERVICE); }};
}

#if defined(CGYM_LLVM_PLUGIN)
// The LLVM plugin loaded into this process and registered in-process, once.
Target inprocessTarget() {
  return {"inproc", []() -> std::string {
            static const std::string error = []() -> std::string {
              if (cgym_service_register_plugin("llvm-env-test", CGYM_LLVM_PLUGIN) == CGYM_OK) {
                return "";
              }
              return lastError();
            }();
            if (!error.empty()) {
              ADD_FAILURE() << "cgym_service_register_plugin(" << CGYM_LLVM_PLUGIN
                            << "): " << error;
              return "";
            }
            return "inproc:llvm-env-test";
          }};
}
#endif

// The target EveryAction runs on: CGYM_LLVM_ENV_TEST_TARGET, the service by default.
Target everyActionTarget() {
  const char* name = std::getenv("CGYM_LLVM_ENV_TEST_TARGET");
  const std::string wanted = name != nullptr && *name != '\0' ? name : "service";
  if (wanted == "service") return serviceTarget();
#if defined(CGYM_LLVM_PLUGIN)
  if (wanted == "inproc") return inprocessTarget();
#endif
  return {wanted, [wanted]() -> std::string {
            ADD_FAILURE() << "CGYM_LLVM_ENV_TEST_TARGET=" << wanted
                          << ": unknown or not built (service, inproc)";
            return "";
          }};
}

// ---------------------------------------------------------------------------------------
// Benchmarks.

// The bundled programs, as manifest.json lists them.
std::vector<std::string> bundledPrograms() {
  std::ifstream in(std::string(CGYM_LLVM_DATASET_DIR) + "/manifest.json");
  std::stringstream text;
  text << in.rdbuf();
  const std::string json = text.str();
  std::vector<std::string> names;
  const size_t programs = json.find("\"programs\"");
  if (programs == std::string::npos) return names;
  // Each "name": "..." after "programs" (a scan: GCC 12 warns inside std::regex under ASan).
  const std::string key = "\"name\"";
  for (size_t at = json.find(key, programs); at != std::string::npos; at = json.find(key, at)) {
    at += key.size();
    while (at < json.size() && (json[at] == ' ' || json[at] == ':')) ++at;
    if (at >= json.size() || json[at] != '"') continue;
    const size_t end = json.find('"', at + 1);
    if (end == std::string::npos) break;
    names.push_back(json.substr(at + 1, end - at - 1));
    at = end + 1;
  }
  return names;
}

std::vector<std::string> bundledUris() {
  std::vector<std::string> uris;
  for (const std::string& name : bundledPrograms()) uris.push_back("benchmark://cgym-v0/" + name);
  return uris;
}

// Fixed seeds, so the programs are the same on every run (csmith is deterministic per seed).
std::vector<std::string> csmithUris() {
  std::vector<std::string> uris;
  for (int seed = 1; seed <= 20; ++seed) {
    uris.push_back("generator://csmith-v0/" + std::to_string(seed));
  }
  return uris;
}

// A test name from a benchmark URI: its last component, or csmith_N.
std::string uriTestName(const std::string& uri) {
  const size_t slash = uri.rfind('/');
  std::string last = uri.substr(slash + 1);
  if (uri.rfind("generator://", 0) == 0) {
    const std::string rest = uri.substr(std::string("generator://").size());
    last = rest.substr(0, rest.find('-')) + "_" + last;
  }
  for (char& c : last) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return last;
}

// ---------------------------------------------------------------------------------------
// Helpers over the C API.

// Connects to `endpoint` with `uri` as the benchmark.
cgym_status_t connectTo(const std::string& endpoint, const std::string& uri, Env* env) {
  cgym_options_t* raw = nullptr;
  cgym_status_t status = cgym_options_new(&raw);
  if (status != CGYM_OK) return status;
  Options options(raw);
  if ((status = cgym_options_set_benchmark(options.get(), uri.c_str(), nullptr, 0)) != CGYM_OK ||
      (status = cgym_options_set_init_max_seconds(options.get(), 120)) != CGYM_OK ||
      (status = cgym_options_set_local_service_port_init_max_seconds(options.get(), 60)) !=
          CGYM_OK) {
    return status;
  }
  cgym_env_t* out = nullptr;
  status = cgym_connect(&out, endpoint.c_str(), options.get());
  if (status == CGYM_OK) env->reset(out);
  return status;
}

// Generous call deadlines: the tests check results, not speed (the slowest pass, -attributor,
// takes 10 to 30 s on crypto.c, depending on the machine's load).
const cgym_call_options_t* slowCalls() {
  static cgym_call_options_t* options = [] {
    cgym_call_options_t* o = nullptr;
    if (cgym_call_options_new(&o) != CGYM_OK || cgym_call_options_set_timeout(o, 600) != CGYM_OK) {
      std::abort();
    }
    return o;
  }();
  return options;
}

// One step of one action (an index), asking for `spaces`.
cgym_status_t stepAction(cgym_env_t* env, int64_t action, const std::vector<const char*>& spaces,
                         StepResult* result) {
  cgym_event_t* raw = nullptr;
  cgym_status_t status = cgym_event_new_int64(&raw, action);
  if (status != CGYM_OK) return status;
  EventPtr event(raw);
  const cgym_event_t* actions[] = {event.get()};
  cgym_step_result_t* out = nullptr;
  status = cgym_step(env, actions, 1, spaces.data(), spaces.size(), nullptr, 0, slowCalls(), &out);
  if (status == CGYM_OK) result->reset(out);
  return status;
}

// The bytes of a byte tensor event (Bitcode), or of a string event (Ir).
std::string eventBytes(const cgym_event_t* event) {
  if (cgym_event_kind(event) == CGYM_EVENT_BYTE_TENSOR) {
    const void* values = nullptr;
    size_t count = 0;
    if (cgym_event_tensor_values(event, &values, &count) != CGYM_OK) return "";
    return std::string(static_cast<const char*>(values), count);
  }
  const char* data = nullptr;
  size_t length = 0;
  if (cgym_event_get_string(event, &data, &length) != CGYM_OK) return "";
  return std::string(data, length);
}

// A space's observation now, as bytes ("" with a test failure if it fails).
std::string observeBytes(cgym_env_t* env, const char* space) {
  cgym_event_t* raw = nullptr;
  if (cgym_env_observe(env, space, &raw) != CGYM_OK) {
    ADD_FAILURE() << "observe " << space << ": " << lastError();
    return "";
  }
  EventPtr event(raw);
  return eventBytes(event.get());
}

// Parses bitcode with LLVM and verifies the module; "" if it is valid, else the problem.
std::string verifyBitcode(const std::string& bitcode) {
  llvm::LLVMContext context;
  auto module = llvm::parseBitcodeFile(
      llvm::MemoryBufferRef(llvm::StringRef(bitcode.data(), bitcode.size()), "bitcode"), context);
  if (!module) return "cannot parse the bitcode: " + llvm::toString(module.takeError());
  std::string problems;
  llvm::raw_string_ostream os(problems);
  if (llvm::verifyModule(**module, &os)) return "invalid module: " + os.str();
  return "";
}

// ---------------------------------------------------------------------------------------
// EveryAction.

class EveryAction : public ::testing::TestWithParam<std::string> {};

struct ActionTime {
  double seconds;
  int action;
};

TEST_P(EveryAction, FromTheResetState) {
  const std::string uri = GetParam();
  const Target target = everyActionTarget();
  const std::string endpoint = target.endpoint();
  ASSERT_FALSE(endpoint.empty());
  const auto start = std::chrono::steady_clock::now();

  Env env;
  ASSERT_CGYM(connectTo(endpoint, uri, &env));
  ASSERT_CGYM(cgym_env_reset(env.get(), slowCalls(), nullptr));
  // The time limit of one action, raised for the same reason as the call deadlines; forks
  // inherit it.
  ASSERT_CGYM(cgym_send_param(env.get(), "llvm.set_action_timeout_seconds", "300", 1, nullptr));

  // The reset state, which every fork below starts from.
  const std::string resetBitcode = observeBytes(env.get(), "Bitcode");
  const std::string irBefore = observeBytes(env.get(), "Ir");
  ASSERT_FALSE(resetBitcode.empty());
  ASSERT_FALSE(irBefore.empty());
  ASSERT_EQ(verifyBitcode(resetBitcode), "") << uri << " at reset";
  double instructions = 0;
  ASSERT_CGYM(cgym_env_observe_double(env.get(), "IrInstructionCount", &instructions));
  const double setupSeconds = secondsSince(start);

  // The space has exactly kNumActions actions: the next index is rejected, and the episode
  // goes on.
  {
    StepResult result;
    EXPECT_EQ(stepAction(env.get(), kNumActions, {}, &result), CGYM_INVALID_ARGUMENT);
  }

  int withEffect = 0, useListOnly = 0, forkBitcodeDiffers = 0;
  double stepSeconds = 0;
  std::vector<ActionTime> times;
  for (int action = 0; action < kNumActions; ++action) {
    const std::string what = uri + " action " + std::to_string(action) + " " + kFlags[action];
    const auto actionStart = std::chrono::steady_clock::now();
    cgym_env_t* rawFork = nullptr;
    ASSERT_CGYM(cgym_fork(env.get(), &rawFork)) << what;
    Env fork(rawFork);
    // The fork's own bitcode is the reference: a fork is the same module, but its bitcode may
    // list local names in another order than its parent's (session/README.md, "Fork"). The
    // printed IR of a fork is its parent's.
    const std::string bitcodeBefore = observeBytes(fork.get(), "Bitcode");
    if (bitcodeBefore != resetBitcode) {
      ++forkBitcodeDiffers;
      EXPECT_EQ(verifyBitcode(bitcodeBefore), "") << what << " (the fork)";
    }

    StepResult result;
    const auto stepStart = std::chrono::steady_clock::now();
    ASSERT_CGYM(stepAction(fork.get(), action, {"Bitcode"}, &result)) << what;
    stepSeconds += secondsSince(stepStart);
    // A failure in the service (a crash included) ends the episode with the error.
    ASSERT_FALSE(cgym_step_result_done(result.get()))
        << what << ": " << cgym_step_result_error_type(result.get()) << ": "
        << cgym_step_result_error_details(result.get());
    ASSERT_STREQ(cgym_step_result_error_type(result.get()), "") << what;
    size_t count = 0;
    ASSERT_CGYM(cgym_step_result_observation_count(result.get(), &count));
    ASSERT_EQ(count, 1u) << what;
    const cgym_event_t* observation = nullptr;
    ASSERT_CGYM(cgym_step_result_observation_at(result.get(), 0, &observation));
    ASSERT_EQ(cgym_event_kind(observation), CGYM_EVENT_BYTE_TENSOR) << what;
    const std::string bitcodeAfter = eventBytes(observation);
    const bool noEffect = cgym_step_result_action_had_no_effect(result.get()) != 0;

    if (bitcodeAfter != bitcodeBefore) {
      // A changed module must be valid. (An unchanged one was verified before.)
      EXPECT_EQ(verifyBitcode(bitcodeAfter), "") << what;
      if (noEffect) {
        const bool irChanged = observeBytes(fork.get(), "Ir") != irBefore;
        ADD_FAILURE() << what << ": no effect, yet the bitcode changed (" << bitcodeBefore.size()
                      << " -> " << bitcodeAfter.size() << " bytes; IR text "
                      << (irChanged ? "changed too" : "unchanged") << ")";
      }
    } else {
      const std::string irAfter = observeBytes(fork.get(), "Ir");
      if (noEffect) {
        // No effect: neither the bitcode nor the printed IR (names, comments) changed.
        EXPECT_EQ(irAfter, irBefore) << what << ": no effect, yet the IR text changed";
      } else if (irAfter == irBefore) {
        // An effect that neither observation shows can only be a change of use-list order
        // alone (the session's fingerprint is bitcode with use-list order; the Bitcode
        // observation is written without). Such a change is real, so it happens once: the
        // same action again from there has no effect.
        ++useListOnly;
        StepResult again;
        ASSERT_CGYM(stepAction(fork.get(), action, {}, &again)) << what;
        EXPECT_FALSE(cgym_step_result_done(again.get()))
            << what << ": " << cgym_step_result_error_details(again.get());
        EXPECT_TRUE(cgym_step_result_action_had_no_effect(again.get()))
            << what << ": an effect that no observation shows, again on a second run";
        std::printf("  note: %s changed only the use-list order\n", what.c_str());
      }
    }
    if (!noEffect) ++withEffect;
    ASSERT_CGYM(cgym_env_close(fork.get())) << what;
    fork.reset();
    times.push_back({secondsSince(actionStart), action});
  }
  ASSERT_CGYM(cgym_env_close(env.get()));

  std::sort(times.begin(), times.end(),
            [](const ActionTime& a, const ActionTime& b) { return a.seconds > b.seconds; });
  std::ostringstream slowest;
  for (size_t i = 0; i < 3 && i < times.size(); ++i) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%s%s %.2fs", i ? ", " : "", kFlags[times[i].action],
                  times[i].seconds);
    slowest << buffer;
  }
  std::printf(
      "%s [%s]: %.0f instructions, %d actions, %d with effect (%d use-list order only); "
      "%d forks with other bitcode; %.1fs total (setup %.1fs, steps %.1fs); slowest: %s\n",
      uri.c_str(), target.name.c_str(), instructions, kNumActions, withEffect, useListOnly,
      forkBitcodeDiffers, secondsSince(start), setupSeconds, stepSeconds, slowest.str().c_str());
  std::fflush(stdout);
  // Rich programs: passes find work on each.
  EXPECT_GT(withEffect, 10) << uri;
}

INSTANTIATE_TEST_SUITE_P(Bundled, EveryAction, ::testing::ValuesIn(bundledUris()),
                         [](const auto& info) { return uriTestName(info.param); });
INSTANTIATE_TEST_SUITE_P(Csmith, EveryAction, ::testing::ValuesIn(csmithUris()),
                         [](const auto& info) { return uriTestName(info.param); });

// The bundled dataset is found, so that EveryAction covers it.
TEST(LlvmEnvDataset, ManifestListsThePrograms) {
  const std::vector<std::string> names = bundledPrograms();
  EXPECT_GE(names.size(), 22u);
  EXPECT_NE(std::find(names.begin(), names.end(), "crypto"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "stackvm"), names.end());
}

// ---------------------------------------------------------------------------------------
// SameBehaviour.

// What an episode showed, in order: labelled values compared exactly, or (for observations
// that are not deterministic) by type and shape only.
struct Entry {
  std::string label;
  std::string value;
  bool exact;
};
using Transcript = std::vector<Entry>;

// An event as bytes that are equal exactly when the events are: the serialized event, with
// dict entries in key order (protobuf does not fix the order of map entries).
std::string canonical(const cgym_event_t* event) {
  const cgym_event_kind_t kind = cgym_event_kind(event);
  std::string out = "k" + std::to_string(kind) + ":";
  if (kind == CGYM_EVENT_DICT) {
    size_t count = 0;
    cgym_event_dict_count(event, &count);
    for (size_t i = 0; i < count; ++i) {
      const char* key = nullptr;
      size_t keyLength = 0;
      const cgym_event_t* value = nullptr;
      cgym_event_dict_at(event, i, &key, &keyLength, &value);
      const std::string item = canonical(value);
      out += std::to_string(keyLength) + ":" + std::string(key, keyLength) +
             std::to_string(item.size()) + ":" + item;
    }
  } else if (kind == CGYM_EVENT_LIST) {
    size_t count = 0;
    cgym_event_list_count(event, &count);
    for (size_t i = 0; i < count; ++i) {
      const cgym_event_t* item = nullptr;
      cgym_event_list_at(event, i, &item);
      const std::string bytes = canonical(item);
      out += std::to_string(bytes.size()) + ":" + bytes;
    }
  } else {
    void* data = nullptr;
    size_t length = 0;
    if (cgym_event_serialize(event, &data, &length) != CGYM_OK) return "unserializable";
    out.append(static_cast<const char*>(data), length);
    cgym_free(data);
  }
  return out;
}

// The type and shape of an event: its kind, a tensor's shape, a list's length.
std::string typeAndShape(const cgym_event_t* event) {
  const cgym_event_kind_t kind = cgym_event_kind(event);
  std::string out = "kind " + std::to_string(kind);
  const uint64_t* shape = nullptr;
  size_t ndim = 0;
  if (kind >= CGYM_EVENT_BOOL_TENSOR && kind <= CGYM_EVENT_STRING_TENSOR &&
      cgym_event_tensor_shape(event, &shape, &ndim) == CGYM_OK) {
    out += " shape";
    for (size_t i = 0; i < ndim; ++i) out += " " + std::to_string(shape[i]);
  }
  size_t count = 0;
  if (kind == CGYM_EVENT_LIST && cgym_event_list_count(event, &count) == CGYM_OK) {
    out += " length " + std::to_string(count);
  }
  return out;
}

// The scripted episode (PassesAll indices): effective actions, repeats that have no effect,
// -barrier (never an effect), renaming and stripping.
const int kParentActions[] = {
    103 /* -mem2reg */, 7 /* -barrier */, 53 /* -instcombine */, 53 /* -instcombine */,
    10 /* -simplifycfg */, 10 /* -simplifycfg */, 7 /* -barrier */, 73 /* -loop-simplify */,
    71 /* -loop-rotate */, 57 /* -licm */, 47 /* -indvars */, 77 /* -loop-unroll */, 24 /* -dce */,
    24 /* -dce */, 36 /* -inline */,
    // The fork is made here.
    40 /* -globaldce */, 109 /* -sccp */, 55 /* -jump-threading */, 105 /* -reassociate */,
    30 /* -early-cse */, 91 /* -mergefunc */, 102 /* -functionattrs */, 23 /* -deadargelim */,
    122 /* -tailcallelim */, 27 /* -reg2mem */, 103 /* -mem2reg */, 1 /* -adce */,
    123 /* -mergereturn */, 54 /* -instnamer */, 121 /* -strip */};
constexpr size_t kForkAt = 15;
const int kForkActions[] = {111 /* -sroa */,
                            39 /* -gvn */,
                            79 /* -loop-vectorize */,
                            110 /* -slp-vectorizer */,
                            46 /* -ipsccp */,
                            7 /* -barrier */,
                            53 /* -instcombine */,
                            10 /* -simplifycfg */,
                            24 /* -dce */,
                            24 /* -dce */,
                            56 /* -lcssa */,
                            40 /* -globaldce */,
                            54 /* -instnamer */,
                            54 /* -instnamer */,
                            7 /* -barrier */};
static_assert(std::size(kForkActions) == std::size(kParentActions) - kForkAt);

class Recorder {
 public:
  explicit Recorder(Transcript* transcript) : transcript_(transcript) {}

  void exact(const std::string& label, const std::string& value) {
    transcript_->push_back({label, value, true});
  }
  void shapeOnly(const std::string& label, const std::string& value) {
    transcript_->push_back({label, value, false});
  }

  // The env's spaces: every action space and observation space in full, the reward spaces by
  // name. Remembers the observation spaces' names and determinism for observe().
  void spaces(cgym_env_t* env) {
    size_t count = 0;
    EXPECT_CGYM(cgym_env_action_space_count(env, &count));
    exact("action space count", std::to_string(count));
    for (size_t i = 0; i < count; ++i) {
      const cgym_action_space_t* space = nullptr;
      void* data = nullptr;
      size_t length = 0;
      EXPECT_CGYM(cgym_env_action_space_at(env, i, &space));
      EXPECT_CGYM(cgym_action_space_serialize(space, &data, &length));
      exact("action space " + std::to_string(i),
            std::string(static_cast<const char*>(data), length));
      cgym_free(data);
    }
    EXPECT_CGYM(cgym_env_observation_space_count(env, &count));
    exact("observation space count", std::to_string(count));
    names_.clear();
    deterministic_.clear();
    for (size_t i = 0; i < count; ++i) {
      const cgym_observation_space_t* space = nullptr;
      EXPECT_CGYM(cgym_env_observation_space_at(env, i, &space));
      const std::string name = cgym_observation_space_name(space);
      names_.push_back(name);
      deterministic_.push_back(cgym_observation_space_deterministic(space) != 0);
      // The space without its default observation (whose dicts protobuf may serialize in
      // any order), then the default in canonical form.
      cgym_observation_space_t* bare = nullptr;
      void* data = nullptr;
      size_t length = 0;
      EXPECT_CGYM(
          cgym_observation_space_new(&bare, name.c_str(), cgym_observation_space_space(space),
                                     cgym_observation_space_deterministic(space),
                                     cgym_observation_space_platform_dependent(space), nullptr));
      EXPECT_CGYM(cgym_observation_space_serialize(bare, &data, &length));
      exact("observation space " + name, std::string(static_cast<const char*>(data), length));
      cgym_free(data);
      cgym_observation_space_free(bare);
      exact("observation space " + name + " default",
            canonical(cgym_observation_space_default(space)));
    }
    EXPECT_CGYM(cgym_env_reward_space_count(env, &count));
    exact("reward space count", std::to_string(count));
    for (size_t i = 0; i < count; ++i) {
      const char* name = nullptr;
      EXPECT_CGYM(cgym_env_reward_space_at(env, i, &name));
      exact("reward space " + std::to_string(i), name ? name : "(null)");
    }
  }

  const std::vector<std::string>& names() const { return names_; }

  std::vector<const char*> allSpaces() const {
    std::vector<const char*> spaces;
    for (const std::string& name : names_) spaces.push_back(name.c_str());
    return spaces;
  }

  // One observation of space `index`.
  void observation(const std::string& label, size_t index, const cgym_event_t* event) {
    const std::string full = label + " " + names_[index];
    if (deterministic_[index]) {
      exact(full, canonical(event));
    } else {
      shapeOnly(full, typeAndShape(event));
    }
  }

  // Every observation space now, one by one.
  void observeAll(cgym_env_t* env, const std::string& label) {
    for (size_t i = 0; i < names_.size(); ++i) {
      cgym_event_t* raw = nullptr;
      const cgym_status_t status = cgym_env_observe(env, names_[i].c_str(), &raw);
      EventPtr event(raw);
      exact(label + " " + names_[i] + " status", cgym_status_name(status));
      EXPECT_EQ(status, CGYM_OK) << label << " " << names_[i] << ": " << lastError();
      if (status == CGYM_OK) observation(label, i, event.get());
    }
  }

  // One step of `action` with every observation space.
  void step(cgym_env_t* env, const std::string& who, size_t index, int action) {
    const std::string label = who + " step " + std::to_string(index) + " " + kFlags[action];
    StepResult result;
    const cgym_status_t status = stepAction(env, action, allSpaces(), &result);
    exact(label + " status", cgym_status_name(status));
    ASSERT_EQ(status, CGYM_OK) << label << ": " << lastError();
    exact(label + " done", std::to_string(cgym_step_result_done(result.get())));
    exact(label + " error", std::string(cgym_step_result_error_type(result.get())) + ": " +
                                cgym_step_result_error_details(result.get()));
    EXPECT_FALSE(cgym_step_result_done(result.get()))
        << label << ": " << cgym_step_result_error_details(result.get());
    exact(label + " action_had_no_effect",
          std::to_string(cgym_step_result_action_had_no_effect(result.get())));
    exact(label + " new_action_space",
          std::to_string(cgym_step_result_new_action_space(result.get())));
    size_t count = 0;
    EXPECT_CGYM(cgym_step_result_observation_count(result.get(), &count));
    exact(label + " observation count", std::to_string(count));
    for (size_t i = 0; i < count && i < names_.size(); ++i) {
      const cgym_event_t* event = nullptr;
      EXPECT_CGYM(cgym_step_result_observation_at(result.get(), i, &event));
      observation(label, i, event);
    }
    if (cgym_step_result_action_had_no_effect(result.get())) ++noEffectSteps;
    ++steps;
  }

  // A session parameter and its reply.
  void param(cgym_env_t* env, const std::string& who, const char* key, const char* value) {
    char* reply = nullptr;
    const cgym_status_t status = cgym_send_param(env, key, value, 0, &reply);
    exact(who + " param " + key + "=" + value,
          std::string(cgym_status_name(status)) + " " + (reply ? reply : "(no reply)"));
    EXPECT_EQ(status, CGYM_OK) << who << " " << key << ": " << lastError();
    cgym_free(reply);
  }

  int steps = 0;
  int noEffectSteps = 0;

 private:
  Transcript* transcript_;
  std::vector<std::string> names_;
  std::vector<bool> deterministic_;
};

// Runs the scripted episode on `uri` through `endpoint` and records what it showed.
void runEpisode(const std::string& endpoint, const std::string& uri, Transcript* transcript,
                int* noEffectSteps) {
  Recorder record(transcript);
  Env env;
  ASSERT_CGYM(connectTo(endpoint, uri, &env));
  const char* serviceVersion = nullptr;
  const char* compilerVersion = nullptr;
  ASSERT_CGYM(cgym_env_version(env.get(), &serviceVersion, &compilerVersion));
  record.exact("service version", serviceVersion);
  record.exact("compiler version", compilerVersion);
  ASSERT_CGYM(cgym_env_reset(env.get(), slowCalls(), nullptr));
  record.exact("benchmark", cgym_env_benchmark(env.get()));
  record.spaces(env.get());
  ASSERT_FALSE(record.names().empty());

  // Two measured runs per Runtime observation: the Runtime's shape follows.
  record.param(env.get(), "parent", "llvm.set_runtimes_per_observation_count", "2");
  record.param(env.get(), "parent", "llvm.get_action_timeout_seconds", "");
  record.observeAll(env.get(), "reset");

  for (size_t i = 0; i < kForkAt; ++i) {
    ASSERT_NO_FATAL_FAILURE(record.step(env.get(), "parent", i, kParentActions[i]));
  }
  cgym_env_t* rawFork = nullptr;
  ASSERT_CGYM(cgym_fork(env.get(), &rawFork));
  Env fork(rawFork);
  // The fork starts as its parent is.
  record.observeAll(fork.get(), "fork");
  record.param(fork.get(), "fork", "llvm.get_runtimes_per_observation_count", "");
  for (size_t i = kForkAt; i < std::size(kParentActions); ++i) {
    ASSERT_NO_FATAL_FAILURE(record.step(env.get(), "parent", i, kParentActions[i]));
    ASSERT_NO_FATAL_FAILURE(record.step(fork.get(), "fork", i, kForkActions[i - kForkAt]));
    if (i == kForkAt + 4) {
      // CompilerGym's -Oz on the fork alone, in the middle of its episode.
      record.param(fork.get(), "fork", "llvm.apply_baseline_optimizations", "-Oz");
      record.observeAll(fork.get(), "fork after -Oz");
      record.param(env.get(), "parent", "llvm.set_runtimes_per_observation_count", "1");
    }
  }
  record.observeAll(env.get(), "parent end");
  record.exact("fork close", cgym_status_name(cgym_env_close(fork.get())));
  record.exact("parent close", cgym_status_name(cgym_env_close(env.get())));
  *noEffectSteps = record.noEffectSteps;
}

// Where two transcripts differ: each entry's label and value; sizes and offsets only, since
// values can be megabytes.
void expectSameTranscripts(const Transcript& a, const Transcript& b, const std::string& aName,
                           const std::string& bName) {
  int differences = 0;
  for (size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
    if (i >= a.size() || i >= b.size()) {
      ADD_FAILURE() << "transcripts differ in length: " << aName << " " << a.size() << ", " << bName
                    << " " << b.size()
                    << "; first extra entry: " << (i < a.size() ? a[i].label : b[i].label);
      return;
    }
    if (a[i].label != b[i].label) {
      ADD_FAILURE() << "entry " << i << ": " << aName << " has " << a[i].label << ", " << bName
                    << " has " << b[i].label;
      return;
    }
    if (a[i].value == b[i].value) continue;
    size_t at = 0;
    while (at < a[i].value.size() && at < b[i].value.size() && a[i].value[at] == b[i].value[at]) {
      ++at;
    }
    // Up to 60 bytes around the difference, with bytes that are not printable escaped.
    const auto excerpt = [at](const std::string& s) {
      const size_t from = at < 20 ? 0 : at - 20;
      std::string out;
      for (const char c : s.substr(from, 60)) {
        if (std::isprint(static_cast<unsigned char>(c)) && c != '\\') {
          out += c;
        } else {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\x%02x", static_cast<unsigned char>(c));
          out += escaped;
        }
      }
      return out;
    };
    ADD_FAILURE() << a[i].label << (a[i].exact ? "" : " (type and shape)") << " differs: " << aName
                  << " " << a[i].value.size() << " bytes, " << bName << " " << b[i].value.size()
                  << " bytes, first difference at byte " << at << ": " << aName << " \""
                  << excerpt(a[i].value) << "\", " << bName << " \"" << excerpt(b[i].value) << "\"";
    if (++differences == 20) {
      ADD_FAILURE() << "(further differences not shown)";
      return;
    }
  }
}

struct SameBehaviourCase {
  std::string pair;  // names the two targets
  std::function<Target()> a, b;
  std::string uri;
};

// Test names show the case; the default printer would dump its bytes.
void PrintTo(const SameBehaviourCase& c, std::ostream* os) { *os << c.pair << " " << c.uri; }

class SameBehaviour : public ::testing::TestWithParam<SameBehaviourCase> {};

TEST_P(SameBehaviour, ScriptedEpisode) {
  const SameBehaviourCase& c = GetParam();
  const Target a = c.a(), b = c.b();
  const auto start = std::chrono::steady_clock::now();
  Transcript ta, tb;
  int noEffectA = 0, noEffectB = 0;
  const std::string ea = a.endpoint();
  ASSERT_FALSE(ea.empty());
  ASSERT_NO_FATAL_FAILURE(runEpisode(ea, c.uri, &ta, &noEffectA)) << a.name;
  const double secondsA = secondsSince(start);
  const std::string eb = b.endpoint();
  ASSERT_FALSE(eb.empty());
  ASSERT_NO_FATAL_FAILURE(runEpisode(eb, c.uri, &tb, &noEffectB)) << b.name;
  expectSameTranscripts(ta, tb, a.name + " (1st)", b.name + " (2nd)");
  // The script mixes both outcomes.
  EXPECT_GE(noEffectA, 5);
  EXPECT_LE(noEffectA, 35);
  size_t shapeOnly = 0;
  for (const Entry& e : ta) shapeOnly += e.exact ? 0 : 1;
  std::printf(
      "%s, %s vs %s: %zu entries compared (%zu by type and shape), %d steps without "
      "effect; %.1fs and %.1fs\n",
      c.uri.c_str(), a.name.c_str(), b.name.c_str(), ta.size(), shapeOnly, noEffectA, secondsA,
      secondsSince(start) - secondsA);
  std::fflush(stdout);
}

// Programs of different sizes, and a generated one.
const char* const kEpisodeUris[] = {"benchmark://cgym-v0/sum_squares",
                                    "benchmark://cgym-v0/checksums", "benchmark://cgym-v0/minilang",
                                    "generator://csmith-v0/3"};

std::vector<SameBehaviourCase> sameBehaviourCases() {
  std::vector<SameBehaviourCase> cases;
  for (const char* uri : kEpisodeUris) {
    // Two service processes: validates the comparison itself.
    cases.push_back({"ServiceVsService", serviceTarget, serviceTarget, uri});
#if defined(CGYM_LLVM_PLUGIN)
    cases.push_back({"ServiceVsInProcess", serviceTarget, inprocessTarget, uri});
#endif
  }
  return cases;
}

INSTANTIATE_TEST_SUITE_P(Llvm, SameBehaviour, ::testing::ValuesIn(sameBehaviourCases()),
                         [](const auto& info) {
                           return info.param.pair + "_" + uriTestName(info.param.uri);
                         });

}  // namespace
