// SPDX-License-Identifier: MIT
// CompilerEnvState, its CSV and JSON forms, and ValidationResult, against CompilerGym's
// tests/compiler_env_state_test.py and tests/validation_result_test.py. Expected strings marked
// "(Python)" were produced by CompilerGym 0.2.5 with Python 3.11 and pydantic 1.10.
#include "client/state.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

namespace cgym::client {
namespace {

namespace fs = std::filesystem;

constexpr const char* kFoo = "benchmark://cbench-v0/foo";
constexpr const char* kHeader = "benchmark,reward,walltime,commandline\n";
constexpr const char* kFooRow = "benchmark://cbench-v0/foo,2.0,5.0,-a -b -c\n";

CompilerEnvState makeState(const std::string& benchmark, double walltime,
                           const std::string& commandline,
                           std::optional<double> reward = std::nullopt) {
  CompilerEnvState state;
  Status status = CompilerEnvState::make(benchmark, commandline, walltime, reward, &state);
  EXPECT_TRUE(status.ok()) << status.message();
  return state;
}

// The state most of CompilerGym's tests use.
CompilerEnvState fooState() { return makeState(kFoo, 5, "-a -b -c", 2); }

Status readString(const std::string& text, std::vector<CompilerEnvState>* states) {
  std::istringstream in(text);
  return readStates(in, states);
}

std::string writeStates(const std::vector<CompilerEnvState>& states, bool header = true) {
  std::ostringstream out;
  CompilerEnvStateWriter writer(out, header);
  for (const auto& state : states) writer.writeState(state);
  return out.str();
}

// Field-by-field comparison (operator== ignores walltime and one-sided rewards).
void expectSameFields(const CompilerEnvState& actual, const CompilerEnvState& expected) {
  EXPECT_EQ(actual.benchmark, expected.benchmark);
  EXPECT_EQ(actual.commandline, expected.commandline);
  EXPECT_EQ(actual.walltime, expected.walltime);
  ASSERT_EQ(actual.reward.has_value(), expected.reward.has_value());
  if (expected.reward) {
    EXPECT_EQ(*actual.reward, *expected.reward);
  }
}

// A fresh directory, removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "cgym-state-test-XXXXXX").string();
    char* made = ::mkdtemp(pattern.data());
    EXPECT_NE(made, nullptr);
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code error;
    fs::remove_all(path_, error);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

void writeFile(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

// --- 49. Construction and validation ----------------------------------------------------------

TEST(StateMake, NoFieldsFailsValidation) {
  CompilerEnvState state;
  Status status = CompilerEnvState::make("", "", 0, std::nullopt, &state);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("enchmark"), std::string::npos) << status.message();
  EXPECT_FALSE(CompilerEnvState().validate().ok());
}

TEST(StateMake, NegativeWalltime) {
  CompilerEnvState state;
  Status status = CompilerEnvState::make(kFoo, "", -1, 1.5, &state);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "Walltime cannot be negative");
  EXPECT_TRUE(state.benchmark.empty()) << "out must be untouched on error";
}

TEST(StateMake, NanWalltimeIsRejectedLikePython) {
  CompilerEnvState state;
  Status status = CompilerEnvState::make(kFoo, "", std::nan(""), std::nullopt, &state);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "Walltime cannot be negative");
}

TEST(StateMake, ValidStates) {
  CompilerEnvState state;
  ASSERT_TRUE(CompilerEnvState::make(kFoo, "", 0, std::nullopt, &state).ok());
  EXPECT_EQ(state.benchmark, kFoo);
  EXPECT_EQ(state.commandline, "");
  EXPECT_EQ(state.walltime, 0);
  EXPECT_FALSE(state.reward.has_value());
  ASSERT_TRUE(CompilerEnvState::make(kFoo, "-a -b -c", 100, -1.5, &state).ok());
  EXPECT_EQ(state.commandline, "-a -b -c");
  EXPECT_EQ(state.walltime, 100);
  EXPECT_EQ(state.reward, -1.5);
  EXPECT_TRUE(state.validate().ok());
}

// --- 50. JSON ---------------------------------------------------------------------------------

TEST(StateJson, ExactTextAndKeyOrder) {
  // (Python) CompilerEnvState(benchmark=..., walltime=100, reward=1.5, commandline=...).json()
  EXPECT_EQ(makeState(kFoo, 100, "-a -b -c", 1.5).toJson(),
            R"({"benchmark": "benchmark://cbench-v0/foo", "commandline": "-a -b -c", )"
            R"("walltime": 100.0, "reward": 1.5})");
  EXPECT_EQ(makeState(kFoo, 100, "-a -b -c").toJson(),
            R"({"benchmark": "benchmark://cbench-v0/foo", "commandline": "-a -b -c", )"
            R"("walltime": 100.0, "reward": null})");
}

TEST(StateJson, EscapesAndFloatsAsPython) {
  // (Python) non-ASCII escaped, DEL escaped, floats as repr.
  EXPECT_EQ(makeState("b\xC3\xA9\x7F", 1e16, "").toJson(),
            R"({"benchmark": "b\u00e9\u007f", "commandline": "", "walltime": 1e+16, )"
            R"("reward": null})");
  // (Python) astral characters as surrogate pairs, control characters, NaN reward.
  EXPECT_EQ(makeState("benchmark://x/\xF0\x9F\x98\x80\n\"", 0, "\\\t", std::nan("")).toJson(),
            R"({"benchmark": "benchmark://x/\ud83d\ude00\n\"", "commandline": "\\\t", )"
            R"("walltime": 0.0, "reward": NaN})");
}

