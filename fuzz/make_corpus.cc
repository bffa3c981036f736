// SPDX-License-Identifier: MIT
// Writes the seed corpora of the fuzzers: valid (and a few deliberately wrong) requests, values
// and states, as files DIR/<target>/seed-<name>. Run by `scripts/fuzz.sh seeds`; the output is
// checked in under fuzz/corpus/, so a change here shows in the diff of the corpus.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <string>
#include <utility>

#include "compiler_gym_service.pb.h"
#include "fuzz_input.h"

namespace {

namespace fs = std::filesystem;
using namespace compiler_gym;
using cgym::fuzz::appendRecord;
using cgym::fuzz::Rpc;

fs::path outputDirectory;

void write(const std::string& target, const std::string& name, const std::string& bytes) {
  const fs::path dir = outputDirectory / target;
  fs::create_directories(dir);
  std::ofstream out(dir / ("seed-" + name), std::ios::binary);
  out << bytes;
  if (!out) {
    std::fprintf(stderr, "cannot write %s\n", (dir / name).c_str());
    std::exit(1);
  }
}

Event intEvent(int64_t value) {
  Event event;
  event.set_int64_value(value);
  return event;
}

// --- ServiceCore requests ------------------------------------------------------------------

// An input under construction: the options byte, then records.
class Requests {
 public:
  explicit Requests(uint8_t options) : bytes_(1, static_cast<char>(options)) {}

  Requests& version() {
    appendRecord(&bytes_, Rpc::kGetVersion, GetVersionRequest());
    return *this;
  }
  Requests& spaces() {
    appendRecord(&bytes_, Rpc::kGetSpaces, GetSpacesRequest());
    return *this;
  }
  Requests& start(const std::string& uri, const std::string* program = nullptr,
                  int32_t actionSpace = 0, std::initializer_list<int32_t> observations = {}) {
    StartSessionRequest request;
    request.mutable_benchmark()->set_uri(uri);
    if (program) request.mutable_benchmark()->mutable_program()->set_contents(*program);
    request.set_action_space(actionSpace);
    for (int32_t index : observations) request.add_observation_space(index);
    appendRecord(&bytes_, Rpc::kStartSession, request);
    return *this;
  }
  Requests& fork(int64_t session) {
    ForkSessionRequest request;
    request.set_session_id(session);
    appendRecord(&bytes_, Rpc::kForkSession, request);
    return *this;
  }
  Requests& end(int64_t session) {
    EndSessionRequest request;
    request.set_session_id(session);
    appendRecord(&bytes_, Rpc::kEndSession, request);
    return *this;
  }
  Requests& step(int64_t session, std::initializer_list<Event> actions,
                 std::initializer_list<int32_t> observations = {}) {
    StepRequest request;
    request.set_session_id(session);
    for (const Event& action : actions) *request.add_action() = action;
    for (int32_t index : observations) request.add_observation_space(index);
    appendRecord(&bytes_, Rpc::kStep, request);
    return *this;
  }
  Requests& addBenchmarks(std::initializer_list<std::pair<std::string, std::string>> benchmarks) {
    AddBenchmarkRequest request;
    for (const auto& [uri, program] : benchmarks) {
      Benchmark* benchmark = request.add_benchmark();
      benchmark->set_uri(uri);
      benchmark->mutable_program()->set_contents(program);
    }
    appendRecord(&bytes_, Rpc::kAddBenchmark, request);
    return *this;
  }
  Requests& params(int64_t session,
                   std::initializer_list<std::pair<std::string, std::string>> parameters) {
    SendSessionParameterRequest request;
    request.set_session_id(session);
    for (const auto& [key, value] : parameters) {
      SessionParameter* parameter = request.add_parameter();
      parameter->set_key(key);
      parameter->set_value(value);
    }
    appendRecord(&bytes_, Rpc::kSendSessionParameter, request);
    return *this;
  }
  const std::string& bytes() const { return bytes_; }

