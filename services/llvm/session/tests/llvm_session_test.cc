// SPDX-License-Identifier: MIT
// LlvmSession: its spaces, every action on small C programs (the module verifies after each,
// and action_had_no_effect matches an independent before/after comparison), observations,
// forks, session parameters, errors, and the service binary driven over gRPC.
#include <google/protobuf/util/message_differencer.h>
#include <gtest/gtest.h>
#include <llvm/Bitcode/BitcodeReader.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/raw_ostream.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "client/env.h"
#include "client/inprocess_transport.h"
#include "llvm_session.h"

namespace cgym::llvm_env {
namespace {

namespace fs = std::filesystem;
using namespace compiler_gym;

#define ASSERT_OK(expr)                                    \
  do {                                                     \
    const ::cgym::Status _s = (expr);                      \
    ASSERT_TRUE(_s.ok()) << #expr << ": " << _s.message(); \
  } while (0)

// CompilerGym's flags.txt for LLVM 10, in order: the action space must stay index-compatible.
const char* const kCompilerGymFlags[] = {"-add-discriminators",
                                         "-adce",
                                         "-aggressive-instcombine",
                                         "-alignment-from-assumptions",
                                         "-always-inline",
                                         "-argpromotion",
                                         "-attributor",
                                         "-barrier",
                                         "-bdce",
                                         "-break-crit-edges",
                                         "-simplifycfg",
                                         "-callsite-splitting",
                                         "-called-value-propagation",
                                         "-canonicalize-aliases",
                                         "-consthoist",
                                         "-constmerge",
                                         "-constprop",
                                         "-coro-cleanup",
                                         "-coro-early",
                                         "-coro-elide",
                                         "-coro-split",
                                         "-correlated-propagation",
                                         "-cross-dso-cfi",
                                         "-deadargelim",
                                         "-dce",
                                         "-die",
                                         "-dse",
                                         "-reg2mem",
                                         "-div-rem-pairs",
                                         "-early-cse-memssa",
                                         "-early-cse",
                                         "-elim-avail-extern",
                                         "-ee-instrument",
                                         "-flattencfg",
                                         "-float2int",
                                         "-forceattrs",
                                         "-inline",
                                         "-insert-gcov-profiling",
                                         "-gvn-hoist",
                                         "-gvn",
                                         "-globaldce",
                                         "-globalopt",
                                         "-globalsplit",
                                         "-guard-widening",
                                         "-hotcoldsplit",
                                         "-ipconstprop",
                                         "-ipsccp",
                                         "-indvars",
                                         "-irce",
                                         "-infer-address-spaces",
                                         "-inferattrs",
                                         "-inject-tli-mappings",
                                         "-instsimplify",
                                         "-instcombine",
                                         "-instnamer",
                                         "-jump-threading",
                                         "-lcssa",
                                         "-licm",
                                         "-libcalls-shrinkwrap",
                                         "-load-store-vectorizer",
                                         "-loop-data-prefetch",
                                         "-loop-deletion",
                                         "-loop-distribute",
                                         "-loop-fusion",
                                         "-loop-guard-widening",
                                         "-loop-idiom",
                                         "-loop-instsimplify",
                                         "-loop-interchange",
                                         "-loop-load-elim",
                                         "-loop-predication",
                                         "-loop-reroll",
                                         "-loop-rotate",
                                         "-loop-simplifycfg",
                                         "-loop-simplify",
                                         "-loop-sink",
                                         "-loop-reduce",
                                         "-loop-unroll-and-jam",
                                         "-loop-unroll",
                                         "-loop-unswitch",
                                         "-loop-vectorize",
                                         "-loop-versioning-licm",
                                         "-loop-versioning",
                                         "-loweratomic",
                                         "-lower-constant-intrinsics",
                                         "-lower-expect",
                                         "-lower-guard-intrinsic",
                                         "-lowerinvoke",
                                         "-lower-matrix-intrinsics",
                                         "-lowerswitch",
                                         "-lower-widenable-condition",
                                         "-memcpyopt",
                                         "-mergefunc",
                                         "-mergeicmps",
                                         "-mldst-motion",
                                         "-sancov",
                                         "-name-anon-globals",
                                         "-nary-reassociate",
                                         "-newgvn",
                                         "-pgo-memop-opt",
                                         "-partial-inliner",
                                         "-partially-inline-libcalls",
                                         "-post-inline-ee-instrument",
                                         "-functionattrs",
                                         "-mem2reg",
                                         "-prune-eh",
                                         "-reassociate",
                                         "-redundant-dbg-inst-elim",
                                         "-rpo-functionattrs",
                                         "-rewrite-statepoints-for-gc",
                                         "-sccp",
                                         "-slp-vectorizer",
                                         "-sroa",
                                         "-scalarizer",
                                         "-separate-const-offset-from-gep",
                                         "-simple-loop-unswitch",
                                         "-sink",
                                         "-speculative-execution",
                                         "-slsr",
                                         "-strip-dead-prototypes",
                                         "-strip-debug-declare",
                                         "-strip-nondebug",
                                         "-strip",
                                         "-tailcallelim",
                                         "-mergereturn"};

// Small C programs with loops, switches, calls, structs, floats and recursion, so that most
// actions find something to do.
const char* const kPrograms[] = {
    R"(
int g[100];
static int sq(int x) { return x * x; }
int f(int n) {
  int s = 0;
  for (int i = 0; i < n; i++) { s += g[i] * 3 + sq(i); if (n > 5) s ^= i; }
  return s;
}
int main(int argc, char** argv) { (void)argv; return f(argc) + f(argc * 2); }
)",
    R"(
#include <string.h>
struct P { int x, y; double w; };
static double norm(struct P p) { return p.x * p.x + p.y * p.y + p.w; }
int classify(int c) {
  switch (c) { case 0: return 10; case 1: return 20; case 2: return 7; case 7: return 1; default: return -1; }
}
int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
int main(int argc, char** argv) {
  struct P ps[8]; memset(ps, 0, sizeof ps);
  double t = 0;
  for (int i = 0; i < 8; i++) { ps[i].x = i; ps[i].y = argc; ps[i].w = 0.5 * i; t += norm(ps[i]); }
  for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) t += classify(i * j) + (argv[0][0] == 'x');
  return (int)t + fib(argc + 5);
}
)",
    R"(