TEST(StateJson, RoundTrip) {
  const CompilerEnvState original = makeState(kFoo, 100, "-a -b -c", 1.5);
  CompilerEnvState state;
  Status status = CompilerEnvState::fromJson(original.toJson(), &state);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(state.benchmark, kFoo);
  EXPECT_EQ(state.walltime, 100);
  EXPECT_EQ(state.reward, 1.5);
  EXPECT_EQ(state.commandline, "-a -b -c");
}

TEST(StateJson, RoundTripNoReward) {
  const CompilerEnvState original = makeState(kFoo, 100, "-a -b -c");
  CompilerEnvState state;
  Status status = CompilerEnvState::fromJson(original.toJson(), &state);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(state.benchmark, kFoo);
  EXPECT_EQ(state.walltime, 100);
  EXPECT_FALSE(state.reward.has_value());
  EXPECT_EQ(state.commandline, "-a -b -c");
}

TEST(StateJson, RoundTripUnicodeAndOddFloats) {
  for (double walltime : {0.0, 0.1, 1e-5, 1e16, 123456.789, 5e-324}) {
    const CompilerEnvState original =
        makeState("benchmark://x/\xF0\x9F\x98\x80\xC3\xA9", walltime, "a\"b\\c\nd", -0.1);
    CompilerEnvState state;
    Status status = CompilerEnvState::fromJson(original.toJson(), &state);
    ASSERT_TRUE(status.ok()) << status.message();
    expectSameFields(state, original);
  }
}

TEST(StateJson, AcceptsIntegersNullAndExtraKeys) {
  CompilerEnvState state;
  Status status = CompilerEnvState::fromJson(
      R"({"reward": 3, "walltime": 7, "commandline": "", "benchmark": "b", "extra": [1]})", &state);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(state.benchmark, "b");
  EXPECT_EQ(state.walltime, 7);
  EXPECT_EQ(state.reward, 3);
  status = CompilerEnvState::fromJson(
      R"({"benchmark": "b", "commandline": "x", "walltime": 0.5, "reward": null})", &state);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_FALSE(state.reward.has_value());
  status = CompilerEnvState::fromJson(R"({"benchmark": "b", "commandline": "x", "walltime": 0})",
                                      &state);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_FALSE(state.reward.has_value());
}

TEST(StateJson, NonFiniteNumbersAsPython) {
  CompilerEnvState state;
  Status status = CompilerEnvState::fromJson(
      R"({"benchmark": "NaN", "commandline": "Infinity", "walltime": Infinity, "reward": NaN})",
      &state);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(state.benchmark, "NaN");
  EXPECT_EQ(state.commandline, "Infinity");
  EXPECT_TRUE(std::isinf(state.walltime));
  ASSERT_TRUE(state.reward.has_value());
  EXPECT_TRUE(std::isnan(*state.reward));
  status = CompilerEnvState::fromJson(
      R"({"benchmark": "b", "commandline": "", "walltime": 0, "reward": -Infinity})", &state);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_EQ(state.reward, -std::numeric_limits<double>::infinity());
  // The writer's output reads back.
  const CompilerEnvState original =
      makeState("b", std::numeric_limits<double>::infinity(), "", std::nan(""));
  status = CompilerEnvState::fromJson(original.toJson(), &state);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_TRUE(std::isnan(*state.reward));
  // NaN as a walltime is a negative walltime to make().
  status = CompilerEnvState::fromJson(R"({"benchmark": "b", "commandline": "", "walltime": NaN})",
                                      &state);
  EXPECT_NE(status.message().find("Walltime cannot be negative"), std::string::npos);
}

TEST(StateJson, InvalidInputs) {
  struct Case {
    const char* json;
    const char* expected_in_message;
  };
  const Case cases[] = {
      {"", "Invalid CompilerEnvState JSON"},
      {"{", "Invalid CompilerEnvState JSON"},
      {"not json", "Invalid CompilerEnvState JSON"},
      {R"({"benchmark": "b", "commandline": "", "walltime": 1} trailing)",
       "Invalid CompilerEnvState JSON"},
      {"[]", "must be an object, not array"},
      {"null", "must be an object, not null"},
      {"\"benchmark\"", "must be an object, not string"},
      {"{}", "missing required field 'benchmark'"},
      {R"({"commandline": "", "walltime": 1})", "missing required field 'benchmark'"},
      {R"({"benchmark": "b", "walltime": 1})", "missing required field 'commandline'"},
      {R"({"benchmark": "b", "commandline": ""})", "missing required field 'walltime'"},
      {R"({"benchmark": 5, "commandline": "", "walltime": 1})",
       "Field 'benchmark' of CompilerEnvState JSON must be a string, not number"},
      {R"({"benchmark": "b", "commandline": null, "walltime": 1})",
       "Field 'commandline' of CompilerEnvState JSON must be a string, not null"},
      {R"({"benchmark": "b", "commandline": "", "walltime": "1"})",
       "Field 'walltime' of CompilerEnvState JSON must be a number, not string"},
      {R"({"benchmark": "b", "commandline": "", "walltime": true})",
       "Field 'walltime' of CompilerEnvState JSON must be a number, not boolean"},
      {R"({"benchmark": "b", "commandline": "", "walltime": 1, "reward": "2"})",
       "Field 'reward' of CompilerEnvState JSON must be a number or null, not string"},
      {R"({"benchmark": "b", "commandline": "", "walltime": 1, "reward": [2]})",
       "Field 'reward' of CompilerEnvState JSON must be a number or null, not array"},
      {R"({"benchmark": "b", "commandline": "", "walltime": -1})", "Walltime cannot be negative"},
      {R"({"benchmark": "", "commandline": "", "walltime": 1})", "Benchmark cannot be empty"},
      {"{\"benchmark\": \"\xFF\", \"commandline\": \"\", \"walltime\": 1}",
       "Invalid CompilerEnvState JSON"},
      {R"({"benchmark": "b", "commandline": "", "walltime": -NaN})", "parse error"},
      {R"({"benchmark": "b", "commandline": "", "walltime": NaNa})", "parse error"},
      {R"({"benchmark": "b", "commandline": "", "walltime": infinity})", "parse error"},
  };
  for (const Case& c : cases) {
    CompilerEnvState state;
    state.benchmark = "untouched";
    Status status = CompilerEnvState::fromJson(c.json, &state);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << c.json;
    EXPECT_NE(status.message().find(c.expected_in_message), std::string::npos)
        << c.json << " -> " << status.message();
    EXPECT_EQ(state.benchmark, "untouched") << c.json;
  }
}

