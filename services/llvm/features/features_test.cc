// SPDX-License-Identifier: MIT
//
// The LLVM environment's observation features, on small hand-written modules whose values are
// computed by hand below, and on a C program compiled by clang.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <numeric>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "features/features.h"
#include "llvm/AsmParser/Parser.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Verifier.h"
#include "llvm/IRReader/IRReader.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"
#include "nlohmann/json.hpp"

namespace cgym::llvm_env {
namespace {

namespace fs = std::filesystem;

std::unique_ptr<llvm::Module> parse(llvm::LLVMContext& context, const std::string& ir) {
  llvm::SMDiagnostic error;
  std::unique_ptr<llvm::Module> module = llvm::parseAssemblyString(ir, error, context);
  if (!module) {
    std::string message;
    llvm::raw_string_ostream os(message);
    error.print("test", os);
    ADD_FAILURE() << os.str();
    return nullptr;
  }
  std::string problems;
  llvm::raw_string_ostream os(problems);
  EXPECT_FALSE(llvm::verifyModule(*module, &os)) << os.str();
  return module;
}

// Every opcode that IR can hold (all but UserOp1 and UserOp2), some more than once.
// Counts: @ops has 6 blocks and 57 instructions, @eh 3 and 4, @va 1 and 2, @funclets 5 and 7,
// @cb 3 and 3; four declarations. 18 blocks, 73 instructions, 9 functions.
const char* kAllOpcodes = R"(
target triple = "x86_64-pc-linux-gnu"

declare i32 @ext(i32)
declare i32 @__gxx_personality_v0(...)
declare i32 @__CxxFrameHandler3(...)
declare void @thrower()

define i32 @ops(i32 %a, i32 %b, ptr %p, float %f, <4 x i32> %vec, { i32, i32 } %agg) {
entry:
  %neg = fneg float %f
  %fadd = fadd float %neg, 1.0
  %fsub = fsub float %fadd, %f
  %fmul = fmul float %fsub, 2.0
  %fdiv = fdiv float %fmul, 3.0
  %frem = frem float %fdiv, 4.0
  %fcmp = fcmp olt float %frem, %f
  %add = add i32 %a, 1
  %sub = sub i32 %add, %b
  %mul = mul i32 %sub, 3
  %udiv = udiv i32 %mul, 5
  %sdiv = sdiv i32 %udiv, 7
  %urem = urem i32 %sdiv, 9
  %srem = srem i32 %urem, 11
  %shl = shl i32 %srem, 2
  %lshr = lshr i32 %shl, 1
  %ashr = ashr i32 %lshr, 1
  %and = and i32 %ashr, 255
  %or = or i32 %and, %b
  %xor = xor i32 %or, -1
  %x = alloca i32
  store i32 %xor, ptr %x
  %ld = load i32, ptr %x
  %gep = getelementptr i32, ptr %p, i64 1
  fence seq_cst
  %cx = cmpxchg ptr %gep, i32 0, i32 1 seq_cst seq_cst
  %rmw = atomicrmw add ptr %gep, i32 1 seq_cst
  %tr = trunc i32 %ld to i8
  %zx = zext i8 %tr to i32
  %sx = sext i8 %tr to i64
  %fpui = fptoui float %f to i32
  %fpsi = fptosi float %f to i32
  %uifp = uitofp i32 %a to float
  %sifp = sitofp i32 %a to float
  %fptr = fptrunc float %f to half
  %fpx = fpext float %f to double
  %p2i = ptrtoint ptr %p to i64
  %i2p = inttoptr i64 %p2i to ptr
  %bc = bitcast i32 %a to float
  %asc = addrspacecast ptr %p to ptr addrspace(1)
  %icmp = icmp eq i32 %zx, 0
  %sel = select i1 %icmp, i32 %a, i32 %b
  %ee = extractelement <4 x i32> %vec, i32 0
  %ie = insertelement <4 x i32> %vec, i32 %ee, i32 1
  %sv = shufflevector <4 x i32> %ie, <4 x i32> %vec, <4 x i32> zeroinitializer
  %ev = extractvalue { i32, i32 } %agg, 0
  %iv = insertvalue { i32, i32 } %agg, i32 %ev, 1
  %fr = freeze i32 %sel
  %call = call i32 @ext(i32 %fr)
  switch i32 %call, label %default [ i32 0, label %zero
                                     i32 1, label %one ]
zero:
  br label %exit
one:
  %isz = icmp ne i32 %call, 1
  br i1 %isz, label %exit, label %dead
dead:
  unreachable
default:
  indirectbr ptr blockaddress(@ops, %exit), [label %exit]
exit:
  %phi = phi i32 [ 0, %zero ], [ 1, %one ], [ 2, %default ]
  ret i32 %phi
}

define void @eh() personality ptr @__gxx_personality_v0 {
entry:
  %r = invoke i32 @ext(i32 1) to label %cont unwind label %lpad
cont:
  ret void
lpad:
  %lp = landingpad { ptr, i32 } cleanup
  resume { ptr, i32 } %lp
}

define i32 @va(ptr %ap) {
  %v = va_arg ptr %ap, i32
  ret i32 %v
}

define void @funclets() personality ptr @__CxxFrameHandler3 {
entry:
  invoke void @thrower() to label %exit unwind label %dispatch
dispatch:
  %cs = catchswitch within none [label %handler] unwind label %cleanup
handler:
  %cp = catchpad within %cs [ptr null, i32 64, ptr null]
  catchret from %cp to label %exit
cleanup:
  %cl = cleanuppad within none []
  cleanupret from %cl unwind to caller
exit:
  ret void
}

define i32 @cb() {
entry:
  callbr void asm "", "!i"() to label %fall [label %ind]
fall:
  ret i32 0
ind:
  ret i32 1
}
)";

// A loop (@f) and a diamond with a large join block (@m), for Autophase. The expected values
// of every feature are worked out by hand in the test below.
const char* kAutophaseModule = R"(
declare i32 @g(i32)
declare void @h()

define i32 @f(i32 %n, ptr %p) {
entry:
  %a = alloca i32
  store i32 0, ptr %a
  %c = icmp sgt i32 %n, 0
  br i1 %c, label %pre, label %exit
pre:
  br label %loop
loop:
  %i = phi i32 [ 0, %pre ], [ %inc, %loop ]
  %s = phi i64 [ 1, %pre ], [ %s2, %loop ]
  %inc = add i32 %i, 1
  %z = zext i32 %inc to i64
  %s2 = mul i64 %s, %z
  %gep = getelementptr i32, ptr %p, i64 %z
  %v = load i32, ptr %gep
  %r = call i32 @g(i32 %v)
  call void @h()
  %d = icmp slt i32 %inc, %n
  br i1 %d, label %loop, label %exit
exit:
  %res = phi i32 [ 0, %entry ], [ %r, %loop ]
  %t = trunc i32 %res to i8
  %x = sext i8 %t to i32
  ret i32 %x
}

define i64 @m(i64 %a, i1 %c) {
entry:
  br i1 %c, label %l, label %r
l:
  br label %join
r:
  br label %join
join:
  %p1 = phi i64 [ 1, %l ], [ 2, %r ]
  %p2 = phi i64 [ %a, %l ], [ 0, %r ]
  %p3 = phi i64 [ 3, %l ], [ 4, %r ]
  %p4 = phi i64 [ 5, %l ], [ 6, %r ]
  %s1 = shl i64 %p1, 1
  %s2 = lshr i64 %s1, %p2
  %s3 = ashr i64 %s2, 2
  %s4 = and i64 %s3, %p3
  %s5 = or i64 %s4, %p4
  %s6 = xor i64 %s5, 1
  %s7 = sub i64 %s6, %a
  %s8 = select i1 %c, i64 %s7, i64 0
  %b1 = bitcast i64 %s8 to double
  %b2 = bitcast double %b1 to i64
  %s9 = add i64 %b2, %a
  ret i64 %s9
}
)";