unsigned crc(const unsigned char* p, int n) {
  unsigned c = 0xffffffffu;
  while (n--) { c ^= *p++; for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xedb88320u & -(c & 1)); }
  return ~c;
}
void matmul(float a[4][4], float b[4][4], float c[4][4]) {
  for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) { c[i][j] = 0; for (int k = 0; k < 4; k++) c[i][j] += a[i][k] * b[k][j]; }
}
int main(void) {
  unsigned char buf[64]; for (int i = 0; i < 64; i++) buf[i] = (unsigned char)i;
  float a[4][4] = {{1}}, b[4][4] = {{2}}, c[4][4]; matmul(a, b, c);
  return (int)(crc(buf, 64) & 0xff) + (int)c[0][0];
}
)"};

std::string readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A fresh directory under the system's temporary directory, removed at the end.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "cgym-llvm-session-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// Compiles C to unoptimised bitcode with the matching clang, as benchmarks are made.
std::string compileC(const std::string& source, const fs::path& dir, const std::string& name) {
  const fs::path c = dir / (name + ".c"), bc = dir / (name + ".bc");
  std::ofstream(c) << source;
  const std::string cmd = std::string(CGYM_LLVM_TOOLS_DIR) +
                          "/clang -O1 -Xclang -disable-llvm-passes -emit-llvm -c -o " +
                          bc.string() + " " + c.string();
  EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
  return readFile(bc);
}

Benchmark inlineBenchmark(const std::string& uri, const std::string& bytes) {
  Benchmark benchmark;
  benchmark.set_uri(uri);
  benchmark.mutable_program()->set_contents(bytes);
  return benchmark;
}

Event action(int64_t index) {
  Event event;
  event.set_int64_value(index);
  return event;
}

class LlvmSessionTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    for (size_t i = 0; i < std::size(kPrograms); ++i) {
      programs_.push_back(compileC(kPrograms[i], dir_->path(), "p" + std::to_string(i)));
    }
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }

  std::unique_ptr<LlvmSession> newSession() { return std::make_unique<LlvmSession>(dir_->path()); }

  ObservationSpace spaceNamed(const std::string& name) {
    LlvmSession session(dir_->path());
    for (const ObservationSpace& space : session.getObservationSpaces()) {
      if (space.name() == name) return space;
    }
    ADD_FAILURE() << "no observation space " << name;
    return {};
  }

  std::unique_ptr<LlvmSession> started(const std::string& bytes, Status* status = nullptr) {
    auto session = newSession();
    Status s =
        session->init(session->getActionSpaces()[0], inlineBenchmark("benchmark://t/p", bytes));
    if (status) {
      *status = s;
    } else {
      EXPECT_TRUE(s.ok()) << s.message();
    }
    return session;
  }

  Event observe(LlvmSession& session, const std::string& name) {
    Event event;
    Status status = session.computeObservation(spaceNamed(name), event);
    EXPECT_TRUE(status.ok()) << name << ": " << status.message();
    return event;
  }

  Status step(LlvmSession& session, int64_t index, bool* noEffect) {
    bool end = false;
    std::optional<ActionSpace> newSpace;
    *noEffect = false;
    return session.applyAction(action(index), end, newSpace, *noEffect);
  }

  static TempDir* dir_;
  static std::vector<std::string> programs_;
};

TempDir* LlvmSessionTest::dir_ = nullptr;
std::vector<std::string> LlvmSessionTest::programs_;

TEST_F(LlvmSessionTest, ActionSpaceIsCompilerGymsCommandline) {
  auto session = newSession();
  std::vector<ActionSpace> spaces = session->getActionSpaces();
  ASSERT_EQ(spaces.size(), 1u);
  EXPECT_EQ(spaces[0].name(), "PassesAll");
  ASSERT_TRUE(spaces[0].space().has_any_value());
  CommandlineSpace flags;
  ASSERT_TRUE(spaces[0].space().any_value().UnpackTo(&flags));
  ASSERT_EQ(flags.name_size(), 124);
  for (int i = 0; i < 124; ++i) EXPECT_EQ(flags.name(i), kCompilerGymFlags[i]) << i;
}

