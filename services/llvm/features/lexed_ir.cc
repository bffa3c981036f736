// SPDX-License-Identifier: MIT
//
// LexedIr: the printed module cut into tokens by LLVM's own assembly lexer.
#include <array>
#include <string>

#include "features.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/APSInt.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/AsmParser/LLLexer.h"
#include "llvm/AsmParser/LLToken.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Type.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

namespace cgym::llvm_env {
namespace {

// The name of every lltok::Kind, in enum order (generated from the installed LLToken.h).
constexpr const char* kTokenKindNames[] = {
#include "lltoken_names.inc"
};
static_assert(std::size(kTokenKindNames) == llvm::lltok::APSInt + 1,
              "lltoken_names.inc does not match LLVM's lltok::Kind");

// The token categories, by the kind of value the lexer attaches to the token.
enum class Category { kMarker, kKeyword, kUIntVal, kStrVal, kType, kAPFloat, kAPSInt };
constexpr std::array<const char*, 7> kCategoryNames = {"marker", "keyword", "uintval", "strval",
                                                       "type",   "apfloat", "apsint"};

Category tokenCategory(llvm::lltok::Kind kind) {
  using namespace llvm::lltok;
  if (kind == Eof || kind == Error) return Category::kMarker;
  if (kind >= LabelID && kind <= SummaryID) return Category::kUIntVal;
  if (kind >= LabelStr && kind <= ChecksumKind) return Category::kStrVal;
  if (kind == Type) return Category::kType;
  if (kind == APFloat) return Category::kAPFloat;
  if (kind == APSInt) return Category::kAPSInt;
  return Category::kKeyword;
}

// The token's value as text. As CompilerGym does: unsigned values in decimal, string values
// with non-printable characters, backslashes and quotes escaped as \XX (LLVM's own string
// escape), types printed as in the IR, keywords without a value. Two deliberate differences
// from CompilerGym: floating-point values carry no trailing newline (CompilerGym's printing of
// APFloat appends one) and integers keep their sign (CompilerGym prints them unsigned, so
// that "-1" became "1").
std::string tokenValue(const llvm::LLLexer& lexer, Category category) {
  std::string value;
  llvm::raw_string_ostream os(value);
  switch (category) {
    case Category::kUIntVal:
      os << lexer.getUIntVal();
      break;
    case Category::kStrVal:
      llvm::printEscapedString(lexer.getStrVal(), os);
      break;
    case Category::kType:
      lexer.getTyVal()->print(os);
      break;
    case Category::kAPFloat: {
      llvm::SmallString<32> text;
      lexer.getAPFloatVal().toString(text);
      os << text;
      break;
    }
    case Category::kAPSInt: {
      const llvm::APSInt& integer = lexer.getAPSIntVal();
      integer.print(os, integer.isSigned());
      break;
    }
    case Category::kMarker:
    case Category::kKeyword:
      break;
  }
  return os.str();
}

}  // namespace

cgym::Status lexedIr(const llvm::Module& module, LexedIr* out) {
  if (!out) return Status(StatusCode::kInvalidArgument, "LexedIr: no output");
  std::string ir;
  {
    llvm::raw_string_ostream os(ir);
    module.print(os, /*AAW=*/nullptr);
  }

  LexedIr tokens;
  // Types are interned in a context of the lexer's own, so the module's context is only read.
  llvm::LLVMContext context;
  llvm::SourceMgr sourceManager;
  llvm::SMDiagnostic diagnostic;
  llvm::LLLexer lexer(ir, sourceManager, diagnostic, context);
  // As CompilerGym does, lexing stops at the end of the text, and error tokens are kept.
  for (llvm::lltok::Kind kind = lexer.Lex(); kind != llvm::lltok::Eof; kind = lexer.Lex()) {
    tokens.id.push_back(static_cast<int64_t>(kind));
    tokens.kind.emplace_back(kTokenKindNames[kind]);
    const Category category = tokenCategory(kind);
    tokens.category.emplace_back(kCategoryNames[static_cast<size_t>(category)]);
    tokens.value.push_back(tokenValue(lexer, category));
  }
  *out = std::move(tokens);
  return Status::OK();
}

}  // namespace cgym::llvm_env