const char* kSmall = R"(
define i32 @one(i32 %x) {
  %y = add i32 %x, -1
  ret i32 %y
}
)";

std::map<std::string, int64_t> byName(const std::vector<std::string>& names,
                                      const std::vector<int64_t>& values) {
  EXPECT_EQ(names.size(), values.size());
  std::map<std::string, int64_t> map;
  for (size_t i = 0; i < names.size() && i < values.size(); ++i) map[names[i]] = values[i];
  return map;
}

// --- InstCount -------------------------------------------------------------------------------

TEST(InstCount, NamesAreCompilerGymsInOrder) {
  const std::vector<std::string> expected = {"TotalInsts",
                                             "TotalBlocks",
                                             "TotalFuncs",
                                             "Ret",
                                             "Br",
                                             "Switch",
                                             "IndirectBr",
                                             "Invoke",
                                             "Resume",
                                             "Unreachable",
                                             "CleanupRet",
                                             "CatchRet",
                                             "CatchSwitch",
                                             "CallBr",
                                             "FNeg",
                                             "Add",
                                             "FAdd",
                                             "Sub",
                                             "FSub",
                                             "Mul",
                                             "FMul",
                                             "UDiv",
                                             "SDiv",
                                             "FDiv",
                                             "URem",
                                             "SRem",
                                             "FRem",
                                             "Shl",
                                             "LShr",
                                             "AShr",
                                             "And",
                                             "Or",
                                             "Xor",
                                             "Alloca",
                                             "Load",
                                             "Store",
                                             "GetElementPtr",
                                             "Fence",
                                             "AtomicCmpXchg",
                                             "AtomicRMW",
                                             "Trunc",
                                             "ZExt",
                                             "SExt",
                                             "FPToUI",
                                             "FPToSI",
                                             "UIToFP",
                                             "SIToFP",
                                             "FPTrunc",
                                             "FPExt",
                                             "PtrToInt",
                                             "IntToPtr",
                                             "BitCast",
                                             "AddrSpaceCast",
                                             "CleanupPad",
                                             "CatchPad",
                                             "ICmp",
                                             "FCmp",
                                             "PHI",
                                             "Call",
                                             "Select",
                                             "UserOp1",
                                             "UserOp2",
                                             "VAArg",
                                             "ExtractElement",
                                             "InsertElement",
                                             "ShuffleVector",
                                             "ExtractValue",
                                             "InsertValue",
                                             "LandingPad",
                                             "Freeze"};
  ASSERT_EQ(instCountNames().size(), kInstCountSize);
  ASSERT_EQ(expected.size(), kInstCountSize);
  for (size_t i = 0; i < kInstCountSize; ++i) {
    EXPECT_EQ(instCountNames()[i], expected[i] + "Count") << i;
  }
}

