// Leaf-path splitting, the last IR pass (split_leaf_paths.cpp).
#pragma once

#include "llvm/IR/PassManager.h"

namespace boc::jit {

// Splits every function whose entry can reach a return without making a
// call: the function keeps those call-free blocks, and each edge out of them
// becomes a tail call of a clone that holds the rest.
struct SplitLeafPathsPass : llvm::PassInfoMixin<SplitLeafPathsPass> {
  llvm::PreservedAnalyses run(llvm::Module& module, llvm::ModuleAnalysisManager& mam);
};

}  // namespace boc::jit