// --- 51. Equality -----------------------------------------------------------------------------

TEST(StateEquality, Same) {
  const CompilerEnvState a = makeState(kFoo, 10, "-a -b -c");
  const CompilerEnvState b = makeState(kFoo, 10, "-a -b -c");
  EXPECT_TRUE(a == b);
  EXPECT_FALSE(a != b);
}

TEST(StateEquality, DifferentWalltimeIsIgnored) {
  const CompilerEnvState a = makeState(kFoo, 10, "-a -b -c");
  const CompilerEnvState b = makeState(kFoo, 5, "-a -b -c");
  EXPECT_TRUE(a == b);
  EXPECT_FALSE(a != b);
}

TEST(StateEquality, OneSidedRewardIsIgnored) {
  const CompilerEnvState a = makeState(kFoo, 5, "-a -b -c", 2);
  const CompilerEnvState b = makeState(kFoo, 5, "-a -b -c");
  EXPECT_TRUE(a == b);
  EXPECT_TRUE(b == a);
  EXPECT_FALSE(a != b);
  EXPECT_FALSE(b != a);
}

TEST(StateEquality, EqualReward) {
  const CompilerEnvState a = makeState(kFoo, 5, "-a -b -c", 2);
  const CompilerEnvState b = makeState(kFoo, 5, "-a -b -c", 2);
  EXPECT_TRUE(a == b);
  EXPECT_TRUE(b == a);
  EXPECT_FALSE(a != b);
  EXPECT_FALSE(b != a);
  // Within the tolerance of 1e-5.
  const CompilerEnvState c = makeState(kFoo, 5, "-a -b -c", 2 + 5e-6);
  EXPECT_TRUE(a == c);
  EXPECT_TRUE(c == a);
}

TEST(StateEquality, UnequalReward) {
  const CompilerEnvState a = makeState(kFoo, 5, "-a -b -c", 2);
  const CompilerEnvState b = makeState(kFoo, 5, "-a -b -c", 3);
  EXPECT_FALSE(a == b);
  EXPECT_FALSE(b == a);
  EXPECT_TRUE(a != b);
  EXPECT_TRUE(b != a);
  const CompilerEnvState c = makeState(kFoo, 5, "-a -b -c", 2 + 2e-5);
  EXPECT_TRUE(a != c);
}

TEST(StateEquality, BenchmarkAndCommandlineMatter) {
  const CompilerEnvState a = makeState(kFoo, 5, "-a -b -c", 2);
  EXPECT_NE(a, makeState("benchmark://cbench-v0/bar", 5, "-a -b -c", 2));
  EXPECT_NE(a, makeState(kFoo, 5, "-a -b", 2));
}

// Python's "not equal to non-state values" has no C++ counterpart: comparing a state with an
// unrelated type does not compile.

// --- Python float repr ------------------------------------------------------------------------

TEST(PythonFloatRepr, MatchesPython) {
  struct Case {
    double value;
    const char* repr;
  };
  const Case cases[] = {
      {2.0, "2.0"},
      {5.0, "5.0"},
      {0.1, "0.1"},
      {1e-05, "1e-05"},
      {1e+16, "1e+16"},
      {1e15, "1000000000000000.0"},
      {123456789012345678.0, "1.2345678901234568e+17"},
      {0.0001, "0.0001"},
      {0.00012, "0.00012"},
      {1.5e-07, "1.5e-07"},
      {0.0, "0.0"},
      {-0.0, "-0.0"},
      {-2.5, "-2.5"},
      {100.0, "100.0"},
      {12345.678, "12345.678"},
      {1.0 / 3, "0.3333333333333333"},
      {5e-324, "5e-324"},
      {1.7976931348623157e308, "1.7976931348623157e+308"},
      {1e100, "1e+100"},
      {9999999999999998.0, "9999999999999998.0"},
      {std::numeric_limits<double>::infinity(), "inf"},
      {-std::numeric_limits<double>::infinity(), "-inf"},
      {std::nan(""), "nan"},
  };
  for (const Case& c : cases) EXPECT_EQ(pythonFloatRepr(c.value), c.repr) << c.repr;
}

// --- 52. Writer -------------------------------------------------------------------------------

TEST(StateCsvWriter, ExactOutput) {
  std::ostringstream out;
  CompilerEnvStateWriter writer(out);
  writer.writeState(fooState(), /*flush=*/true);
  EXPECT_EQ(out.str(),
            "benchmark,reward,walltime,commandline\n"
            "benchmark://cbench-v0/foo,2.0,5.0,-a -b -c\n");
}

