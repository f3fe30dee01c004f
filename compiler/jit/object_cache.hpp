// A persistent cache of compiled objects, one file per module, so a second
// run of the same script skips the IR passes and code generation.
//
// Design note: the key is a 128-bit xxh3 of the module's bitcode as codegen
// made it (before any pass) and of everything else that decides the object
// code: target triple, CPU and features, optimisation level, the LLVM and Boc
// versions, the executable's build id (so a rebuilt compiler never runs an
// older one's objects) and kFormat below. The IR names host addresses instead of holding
// them (codegen::NamedAddress), so the same script gives the same IR in every
// process. A file is written to a temporary name and renamed, so readers see
// a whole file or none; its header repeats the key and a checksum of the
// object, and anything that does not check out is a miss, never an error.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "llvm/ExecutionEngine/ObjectCache.h"
#include "llvm/IR/DataLayout.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/MemoryBuffer.h"

namespace boc::jit {

class ObjectCache : public llvm::ObjectCache {
 public:
  // Null when `dir` cannot be created: the engine then runs without a cache.
  // `salt` names the compiler configuration (see the design note).
  static std::unique_ptr<ObjectCache> open(const std::string& dir, std::string salt);

  // The key of `module`, from its IR as it is now (call before any pass).
  std::string key_of(const llvm::Module& module) const;
  // The cached object for `key`, or null.
  std::unique_ptr<llvm::MemoryBuffer> load(const std::string& key) const;
  // The module with this identifier is about to be compiled: store its
  // object under `key` when the compiler reports it (notifyObjectCompiled).
  void expect(const std::string& module_id, std::string key);

  // The data layout stored for this configuration, or nullopt. The JIT needs
  // it before any code is generated, and asking a new TargetMachine for it
  // costs a sixth of a warm run; the layout depends only on the
  // configuration the salt names.
  std::optional<llvm::DataLayout> load_data_layout() const;
  void store_data_layout(const llvm::DataLayout& layout) const;
  // The stored layout turned out wrong: remove it.
  void forget_data_layout() const;

  // llvm::ObjectCache, called by the JIT's compiler after the IR passes.
  void notifyObjectCompiled(const llvm::Module* module, llvm::MemoryBufferRef object) override;
  // Lookups happen before the passes (load), so the compiler never finds one.
  std::unique_ptr<llvm::MemoryBuffer> getObject(const llvm::Module*) override { return nullptr; }

 private:
  ObjectCache(std::string dir, std::string salt) : dir_(std::move(dir)), salt_(std::move(salt)) {}
  // Files are <key><suffix>: ".o" for objects, ".layout" for the layout.
  std::string path_of(const std::string& key, const char* suffix) const;
  std::string data_layout_key() const;
  std::unique_ptr<llvm::MemoryBuffer> read(const std::string& key, const char* suffix) const;
  void write(const std::string& key, const char* suffix, llvm::MemoryBufferRef bytes) const;

  std::string dir_;
  std::string salt_;
  std::mutex mutex_;  // guards expected_: compiles may run on other threads
  std::unordered_map<std::string, std::string> expected_;  // module id -> key
};

}  // namespace boc::jit