TEST(InstCount, EveryCounterOnAModuleWithEveryOpcode) {
  llvm::LLVMContext context;
  auto module = parse(context, kAllOpcodes);
  ASSERT_TRUE(module);
  const auto counts = byName(instCountNames(), instCount(*module));
  // Hand count; every counter not listed is 0 (UserOp1 and UserOp2 cannot occur in IR).
  std::map<std::string, int64_t> expected = {
      {"TotalInstsCount", 73}, {"TotalBlocksCount", 18}, {"TotalFuncsCount", 9}, {"RetCount", 6},
      {"BrCount", 2},          {"InvokeCount", 2},       {"ICmpCount", 2},
  };
  for (const char* once : {"Switch",
                           "IndirectBr",
                           "Resume",
                           "Unreachable",
                           "CleanupRet",
                           "CatchRet",
                           "CatchSwitch",
                           "CallBr",
                           "FNeg",
                           "Add",
                           "FAdd",
                           "Sub",
                           "FSub",
                           "Mul",
                           "FMul",
                           "UDiv",
                           "SDiv",
                           "FDiv",
                           "URem",
                           "SRem",
                           "FRem",
                           "Shl",
                           "LShr",
                           "AShr",
                           "And",
                           "Or",
                           "Xor",
                           "Alloca",
                           "Load",
                           "Store",
                           "GetElementPtr",
                           "Fence",
                           "AtomicCmpXchg",
                           "AtomicRMW",
                           "Trunc",
                           "ZExt",
                           "SExt",
                           "FPToUI",
                           "FPToSI",
                           "UIToFP",
                           "SIToFP",
                           "FPTrunc",
                           "FPExt",
                           "PtrToInt",
                           "IntToPtr",
                           "BitCast",
                           "AddrSpaceCast",
                           "CleanupPad",
                           "CatchPad",
                           "FCmp",
                           "PHI",
                           "Call",
                           "Select",
                           "VAArg",
                           "ExtractElement",
                           "InsertElement",
                           "ShuffleVector",
                           "ExtractValue",
                           "InsertValue",
                           "LandingPad",
                           "Freeze"}) {
    expected[std::string(once) + "Count"] = 1;
  }
  ASSERT_EQ(counts.size(), kInstCountSize);
  for (const auto& [name, value] : counts) {
    const auto it = expected.find(name);
    EXPECT_EQ(value, it == expected.end() ? 0 : it->second) << name;
  }
}

TEST(InstCount, TotalIsTheSumOfTheOpcodeCounters) {
  llvm::LLVMContext context;
  for (const char* ir : {kAllOpcodes, kAutophaseModule, kSmall}) {
    auto module = parse(context, ir);
    ASSERT_TRUE(module);
    const auto counts = instCount(*module);
    ASSERT_EQ(counts.size(), kInstCountSize);
    EXPECT_EQ(counts[0], std::accumulate(counts.begin() + 3, counts.end(), int64_t{0}));
    EXPECT_EQ(counts[0], irInstructionCount(*module));
    EXPECT_EQ(counts[2], static_cast<int64_t>(module->size()));
  }
}

TEST(InstCount, EmptyModule) {
  llvm::LLVMContext context;
  llvm::Module module("empty", context);
  EXPECT_EQ(instCount(module), std::vector<int64_t>(kInstCountSize, 0));
  EXPECT_EQ(autophase(module), std::vector<int64_t>(kAutophaseSize, 0));
  EXPECT_EQ(irInstructionCount(module), 0);
}

// --- Autophase -------------------------------------------------------------------------------

