// Inlining small functions into behavior bodies (inline_small_calls.cpp).
#pragma once

#include <vector>

#include "llvm/IR/Module.h"

namespace boc::jit {

// Inlines every call that a behavior body (codegen::kBehaviorBodyAttribute)
// makes to a small, non-recursive, optimized function of the module. Returns
// the bodies that changed, which the caller of this optimizes again.
std::vector<llvm::Function*> inline_small_calls(llvm::Module& module);

}  // namespace boc::jit