TEST(StateCsvWriter, NoHeader) {
  std::ostringstream out;
  CompilerEnvStateWriter writer(out, /*header=*/false);
  writer.writeState(fooState(), /*flush=*/true);
  EXPECT_EQ(out.str(), "benchmark://cbench-v0/foo,2.0,5.0,-a -b -c\n");
}

TEST(StateCsvWriter, HeaderWrittenOnceBeforeFirstRow) {
  std::ostringstream out;
  CompilerEnvStateWriter writer(out);
  EXPECT_EQ(out.str(), "") << "nothing is written before the first state";
  writer.writeState(fooState());
  writer.writeState(makeState(kFoo, 1, "x"));
  EXPECT_EQ(out.str(), std::string(kHeader) + kFooRow + "benchmark://cbench-v0/foo,,1.0,x\n");
}

TEST(StateCsvWriter, FileIsCompleteAfterFlushAndClose) {
  // Python's `with CompilerEnvStateWriter(f)` closes f; in C++ the stream's owner closes it.
  TempDir dir;
  const fs::path path = dir.path() / "results.csv";
  ASSERT_FALSE(fs::exists(path));
  {
    std::ofstream file(path);
    CompilerEnvStateWriter writer(file);
    writer.writeState(fooState(), /*flush=*/true);
    std::ifstream check(path);
    std::string flushed((std::istreambuf_iterator<char>(check)), std::istreambuf_iterator<char>());
    EXPECT_EQ(flushed, std::string(kHeader) + kFooRow) << "flush=true reaches the file";
  }
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, std::string(kHeader) + kFooRow);
}

TEST(StateCsvWriter, QuotingAndFloatsMatchPython) {
  // (Python) CompilerEnvStateWriter output for these states.
  const std::string tricky = "a,\"b\"\nc";
  std::vector<CompilerEnvState> states;
  for (double reward :
       {2.0, 0.1, 1e-5, 1e16, 1e15, 123456789012345678.0, std::numeric_limits<double>::infinity(),
        -0.0, 0.0001, 1.5e-7, 5e-324, 1.7976931348623157e308, 12345.678}) {
    states.push_back(makeState("b", 0, tricky, reward));
  }
  states.push_back(makeState("b", 0, ""));
  states.push_back(makeState(" x", 0, " "));
  states.push_back(makeState("it's", 0.5, "a\tb 'c'"));
  const std::string expected =
      "benchmark,reward,walltime,commandline\n"
      "b,2.0,0.0,\"a,\"\"b\"\"\nc\"\n"
      "b,0.1,0.0,\"a,\"\"b\"\"\nc\"\n"
      "b,1e-05,0.0,\"a,\"\"b\"\"\nc\"\n"
      "b,1e+16,0.0,\"a,\"\"b\"\"\nc\"\n"
      "b,1000000000000000.0,0.0,\"a,\"\"b\"\"\nc\"\n"
      "b,1.2345678901234568e+17,0.0,\"a,\"\"b\"\"\nc\"\n"
      "b,inf,0.0,\"a,\"\"b\"\"\nc\"\n"
      "b,-0.0,0.0,\"a,\"\"b\"\"\nc\"\n"
      "b,0.0001,0.0,\"a,\"\"b\"\"\nc\"\n"
      "b,1.5e-07,0.0,\"a,\"\"b\"\"\nc\"\n"
      "b,5e-324,0.0,\"a,\"\"b\"\"\nc\"\n"
      "b,1.7976931348623157e+308,0.0,\"a,\"\"b\"\"\nc\"\n"
      "b,12345.678,0.0,\"a,\"\"b\"\"\nc\"\n"
      "b,,0.0,\n"
      " x,,0.0, \n"
      "it's,,0.5,a\tb 'c'\n";
  EXPECT_EQ(writeStates(states), expected);
}

TEST(StateCsvWriter, QuotesCarriageReturns) {
  // Python 3.11 leaves "a\rb" unquoted, which its own reader then splits; we quote it.
  EXPECT_EQ(writeStates({makeState("b", 1, "a\rb")}, false), "b,,1.0,\"a\rb\"\n");
}

// --- 53. Reader -------------------------------------------------------------------------------

TEST(StateCsvReader, WithHeader) {
  std::vector<CompilerEnvState> states;
  Status status = readString(std::string(kHeader) + kFooRow, &states);
  ASSERT_TRUE(status.ok()) << status.message();
  ASSERT_EQ(states.size(), 1u);
  expectSameFields(states[0], fooState());
}

TEST(StateCsvReader, NoHeader) {
  std::vector<CompilerEnvState> states;
  Status status = readString(kFooRow, &states);
  ASSERT_TRUE(status.ok()) << status.message();
  ASSERT_EQ(states.size(), 1u);
  expectSameFields(states[0], fooState());
}

TEST(StateCsvReader, HeaderOutOfOrderColumns) {
  std::vector<CompilerEnvState> states;
  Status status = readString(
      "commandline,reward,benchmark,walltime\n"
      "-a -b -c,2.0,benchmark://cbench-v0/foo,5.0\n",
      &states);
  ASSERT_TRUE(status.ok()) << status.message();
  ASSERT_EQ(states.size(), 1u);
  expectSameFields(states[0], fooState());
}

