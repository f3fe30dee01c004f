// The one shape of every inline fast path: a guard picks between code for
// the common case and the runtime call that handles everything else.
//
// Keeping the branch, the weights and the join in one place means each fast
// path (ints, lists, loops) only says what its two sides compute.
#include "compiler/codegen/emitter.hpp"
#include "llvm/IR/MDBuilder.h"

namespace boc::codegen::detail {

llvm::Value* Emitter::emit_fast_path(llvm::Value* guard, FastSide fast, SlowSide slow) {
  llvm::BasicBlock* fast_block = new_block("fast");
  llvm::BasicBlock* slow_block = new_block("slow");
  llvm::BasicBlock* done = new_block("fast_done");
  b_.CreateCondBr(guard, fast_block, slow_block,
                  llvm::MDBuilder(llvm_).createBranchWeights(1000, 1));
  b_.SetInsertPoint(fast_block);
  llvm::Value* fast_result = fast(slow_block);
  llvm::BasicBlock* fast_end = b_.GetInsertBlock();
  b_.CreateBr(done);
  b_.SetInsertPoint(slow_block);
  llvm::Value* slow_result = slow();
  llvm::BasicBlock* slow_end = b_.GetInsertBlock();
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
  if (!fast_result) return nullptr;
  llvm::PHINode* phi = b_.CreatePHI(fast_result->getType(), 2);
  phi->addIncoming(fast_result, fast_end);
  phi->addIncoming(slow_result, slow_end);
  return phi;
}

void Emitter::bail_if(llvm::Value* bad, llvm::BasicBlock* slow) {
  llvm::BasicBlock* go = new_block("fast_ok");
  b_.CreateCondBr(bad, slow, go, llvm::MDBuilder(llvm_).createBranchWeights(1, 1000));
  b_.SetInsertPoint(go);
}

}  // namespace boc::codegen::detail