TEST_F(LlvmSessionTest, ActionTableSubstitutesAreDocumented) {
  const std::vector<ActionInfo>& table = actionTable();
  ASSERT_EQ(table.size(), 124u);
  int substitutes = 0;
  for (size_t i = 0; i < table.size(); ++i) {
    const std::string note = table[i].note;
    if (note.rfind("substitute:", 0) == 0) ++substitutes;
    EXPECT_EQ(std::string(table[i].pipeline).empty(), i == 7) << table[i].flag;
  }
  EXPECT_EQ(substitutes, 6);
  EXPECT_STREQ(table[16].pipeline, "function(instsimplify)");
  EXPECT_STREQ(table[25].pipeline, "function(dce)");
  EXPECT_STREQ(table[45].pipeline, "ipsccp");
  EXPECT_STREQ(table[78].pipeline, "function(loop(simple-loop-unswitch<nontrivial>))");
  EXPECT_STREQ(table[104].pipeline, "cgscc(function-attrs),function(simplifycfg)");
}

TEST_F(LlvmSessionTest, ObservationSpaces) {
  auto session = newSession();
  std::vector<std::string> names;
  for (const ObservationSpace& space : session->getObservationSpaces())
    names.push_back(space.name());
  const std::vector<std::string> expected = {"Ir",
                                             "IrSha1",
                                             "Bitcode",
                                             "BitcodeFile",
                                             "InstCount",
                                             "Autophase",
                                             "CpuInfo",
                                             "IrInstructionCount",
                                             "IrInstructionCountO0",
                                             "IrInstructionCountO3",
                                             "IrInstructionCountOz",
                                             "ObjectTextSizeBytes",
                                             "ObjectTextSizeO0",
                                             "ObjectTextSizeO3",
                                             "ObjectTextSizeOz",
                                             "TextSizeBytes",
                                             "TextSizeO0",
                                             "TextSizeO3",
                                             "TextSizeOz",
                                             "Runtime",
                                             "Buildtime",
                                             "IsBuildable",
                                             "IsRunnable",
                                             "LexedIr"};
  EXPECT_EQ(names, expected);

  ObservationSpace instCount = spaceNamed("InstCount");
  EXPECT_TRUE(instCount.deterministic());
  EXPECT_FALSE(instCount.platform_dependent());
  EXPECT_EQ(instCount.space().int64_box().low().value_size(), 70);
  EXPECT_EQ(instCount.default_observation().int64_tensor().value_size(), 70);
  EXPECT_EQ(spaceNamed("Autophase").space().int64_box().high().value_size(), 56);
  EXPECT_FALSE(spaceNamed("BitcodeFile").deterministic());
  EXPECT_EQ(spaceNamed("BitcodeFile").space().string_value().length_range().max(), 4096);
  EXPECT_EQ(spaceNamed("IrSha1").space().string_value().length_range().min(), 40);
  EXPECT_TRUE(spaceNamed("ObjectTextSizeBytes").platform_dependent());
  EXPECT_FALSE(spaceNamed("IrInstructionCountOz").platform_dependent());
  EXPECT_TRUE(spaceNamed("IrInstructionCountOz").default_observation().has_int64_value());
  EXPECT_FALSE(spaceNamed("Runtime").deterministic());
  EXPECT_TRUE(spaceNamed("Runtime").space().has_double_sequence());
  EXPECT_TRUE(spaceNamed("IsRunnable").space().has_boolean_value());
  EXPECT_TRUE(spaceNamed("CpuInfo").platform_dependent());
  EXPECT_TRUE(spaceNamed("Bitcode").space().has_byte_sequence());
  EXPECT_NE(session->getCompilerVersion().find("16."), std::string::npos);
}

TEST_F(LlvmSessionTest, ResetOnBitcodeAndIrText) {
  auto fromBitcode = started(programs_[0]);
  const std::string ir = observe(*fromBitcode, "Ir").string_value();
  EXPECT_NE(ir.find("define"), std::string::npos);
  // Normalised as CompilerGym: no source name, no debug info.
  EXPECT_NE(ir.find("source_filename = \"-\""), std::string::npos);
  const int64_t count = observe(*fromBitcode, "IrInstructionCount").int64_value();
  EXPECT_GT(count, 10);
  EXPECT_EQ(observe(*fromBitcode, "IrInstructionCountO0").int64_value(), count);

  auto fromText = started(ir);
  EXPECT_EQ(observe(*fromText, "Ir").string_value(), ir);
  EXPECT_EQ(observe(*fromText, "IrSha1").string_value(),
            observe(*fromBitcode, "IrSha1").string_value());
}

// Parses bitcode into a new context and verifies it: the session's module is valid.
void expectValidBitcode(const std::string& bitcode, const std::string& what) {
  llvm::LLVMContext context;
  auto module = llvm::parseBitcodeFile(
      llvm::MemoryBufferRef(llvm::StringRef(bitcode.data(), bitcode.size()), "m"), context);
  ASSERT_TRUE(static_cast<bool>(module)) << what << ": " << llvm::toString(module.takeError());
  std::string message;
  llvm::raw_string_ostream os(message);
  EXPECT_FALSE(llvm::verifyModule(**module, &os)) << what << ": " << os.str();
}

