// SPDX-License-Identifier: MIT
//
// Observation features of the LLVM environment, as CompilerGym's LLVM service computes them.
// Pure functions of a module: they keep no state between calls and do not modify the module.
// Like everything that reads an LLVM module, a call must not run concurrently with a change
// to the module or to another module of the same LLVMContext.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"

namespace llvm {
class Module;
}  // namespace llvm

namespace cgym::llvm_env {

// InstCount: 70 counters, as CompilerGym orders them: TotalInsts, TotalBlocks, TotalFuncs,
// then one counter per opcode in the order of LLVM's Instruction.def (Ret, Br, ..., Freeze).
// TotalFuncs counts declarations too, and TotalInsts is the sum of the 67 opcode counters.
constexpr size_t kInstCountSize = 70;
std::vector<int64_t> instCount(const llvm::Module& module);
// The keys of CompilerGym's InstCountDict for the same positions: "TotalInstsCount",
// "TotalBlocksCount", "TotalFuncsCount", "RetCount", ..., "FreezeCount".
const std::vector<std::string>& instCountNames();

// Autophase: the 56 features of CompilerGym's Autophase space, in its order. The definitions,
// with the quirks that CompilerGym has and that we keep, are documented in features.cc.
constexpr size_t kAutophaseSize = 56;
std::vector<int64_t> autophase(const llvm::Module& module);
// The names of the Autophase features (the keys of CompilerGym's AutophaseDict).
const std::vector<std::string>& autophaseNames();

// IrInstructionCount: the number of instructions in the module (= instCount(m)[0]).
int64_t irInstructionCount(const llvm::Module& module);

// IrSha1: the 160-bit module hash that LLVM's bitcode writer computes, as five zero-padded
// 8-digit lowercase hex words (40 characters). Not the SHA-1 of the printed IR.
std::string irSha1(const llvm::Module& module);

// ObjectTextSizeBytes: lowers a copy of the module to an object file in memory, as CompilerGym
// does with `clang -c` (no -O flag: -O0 code generation, PIC, the module's target triple or
// else the host's), and returns the Berkeley "text" size that CompilerGym reads from
// llvm-size: the sum of the sizes of all allocated sections that are executable or not
// writable (code, read-only data, unwind tables). Errors: INVALID_ARGUMENT if `bytes` is null,
// the module does not verify or its target is not available; INTERNAL if code generation
// fails. Messages start with "Failed to compute .text size cost", as CompilerGym's do.
cgym::Status objectTextSizeBytes(const llvm::Module& module, int64_t* bytes);
// The same on a module the caller gives away (code generation lowers it in place), without
// the copy; `verified` skips the verification when the caller has just verified the module.
cgym::Status objectTextSizeBytes(std::unique_ptr<llvm::Module> module, bool verified,
                                 int64_t* bytes);

// LexedIr: the printed IR cut into tokens by LLVM's assembly lexer, as four aligned lists:
// the lexer's token kind number, the kind's name (e.g. "kw_define", "LocalVar"), its category
// ("marker", "keyword", "uintval", "strval", "type", "apfloat" or "apsint") and the token's
// value (empty for keywords). Sessions send it as a dict event of four tensors "token_id",
// "token_kind", "token_category" and "token_value". Error: INVALID_ARGUMENT if `out` is null.
struct LexedIr {
  std::vector<int64_t> id;
  std::vector<std::string> kind;
  std::vector<std::string> category;
  std::vector<std::string> value;
};
cgym::Status lexedIr(const llvm::Module& module, LexedIr* out);

// CpuInfo: the host CPU as a JSON object with "name", "cores_count" and, for each cache level
// l1i, l1d, l2, l3 and l4, "<level>_cache_size" (bytes, -1 when the machine has no such
// cache) and "<level>_cache_count" (the number of such caches, 0 when absent). Read from
// /proc/cpuinfo and /sys/devices/system/cpu.
std::string cpuInfoJson();

}  // namespace cgym::llvm_env
