// Small questions about IR that the JIT's own passes (split_leaf_paths.cpp,
// loop_fast_copy.cpp) ask.
#pragma once

#include "llvm/IR/BasicBlock.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"

namespace boc::jit {

// Whether the block calls a function (the runtime, a script function), as
// opposed to an intrinsic that becomes inline code.
inline bool makes_call(const llvm::BasicBlock& block) {
  for (const llvm::Instruction& inst : block) {
    auto* call = llvm::dyn_cast<llvm::CallBase>(&inst);
    if (!call) continue;
    auto* intrinsic = llvm::dyn_cast<llvm::IntrinsicInst>(call);
    if (!intrinsic || llvm::isa<llvm::MemIntrinsic>(intrinsic)) return true;
  }
  return false;
}

// Where a use reads its value: a phi reads it at the end of the incoming block.
inline llvm::BasicBlock* use_block(const llvm::Use& use) {
  auto* user = llvm::cast<llvm::Instruction>(use.getUser());
  if (auto* phi = llvm::dyn_cast<llvm::PHINode>(user)) return phi->getIncomingBlock(use);
  return user->getParent();
}

}  // namespace boc::jit