// Every action, from the initial state and as one long episode, on each program: no error,
// the module verifies, and action_had_no_effect is true exactly when neither the printed IR
// nor the bitcode changed, except for changes of use-list order alone, which the session
// counts as changes (checked separately).
TEST_F(LlvmSessionTest, EveryActionOnEveryProgram) {
  int changedCount = 0, unchangedCount = 0, useListOnlyCount = 0;
  for (size_t p = 0; p < programs_.size(); ++p) {
    auto episode = started(programs_[p]);
    for (int a = 0; a < 124; ++a) {
      for (bool fresh : {true, false}) {
        std::unique_ptr<LlvmSession> own = fresh ? started(programs_[p]) : nullptr;
        LlvmSession& session = fresh ? *own : *episode;
        const std::string what = "program " + std::to_string(p) + " action " +
                                 kCompilerGymFlags[a] + (fresh ? " (fresh)" : " (episode)");
        const std::string irBefore = observe(session, "Ir").string_value();
        const std::string bcBefore = observe(session, "Bitcode").byte_tensor().value();
        bool noEffect = false;
        Status status = step(session, a, &noEffect);
        ASSERT_TRUE(status.ok()) << what << ": " << status.message();
        const std::string irAfter = observe(session, "Ir").string_value();
        const std::string bcAfter = observe(session, "Bitcode").byte_tensor().value();
        const bool same = irBefore == irAfter && bcBefore == bcAfter;
        // No effect: nothing observable changed.
        if (noEffect) {
          EXPECT_TRUE(same) << what;
        }
        (noEffect ? unchangedCount : changedCount)++;
        if (!noEffect && same) {
          // The one change the observations cannot show: the order of a value's use list
          // (which later passes can depend on). Such a change is real, so it happens once:
          // the same action again then has no effect.
          ++useListOnlyCount;
          bool again = false;
          ASSERT_OK(step(session, a, &again));
          EXPECT_TRUE(again) << what << " changed the use-list order again";
        }
        expectValidBitcode(bcAfter, what);
      }
    }
  }
  // The programs are rich enough that both outcomes occur often.
  EXPECT_GT(changedCount, 100);
  EXPECT_GT(unchangedCount, 100);
  EXPECT_LT(useListOnlyCount * 20, changedCount);
}

// The actions whose new-PM PreservedAnalyses are known to be wrong get the right answer.
TEST_F(LlvmSessionTest, NoEffectIsExactWherePreservedAnalysesLie) {
  auto session = started(programs_[0]);
  bool noEffect = false;
  ASSERT_OK(step(*session, 7, &noEffect));  // -barrier: explicit no-op
  EXPECT_TRUE(noEffect);
  ASSERT_OK(step(*session, 32, &noEffect));  // -ee-instrument: claims a change, makes none
  EXPECT_TRUE(noEffect);
  ASSERT_OK(step(*session, 101, &noEffect));  // -post-inline-ee-instrument: same
  EXPECT_TRUE(noEffect);
  // clang's output has unnamed values: -instnamer names them while claiming no change.
  const std::string before = observe(*session, "Ir").string_value();
  ASSERT_OK(step(*session, 54, &noEffect));
  EXPECT_FALSE(noEffect);
  EXPECT_NE(observe(*session, "Ir").string_value(), before);
  ASSERT_OK(step(*session, 54, &noEffect));  // all named now
  EXPECT_TRUE(noEffect);
  ASSERT_OK(step(*session, 121, &noEffect));  // -strip removes the names, claiming no change
  EXPECT_FALSE(noEffect);
}

