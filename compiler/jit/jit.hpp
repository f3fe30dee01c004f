// The JIT stage: turns LLVM modules from codegen into native code in this
// process, and binds the runtime entry points that compiled code calls.
//
// Design note: one LLJIT per engine; runtime symbols are bound from an
// explicit table (runtime_symbols.cpp) instead of exporting the whole process.
// Every module is optimized (optimize.cpp) before code generation: the
// benchmarks run hot loops at top level too, and a small module costs a few
// milliseconds (see ../shared/JIT.md for the measured costs). With a cache
// directory, a module compiled by an earlier process is loaded from its
// object instead (object_cache.hpp). Only a module about to be compiled is
// verified (add_module): a cached one passed when it was compiled.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "compiler/codegen/codegen.hpp"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/ExecutionEngine/Orc/ThreadSafeModule.h"
#include "llvm/Support/Error.h"

namespace boc::jit {

class ObjectCache;

class Jit {
 public:
  // `cache_dir`: where compiled objects persist between processes; empty
  // for none. One that cannot be created means no cache, silently.
  static llvm::Expected<std::unique_ptr<Jit>> create(bool optimize = true,
                                                    const std::string& cache_dir = {});
  ~Jit();

  const llvm::DataLayout& data_layout() const { return jit_->getDataLayout(); }
  const llvm::Triple& target_triple() const { return jit_->getTargetTriple(); }

  // Binds the module's named host addresses, then compiles `module` (or
  // loads its cached object); its symbols become visible to later modules.
  llvm::Error add_module(llvm::orc::ThreadSafeModule module,
                         const std::vector<codegen::NamedAddress>& addresses);
  // Address of a compiled function.
  llvm::Expected<void*> lookup(const std::string& name);

 private:
  Jit(std::unique_ptr<ObjectCache> cache, std::unique_ptr<llvm::orc::LLJIT> jit);
  std::unique_ptr<ObjectCache> cache_;  // before jit_: its compiler points here
  std::unique_ptr<llvm::orc::LLJIT> jit_;
};

}  // namespace boc::jit
