// For tests of the IR passes: hand-written IR through the whole pipeline.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "compiler/jit/optimize.hpp"
#include "llvm/AsmParser/Parser.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

namespace boc::test {

// Parses `ir`, runs optimize_module on it and checks the result with LLVM's
// verifier. Null (with a test failure) when `ir` does not parse.
inline std::unique_ptr<llvm::Module> optimized_module(llvm::LLVMContext& llvm, const std::string& ir) {
  llvm::SMDiagnostic error;
  std::unique_ptr<llvm::Module> module = llvm::parseAssemblyString(ir, error, llvm);
  EXPECT_TRUE(module) << error.getMessage().str();
  if (!module) return nullptr;
  jit::optimize_module(*module);
  std::string problems;
  llvm::raw_string_ostream out(problems);
  EXPECT_FALSE(llvm::verifyModule(*module, &out)) << problems;
  return module;
}

}  // namespace boc::test