TEST_F(LlvmSessionTest, ObservationInvariants) {
  auto session = started(programs_[1]);
  const std::string sha1 = observe(*session, "IrSha1").string_value();
  ASSERT_EQ(sha1.size(), 40u);
  EXPECT_EQ(sha1.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(observe(*session, "IrSha1").string_value(), sha1);

  const Event bitcode = observe(*session, "Bitcode");
  ASSERT_EQ(bitcode.byte_tensor().shape_size(), 1);
  EXPECT_EQ(bitcode.byte_tensor().shape(0), bitcode.byte_tensor().value().size());
  expectValidBitcode(bitcode.byte_tensor().value(), "Bitcode");

  const std::string path = observe(*session, "BitcodeFile").string_value();
  EXPECT_NE(path, observe(*session, "BitcodeFile").string_value());
  ASSERT_TRUE(fs::exists(path));
  expectValidBitcode(readFile(path), "BitcodeFile");
  fs::remove(path);

  const int64_t o0 = observe(*session, "IrInstructionCountO0").int64_value();
  const int64_t o3 = observe(*session, "IrInstructionCountO3").int64_value();
  const int64_t oz = observe(*session, "IrInstructionCountOz").int64_value();
  EXPECT_EQ(o0, observe(*session, "IrInstructionCount").int64_value());
  EXPECT_GT(o3, 0);
  EXPECT_GT(oz, 0);
  EXPECT_LT(oz, o0);

  // Baselines do not move with the episode; the current count does.
  bool noEffect = false;
  ASSERT_OK(step(*session, 103, &noEffect));  // -mem2reg
  EXPECT_FALSE(noEffect);
  EXPECT_LT(observe(*session, "IrInstructionCount").int64_value(), o0);
  EXPECT_EQ(observe(*session, "IrInstructionCountO0").int64_value(), o0);
  EXPECT_EQ(observe(*session, "IrInstructionCountOz").int64_value(), oz);
  EXPECT_NE(observe(*session, "IrSha1").string_value(), sha1);

  // No build or run command: not buildable, empty Runtime and Buildtime.
  EXPECT_FALSE(observe(*session, "IsBuildable").boolean_value());
  EXPECT_FALSE(observe(*session, "IsRunnable").boolean_value());
  EXPECT_EQ(observe(*session, "Runtime").double_tensor().value_size(), 0);
  EXPECT_EQ(observe(*session, "Buildtime").double_tensor().value_size(), 0);

  const Event instCount = observe(*session, "InstCount");
  ASSERT_EQ(instCount.int64_tensor().value_size(), 70);
  EXPECT_EQ(instCount.int64_tensor().shape(0), 70u);
  EXPECT_EQ(instCount.int64_tensor().value(0),
            observe(*session, "IrInstructionCount").int64_value());
  // TotalInsts (0) is the sum of the 67 opcode counters (3..69); blocks and functions > 0.
  int64_t opcodes = 0;
  for (int i = 3; i < 70; ++i) opcodes += instCount.int64_tensor().value(i);
  EXPECT_EQ(instCount.int64_tensor().value(0), opcodes);
  EXPECT_GT(instCount.int64_tensor().value(1), 0);
  EXPECT_GT(instCount.int64_tensor().value(2), 0);
  const Event autophase = observe(*session, "Autophase");
  EXPECT_EQ(autophase.int64_tensor().value_size(), 56);
  for (int64_t value : autophase.int64_tensor().value()) EXPECT_GE(value, 0);
  EXPECT_GE(observe(*session, "IrInstructionCountO0").int64_value(),
            observe(*session, "IrInstructionCountOz").int64_value());
  EXPECT_GE(observe(*session, "ObjectTextSizeO0").int64_value(),
            observe(*session, "ObjectTextSizeOz").int64_value());
  const int64_t size = observe(*session, "ObjectTextSizeBytes").int64_value();
  EXPECT_GT(size, 0);
  EXPECT_EQ(observe(*session, "TextSizeBytes").int64_value(), size);
  EXPECT_GT(observe(*session, "ObjectTextSizeO0").int64_value(), 0);
  EXPECT_GT(observe(*session, "ObjectTextSizeOz").int64_value(), 0);
  EXPECT_EQ(observe(*session, "TextSizeOz").int64_value(),
            observe(*session, "ObjectTextSizeOz").int64_value());
  EXPECT_EQ(observe(*session, "CpuInfo").string_value().rfind("{", 0), 0u);
  const Event lexed = observe(*session, "LexedIr");
  ASSERT_TRUE(lexed.has_event_dict());
  for (const char* key : {"token_id", "token_kind", "token_category", "token_value"}) {
    EXPECT_EQ(lexed.event_dict().event().count(key), 1u) << key;
  }
}

// A program given by URI is resolved by the benchmark loader, with its build and run commands.
TEST_F(LlvmSessionTest, ProgramFromTheBundledDataset) {
  Benchmark benchmark;
  benchmark.set_uri("benchmark://cgym-v0/fibonacci");
  benchmark.mutable_program()->set_uri("benchmark://cgym-v0/fibonacci");
  auto session = newSession();
  ASSERT_OK(session->init(session->getActionSpaces()[0], benchmark));
  EXPECT_GT(observe(*session, "IrInstructionCount").int64_value(), 5);
  EXPECT_TRUE(observe(*session, "IsBuildable").boolean_value());
  EXPECT_TRUE(observe(*session, "IsRunnable").boolean_value());

  // Built with its build command and run, in the session's scratch directory.
  const Event buildtime = observe(*session, "Buildtime");
  ASSERT_EQ(buildtime.double_tensor().value_size(), 1);
  EXPECT_GT(buildtime.double_tensor().value(0), 0);
  // Cached while the module is unchanged.
  EXPECT_EQ(observe(*session, "Buildtime").double_tensor().value(0),
            buildtime.double_tensor().value(0));
  std::optional<std::string> reply;
  ASSERT_OK(session->handleSessionParameter("llvm.set_runtimes_per_observation_count", "3", reply));
  ASSERT_OK(session->handleSessionParameter("llvm.set_warmup_runs_count_per_runtime_observation",
                                            "1", reply));
  const Event runtime = observe(*session, "Runtime");
  ASSERT_EQ(runtime.double_tensor().value_size(), 3);
  for (double seconds : runtime.double_tensor().value()) EXPECT_GT(seconds, 0);
  const int64_t textSize = observe(*session, "TextSizeBytes").int64_value();
  EXPECT_GT(textSize, 0);
  // A linked binary holds more than the object file.
  EXPECT_GT(textSize, observe(*session, "ObjectTextSizeBytes").int64_value());
  const int64_t o0 = observe(*session, "TextSizeO0").int64_value();
  EXPECT_EQ(o0, textSize);
  EXPECT_GT(observe(*session, "TextSizeOz").int64_value(), 0);
  EXPECT_GT(observe(*session, "TextSizeO3").int64_value(), 0);
  bool changed = false;
  ASSERT_OK(step(*session, 103, &changed));  // -mem2reg: the next build is a new one
  EXPECT_GT(observe(*session, "TextSizeBytes").int64_value(), 0);
  EXPECT_EQ(observe(*session, "TextSizeO0").int64_value(), o0);
  ASSERT_EQ(observe(*session, "Runtime").double_tensor().value_size(), 3);

  Benchmark generated;
  generated.set_uri("generator://llvm-stress-v0/3");
  generated.mutable_program()->set_uri("generator://llvm-stress-v0/3");
  session = newSession();
  ASSERT_OK(session->init(session->getActionSpaces()[0], generated));
  bool noEffect = false;
  for (int a : {53, 10, 39, 103, 111}) ASSERT_OK(step(*session, a, &noEffect));
}

TEST_F(LlvmSessionTest, BuildableBenchmark) {
  auto session = newSession();
  Benchmark benchmark = inlineBenchmark("benchmark://t/b", programs_[0]);
  benchmark.mutable_dynamic_config()->mutable_build_cmd()->add_argument("$CC");
  benchmark.mutable_dynamic_config()->mutable_run_cmd()->add_argument("./a.out");
  ASSERT_OK(session->init(session->getActionSpaces()[0], benchmark));
  EXPECT_TRUE(observe(*session, "IsBuildable").boolean_value());
  EXPECT_TRUE(observe(*session, "IsRunnable").boolean_value());
  // "$CC" alone has no input: the build fails, and the observations that need it say why.
  Event unused;
  Status status = session->computeObservation(spaceNamed("Runtime"), unused);
  EXPECT_EQ(status.code(), StatusCode::kInternal) << status.message();
  EXPECT_EQ(status.message().rfind("Build command exited with status 1", 0), 0u)
      << status.message();
  EXPECT_NE(status.message().find("no input files"), std::string::npos) << status.message();
  status = session->computeObservation(spaceNamed("Buildtime"), unused);
  EXPECT_EQ(status.code(), StatusCode::kInternal) << status.message();
}

// The errors of builds and runs name the command and what went wrong.
TEST_F(LlvmSessionTest, BuildAndRunErrors) {
  auto withConfig = [&](const std::function<void(BenchmarkDynamicConfig*)>& configure) {
    auto session = newSession();
    Benchmark benchmark = inlineBenchmark("benchmark://t/b", programs_[0]);
    configure(benchmark.mutable_dynamic_config());
    Status status = session->init(session->getActionSpaces()[0], benchmark);
    EXPECT_TRUE(status.ok()) << status.message();
    return session;
  };
  auto error = [&](LlvmSession& session, const std::string& space) {
    Event unused;
    return session.computeObservation(spaceNamed(space), unused);
  };

  // A declared output that the build does not make.
  auto session = withConfig([](BenchmarkDynamicConfig* config) {
    config->mutable_build_cmd()->add_argument("true");
    config->mutable_build_cmd()->add_outfile("a.out");
  });
  Status status = error(*session, "Buildtime");
  EXPECT_EQ(status.code(), StatusCode::kInternal);
  EXPECT_EQ(status.message(), "Build command output file not found: a.out");

  // No declared output: nothing to measure.
  session = withConfig(
      [](BenchmarkDynamicConfig* config) { config->mutable_build_cmd()->add_argument("true"); });
  EXPECT_EQ(observe(*session, "Buildtime").double_tensor().value_size(), 1);
  status = error(*session, "TextSizeBytes");
  EXPECT_EQ(status.message(), "The build command declares no output file");

  // A missing input of the run command.
  session = withConfig([](BenchmarkDynamicConfig* config) {
    config->mutable_build_cmd()->add_argument("true");
    config->mutable_run_cmd()->add_argument("cat");
    config->mutable_run_cmd()->add_argument("data.txt");
    config->mutable_run_cmd()->add_infile("data.txt");
  });
  status = error(*session, "Runtime");
  EXPECT_EQ(status.message(), "Run command input file not found: data.txt");

  // A pre-run command that makes it: the run works.
  session = withConfig([](BenchmarkDynamicConfig* config) {
    config->mutable_build_cmd()->add_argument("true");
    config->mutable_run_cmd()->add_argument("cat data.txt >/dev/null");
    config->mutable_run_cmd()->add_infile("data.txt");
    compiler_gym::Command* pre = config->add_pre_run_cmd();
    pre->add_argument("echo 1 >data.txt");
    pre->add_outfile("data.txt");
  });
  EXPECT_EQ(observe(*session, "Runtime").double_tensor().value_size(), 1);

  // A build that runs out of time.
  session = withConfig([](BenchmarkDynamicConfig* config) {
    config->mutable_build_cmd()->add_argument("sleep 30");
    config->mutable_build_cmd()->set_timeout_seconds(1);
  });
  status = error(*session, "Buildtime");
  EXPECT_EQ(status.code(), StatusCode::kDeadlineExceeded) << status.message();
}

TEST_F(LlvmSessionTest, ForkIsIndependent) {
  auto parent = started(programs_[2]);
  bool noEffect = false;
  ASSERT_OK(step(*parent, 103, &noEffect));  // -mem2reg
  const std::string ir = observe(*parent, "Ir").string_value();
  const std::string sha1 = observe(*parent, "IrSha1").string_value();

  auto child = newSession();
  ASSERT_OK(child->init(parent.get()));
  // The fork is an exact copy (use-list order included, so even the printed IR is the same).
  EXPECT_EQ(observe(*child, "Ir").string_value(), ir);
  EXPECT_EQ(observe(*child, "IrSha1").string_value(), sha1);
  EXPECT_EQ(observe(*child, "IrInstructionCountOz").int64_value(),
            observe(*parent, "IrInstructionCountOz").int64_value());

  ASSERT_OK(step(*child, 53, &noEffect));  // -instcombine on the child only
  EXPECT_FALSE(noEffect);
  EXPECT_EQ(observe(*parent, "Ir").string_value(), ir);
  EXPECT_NE(observe(*child, "Ir").string_value(), ir);
  // And the other way round.
  ASSERT_OK(step(*parent, 10, &noEffect));  // -simplifycfg
  const std::string childIr = observe(*child, "Ir").string_value();
  parent.reset();
  EXPECT_EQ(observe(*child, "Ir").string_value(), childIr);
  ASSERT_OK(step(*child, 39, &noEffect));  // the child outlives its parent
}

TEST_F(LlvmSessionTest, SessionParameters) {
  auto session = started(programs_[0]);
  auto send = [&](const std::string& key, const std::string& value, std::string* reply) {
    std::optional<std::string> r;
    Status status = session->handleSessionParameter(key, value, r);
    if (reply) *reply = r.value_or("<none>");
    return status;
  };
  std::string reply;
  ASSERT_OK(send("llvm.get_runtimes_per_observation_count", "", &reply));
  EXPECT_EQ(reply, "1");
  ASSERT_OK(send("llvm.set_runtimes_per_observation_count", "5", &reply));
  EXPECT_EQ(reply, "5");
  ASSERT_OK(send("llvm.get_runtimes_per_observation_count", "", &reply));
  EXPECT_EQ(reply, "5");
  Status status = send("llvm.set_runtimes_per_observation_count", "0", &reply);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "runtimes_per_observation_count must be >= 1. Received: 0");
  status = send("llvm.set_runtimes_per_observation_count", "x", &reply);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "Invalid value for llvm.set_runtimes_per_observation_count: 'x' is not an integer");

  ASSERT_OK(send("llvm.get_warmup_runs_count_per_runtime_observation", "", &reply));
  EXPECT_EQ(reply, "0");
  ASSERT_OK(send("llvm.set_warmup_runs_count_per_runtime_observation", "3", &reply));
  EXPECT_EQ(reply, "3");
  status = send("llvm.set_warmup_runs_count_per_runtime_observation", "-1", &reply);
  EXPECT_EQ(status.message(),
            "warmup_runs_count_per_runtime_observation must be >= 0. Received: -1");
  ASSERT_OK(send("llvm.set_buildtimes_per_observation_count", "2", &reply));
  ASSERT_OK(send("llvm.get_buildtimes_per_observation_count", "", &reply));
  EXPECT_EQ(reply, "2");
  status = send("llvm.set_buildtimes_per_observation_count", "0", &reply);
  EXPECT_EQ(status.message(), "buildtimes_per_observation_count must be >= 1. Received: 0");

  // Unknown keys are left to the service (no reply).
  ASSERT_OK(send("llvm.no_such_key", "", &reply));
  EXPECT_EQ(reply, "<none>");

  // -Oz in place: the module becomes the Oz baseline.
  ASSERT_OK(send("llvm.apply_baseline_optimizations", "-Oz", &reply));
  EXPECT_EQ(reply, "1");
  EXPECT_EQ(observe(*session, "IrInstructionCount").int64_value(),
            observe(*session, "IrInstructionCountOz").int64_value());
  status = send("llvm.apply_baseline_optimizations", "-O2", &reply);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "Invalid value for llvm.apply_baseline_optimizations: -O2");

  // The forked session does not inherit the runtime counters (as CompilerGym).
  auto child = newSession();
  ASSERT_OK(child->init(session.get()));
  std::optional<std::string> r;
  ASSERT_OK(child->handleSessionParameter("llvm.get_runtimes_per_observation_count", "", r));
  EXPECT_EQ(r, "1");
}