TEST(Autophase, NamesAreCompilerGymsInOrder) {
  const std::vector<std::string> expected = {
      "BBNumArgsHi",  "BBNumArgsLo",    "onePred",       "onePredOneSuc",  "onePredTwoSuc",
      "oneSuccessor", "twoPred",        "twoPredOneSuc", "twoEach",        "twoSuccessor",
      "morePreds",    "BB03Phi",        "BBHiPhi",       "BBNoPhi",        "BeginPhi",
      "BranchCount",  "returnInt",      "CriticalCount", "NumEdges",       "const32Bit",
      "const64Bit",   "numConstZeroes", "numConstOnes",  "UncondBranches", "binaryConstArg",
      "NumAShrInst",  "NumAddInst",     "NumAllocaInst", "NumAndInst",     "BlockMid",
      "BlockLow",     "NumBitCastInst", "NumBrInst",     "NumCallInst",    "NumGetElementPtrInst",
      "NumICmpInst",  "NumLShrInst",    "NumLoadInst",   "NumMulInst",     "NumOrInst",
      "NumPHIInst",   "NumRetInst",     "NumSExtInst",   "NumSelectInst",  "NumShlInst",
      "NumStoreInst", "NumSubInst",     "NumTruncInst",  "NumXorInst",     "NumZExtInst",
      "TotalBlocks",  "TotalInsts",     "TotalMemInst",  "TotalFuncs",     "ArgsPhi",
      "testUnary"};
  EXPECT_EQ(autophaseNames(), expected);
  EXPECT_EQ(autophaseNames().size(), kAutophaseSize);
}

// Blocks of kAutophaseModule, as (predecessors, successors, instructions, phis, phi values):
//   f.entry (0, 2, 4, 0, 0)   f.pre (1, 1, 1, 0, 0)   f.loop (2, 2, 11, 2, 4)
//   f.exit (2, 0, 4, 1, 2)    m.entry (0, 2, 1, 0, 0) m.l (1, 1, 1, 0, 0) m.r (1, 1, 1, 0, 0)
//   m.join (2, 0, 16, 4, 8)
// Edges: f.entry->pre, f.entry->exit*, f.pre->loop, f.loop->loop*, f.loop->exit*, m.entry->l,
// m.entry->r, m.l->join, m.r->join (* = critical).
// Integer-constant operands: i32 1 (alloca's implicit count), i32 0 (store), i32 0 (icmp),
// i32 0 and i64 1 (loop phis), i32 1 (add), i32 0 (exit phi); in @m the i64 phi values
// 1 2 0 3 4 5 6, shl 1, ashr 2, xor 1, select 0. So 6 x i32, 12 x i64, six 0s, six 1s.
TEST(Autophase, EveryFeatureOnAHandComputedModule) {
  llvm::LLVMContext context;
  auto module = parse(context, kAutophaseModule);
  ASSERT_TRUE(module);
  const std::map<std::string, int64_t> expected = {
      {"BBNumArgsHi", 1},     // m.join: 8 phi values
      {"BBNumArgsLo", 2},     // f.loop (4), f.exit (2)
      {"onePred", 3},         // f.pre, m.l, m.r
      {"onePredOneSuc", 3},   // the same three
      {"onePredTwoSuc", 0},   //
      {"oneSuccessor", 3},    // f.pre, m.l, m.r
      {"twoPred", 3},         // f.loop (pre + itself), f.exit, m.join
      {"twoPredOneSuc", 0},   //
      {"twoEach", 1},         // f.loop
      {"twoSuccessor", 3},    // f.entry, f.loop, m.entry
      {"morePreds", 0},       //
      {"BB03Phi", 2},         // f.loop, f.exit
      {"BBHiPhi", 1},         // m.join: 4 phis
      {"BBNoPhi", 5},         // the other five blocks
      {"BeginPhi", 3},        // f.loop, f.exit, m.join
      {"BranchCount", 6},     // every block but f.exit and m.join ends with br
      {"returnInt", 1},       // call @g (call @h returns void)
      {"CriticalCount", 3},   // see above
      {"NumEdges", 9},        // 5 in @f, 4 in @m
      {"const32Bit", 6},      //
      {"const64Bit", 12},     //
      {"numConstZeroes", 6},  //
      {"numConstOnes", 6},    //
      {"UncondBranches", 3},  // f.pre, m.l, m.r
      {"binaryConstArg", 4},  // add 1, shl 1, ashr 2, xor 1
      {"NumAShrInst", 1},    {"NumAddInst", 2},
      {"NumAllocaInst", 1},  {"NumAndInst", 1},
      {"BlockMid", 1},       {"BlockLow", 7},
      {"NumBitCastInst", 2}, {"NumBrInst", 6},
      {"NumCallInst", 2},    {"NumGetElementPtrInst", 1},
      {"NumICmpInst", 2},    {"NumLShrInst", 1},
      {"NumLoadInst", 1},    {"NumMulInst", 1},
      {"NumOrInst", 1},      {"NumPHIInst", 7},
      {"NumRetInst", 2},     {"NumSExtInst", 1},
      {"NumSelectInst", 1},  {"NumShlInst", 1},
      {"NumStoreInst", 1},   {"NumSubInst", 1},
      {"NumTruncInst", 1},   {"NumXorInst", 1},
      {"NumZExtInst", 1},    {"TotalBlocks", 8},
      {"TotalInsts", 39},    {"TotalMemInst", 6},  // gep + load + store + 2 calls + alloca
      {"TotalFuncs", 4},                           // @f, @m and the declarations @g, @h
      {"ArgsPhi", 14},                             // 4 + 2 + 8
      {"testUnary", 7},                            // alloca, zext, load, trunc, sext, 2 bitcasts
  };
  ASSERT_EQ(expected.size(), kAutophaseSize);
  const auto features = byName(autophaseNames(), autophase(*module));
  for (const auto& [name, value] : expected) EXPECT_EQ(features.at(name), value) << name;
}

