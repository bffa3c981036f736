// SPDX-License-Identifier: MIT
// Makes a program that both LLVM services can load: CompilerGym's LLVM service is LLVM 10 and
// takes only bitcode, which LLVM 10 cannot read when LLVM 16 writes it as usual (opaque
// pointers, attributes newer than LLVM 10). This compiles a C file with clang-16 and
// CompilerGym's flags, in typed-pointer mode, drops every attribute and module flag that LLVM 10
// does not know, and writes the bitcode. The same file then goes to both services.
//   cgym_bench_llvm10_program SOURCE.c OUT.bc [clang flags...]
#include <llvm/Bitcode/BitcodeWriter.h>
#include <llvm/IR/Attributes.h>
#include <llvm/IR/Constants.h>
#include <llvm/IR/Function.h>
#include <llvm/IR/InstrTypes.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/Verifier.h>
#include <llvm/IRReader/IRReader.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/SourceMgr.h>
#include <llvm/Support/raw_ostream.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

[[noreturn]] void fail(const std::string& message) {
  std::fprintf(stderr, "cgym_bench_llvm10_program: %s\n", message.c_str());
  std::exit(1);
}

// The attributes kept: those LLVM 10 reads, minus nofree and nosync (LLVM 10 knows them, but
// its front end did not emit them where clang-16 does). UWTable is left out: LLVM 16 writes it
// as an integer attribute, which LLVM 10's reader misparses.
bool llvm10EnumAttribute(llvm::Attribute::AttrKind kind) {
  using A = llvm::Attribute;
  switch (kind) {
    case A::AlwaysInline:
    case A::Builtin:
    case A::Cold:
    case A::Convergent:
    case A::ImmArg:
    case A::InReg:
    case A::InlineHint:
    case A::JumpTable:
    case A::MinSize:
    case A::Naked:
    case A::Nest:
    case A::NoAlias:
    case A::NoBuiltin:
    case A::NoCapture:
    case A::NoCfCheck:
    case A::NoDuplicate:
    case A::NoImplicitFloat:
    case A::NoInline:
    case A::NonLazyBind:
    case A::NonNull:
    case A::NoRecurse:
    case A::NoRedZone:
    case A::NoReturn:
    case A::NoUnwind:
    case A::OptForFuzzing:
    case A::OptimizeForSize:
    case A::OptimizeNone:
    case A::ReadNone:
    case A::ReadOnly:
    case A::Returned:
    case A::ReturnsTwice:
    case A::SExt:
    case A::SafeStack:
    case A::SanitizeAddress:
    case A::SanitizeMemTag:
    case A::SanitizeMemory:
    case A::SanitizeThread:
    case A::SanitizeHWAddress:
    case A::ShadowCallStack:
    case A::Speculatable:
    case A::SpeculativeLoadHardening:
    case A::StackProtect:
    case A::StackProtectReq:
    case A::StackProtectStrong:
    case A::StrictFP:
    case A::SwiftError:
    case A::SwiftSelf:
    case A::WillReturn:
    case A::WriteOnly:
    case A::ZExt:
    // Integer attributes LLVM 10 decodes.
    case A::Alignment:
    case A::StackAlignment:
    case A::Dereferenceable:
    case A::DereferenceableOrNull:
    case A::AllocSize:
    // The one type attribute LLVM 10 decodes.
    case A::ByVal:
      return true;
    default:
      return false;
  }
}

llvm::AttributeSet llvm10Set(llvm::LLVMContext& context, llvm::AttributeSet set) {
  llvm::AttrBuilder kept(context);
  for (const llvm::Attribute& attribute : set) {
    if (attribute.isStringAttribute()) {
      const llvm::StringRef kind = attribute.getKindAsString();
      if (kind != "tune-cpu" && kind != "min-legal-vector-width") kept.addAttribute(attribute);
    } else if (llvm10EnumAttribute(attribute.getKindAsEnum())) {
      kept.addAttribute(attribute);
    }
  }
  return llvm::AttributeSet::get(context, kept);
}