TEST_F(LlvmSessionTest, ActionTimeLimit) {
  auto session = started(programs_[1]);
  std::optional<std::string> reply;
  ASSERT_OK(session->handleSessionParameter("llvm.get_action_timeout_seconds", "", reply));
  EXPECT_EQ(reply, "60");
  for (const char* bad : {"0", "-1", "nan", "x"}) {
    Status status = session->handleSessionParameter("llvm.set_action_timeout_seconds", bad, reply);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << bad;
  }
  const std::string before = observe(*session, "Ir").string_value();
  // A limit no pass can meet: the step fails, the module is the one before the action.
  ASSERT_OK(session->handleSessionParameter("llvm.set_action_timeout_seconds", "1e-9", reply));
  bool noEffect = false;
  Status status = step(*session, 6, &noEffect);  // -attributor
  EXPECT_EQ(status.code(), StatusCode::kDeadlineExceeded);
  EXPECT_EQ(status.message(), "Action -attributor exceeded the time limit of 1e-09 seconds");
  EXPECT_EQ(observe(*session, "Ir").string_value(), before);
  // The session goes on.
  ASSERT_OK(session->handleSessionParameter("llvm.set_action_timeout_seconds", "inf", reply));
  ASSERT_OK(step(*session, 103, &noEffect));
  EXPECT_FALSE(noEffect);
}