// Duplicate CFG edges count with multiplicity, as in CompilerGym: the switch has three
// successors (two of them %a), so %a has two predecessors, and every edge of the switch is
// critical only when its target has several predecessors.
TEST(Autophase, DuplicateEdgesCountTwice) {
  llvm::LLVMContext context;
  auto module = parse(context, R"(
define void @s(i32 %x) {
entry:
  switch i32 %x, label %a [ i32 0, label %a
                            i32 1, label %b ]
a:
  ret void
b:
  ret void
}
)");
  ASSERT_TRUE(module);
  const auto features = byName(autophaseNames(), autophase(*module));
  EXPECT_EQ(features.at("NumEdges"), 3);
  EXPECT_EQ(features.at("CriticalCount"), 2);  // both edges to %a
  EXPECT_EQ(features.at("twoPred"), 1);        // %a
  EXPECT_EQ(features.at("onePred"), 1);        // %b
  EXPECT_EQ(features.at("twoSuccessor"), 0);   // three successors: not exported
  EXPECT_EQ(features.at("oneSuccessor"), 0);
  EXPECT_EQ(features.at("const32Bit"), 2);  // the case values
  EXPECT_EQ(features.at("numConstZeroes"), 1);
  EXPECT_EQ(features.at("numConstOnes"), 1);
}

TEST(Autophase, AgreesWithInstCount) {
  llvm::LLVMContext context;
  for (const char* ir : {kAllOpcodes, kAutophaseModule, kSmall}) {
    auto module = parse(context, ir);
    ASSERT_TRUE(module);
    const auto a = byName(autophaseNames(), autophase(*module));
    const auto c = byName(instCountNames(), instCount(*module));
    EXPECT_EQ(a.at("TotalInsts"), c.at("TotalInstsCount"));
    EXPECT_EQ(a.at("TotalBlocks"), c.at("TotalBlocksCount"));
    EXPECT_EQ(a.at("TotalFuncs"), c.at("TotalFuncsCount"));
    for (const char* op :
         {"AShr",   "Add",  "Alloca", "And", "BitCast", "Br",  "Call", "GetElementPtr",
          "ICmp",   "LShr", "Load",   "Mul", "Or",      "PHI", "Ret",  "SExt",
          "Select", "Shl",  "Store",  "Sub", "Trunc",   "Xor", "ZExt"}) {
      EXPECT_EQ(a.at(std::string("Num") + op + "Inst"), c.at(std::string(op) + "Count")) << op;
    }
    EXPECT_EQ(a.at("TotalMemInst"), c.at("GetElementPtrCount") + c.at("LoadCount") +
                                        c.at("StoreCount") + c.at("CallCount") +
                                        c.at("InvokeCount") + c.at("AllocaCount"));
  }
}

// --- IrSha1 ----------------------------------------------------------------------------------

TEST(IrSha1, FortyHexDigitsThatFollowTheModule) {
  llvm::LLVMContext context;
  auto module = parse(context, kSmall);
  ASSERT_TRUE(module);
  const std::string hash = irSha1(*module);
  ASSERT_EQ(hash.size(), 40u);
  EXPECT_EQ(hash.find_first_not_of("0123456789abcdef"), std::string::npos) << hash;
  EXPECT_EQ(irSha1(*module), hash);
  // The same IR parsed again hashes the same.
  llvm::LLVMContext otherContext;
  auto same = parse(otherContext, kSmall);
  ASSERT_TRUE(same);
  EXPECT_EQ(irSha1(*same), hash);
  // Any change of the module changes the hash.
  llvm::Function* function = module->getFunction("one");
  ASSERT_TRUE(function);
  function->getEntryBlock().getTerminator()->eraseFromParent();
  llvm::IRBuilder<> builder(&function->getEntryBlock());
  builder.CreateRet(function->getArg(0));
  EXPECT_NE(irSha1(*module), hash);
  EXPECT_EQ(irSha1(*module), irSha1(*module));
}

// --- ObjectTextSizeBytes ---------------------------------------------------------------------

TEST(ObjectTextSizeBytes, PositiveAndGrowsWithCode) {
  llvm::LLVMContext context;
  auto small = parse(context, kSmall);
  auto large = parse(context, kAutophaseModule);
  ASSERT_TRUE(small && large);
  int64_t smallSize = 0, largeSize = 0, again = 0;
  ASSERT_TRUE(objectTextSizeBytes(*small, &smallSize).ok());
  ASSERT_TRUE(objectTextSizeBytes(*large, &largeSize).ok());
  ASSERT_TRUE(objectTextSizeBytes(*small, &again).ok());
  EXPECT_GT(smallSize, 0);
  EXPECT_GT(largeSize, smallSize);
  EXPECT_EQ(again, smallSize);
  // The module itself is not changed by code generation.
  EXPECT_FALSE(llvm::verifyModule(*small));
  EXPECT_EQ(irInstructionCount(*small), 2);
}

