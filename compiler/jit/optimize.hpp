// The IR pass pipeline every module runs before code generation.
#pragma once

#include "llvm/IR/Module.h"

namespace boc::jit {

void optimize_module(llvm::Module& module);

}  // namespace boc::jit