TEST_F(LlvmSessionTest, InvalidActions) {
  auto session = started(programs_[0]);
  bool noEffect = false;
  Status status = step(*session, 124, &noEffect);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "Action out of range: 124");
  status = step(*session, -1, &noEffect);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  Event text;
  text.set_string_value("-adce");
  bool end = false;
  std::optional<ActionSpace> space;
  status = session->applyAction(text, end, space, noEffect);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "Action out of range: not an int64");
}

// The deterministic spaces give the same values in two sessions that take the same actions.
TEST_F(LlvmSessionTest, DeterministicSpacesAreDeterministic) {
  auto first = started(programs_[1]);
  auto second = started(programs_[1]);
  bool noEffect = false;
  for (int64_t action : {103, 53, 10, 39, 53}) {  // mem2reg, instcombine, simplifycfg, gvn, ...
    ASSERT_OK(step(*first, action, &noEffect));
    ASSERT_OK(step(*second, action, &noEffect));
  }
  for (const ObservationSpace& space : first->getObservationSpaces()) {
    if (!space.deterministic() || space.platform_dependent()) continue;
    // Compared as messages: LexedIr's dict is a protobuf map, whose serialized order is not
    // fixed.
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(observe(*first, space.name()),
                                                                   observe(*second, space.name())))
        << space.name();
  }
}