// Sessions measure concurrently, each on a module of its own context.
TEST(ObjectTextSizeBytes, ConcurrentCallsOnSeparateContexts) {
  int64_t sizes[2] = {0, 0};
  std::vector<std::thread> threads;
  for (int64_t& size : sizes) {
    threads.emplace_back([&size] {
      llvm::LLVMContext context;
      auto module = parse(context, kAutophaseModule);
      if (module && !objectTextSizeBytes(*module, &size).ok()) size = -1;
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_GT(sizes[0], 0);
  EXPECT_EQ(sizes[0], sizes[1]);
}

TEST(ObjectTextSizeBytes, NullOutputIsInvalid) {
  llvm::LLVMContext context;
  auto module = parse(context, kSmall);
  ASSERT_TRUE(module);
  const Status status = objectTextSizeBytes(*module, nullptr);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
}

TEST(ObjectTextSizeBytes, UnknownTargetIsInvalid) {
  llvm::LLVMContext context;
  auto module =
      parse(context, std::string("target triple = \"nosucharch-unknown-none\"\n") + kSmall);
  ASSERT_TRUE(module);
  int64_t bytes = -1;
  const Status status = objectTextSizeBytes(*module, &bytes);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message().rfind("Failed to compute .text size cost", 0), 0u) << status.message();
  EXPECT_NE(status.message().find("nosucharch"), std::string::npos) << status.message();
  EXPECT_EQ(bytes, -1);
}

TEST(ObjectTextSizeBytes, InvalidModuleIsInvalid) {
  llvm::LLVMContext context;
  llvm::SMDiagnostic error;
  // The parser accepts a use that its definition does not dominate; the verifier does not.
  auto module = llvm::parseAssemblyString(R"(
define i32 @bad(i32 %x) {
  %a = add i32 %b, 1
  %b = add i32 %a, %x
  ret i32 %b
}
)",
                                          error, context);
  ASSERT_TRUE(module);
  int64_t bytes = -1;
  const Status status = objectTextSizeBytes(*module, &bytes);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("invalid module"), std::string::npos) << status.message();
}

// --- LexedIr ---------------------------------------------------------------------------------

struct Token {
  int64_t id;
  std::string kind, category, value;
};

std::vector<Token> lex(const llvm::Module& module) {
  LexedIr lexed;
  EXPECT_TRUE(lexedIr(module, &lexed).ok());
  const size_t n = lexed.id.size();
  EXPECT_EQ(lexed.kind.size(), n);
  EXPECT_EQ(lexed.category.size(), n);
  EXPECT_EQ(lexed.value.size(), n);
  std::vector<Token> tokens;
  for (size_t i = 0;
       i < n && i < lexed.kind.size() && i < lexed.category.size() && i < lexed.value.size(); ++i) {
    tokens.push_back({lexed.id[i], lexed.kind[i], lexed.category[i], lexed.value[i]});
  }
  return tokens;
}

TEST(LexedIr, TokensOfASmallFunction) {
  llvm::LLVMContext context;
  auto module = parse(context, R"(
@str = constant [3 x i8] c"a\22\00"
define double @one(i32 %x) {
  %y = add i32 %x, -1
  %z = add i64 0, 9223372036854775807
  ret double 1.5
}
)");
  ASSERT_TRUE(module);
  const auto tokens = lex(*module);
  ASSERT_FALSE(tokens.empty());
  std::vector<std::string> text;
  for (const Token& t : tokens) text.push_back(t.kind + "/" + t.category + "/" + t.value);
  const auto has = [&](const std::string& token) {
    return std::find(text.begin(), text.end(), token) != text.end();
  };
  EXPECT_TRUE(has("kw_define/keyword/"));
  EXPECT_TRUE(has("GlobalVar/strval/one"));
  EXPECT_TRUE(has("GlobalVar/strval/str"));
  EXPECT_TRUE(has("LocalVar/strval/x"));
  EXPECT_TRUE(has("kw_add/keyword/"));
  EXPECT_TRUE(has("Type/type/i32"));
  EXPECT_TRUE(has("Type/type/double"));
  EXPECT_TRUE(has("APSInt/apsint/-1"));
  EXPECT_TRUE(has("APSInt/apsint/9223372036854775807"));
  EXPECT_TRUE(has("APFloat/apfloat/1.5"));
  EXPECT_TRUE(has("StringConstant/strval/a\\22\\00"));  // escaped as in IR
  EXPECT_TRUE(has("comma/keyword/"));
  EXPECT_TRUE(has("equal/keyword/"));
  EXPECT_TRUE(has("kw_ret/keyword/"));
  // Attributes come from the generated part of LLVM's token enum.
  auto withAttribute = parse(context, "define void @f() nounwind { ret void }");
  ASSERT_TRUE(withAttribute);
  bool sawAttribute = false;
  for (const Token& t : lex(*withAttribute)) {
    sawAttribute |= t.kind == "kw_nounwind" && t.category == "keyword";
  }
  EXPECT_TRUE(sawAttribute);
  // A token id always has the same kind and category.
  std::map<int64_t, std::pair<std::string, std::string>> kindOf;
  for (const Token& t : tokens) {
    const auto [it, inserted] = kindOf.emplace(t.id, std::make_pair(t.kind, t.category));
    if (!inserted) {
      EXPECT_EQ(it->second, std::make_pair(t.kind, t.category));
    }
    EXPECT_NE(t.category, "marker") << "no error tokens in printed IR";
  }
}