 private:
  std::string bytes_;
};

const char kSetCacheMax[] = "service.benchmark_cache.set_max_size_in_bytes";
const char kGetCacheMax[] = "service.benchmark_cache.get_max_size_in_bytes";
const char kGetCacheSize[] = "service.benchmark_cache.get_size_in_bytes";

// Seeds that suit any session: in the driver's numbering, session 0 is the first live one and
// -1 the first ended one.
void writeCommonServiceSeeds(const std::string& target, uint8_t options) {
  const std::string program = "int main() { return 0; }";
  Event text, list, dict;
  text.set_string_value("a");
  *list.mutable_event_list()->add_event() = intEvent(1);
  (*dict.mutable_event_dict()->mutable_event())["k"] = intEvent(2);

  write(target, "versions", Requests(options).version().spaces().bytes());
  write(target, "episode",
        Requests(options)
            .start("benchmark://example-v0/foo", &program, 0, {0, 1, 2})
            .step(0, {intEvent(0), intEvent(1), intEvent(2)}, {0, 1, 2})
            .step(0, {intEvent(7)}, {0})
            .step(0, {text, list, dict}, {2})
            .end(0)
            .bytes());
  write(target, "fork",
        Requests(options)
            .start("benchmark://example-v0/foo", &program, 0, {})
            .step(0, {intEvent(1)}, {})
            .fork(0)
            .step(1, {intEvent(2)}, {0, 1})
            .end(0)
            .step(-1, {intEvent(0)}, {})
            .fork(-1)
            .step(0, {intEvent(0)}, {2})
            .end(0)
            .end(-1)
            .bytes());
  write(target, "cache",
        Requests(options)
            .addBenchmarks({{"benchmark://example-v0/a", "a"}, {"benchmark://example-v0/b", "bb"}})
            .start("benchmark://example-v0/a")
            .start("benchmark://example-v0/missing")
            .start("")
            .params(0, {{kGetCacheSize, ""}, {kGetCacheMax, ""}, {kSetCacheMax, "1"}})
            .params(0, {{kSetCacheMax, "-1"}})
            .params(0, {{"unknown.parameter", "x"}})
            .start("benchmark://example-v0/b")
            .end(0)
            .bytes());
  write(target, "bad-indices",
        Requests(options)
            .start("benchmark://example-v0/foo", &program, 7, {})
            .start("benchmark://example-v0/foo", &program, -1, {})
            .start("benchmark://example-v0/foo", &program, 0, {9})
            .start("benchmark://example-v0/foo", &program, 0, {})
            .step(0, {}, {-1})
            .step(0, {}, {3})
            .bytes());
  // Options bit 0: at most one session.
  write(target, "max-sessions",
        Requests(options | 1)
            .start("benchmark://example-v0/foo", &program)
            .start("benchmark://example-v0/foo", &program)
            .fork(0)
            .end(0)
            .start("benchmark://example-v0/foo", &program)
            .bytes());
}

void writeServiceSeeds() {
  writeCommonServiceSeeds("service_core_cc", 0);
  writeCommonServiceSeeds("service_core_c", 0);

  // The session of fuzz_c_session.c (options bit 2), whose actions are commands (v & 7, with
  // arg = v >> 3: see that file).
  const uint8_t full = 4;
  const std::string program = "int main() { return 0; }";
  const std::string failing = "!";
  Event end;
  end.set_string_value("end");
  write("service_core_c", "full-episode",
        Requests(full)
            .start("benchmark://fuzz-v0/a", &program, 0, {0, 1, 2, 3, 4})
            .step(0, {intEvent(0), intEvent(8), intEvent(16)}, {0, 1, 2, 3, 4})
            .step(0, {intEvent(2)}, {0})         // no effect: end_of_step changes the space
            .step(0, {intEvent(3 + 8)}, {3})     // new_action_space 0
            .step(0, {intEvent(3 + 3 * 8)}, {})  // new_action_space 2: out of range
            .step(0, {intEvent(42)}, {4})        // end_of_step ends the episode
            .step(0, {intEvent(1)}, {})          // apply_action ends the episode
            .step(0, {end, intEvent(0)}, {})
            .params(0, {{"fuzz.count", ""}, {"fuzz.uri", ""}, {kGetCacheSize, ""}})
            .params(0, {{"fuzz.reset", ""}, {"fuzz.fail", ""}})
            .fork(0)
            .step(1, {intEvent(0)}, {0})
            .end(0)
            .end(1)
            .bytes());
  write("service_core_c", "full-errors",
        Requests(full)
            .start("benchmark://fuzz-v0/fail")
            .start("benchmark://fuzz-v0/a", &failing)
            .start("benchmark://fuzz-v0/nofork", &program, 1, {0})
            .fork(0)
            .step(0, {intEvent(4 + 3 * 8)}, {})    // fails with INVALID_ARGUMENT and a message
            .step(0, {intEvent(5 + 13 * 8)}, {})   // fails with INTERNAL and no message
            .step(0, {intEvent(4 + 101 * 8)}, {})  // fails with SERVICE_INIT (not a gRPC code)
            .step(0, {intEvent(5 + 50 * 8)}, {})   // fails with an unknown code
            .step(0, {intEvent(4)}, {})            // "fails" with OK
            .bytes());
}

// --- Values -------------------------------------------------------------------------------

void writeValue(const std::string& name, uint8_t reader, const google::protobuf::Message& value) {
  write("values", name,
        std::string(1, static_cast<char>(reader)) + cgym::fuzz::deterministicBytes(value));
}

void writeValueSeeds() {
  Event event;
  writeValue("event-none", 0, event);
  event.set_boolean_value(true);
  writeValue("event-bool", 0, event);
  event = intEvent(-5);
  writeValue("event-int64", 0, event);
  event.set_float_value(1.5f);
  writeValue("event-float", 0, event);
  event.set_double_value(-2.25);
  writeValue("event-double", 0, event);
  event.set_string_value(std::string("h\xc3\xa9llo\0!", 8));
  writeValue("event-string", 0, event);

  Event tensor;
  tensor.mutable_boolean_tensor()->add_shape(2);
  tensor.mutable_boolean_tensor()->add_value(true);
  tensor.mutable_boolean_tensor()->add_value(false);
  writeValue("event-bool-tensor", 0, tensor);
  tensor.mutable_byte_tensor()->add_shape(3);
  tensor.mutable_byte_tensor()->set_value("\x01\xff\x00", 3);
  writeValue("event-byte-tensor", 0, tensor);
  tensor.mutable_int64_tensor()->add_shape(2);
  tensor.mutable_int64_tensor()->add_shape(2);
  for (int64_t v : {int64_t{1}, int64_t{-2}, int64_t{3}, INT64_MIN})
    tensor.mutable_int64_tensor()->add_value(v);
  writeValue("event-int64-tensor", 0, tensor);
  tensor.mutable_float_tensor()->add_shape(1);
  tensor.mutable_float_tensor()->add_value(0.5f);
  writeValue("event-float-tensor", 0, tensor);
  tensor.mutable_double_tensor()->add_shape(2);
  tensor.mutable_double_tensor()->add_value(1e300);
  tensor.mutable_double_tensor()->add_value(-0.0);
  writeValue("event-double-tensor", 0, tensor);
  tensor.mutable_string_tensor()->add_shape(2);
  tensor.mutable_string_tensor()->add_value("a");
  tensor.mutable_string_tensor()->add_value("");
  writeValue("event-string-tensor", 0, tensor);
  tensor.mutable_int64_tensor()->add_shape(3);
  tensor.mutable_int64_tensor()->add_value(1);
  writeValue("event-tensor-bad-shape", 0, tensor);

  Event any;
  any.mutable_any_value()->set_type_url("type.googleapis.com/compiler_gym.Opaque");
  any.mutable_any_value()->set_value("\x0a\x01x");
  writeValue("event-any", 0, any);

  Event nested;
  *nested.mutable_event_list()->add_event() = intEvent(1);
  Event* dict = nested.mutable_event_list()->add_event();
  (*dict->mutable_event_dict()->mutable_event())["b"] = intEvent(2);
  (*dict->mutable_event_dict()->mutable_event())["a"] = any;
  (*dict->mutable_event_dict()->mutable_event())[std::string("\0k", 2)] = tensor;
  nested.set_type_id("nested");
  writeValue("event-nested", 0, nested);

  // 32 levels (the limit) and 33 (rejected).
  Event deep = intEvent(0);
  for (int i = 1; i < 32; ++i) {
    Event outer;
    *outer.mutable_event_list()->add_event() = deep;
    deep = outer;
  }
  writeValue("event-depth-32", 0, deep);
  Event deeper;
  *deeper.mutable_event_list()->add_event() = deep;
  writeValue("event-depth-33", 0, deeper);

  // Action spaces (reader 1), one of each kind of space.
  ActionSpace action;
  action.set_name("default");
  action.mutable_space()->mutable_discrete()->set_n(10);
  writeValue("action-discrete", 1, action);
  action.mutable_space()->set_type_id("permutation");
  for (const char* name : {"a", "b", "c"}) {
    action.mutable_space()->mutable_named_discrete()->add_name(name);
  }
  writeValue("action-named-discrete", 1, action);
  action.mutable_space()->clear_type_id();
  action.mutable_space()->mutable_int64_value()->set_min(-3);
  writeValue("action-int64-range", 1, action);
  action.mutable_space()->mutable_boolean_value()->set_max(true);
  writeValue("action-bool-range", 1, action);
  action.mutable_space()->mutable_float_value()->set_min(-1.5f);
  action.mutable_space()->mutable_float_value()->set_max(2.5f);
  writeValue("action-float-range", 1, action);
  action.mutable_space()->mutable_double_value()->set_max(1e10);
  writeValue("action-double-range", 1, action);
  action.mutable_space()->mutable_string_value()->mutable_length_range()->set_max(8);
  writeValue("action-string", 1, action);
  action.mutable_space()->mutable_int64_sequence()->mutable_length_range()->set_min(1);
  action.mutable_space()->mutable_int64_sequence()->mutable_scalar_range()->set_max(9);
  writeValue("action-int64-sequence", 1, action);
  action.mutable_space()->mutable_byte_sequence()->mutable_length_range()->set_max(4);
  writeValue("action-byte-sequence", 1, action);
  action.mutable_space()->mutable_bytes_sequence()->mutable_length_range()->set_max(4);
  writeValue("action-bytes-sequence", 1, action);
  action.mutable_space()->mutable_string_sequence()->mutable_length_range()->set_max(4);
  writeValue("action-string-sequence", 1, action);
  action.mutable_space()->mutable_double_sequence()->mutable_scalar_range()->set_min(0);
  writeValue("action-double-sequence", 1, action);
  {
    Int64Box* box = action.mutable_space()->mutable_int64_box();
    for (auto [tensor, bound] : {std::pair{box->mutable_low(), -1}, {box->mutable_high(), 1}}) {
      tensor->add_shape(2);
      tensor->add_value(bound);
      tensor->add_value(bound);
    }
    writeValue("action-int64-box", 1, action);
  }
  {
    DoubleBox* box = action.mutable_space()->mutable_double_box();
    box->mutable_low()->add_shape(1);
    box->mutable_low()->add_value(-0.5);
    box->mutable_high()->add_shape(1);
    box->mutable_high()->add_value(0.5);
    writeValue("action-double-box", 1, action);
  }
  {
    Space* space = action.mutable_space();
    space->Clear();
    ListSpace* list = space->mutable_space_list();
    list->add_space()->mutable_discrete()->set_n(2);
    DictSpace* subdict = list->add_space()->mutable_space_dict();
    (*subdict->mutable_space())["x"].mutable_discrete()->set_n(3);
    (*subdict->mutable_space())["a"].mutable_string_value();
    writeValue("action-composite", 1, action);
    space->Clear();
    space->mutable_space_sequence()->mutable_length_range()->set_max(3);
    space->mutable_space_sequence()->mutable_space()->mutable_discrete()->set_n(4);
    writeValue("action-space-sequence", 1, action);
    space->Clear();
    space->mutable_space_union()->add_space()->mutable_discrete()->set_n(1);
    space->mutable_space_union()->add_space()->mutable_int64_value();
    writeValue("action-union", 1, action);
    space->Clear();
    CommandlineSpace flags;
    flags.add_name("-O1");
    space->mutable_any_value()->PackFrom(flags);
    writeValue("action-any", 1, action);
  }

  // Observation spaces (reader 2), with and without a default observation.
  ObservationSpace observation;
  observation.set_name("ir");
  observation.mutable_space()->mutable_string_value()->mutable_length_range()->set_min(0);
  observation.set_deterministic(true);
  writeValue("observation-string", 2, observation);
  observation.set_name("features");
  {
    Int64Box* box = observation.mutable_space()->mutable_int64_box();
    for (auto [tensor, bound] : {std::pair{box->mutable_low(), -100}, {box->mutable_high(), 100}}) {
      tensor->add_shape(3);
      for (int i = 0; i < 3; ++i) tensor->add_value(bound);
    }
  }
  observation.set_platform_dependent(true);
  *observation.mutable_default_observation() = tensor;
  writeValue("observation-box-default", 2, observation);
  observation.set_name("runtime");
  observation.mutable_space()->mutable_double_value()->set_min(0);
  *observation.mutable_default_observation() = nested;
  writeValue("observation-default-nested", 2, observation);
}

// --- States -------------------------------------------------------------------------------

void writeState(const std::string& name, uint8_t mode, const std::string& text) {
  write("states", name, std::string(1, static_cast<char>(mode)) + text);
}

void writeStateSeeds() {
  // Mode bit 0: 0 = CSV, 1 = JSON; bit 1: the CSV written back has a header.
  writeState("csv-header", 2,
             "benchmark,reward,walltime,commandline\n"
             "benchmark://cbench-v1/crc32,1.5,3.0,-mem2reg -dce\n"
             "benchmark://cbench-v1/qsort,,0.25,\n");
  writeState("csv-no-header", 0, "benchmark://example-v0/a,,1e-05,-a -b\r\n");
  writeState("csv-reordered", 2,
             "Walltime,Commandline,Benchmark,Reward\n"
             "2,\"-a, \"\"quoted\"\"\",\"benchmark://x-v0/multi\nline\",-2.5\n");
  writeState("csv-numbers", 0,
             "benchmark://x-v0/n,1_000, 2.5 ,\"\"\nbenchmark://x-v0/m,-1e-07,1E3,x\n");
  writeState("csv-bad", 0, "benchmark://x-v0/n,abc,1,x\n");
  writeState("csv-open-quote", 0, "\"benchmark://x-v0/n,1,1,x\n");
  writeState("json", 1,
             "[{\"benchmark\": \"benchmark://cbench-v1/crc32\", \"commandline\": \"-mem2reg\", "
             "\"walltime\": 5.0, \"reward\": null}, {\"benchmark\": \"b\\u00e9\", \"commandline\": "
             "\"\", \"walltime\": 0, \"reward\": -1e-05, \"extra\": [1]}]");
  writeState("json-header", 3,
             "[{\"benchmark\": \"benchmark://x-v0/q\\\"\", \"commandline\": \"a,b\\nc\", "
             "\"walltime\": 1e300}]");
  writeState("json-empty", 3, "[]");
  writeState("json-bad", 1, "[{\"benchmark\": 1}]");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
    return 2;
  }
  outputDirectory = argv[1];
  writeServiceSeeds();
  writeValueSeeds();
  writeStateSeeds();
  return 0;
}