TEST_F(LlvmSessionTest, BadBenchmarks) {
  Status status;
  started("this is not LLVM", &status);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message().rfind("Failed to parse LLVM bitcode", 0), 0u) << status.message();
  EXPECT_NE(status.message().find("expected top-level entity"), std::string::npos)
      << status.message();

  // Parses, but does not verify: an instruction that does not dominate its use.
  started("define i32 @f(i32 %x) {\n  %a = add i32 %b, 1\n  %b = add i32 %a, %x\n  ret i32 %b\n}\n",
          &status);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("Failed to verify module"), std::string::npos)
      << status.message();
  EXPECT_NE(status.message().find("Instruction does not dominate all uses"), std::string::npos)
      << status.message();

  auto session = newSession();
  ActionSpace wrong;
  wrong.set_name("PassesNone");
  status = session->init(wrong, inlineBenchmark("benchmark://t/p", programs_[0]));
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "Unknown action space: PassesNone");

  // A file:/// program that does not exist.
  Benchmark missing;
  missing.set_uri("benchmark://t/missing");
  missing.mutable_program()->set_uri("file:///nonexistent/cgym/x.bc");
  session = newSession();
  status = session->init(session->getActionSpaces()[0], missing);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("/nonexistent/cgym/x.bc"), std::string::npos) << status.message();
}

TEST_F(LlvmSessionTest, FileUriBenchmark) {
  Benchmark benchmark;
  benchmark.set_uri("benchmark://t/file");
  benchmark.mutable_program()->set_uri("file://" + (dir_->path() / "p0.bc").string());
  auto session = newSession();
  ASSERT_OK(session->init(session->getActionSpaces()[0], benchmark));
  EXPECT_GT(observe(*session, "IrInstructionCount").int64_value(), 10);
}

// The client Env over each kind of connection: the service binary over gRPC (managed), and
// the session registered in-process.
void runShortEpisode(const std::string& endpoint, const std::string& program) {
  client::EnvOptions options;
  options.benchmark = inlineBenchmark("benchmark://t/episode", program);
  options.observation_space = "IrInstructionCount";
  options.connection.init_max_seconds = 30;
  std::unique_ptr<client::Env> env;
  ASSERT_OK(client::Env::make(endpoint, std::move(options), &env));
  ASSERT_EQ(env->actionSpaces().size(), 1u);
  // The client presents the CommandlineSpace as named actions, as CompilerGym's does.
  const Space& actions = env->actionSpaces()[0].space();
  EXPECT_EQ(actions.type_id(), "commandline");
  ASSERT_EQ(actions.named_discrete().name_size(), 124);
  EXPECT_EQ(actions.named_discrete().name(103), "-mem2reg");

  std::optional<Event> initial;
  ASSERT_OK(env->reset({}, &initial));
  ASSERT_TRUE(initial.has_value());
  const int64_t start = initial->int64_value();
  EXPECT_GT(start, 10);

  client::StepResult result;
  ASSERT_OK(env->step(action(103), &result));  // -mem2reg
  EXPECT_FALSE(result.done) << result.info.error_details;
  EXPECT_FALSE(result.info.action_had_no_effect);
  ASSERT_EQ(result.observations.size(), 1u);
  EXPECT_LT(result.observations[0].int64_value(), start);
  ASSERT_OK(env->step(action(7), &result));  // -barrier
  EXPECT_TRUE(result.info.action_had_no_effect);

  std::unique_ptr<client::Env> fork;
  ASSERT_OK(env->fork(&fork));
  ASSERT_OK(fork->step(action(53), &result));  // -instcombine
  EXPECT_FALSE(result.done) << result.info.error_details;
  Event sha1, forkSha1;
  ASSERT_OK(fork->observe("IrSha1", &forkSha1));
  ASSERT_OK(env->observe("IrSha1", &sha1));
  EXPECT_NE(sha1.string_value(), forkSha1.string_value());

  std::string reply;
  ASSERT_OK(env->sendParam("llvm.get_runtimes_per_observation_count", "", &reply));
  EXPECT_EQ(reply, "1");
  Status status = env->sendParam("llvm.no_such_key", "", &reply);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);

  // A step that fails in the service (an action out of range) is an error, not an end.
  status = env->step(action(500), &result);
  EXPECT_FALSE(status.ok() && !result.done && result.info.error_details.empty());

  ASSERT_OK(fork->close());
  ASSERT_OK(env->close());
}

TEST_F(LlvmSessionTest, ServiceBinaryOverGrpc) { runShortEpisode(CGYM_LLVM_SERVICE, programs_[0]); }

TEST_F(LlvmSessionTest, InProcess) {
  client::registerInProcessService(
      "llvm-session-test", [](const fs::path& wd) { return std::make_unique<LlvmSession>(wd); });
  runShortEpisode("inproc:llvm-session-test", programs_[1]);
  client::unregisterInProcessService("llvm-session-test");
}

}  // namespace
}  // namespace cgym::llvm_env