TEST(LexedIr, NullOutputIsInvalid) {
  llvm::LLVMContext context;
  auto module = parse(context, kSmall);
  ASSERT_TRUE(module);
  EXPECT_EQ(lexedIr(*module, nullptr).code(), StatusCode::kInvalidArgument);
}

// --- CpuInfo ---------------------------------------------------------------------------------

TEST(CpuInfo, JsonWithCompilerGymsKeys) {
  const auto info = nlohmann::json::parse(cpuInfoJson());
  ASSERT_TRUE(info.is_object());
  ASSERT_TRUE(info.contains("name"));
  EXPECT_TRUE(info["name"].is_string());
  ASSERT_TRUE(info.contains("cores_count"));
  EXPECT_GE(info["cores_count"].get<int64_t>(), 1);
  for (const char* level : {"l1i", "l1d", "l2", "l3", "l4"}) {
    const std::string size = std::string(level) + "_cache_size";
    const std::string count = std::string(level) + "_cache_count";
    ASSERT_TRUE(info.contains(size)) << size;
    ASSERT_TRUE(info.contains(count)) << count;
    EXPECT_TRUE(info[size].is_number_integer());
    EXPECT_TRUE(info[count].is_number_integer());
    // A level is absent (size -1, no cache) or present (a size and at least one cache).
    EXPECT_EQ(info[size].get<int64_t>() == -1, info[count].get<int64_t>() == 0) << level;
  }
  EXPECT_EQ(info.size(), 12u);
  EXPECT_EQ(cpuInfoJson(), info.dump());
}

// --- A C program compiled by clang -----------------------------------------------------------

class CompiledProgram : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    directory_ = new fs::path(fs::temp_directory_path() /
                              ("cgym-features-test-" + std::to_string(::getpid())));
    fs::create_directories(*directory_);
    std::ofstream(*directory_ / "program.c") << R"(
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
struct node { int key; struct node* next; };
static int cmp(const void* a, const void* b) { return *(const int*)a - *(const int*)b; }
int sum(const int* v, int n) { int s = 0; for (int i = 0; i < n; ++i) s += v[i] * (i & 1 ? -1 : 1); return s; }
struct node* push(struct node* head, int key) {
  struct node* n = malloc(sizeof *n); n->key = key; n->next = head; return n;
}
int main(int argc, char** argv) {
  int v[64];
  for (int i = 0; i < 64; ++i) v[i] = (i * 7919) % 101;
  qsort(v, 64, sizeof v[0], cmp);
  struct node* list = NULL;
  for (int i = 0; i < argc; ++i) list = push(list, (int)strlen(argv[i]));
  switch (argc) { case 1: puts("one"); break; case 2: puts("two"); break; default: puts("many"); }
  double d = 0; for (struct node* n = list; n; n = n->next) d += n->key / 2.0;
  printf("%d %f\n", sum(v, 64), d);
  return 0;
}
)";
    const std::string command =
        std::string(CGYM_CLANG) + " -O1 -Xclang -disable-llvm-passes -emit-llvm -c " +
        (*directory_ / "program.c").string() + " -o " + (*directory_ / "program.bc").string();
    status_ = std::system(command.c_str());
  }
  static void TearDownTestSuite() {
    std::error_code ec;
    fs::remove_all(*directory_, ec);
    delete directory_;
  }
  void SetUp() override {
    ASSERT_EQ(status_, 0) << "clang failed";
    llvm::SMDiagnostic error;
    module_ = llvm::parseIRFile((*directory_ / "program.bc").string(), error, context_);
    ASSERT_TRUE(module_);
  }

  static fs::path* directory_;
  static int status_;
  llvm::LLVMContext context_;
  std::unique_ptr<llvm::Module> module_;
};
fs::path* CompiledProgram::directory_ = nullptr;
int CompiledProgram::status_ = -1;