TEST(StateCsvReader, HeaderIsCaseInsensitive) {
  std::vector<CompilerEnvState> states;
  Status status = readString(
      "WallTime,BENCHMARK,commandLine,Reward\n"
      "5,benchmark://cbench-v0/foo,-a -b -c,2\n",
      &states);
  ASSERT_TRUE(status.ok()) << status.message();
  ASSERT_EQ(states.size(), 1u);
  expectSameFields(states[0], fooState());
}

TEST(StateCsvReader, EmptyInput) {
  std::vector<CompilerEnvState> states;
  ASSERT_TRUE(readString("", &states).ok());
  EXPECT_TRUE(states.empty());
}

TEST(StateCsvReader, HeaderOnly) {
  std::vector<CompilerEnvState> states;
  ASSERT_TRUE(readString(kHeader, &states).ok());
  EXPECT_TRUE(states.empty());
  ASSERT_TRUE(readString("benchmark,reward,walltime,commandline", &states).ok());
  EXPECT_TRUE(states.empty());
}

TEST(StateCsvReader, InvalidFormat) {
  std::vector<CompilerEnvState> states;
  Status status = readString("abcdef\n", &states);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "Expected 4 columns in the first row of CSV: ['abcdef']");
  EXPECT_TRUE(states.empty());
}

TEST(StateCsvReader, InvalidFormatMessagesMatchPython) {
  std::vector<CompilerEnvState> states;
  // (Python) the row's repr is truncated to 60 characters.
  Status status = readString(std::string(100, 'a') + "\n", &states);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "Expected 4 columns in the first row of CSV: ['" + std::string(55, 'a') + "...");
  // (Python) repr picks double quotes for a string holding only single quotes.
  status = readString("a'b,c\"d,\\\n", &states);
  EXPECT_EQ(status.message(),
            "Expected 4 columns in the first row of CSV: [\"a'b\", 'c\"d', '\\\\']");
  // The validate tool's "invalid\ncsv\nformat" input.
  status = readString("invalid\ncsv\nformat", &states);
  EXPECT_EQ(status.message(), "Expected 4 columns in the first row of CSV: ['invalid']");
  status = readString("a,b,c,d,e\n", &states);
  EXPECT_EQ(status.message(),
            "Expected 4 columns in the first row of CSV: ['a', 'b', 'c', 'd', 'e']");
}

TEST(StateCsvReader, EmptyRewardAndWalltime) {
  std::vector<CompilerEnvState> states;
  Status status = readString(std::string(kHeader) + "benchmark://cbench-v1/crc32,,,opt a b\n" +
                                 "benchmark://cbench-v1/crc32,,0,opt  input.bc -o output.bc\n",
                             &states);
  ASSERT_TRUE(status.ok()) << status.message();
  ASSERT_EQ(states.size(), 2u);
  EXPECT_FALSE(states[0].reward.has_value());
  EXPECT_EQ(states[0].walltime, 0);
  EXPECT_EQ(states[0].commandline, "opt a b");
  EXPECT_EQ(states[1].commandline, "opt  input.bc -o output.bc");
}

TEST(StateCsvReader, ManyRows) {
  std::vector<CompilerEnvState> states;
  std::string text = kHeader;
  for (int i = 0; i < 100; ++i) {
    text += "benchmark://cbench-v1/b" + std::to_string(i) + "," + std::to_string(i) + ",1,-x\n";
  }
  ASSERT_TRUE(readString(text, &states).ok());
  ASSERT_EQ(states.size(), 100u);
  EXPECT_EQ(states[42].benchmark, "benchmark://cbench-v1/b42");
  EXPECT_EQ(states[42].reward, 42);
}

TEST(StateCsvReader, QuotedFieldsAsPython) {
  // (Python) csv.reader results for the same rows.
  std::vector<CompilerEnvState> states;
  Status status = readString(
      "\"b,1\",,,\"x\"\"y\"\n"          // quoted comma, doubled quote
      "c,1_0, 2 ,\n"                    // Python float() syntax, empty commandline
      "\"d\",\"3\",\"4\",\"a\nb,c\"\n"  // everything quoted, newline inside quotes
      "\"e\"f,,,g\"h\n"                 // text after a closing quote; quote inside a field
      "\"\",,,\n",                      // "" is an empty benchmark -> error below
      &states);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "Invalid state in line 6 of CSV: Benchmark cannot be empty");
  ASSERT_EQ(states.size(), 4u) << "the rows before the bad one are kept";
  EXPECT_EQ(states[0].benchmark, "b,1");
  EXPECT_EQ(states[0].commandline, "x\"y");
  EXPECT_FALSE(states[0].reward.has_value());
  EXPECT_EQ(states[0].walltime, 0);
  EXPECT_EQ(states[1].benchmark, "c");
  EXPECT_EQ(states[1].reward, 10);
  EXPECT_EQ(states[1].walltime, 2);
  EXPECT_EQ(states[1].commandline, "");
  EXPECT_EQ(states[2].benchmark, "d");
  EXPECT_EQ(states[2].reward, 3);
  EXPECT_EQ(states[2].walltime, 4);
  EXPECT_EQ(states[2].commandline, "a\nb,c");
  EXPECT_EQ(states[3].benchmark, "ef");
  EXPECT_EQ(states[3].commandline, "g\"h");
}