llvm::AttributeList llvm10List(llvm::LLVMContext& context, llvm::AttributeList list) {
  std::vector<llvm::AttributeSet> params;
  // Sets are stored as function, return, then one per parameter.
  for (unsigned i = 0; i + 2 < list.getNumAttrSets(); ++i) {
    params.push_back(llvm10Set(context, list.getParamAttrs(i)));
  }
  return llvm::AttributeList::get(context, llvm10Set(context, list.getFnAttrs()),
                                  llvm10Set(context, list.getRetAttrs()), params);
}

void run(std::vector<std::string> argv) {
  std::vector<char*> args;
  for (std::string& arg : argv) args.push_back(arg.data());
  args.push_back(nullptr);
  const pid_t pid = fork();
  if (pid < 0) fail("fork failed");
  if (pid == 0) {
    execv(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) fail(argv[0] + " failed");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) fail("usage: cgym_bench_llvm10_program SOURCE.c OUT.bc [clang flags...]");
  const std::string source = argv[1], out = argv[2];
  const std::string text = out + ".typed.ll";
  // CompilerGym's flags for C sources, with typed pointers (LLVM 16 still writes them).
  std::vector<std::string> clang = {std::string(CGYM_LLVM_TOOLS_DIR) + "/clang",
                                    "-std=c99",
                                    "-ffp-contract=off",
                                    "-O1",
                                    "-Xclang",
                                    "-disable-llvm-passes",
                                    "-Xclang",
                                    "-disable-llvm-optzns",
                                    "-Xclang",
                                    "-no-opaque-pointers",
                                    "-emit-llvm",
                                    "-S",
                                    "-w",
                                    source,
                                    "-o",
                                    text};
  for (int i = 3; i < argc; ++i) {
    // Link flags (e.g. -lm) do not apply to -S.
    if (std::string(argv[i]).rfind("-l", 0) != 0) clang.push_back(argv[i]);
  }
  run(clang);

  llvm::LLVMContext context;
  context.setOpaquePointers(false);
  llvm::SMDiagnostic error;
  std::unique_ptr<llvm::Module> module = llvm::parseIRFile(text, error, context);
  if (!module) fail(text + ": " + error.getMessage().str());
  std::remove(text.c_str());

  // Intrinsic declarations get LLVM 16's attributes (memory(...), nocallback) when they are
  // created, whatever the text says: strip them from the module, not from the text.
  for (llvm::Function& function : *module) {
    function.setAttributes(llvm10List(context, function.getAttributes()));
    for (llvm::BasicBlock& block : function) {
      for (llvm::Instruction& instruction : block) {
        if (auto* call = llvm::dyn_cast<llvm::CallBase>(&instruction)) {
          call->setAttributes(llvm10List(context, call->getAttributes()));
        }
      }
    }
  }
  // Module flag behaviours Max (7) and Min (8) are newer than LLVM 10.
  if (llvm::NamedMDNode* flags = module->getModuleFlagsMetadata()) {
    std::vector<llvm::MDNode*> kept;
    for (llvm::MDNode* flag : flags->operands()) {
      auto* behaviour = llvm::mdconst::dyn_extract_or_null<llvm::ConstantInt>(flag->getOperand(0));
      if (behaviour && behaviour->getZExtValue() <= 6) kept.push_back(flag);
    }
    flags->clearOperands();
    for (llvm::MDNode* flag : kept) flags->addOperand(flag);
  }
  module->setModuleIdentifier("-");
  module->setSourceFileName("-");
  if (llvm::verifyModule(*module, &llvm::errs())) fail("the stripped module is invalid");

  std::error_code code;
  llvm::raw_fd_ostream os(out, code, llvm::sys::fs::OF_None);
  if (code) fail(out + ": " + code.message());
  llvm::WriteBitcodeToFile(*module, os);
  return 0;
}