TEST_F(CompiledProgram, FeaturesAreConsistent) {
  const auto counts = instCount(*module_);
  const auto features = autophase(*module_);
  ASSERT_EQ(counts.size(), kInstCountSize);
  ASSERT_EQ(features.size(), kAutophaseSize);
  for (int64_t value : counts) EXPECT_GE(value, 0);
  for (int64_t value : features) EXPECT_GE(value, 0);
  EXPECT_GT(counts[0], 100);
  EXPECT_EQ(counts[0], std::accumulate(counts.begin() + 3, counts.end(), int64_t{0}));
  EXPECT_EQ(counts[0], irInstructionCount(*module_));
  const auto a = byName(autophaseNames(), features);
  const auto c = byName(instCountNames(), counts);
  EXPECT_EQ(a.at("TotalInsts"), c.at("TotalInstsCount"));
  EXPECT_EQ(a.at("TotalBlocks"), c.at("TotalBlocksCount"));
  EXPECT_EQ(a.at("TotalFuncs"), c.at("TotalFuncsCount"));
  EXPECT_EQ(a.at("BranchCount"), a.at("NumBrInst"));
  EXPECT_EQ(a.at("BBNoPhi") + a.at("BB03Phi") + a.at("BBHiPhi"), a.at("TotalBlocks"));
  EXPECT_LE(a.at("BlockLow") + a.at("BlockMid"), a.at("TotalBlocks"));
  EXPECT_LE(a.at("CriticalCount"), a.at("NumEdges"));
  EXPECT_LE(a.at("UncondBranches"), a.at("BranchCount"));
  EXPECT_GT(a.at("NumCallInst"), 0);
  EXPECT_GT(a.at("returnInt"), 0);  // strlen, printf, sum, ...
  // Determinism.
  EXPECT_EQ(instCount(*module_), counts);
  EXPECT_EQ(autophase(*module_), features);
  EXPECT_EQ(irSha1(*module_), irSha1(*module_));
}

TEST_F(CompiledProgram, ObjectTextSizeAndLexedIr) {
  int64_t bytes = 0;
  const Status status = objectTextSizeBytes(*module_, &bytes);
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_GT(bytes, 100);
  const auto tokens = lex(*module_);
  EXPECT_GT(tokens.size(), static_cast<size_t>(irInstructionCount(*module_)));
  for (const Token& token : tokens) EXPECT_NE(token.category, "marker") << token.value;
}

// Runs a command and returns what it printed on stdout.
std::string output(const std::string& command) {
  std::string text;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return text;
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), pipe)) > 0) text.append(buffer, n);
  ::pclose(pipe);
  return text;
}

// IrSha1 is the hash that the bitcode writer stores in a module's bitcode when asked to
// (`opt --module-hash`, without use-list order as CompilerGym writes it), as shown by
// llvm-bcanalyzer: <HASH op0=... op4=.../>, five 32-bit words.
TEST_F(CompiledProgram, IrSha1IsTheBitcodeWritersModuleHash) {
  const fs::path tools = fs::path(CGYM_CLANG).parent_path();
  const fs::path hashed = *directory_ / "hashed.bc";
  const std::string opt = (tools / "opt").string() +
                          " --module-hash --preserve-bc-uselistorder=false " +
                          (*directory_ / "program.bc").string() + " -o " + hashed.string();
  ASSERT_EQ(std::system(opt.c_str()), 0);
  const std::string dump =
      output((tools / "llvm-bcanalyzer").string() + " -dump " + hashed.string());
  const size_t record = dump.find("<HASH ");
  ASSERT_NE(record, std::string::npos) << dump.substr(0, 2000);
  std::string expected;
  size_t at = record;
  for (int i = 0; i < 5; ++i) {
    const std::string field = "op" + std::to_string(i) + "=";
    at = dump.find(field, at);
    ASSERT_NE(at, std::string::npos) << dump.substr(record, 200);
    at += field.size();
    char word[9];
    std::snprintf(word, sizeof(word), "%08lx", std::stoul(dump.substr(at)));
    expected += word;
  }
  EXPECT_EQ(irSha1(*module_), expected);
}

// CompilerGym measures with `clang -c` of the IR and llvm-size; we emit in memory and must
// agree with that route on the same module.
TEST_F(CompiledProgram, ObjectTextSizeMatchesClangAndLlvmSize) {
  int64_t bytes = 0;
  ASSERT_TRUE(objectTextSizeBytes(*module_, &bytes).ok());
  const fs::path tools = fs::path(CGYM_CLANG).parent_path();
  const fs::path object = *directory_ / "program.o";
  const std::string compile = std::string(CGYM_CLANG) + " -w -xir " +
                              (*directory_ / "program.bc").string() + " -c -o " + object.string();
  ASSERT_EQ(std::system(compile.c_str()), 0);
  const std::string size = (tools / "llvm-size").string() + " " + object.string();
  // Berkeley format: a header line, then "text data bss dec hex filename".
  const std::string table = output(size);
  const size_t newline = table.find('\n');
  ASSERT_NE(newline, std::string::npos) << table;
  EXPECT_EQ(std::stoll(table.substr(newline + 1)), bytes) << table;
}

}  // namespace
}  // namespace cgym::llvm_env
