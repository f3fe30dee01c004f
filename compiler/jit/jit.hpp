// The JIT stage: turns LLVM modules from codegen into native code in this
// process, and binds the runtime entry points that compiled code calls.
//
// Design note: one LLJIT per engine; runtime symbols are bound from an
// explicit table (runtime_symbols.cpp) instead of exporting the whole process.
// Every module is optimized with the O2 pipeline before code generation: the
// benchmarks run hot loops at top level too, and a small module costs a few
// milliseconds (see ../shared/JIT.md for the measured costs).
#pragma once

#include <memory>
#include <string>

#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/ExecutionEngine/Orc/ThreadSafeModule.h"
#include "llvm/Support/Error.h"

namespace boc::jit {

class Jit {
 public:
  static llvm::Expected<std::unique_ptr<Jit>> create(bool optimize = true);

  const llvm::DataLayout& data_layout() const { return jit_->getDataLayout(); }
  const llvm::Triple& target_triple() const { return jit_->getTargetTriple(); }

  // Compiles `module` (eagerly); its symbols become visible to later modules.
  llvm::Error add_module(llvm::orc::ThreadSafeModule module);
  // Address of a compiled function.
  llvm::Expected<void*> lookup(const std::string& name);

 private:
  explicit Jit(std::unique_ptr<llvm::orc::LLJIT> jit) : jit_(std::move(jit)) {}
  std::unique_ptr<llvm::orc::LLJIT> jit_;
};

}  // namespace boc::jit