TEST(StateCsvReader, LineEndingsBlankLinesAndBom) {
  std::vector<CompilerEnvState> states;
  Status status = readString(
      "\xEF\xBB\xBF"
      "benchmark,reward,walltime,commandline\r\n"
      "\r\n"
      "a,1,2,\"x\r\ny\"\r\n"
      "\n"
      "b,,3,z\r"
      "c,,4,w",
      &states);
  ASSERT_TRUE(status.ok()) << status.message();
  ASSERT_EQ(states.size(), 3u);
  EXPECT_EQ(states[0].benchmark, "a");
  EXPECT_EQ(states[0].commandline, "x\r\ny");  // kept inside quotes, as csv with newline=''
  EXPECT_EQ(states[1].benchmark, "b");
  EXPECT_EQ(states[1].commandline, "z");
  EXPECT_EQ(states[2].benchmark, "c");
  EXPECT_EQ(states[2].walltime, 4);
  EXPECT_EQ(states[2].commandline, "w");
}

TEST(StateCsvReader, PythonFloatSyntax) {
  struct Case {
    const char* text;
    double value;
  };
  const Case good[] = {
      {"2", 2},
      {" 2.5 ", 2.5},
      {"+1.5", 1.5},
      {"-1.5", -1.5},
      {".5", 0.5},
      {"5.", 5},
      {"1e-05", 1e-5},
      {"1E3", 1000},
      {"1_000.5", 1000.5},
      {"1_0.5e1_0", 1.05e11},
      {"1e999", HUGE_VAL},
      {"-1e999", -HUGE_VAL},
      {"1e-999", 0},
      {"inf", HUGE_VAL},
      {"-Infinity", -HUGE_VAL},
      {"5e-324", 5e-324},
      {"0.000000000000000000000000000000000000000000000000000000000000000000000000000000000001e-"
       "300",
       0},
      {"1000000000000000000000000000000000000000000000000000000000000000000000000000000000000e300",
       HUGE_VAL},
  };
  for (const Case& c : good) {
    std::vector<CompilerEnvState> states;
    Status status = readString(std::string("b,") + c.text + ",1,x\n", &states);
    ASSERT_TRUE(status.ok()) << c.text << ": " << status.message();
    ASSERT_EQ(states.size(), 1u);
    EXPECT_EQ(states[0].reward, c.value) << c.text;
  }
  std::vector<CompilerEnvState> states;
  ASSERT_TRUE(readString("b,NaN,1,x\n", &states).ok());
  EXPECT_TRUE(std::isnan(*states[0].reward));

  for (const char* bad : {"abc", "1__0", "_1", "1_", "1._5", "1_.5", "1e", "e5", "nan(1)", "0x10",
                          "1,5", "--1", "1e+", ".", "1 2", "infinit"}) {
    states.clear();
    Status status = readString(std::string("b,\"") + bad + "\",1,x\n", &states);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(status.message(), std::string("Invalid reward in line 1 of CSV: could not convert "
                                            "string to float: '") +
                                    bad + "'")
        << bad;
  }
}

TEST(StateCsvReader, BadRowsNameTheLine) {
  std::vector<CompilerEnvState> states;
  Status status = readString(std::string(kHeader) + kFooRow + "b,1,x,y\n", &states);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "Invalid walltime in line 3 of CSV: could not convert string to float: 'x'");
  EXPECT_EQ(states.size(), 1u);

  states.clear();
  status = readString(std::string(kHeader) + "b,1,-2,y\n", &states);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "Invalid state in line 2 of CSV: Walltime cannot be negative");

  states.clear();
  status = readString(std::string(kFooRow) + "\"multi\nline\",1,2,3\nb,1,2\n", &states);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "Expected 4 columns in line 4 of CSV: ['b', '1', '2']");
  EXPECT_EQ(states.size(), 2u);
}

TEST(StateCsvReader, UnterminatedQuoteIsAnError) {
  std::vector<CompilerEnvState> states;
  Status status = readString(std::string(kHeader) + kFooRow + "b,1,2,\"-a\nc,1,2,-b\n", &states);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "Unterminated quoted field in CSV starting at line 3");
  EXPECT_TRUE(states.empty()) << "nothing is read from a malformed file";
}

// --- 54. Round trips --------------------------------------------------------------------------

TEST(StateCsvRoundTrip, WithReward) {
  const CompilerEnvState original = makeState(kFoo, 100, "-a -b -c", 1.5);
  std::vector<CompilerEnvState> states;
  ASSERT_TRUE(readString(writeStates({original}), &states).ok());
  ASSERT_EQ(states.size(), 1u);
  EXPECT_EQ(states[0].benchmark, kFoo);
  EXPECT_EQ(states[0].walltime, 100);
  EXPECT_EQ(states[0].reward, 1.5);
  EXPECT_EQ(states[0].commandline, "-a -b -c");
}

TEST(StateCsvRoundTrip, NoReward) {
  const CompilerEnvState original = makeState(kFoo, 100, "-a -b -c");
  std::vector<CompilerEnvState> states;
  ASSERT_TRUE(readString(writeStates({original}), &states).ok());
  ASSERT_EQ(states.size(), 1u);
  EXPECT_EQ(states[0].benchmark, kFoo);
  EXPECT_EQ(states[0].walltime, 100);
  EXPECT_FALSE(states[0].reward.has_value());
  EXPECT_EQ(states[0].commandline, "-a -b -c");
}

