// SPDX-License-Identifier: MIT
#include "llvm_session.h"

#include <cstdint>
#include <limits>
#include <utility>

#include "benchmarks/benchmarks.h"
#include "features/features.h"

namespace cgym::llvm_env {

using namespace compiler_gym;

namespace {

constexpr int64_t kMaximumPathLength = 4096;

ObservationSpace space(const std::string& name, bool deterministic, bool platformDependent) {
  ObservationSpace s;
  s.set_name(name);
  s.set_deterministic(deterministic);
  s.set_platform_dependent(platformDependent);
  return s;
}

ObservationSpace int64BoxSpace(const std::string& name, size_t dim) {
  ObservationSpace s = space(name, true, false);
  Int64Box* box = s.mutable_space()->mutable_int64_box();
  box->mutable_low()->add_shape(dim);
  box->mutable_high()->add_shape(dim);
  Int64Tensor* value = s.mutable_default_observation()->mutable_int64_tensor();
  value->add_shape(dim);
  for (size_t i = 0; i < dim; ++i) {
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

std::shared_ptr<const DynamicConfig> fromProto(const BenchmarkDynamicConfig& proto) {
  auto command = [](const compiler_gym::Command& in) {
    llvm_env::Command out;
    out.argument.assign(in.argument().begin(), in.argument().end());
    out.env.insert(in.env().begin(), in.env().end());
    out.timeoutSeconds = in.timeout_seconds();
    out.infile.assign(in.infile().begin(), in.infile().end());
    out.outfile.assign(in.outfile().begin(), in.outfile().end());
    return out;
  };
  auto config = std::make_shared<DynamicConfig>();
  config->build = command(proto.build_cmd());
  config->run = command(proto.run_cmd());
  for (const auto& c : proto.pre_run_cmd()) config->preRun.push_back(command(c));
  for (const auto& c : proto.post_run_cmd()) config->postRun.push_back(command(c));
  return config;
}

}  // namespace

std::vector<ActionSpace> actionSpaces() {
  // As CompilerGym sends it: a CommandlineSpace of the flags, packed in an Any.
  ActionSpace space;
  space.set_name(kActionSpaceName);
  CommandlineSpace flags;
  for (const ActionInfo& action : actionTable()) flags.add_name(action.flag);
  space.mutable_space()->mutable_any_value()->PackFrom(flags);
  return {space};
}

std::vector<ObservationSpace> observationSpaces() {
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

  spaces.push_back(int64BoxSpace("InstCount", kInstCountSize));
  spaces.push_back(int64BoxSpace("Autophase", kAutophaseSize));

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

void toEvent(Observation observation, Event* event) {
  using Kind = Observation::Kind;
  event->Clear();
  switch (observation.kind) {
    case Kind::kString:
      event->set_string_value(std::move(observation.text));
      break;
    case Kind::kBytes:
      event->mutable_byte_tensor()->add_shape(observation.text.size());
      event->mutable_byte_tensor()->set_value(std::move(observation.text));
      break;
    case Kind::kInt64:
      event->set_int64_value(observation.int64);
      break;
    case Kind::kBool:
      event->set_boolean_value(observation.boolean);
      break;
    case Kind::kInt64Vector: {
      Int64Tensor* tensor = event->mutable_int64_tensor();
      tensor->add_shape(observation.int64s.size());
      tensor->mutable_value()->Add(observation.int64s.begin(), observation.int64s.end());
      break;
    }
    case Kind::kDoubleVector: {
      DoubleTensor* tensor = event->mutable_double_tensor();
      tensor->add_shape(observation.doubles.size());
      tensor->mutable_value()->Add(observation.doubles.begin(), observation.doubles.end());
      break;
    }
    case Kind::kLexedIr: {
      LexedIr& lexed = *observation.lexedIr;
      auto& dict = *event->mutable_event_dict()->mutable_event();
      Int64Tensor* ids = dict["token_id"].mutable_int64_tensor();
      ids->add_shape(lexed.id.size());
      ids->mutable_value()->Add(lexed.id.begin(), lexed.id.end());
      for (auto [key, values] :
           {std::pair{"token_kind", &lexed.kind}, std::pair{"token_category", &lexed.category},
            std::pair{"token_value", &lexed.value}}) {
        StringTensor* tensor = dict[key].mutable_string_tensor();
        tensor->add_shape(values->size());
        for (std::string& value : *values) tensor->add_value(std::move(value));
      }
      break;
    }
  }
}

LlvmSession::LlvmSession(std::filesystem::path workingDirectory)
    : CompilationSession(workingDirectory), session_(std::move(workingDirectory)) {}

LlvmSession::~LlvmSession() = default;

std::string LlvmSession::getCompilerVersion() const { return compilerVersion(); }

std::vector<ActionSpace> LlvmSession::getActionSpaces() const { return actionSpaces(); }

std::vector<ObservationSpace> LlvmSession::getObservationSpaces() const {
  return observationSpaces();
}

Status LlvmSession::init(const ActionSpace& actionSpace, const Benchmark& benchmark) {
  BenchmarkSpec spec;
  spec.uri = benchmark.uri();
  if (benchmark.program().has_uri()) {
    spec.programUri = benchmark.program().uri();
  } else if (benchmark.program().data_case() != File::DATA_NOT_SET) {
    spec.program = benchmark.program().contents();
  }
  if (benchmark.has_dynamic_config()) spec.dynamicConfig = fromProto(benchmark.dynamic_config());
  return session_.init(actionSpace.name(), spec);
}

Status LlvmSession::init(CompilationSession* other) {
  return session_.initFork(static_cast<LlvmSession*>(other)->session_);
}

Status LlvmSession::applyAction(const Event& action, bool&, std::optional<ActionSpace>&,
                                bool& actionHadNoEffect) {
  if (action.value_case() != Event::kInt64Value) {
    return Status(StatusCode::kInvalidArgument, "Action out of range: not an int64");
  }
  return session_.applyAction(action.int64_value(), &actionHadNoEffect);
}

Status LlvmSession::computeObservation(const ObservationSpace& observationSpace,
                                       Event& observation) {
  Observation value;
  CGYM_RETURN_IF_ERROR(session_.observe(observationSpace.name(), &value));
  toEvent(std::move(value), &observation);
  return Status::OK();
}

Status LlvmSession::handleSessionParameter(const std::string& key, const std::string& value,
                                           std::optional<std::string>& reply) {
  return session_.handleParameter(key, value, &reply);
}

}  // namespace cgym::llvm_env
