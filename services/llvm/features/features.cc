// SPDX-License-Identifier: MIT
//
// InstCount, Autophase, IrInstructionCount and IrSha1.
#include <array>
#include <cstdio>

#include "features.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Analysis/CFG.h"
#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/IR/CFG.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/InstrTypes.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Module.h"

namespace cgym::llvm_env {
namespace {

// Opcode numbers run from 1 (Ret) to Instruction::OtherOpsEnd - 1 (Freeze).
constexpr unsigned kNumOpcodes = llvm::Instruction::OtherOpsEnd - 1;
static_assert(kNumOpcodes + 3 == kInstCountSize,
              "LLVM's Instruction.def no longer has the 67 opcodes of CompilerGym's InstCount");

// Per-opcode instruction counts of a module, indexed by opcode.
using OpcodeCounts = std::array<int64_t, kNumOpcodes + 1>;

}  // namespace

std::vector<int64_t> instCount(const llvm::Module& module) {
  std::vector<int64_t> features(kInstCountSize, 0);
  for (const llvm::Function& function : module) {
    ++features[2];  // Declarations count, as CompilerGym visits every function.
    for (const llvm::BasicBlock& block : function) {
      ++features[1];
      for (const llvm::Instruction& inst : block) {
        ++features[0];
        ++features[2 + inst.getOpcode()];
      }
    }
  }
  return features;
}

const std::vector<std::string>& instCountNames() {
  static const std::vector<std::string> names = {
      "TotalInstsCount",
      "TotalBlocksCount",
      "TotalFuncsCount",
  // One name per opcode, in Instruction.def's order: the names CompilerGym uses.
#define HANDLE_INST(N, OPCODE, CLASS) #OPCODE "Count",
#include "llvm/IR/Instruction.def"
  };
  return names;
}

int64_t irInstructionCount(const llvm::Module& module) {
  return static_cast<int64_t>(module.getInstructionCount());
}

// Autophase, as CompilerGym computes it. Features are counted over every function of the
// module in order, and over every block of each function. The non-obvious choices, all kept
// for compatibility with CompilerGym:
// - TotalFuncs counts declarations (CompilerGym visits every function).
// - Predecessors and successors are counted with multiplicity: a `switch` with two cases to
//   the same block, or a `br` whose two targets are equal, gives that block two
//   predecessors and the switch two successors. Only terminators are predecessors.
// - The predecessor/successor combinations (onePredOneSuc, onePredTwoSuc, twoPredOneSuc,
//   twoEach) are exact counts: one predecessor AND one successor, etc.
// - CriticalCount uses LLVM's isCriticalEdge without allowing identical edges: an edge is
//   critical when its source has more than one successor and its target more than one
//   predecessor, duplicates included.
// - const32Bit, const64Bit, numConstZeroes and numConstOnes look at the direct operands of
//   every instruction that are integer constants (ConstantInt), so they include the
//   implicit `i32 1` element count of every `alloca`, `switch` case values, phi incoming
//   values and `i1 true`/`false` (which count as ones/zeroes); constants nested inside
//   constant expressions and vector constants are not counted. A constant 1 is never also
//   counted as a zero, whatever its width.
// - returnInt counts `call` instructions (not `invoke`/`callbr`) with a known callee
//   (intrinsics included) whose return type is an integer type (i1 included).
// - binaryConstArg counts binary operators (add ... xor, the floating-point ones included)
//   with any Constant operand: integers, floats, undef, poison, globals, constant
//   expressions.
// - testUnary counts LLVM's UnaryInstruction class: alloca, load, every cast, va_arg,
//   extractvalue, fneg and freeze.
// - BeginPhi counts blocks whose first instruction is a phi; BB03Phi counts blocks with 1 to
//   3 phis; BBNumArgsLo / BBNumArgsHi count blocks whose phis have 1-5 / more than 5
//   incoming values in total.
// - BlockLow counts blocks of fewer than 15 instructions, BlockMid of 15 to 500.
// - BranchCount and NumBrInst are both the number of `br` instructions.
// - TotalMemInst = getelementptr + load + store + call + invoke + alloca.
std::vector<int64_t> autophase(const llvm::Module& module) {
  int64_t bbNumArgsHi = 0, bbNumArgsLo = 0, onePred = 0, onePredOneSuc = 0, onePredTwoSuc = 0,
          oneSuccessor = 0, twoPred = 0, twoPredOneSuc = 0, twoEach = 0, twoSuccessor = 0,
          morePreds = 0, bb03Phi = 0, bbHiPhi = 0, bbNoPhi = 0, beginPhi = 0, branchCount = 0,
          returnInt = 0, criticalCount = 0, numEdges = 0, const32Bit = 0, const64Bit = 0,
          numConstZeroes = 0, numConstOnes = 0, uncondBranches = 0, binaryConstArg = 0,
          blockMid = 0, blockLow = 0, totalBlocks = 0, totalInsts = 0, totalFuncs = 0, argsPhi = 0,
          testUnary = 0;
  OpcodeCounts op{};

  for (const llvm::Function& function : module) {
    ++totalFuncs;
    for (const llvm::BasicBlock& block : function) {
      ++totalBlocks;
      const llvm::Instruction* term = block.getTerminator();
      const unsigned numSuccessors = term ? term->getNumSuccessors() : 0;
      for (unsigned i = 0; i < numSuccessors; ++i) {
        ++numEdges;
        if (llvm::isCriticalEdge(term, i)) ++criticalCount;
      }
      int64_t numPreds = 0;
      for (auto it = llvm::pred_begin(&block), end = llvm::pred_end(&block); it != end; ++it) {
        ++numPreds;
      }
      if (numSuccessors == 1) {
        ++oneSuccessor;
      } else if (numSuccessors == 2) {
        ++twoSuccessor;
      }
      if (numPreds == 1) {
        ++onePred;
      } else if (numPreds == 2) {
        ++twoPred;
      } else if (numPreds > 2) {
        ++morePreds;
      }
      if (numPreds == 1 && numSuccessors == 1) {
        ++onePredOneSuc;
      } else if (numPreds == 2 && numSuccessors == 1) {
        ++twoPredOneSuc;
      } else if (numPreds == 1 && numSuccessors == 2) {
        ++onePredTwoSuc;
      } else if (numPreds == 2 && numSuccessors == 2) {
        ++twoEach;
      }

      int64_t instructions = 0, phis = 0, phiArgs = 0;
      for (const llvm::Instruction& inst : block) {
        ++totalInsts;
        ++op[inst.getOpcode()];
        if (const auto* br = llvm::dyn_cast<llvm::BranchInst>(&inst)) {
          ++branchCount;
          if (br->isUnconditional()) ++uncondBranches;
        }
        for (const llvm::Use& operand : inst.operands()) {
          const auto* c = llvm::dyn_cast<llvm::ConstantInt>(operand.get());
          if (!c) continue;
          const llvm::APInt& value = c->getValue();
          if (value.getBitWidth() == 32) {
            ++const32Bit;
          } else if (value.getBitWidth() == 64) {
            ++const64Bit;
          }
          if (value == 1) {
            ++numConstOnes;
          } else if (value == 0) {
            ++numConstZeroes;
          }
        }
        if (const auto* call = llvm::dyn_cast<llvm::CallInst>(&inst)) {
          const llvm::Function* callee = call->getCalledFunction();
          if (callee && callee->getReturnType()->isIntegerTy()) ++returnInt;
        }
        if (llvm::isa<llvm::UnaryInstruction>(inst)) ++testUnary;
        if (llvm::isa<llvm::BinaryOperator>(inst) &&
            (llvm::isa<llvm::Constant>(inst.getOperand(0)) ||
             llvm::isa<llvm::Constant>(inst.getOperand(1)))) {
          ++binaryConstArg;
        }
        if (const auto* phi = llvm::dyn_cast<llvm::PHINode>(&inst)) {
          if (instructions == 0) ++beginPhi;
          ++phis;
          phiArgs += phi->getNumIncomingValues();
        }
        ++instructions;
      }
      argsPhi += phiArgs;
      if (phis == 0) {
        ++bbNoPhi;
      } else if (phis <= 3) {
        ++bb03Phi;
      } else {
        ++bbHiPhi;
      }
      if (phiArgs > 5) {
        ++bbNumArgsHi;
      } else if (phiArgs >= 1) {
        ++bbNumArgsLo;
      }
      if (instructions < 15) {
        ++blockLow;
      } else if (instructions <= 500) {
        ++blockMid;
      }
    }
  }

  using I = llvm::Instruction;
  const int64_t totalMemInst = op[I::GetElementPtr] + op[I::Load] + op[I::Store] + op[I::Call] +
                               op[I::Invoke] + op[I::Alloca];
  return {bbNumArgsHi,  bbNumArgsLo,    onePred,       onePredOneSuc,  onePredTwoSuc,
          oneSuccessor, twoPred,        twoPredOneSuc, twoEach,        twoSuccessor,
          morePreds,    bb03Phi,        bbHiPhi,       bbNoPhi,        beginPhi,
          branchCount,  returnInt,      criticalCount, numEdges,       const32Bit,
          const64Bit,   numConstZeroes, numConstOnes,  uncondBranches, binaryConstArg,
          op[I::AShr],  op[I::Add],     op[I::Alloca], op[I::And],     blockMid,
          blockLow,     op[I::BitCast], op[I::Br],     op[I::Call],    op[I::GetElementPtr],
          op[I::ICmp],  op[I::LShr],    op[I::Load],   op[I::Mul],     op[I::Or],
          op[I::PHI],   op[I::Ret],     op[I::SExt],   op[I::Select],  op[I::Shl],
          op[I::Store], op[I::Sub],     op[I::Trunc],  op[I::Xor],     op[I::ZExt],
          totalBlocks,  totalInsts,     totalMemInst,  totalFuncs,     argsPhi,
          testUnary};
}

const std::vector<std::string>& autophaseNames() {
  static const std::vector<std::string> names = {
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
      "testUnary",
  };
  return names;
}

std::string irSha1(const llvm::Module& module) {
  // The hash is a by-product of writing bitcode; the bitcode itself is discarded.
  llvm::SmallVector<char, 0> buffer;
  llvm::BitcodeWriter writer(buffer);
  llvm::ModuleHash hash{};
  writer.writeModule(module, /*ShouldPreserveUseListOrder=*/false, /*Index=*/nullptr,
                     /*GenerateHash=*/true, &hash);
  std::string hex(hash.size() * 8, '0');
  char word[9];
  for (size_t i = 0; i < hash.size(); ++i) {
    std::snprintf(word, sizeof(word), "%08x", static_cast<unsigned>(hash[i]));
    hex.replace(i * 8, 8, word);
  }
  return hex;
}

}  // namespace cgym::llvm_env