TEST(StateCsvRoundTrip, QuotingAndExactFloats) {
  std::vector<CompilerEnvState> originals = {
      makeState("benchmark://x/a,b", 0.1, "-a=\"1,2\" -b 'c'", 1.0 / 3),
      makeState("\"quoted\"", 1e-5, "\"", -0.0),
      makeState("b", 1e16, "line1\nline2\r\nline3\rline4", 5e-324),
      makeState("b", 123456789.123456789, ",,,", 1.7976931348623157e308),
      makeState("b", 0, "", std::numeric_limits<double>::infinity()),
      makeState("b\xC3\xA9", 2.5, "  spaces  "),
  };
  for (bool header : {true, false}) {
    std::vector<CompilerEnvState> states;
    Status status = readString(writeStates(originals, header), &states);
    ASSERT_TRUE(status.ok()) << status.message();
    ASSERT_EQ(states.size(), originals.size());
    for (size_t i = 0; i < originals.size(); ++i) expectSameFields(states[i], originals[i]);
  }
}

TEST(StateCsvRoundTrip, LeadingByteOrderMarkCharacter) {
  // Without a header the CSV starts with the first benchmark: U+FEFF there is quoted, so that
  // the reader does not take it for a byte order mark.
  const std::vector<CompilerEnvState> originals = {makeState("\xEF\xBB\xBFv0:x", 1, "")};
  const std::string csv = writeStates(originals, /*header=*/false);
  EXPECT_EQ(csv, "\"\xEF\xBB\xBFv0:x\",,1.0,\n");
  std::vector<CompilerEnvState> states;
  Status status = readString(csv, &states);
  ASSERT_TRUE(status.ok()) << status.message();
  ASSERT_EQ(states.size(), 1u);
  expectSameFields(states[0], originals[0]);
}

// --- 55. readStatePaths -----------------------------------------------------------------------

TEST(StateReadPaths, StdinStream) {
  std::istringstream in(std::string(kHeader) + kFooRow);
  std::vector<CompilerEnvState> states;
  Status status = readStatePaths({"-"}, &states, in);
  ASSERT_TRUE(status.ok()) << status.message();
  ASSERT_EQ(states.size(), 1u);
  expectSameFields(states[0], fooState());
}

TEST(StateReadPaths, StdinIsStdCin) {
  std::istringstream in(std::string(kHeader) + kFooRow);
  std::streambuf* saved = std::cin.rdbuf(in.rdbuf());
  std::vector<CompilerEnvState> states;
  Status status = readStatePaths({"-"}, &states);
  std::cin.rdbuf(saved);
  std::cin.clear();
  ASSERT_TRUE(status.ok()) << status.message();
  ASSERT_EQ(states.size(), 1u);
  expectSameFields(states[0], fooState());
}

TEST(StateReadPaths, StdinErrorsNameStdin) {
  std::istringstream in("abcdef\n");
  std::vector<CompilerEnvState> states;
  Status status = readStatePaths({"-"}, &states, in);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "<stdin>: Expected 4 columns in the first row of CSV: ['abcdef']");
}

TEST(StateReadPaths, File) {
  TempDir dir;
  const fs::path path = dir.path() / "test.csv";
  writeFile(path, std::string(kHeader) + kFooRow);
  std::vector<CompilerEnvState> states;
  Status status = readStatePaths({path.string()}, &states);
  ASSERT_TRUE(status.ok()) << status.message();
  ASSERT_EQ(states.size(), 1u);
  expectSameFields(states[0], fooState());
}

TEST(StateReadPaths, SeveralInputsInOrder) {
  TempDir dir;
  writeFile(dir.path() / "a.csv", std::string(kHeader) + "a,1,1,x\n");
  writeFile(dir.path() / "b.csv", "b,2,2,y\nc,3,3,z\n");
  writeFile(dir.path() / "empty.csv", "");
  std::istringstream in("commandline,benchmark,walltime,reward\nw,s,4,4\n");
  std::vector<CompilerEnvState> states;
  Status status =
      readStatePaths({(dir.path() / "a.csv").string(), "-", (dir.path() / "empty.csv").string(),
                      (dir.path() / "b.csv").string()},
                     &states, in);
  ASSERT_TRUE(status.ok()) << status.message();
  ASSERT_EQ(states.size(), 4u);
  EXPECT_EQ(states[0].benchmark, "a");
  EXPECT_EQ(states[1].benchmark, "s");
  EXPECT_EQ(states[1].commandline, "w");
  EXPECT_EQ(states[2].benchmark, "b");
  EXPECT_EQ(states[3].benchmark, "c");
}

TEST(StateReadPaths, FileParseErrorsNameThePath) {
  TempDir dir;
  const fs::path path = dir.path() / "bad.csv";
  writeFile(path, "abcdef\n");
  std::vector<CompilerEnvState> states;
  Status status = readStatePaths({path.string()}, &states);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            path.string() + ": Expected 4 columns in the first row of CSV: ['abcdef']");
}

TEST(StateReadPaths, UrlsAreNotFetched) {
  for (const char* url :
       {"https://compilergym.ai/benchmarktest.csv", "http://example.com/dir/States_1.csv"}) {
    std::vector<CompilerEnvState> states;
    Status status = readStatePaths({url}, &states);
    EXPECT_EQ(status.code(), StatusCode::kUnimplemented) << url;
    EXPECT_NE(status.message().find(url), std::string::npos) << status.message();
    EXPECT_NE(status.message().find(
                  "fetching states from URLs is not supported; download the file first"),
              std::string::npos)
        << status.message();
    EXPECT_TRUE(states.empty());
  }
}

