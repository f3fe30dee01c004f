// Loop fast copies, an IR pass after the function pipeline
// (loop_fast_copy.cpp).
#pragma once

#include "llvm/IR/PassManager.h"

namespace boc::jit {

// Gives every innermost loop whose slow paths call the runtime a copy that
// those calls continue in, so that the loop itself only ever sees the values
// of its inline fast paths.
struct LoopFastCopyPass : llvm::PassInfoMixin<LoopFastCopyPass> {
  llvm::PreservedAnalyses run(llvm::Module& module, llvm::ModuleAnalysisManager& mam);
};

}  // namespace boc::jit
