// SPDX-License-Identifier: MIT
//
// ObjectTextSizeBytes: code generation in memory, then the object's Berkeley "text" size.
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "features.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Verifier.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/CodeGen.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/Transforms/Utils/Cloning.h"

namespace cgym::llvm_env {
namespace {

constexpr const char* kErrorPrefix = "Failed to compute .text size cost: ";

Status error(StatusCode code, const std::string& message) {
  return Status(code, kErrorPrefix + message);
}

void initializeNativeTarget() {
  static std::once_flag once;
  std::call_once(once, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    // Modules with inline assembly need the assembly parser to emit an object.
    llvm::InitializeNativeTargetAsmParser();
  });
}

}  // namespace

cgym::Status objectTextSizeBytes(const llvm::Module& module, int64_t* bytes) {
  if (!bytes) return error(StatusCode::kInvalidArgument, "no output argument");
  // Code generation changes the IR it lowers, so it works on a copy.
  return objectTextSizeBytes(llvm::CloneModule(module), /*verified=*/false, bytes);
}

cgym::Status objectTextSizeBytes(std::unique_ptr<llvm::Module> module, bool verified,
                                 int64_t* bytes) {
  if (!bytes) return error(StatusCode::kInvalidArgument, "no output argument");
  if (!module) return error(StatusCode::kInvalidArgument, "no module");
  initializeNativeTarget();
  llvm::Module* copy = module.get();
  if (!verified) {
    std::string verifierMessages;
    llvm::raw_string_ostream verifierStream(verifierMessages);
    if (llvm::verifyModule(*copy, &verifierStream)) {
      return error(StatusCode::kInvalidArgument, "invalid module: " + verifierStream.str());
    }
  }

  // As `clang -c` does with IR input: the module's triple (else the host's default), the
  // generic CPU of the architecture, position-independent code (Debian's clang builds PIE by
  // default), no optimisation of the generated code (no -O flag), and at -O0 clang also has
  // the assembler relax every branch to its long form (-mrelax-all), which changes the size.
  std::string triple = copy->getTargetTriple();
  if (triple.empty()) triple = llvm::sys::getDefaultTargetTriple();
  std::string lookupError;
  const llvm::Target* target = llvm::TargetRegistry::lookupTarget(triple, lookupError);
  if (!target) {
    return error(StatusCode::kInvalidArgument,
                 "no code generator for target \"" + triple + "\": " + lookupError);
  }
  const llvm::Triple parsedTriple(triple);
  const std::string cpu = parsedTriple.getArch() == llvm::Triple::x86_64 ? "x86-64" : "";
  llvm::TargetOptions options;
  options.MCOptions.MCRelaxAll = true;
  options.UseInitArray = true;
  std::unique_ptr<llvm::TargetMachine> machine(
      target->createTargetMachine(triple, cpu, /*Features=*/"", options, llvm::Reloc::PIC_,
                                  std::nullopt, llvm::CodeGenOpt::None));
  if (!machine) {
    return error(StatusCode::kInternal, "cannot create a target machine for \"" + triple + "\"");
  }
  copy->setTargetTriple(triple);
  copy->setDataLayout(machine->createDataLayout());

  llvm::SmallVector<char, 0> object;
  {
    llvm::raw_svector_ostream os(object);
    llvm::legacy::PassManager passes;
    // The module was verified above or by the caller: no second verification in the pipeline.
    if (machine->addPassesToEmitFile(passes, os, /*DwoOut=*/nullptr, llvm::CGFT_ObjectFile,
                                     /*DisableVerify=*/true)) {
      return error(StatusCode::kInternal, "target \"" + triple + "\" cannot emit object files");
    }
    passes.run(*copy);
  }

  auto objectFile = llvm::object::ObjectFile::createObjectFile(
      llvm::MemoryBufferRef(llvm::StringRef(object.data(), object.size()), "object"));
  if (!objectFile) {
    return error(StatusCode::kInternal, llvm::toString(objectFile.takeError()));
  }
  // llvm-size's Berkeley "text" column, which CompilerGym reads.
  uint64_t text = 0;
  for (const llvm::object::SectionRef& section : (*objectFile)->sections()) {
    if (section.isBerkeleyText()) text += section.getSize();
  }
  *bytes = static_cast<int64_t>(text);
  return Status::OK();
}

}  // namespace cgym::llvm_env