TEST(StateReadPaths, BadInputsAreNotFound) {
  // CompilerGym's test_read_paths_bad_inputs: files that do not exist, and "URLs" it does not
  // treat as URLs (no ".csv", or not http(s)), which are then opened as files.
  for (const char* path :
       {"/fake/directory/file.csv", "fake/directory/file.csv",
        "https://www.compilergym.ai/benchmark", "htts://www.compilergym.ai/benchmark.csv",
        "htts://www.compilergym.ai/benchmark", "https://www.compilergym.ai/a b.csv"}) {
    std::vector<CompilerEnvState> states;
    Status status = readStatePaths({path}, &states);
    EXPECT_EQ(status.code(), StatusCode::kNotFound) << path;
    EXPECT_NE(status.message().find(path), std::string::npos) << status.message();
  }
}

TEST(StateReadPaths, StopsAtTheFirstBadPath) {
  TempDir dir;
  writeFile(dir.path() / "a.csv", "a,1,1,x\n");
  std::vector<CompilerEnvState> states;
  Status status =
      readStatePaths({(dir.path() / "a.csv").string(), (dir.path() / "missing.csv").string(),
                      (dir.path() / "a.csv").string()},
                     &states);
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
  EXPECT_EQ(status.message(),
            "No such file or directory: '" + (dir.path() / "missing.csv").string() + "'");
  EXPECT_EQ(states.size(), 1u);
}

TEST(StateReadPaths, Directory) {
  TempDir dir;
  std::vector<CompilerEnvState> states;
  Status status = readStatePaths({dir.path().string()}, &states);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("Is a directory"), std::string::npos) << status.message();
}

// --- ValidationResult -------------------------------------------------------------------------

ValidationResult makeResult() {
  ValidationResult result;
  result.state = makeState("benchmark://cbench-v1/crc32", 0.5, "-mem2reg");
  result.walltime = 1e-5;
  return result;
}

TEST(StateValidationResult, Okay) {
  ValidationResult result = makeResult();
  EXPECT_TRUE(result.okay());
  result.reward_validated = true;
  result.benchmark_semantics_validated = true;
  result.errors.push_back({"warning", ""});
  EXPECT_TRUE(result.okay()) << "errors alone do not fail";
  for (bool ValidationResult::*flag :
       {&ValidationResult::actions_replay_failed, &ValidationResult::reward_validation_failed,
        &ValidationResult::benchmark_semantics_validation_failed}) {
    ValidationResult failed = makeResult();
    failed.*flag = true;
    EXPECT_FALSE(failed.okay());
  }
}

TEST(StateValidationResult, JsonMatchesPython) {
  ValidationResult result = makeResult();
  result.actions_replay_failed = true;
  result.errors = {{"b", ""}, {"a", R"({"z": [1, 2.5, null, "é"], "a": true})"}, {"a", "{}"}};
  // (Python) ValidationResult(...).json()
  EXPECT_EQ(result.toJson(),
            R"({"state": {"benchmark": "benchmark://cbench-v1/crc32", "commandline": "-mem2reg", )"
            R"("walltime": 0.5, "reward": null}, "walltime": 1e-05, "reward_validated": false, )"
            R"("actions_replay_failed": true, "reward_validation_failed": false, )"
            R"("benchmark_semantics_validated": false, )"
            R"("benchmark_semantics_validation_failed": false, "errors": [{"type": "b", )"
            R"("data": {}}, {"type": "a", "data": {"z": [1, 2.5, null, "\u00e9"], "a": true}}, )"
            R"({"type": "a", "data": {}}]})");
}

TEST(StateValidationResult, JsonWithRewardAndNonJsonData) {
  ValidationResult result = makeResult();
  result.state.reward = 2;
  result.reward_validated = true;
  result.errors = {{"crash", "not json"}};
  const std::string json = result.toJson();
  EXPECT_NE(json.find(R"("reward": 2.0})"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("reward_validated": true)"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("errors": [{"type": "crash", "data": "not json"}])"), std::string::npos)
      << json;
}

TEST(StateValidationResult, ErrorDetailsMatchPython) {
  ValidationResult result = makeResult();
  EXPECT_EQ(result.errorDetails(), "");
  result.errors = {{"x", ""}};
  EXPECT_EQ(result.errorDetails(), "x");
  result.errors = {{"x", ""}, {"x", ""}, {"x", ""}};
  EXPECT_EQ(result.errorDetails(), "3\xC3\x97 x");
  result.errors = {{"x", ""}, {"y", ""}};
  EXPECT_EQ(result.errorDetails(), "[1/2] x, [2/2] y");
  result.errors = {{"b", ""}, {"a", "{\"k\": 1}"}, {"a", ""}};
  EXPECT_EQ(result.errorDetails(), "[1/2] 2\xC3\x97 a, [2/2] b");
  result.errors.clear();
  for (char c : std::string("aabbbcdefgh")) result.errors.push_back({std::string(1, c), ""});
  EXPECT_EQ(result.errorDetails(),
            "[1/8] 3\xC3\x97 b, [2/8] 2\xC3\x97 a, [3/8] c, ... (5 more errors)");
}

TEST(StateValidationResult, Equality) {
  ValidationResult a = makeResult();
  a.errors = {{"x", "{}"}, {"y", ""}};
  ValidationResult b = a;
  b.walltime = 100;
  b.errors = {{"y", ""}, {"x", "{}"}};
  EXPECT_TRUE(a == b) << "walltime and error order are ignored";
  EXPECT_FALSE(a != b);
  b.reward_validated = true;
  EXPECT_TRUE(a != b);
  b = a;
  b.errors.push_back({"z", ""});
  EXPECT_TRUE(a != b);
  b = a;
  b.state.commandline = "-other";
  EXPECT_TRUE(a != b);
}

}  // namespace
}  // namespace cgym::client
