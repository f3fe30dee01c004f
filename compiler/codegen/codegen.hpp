// The codegen stage: a resolved AST in, one LLVM module out.
//
// Design note: every script function compiles to two LLVM functions: a
// direct entry taking its arguments as registers (used when the callee is a
// known top-level function) and a uniform entry (runtime/abi.hpp FnEntry)
// that checks the argument count. The top-level code of a unit becomes one
// function returning nil or exc. Values live in allocas (one per variable and
// per temporary) that LLVM promotes to registers where their address is not
// taken; every function ends in one cleanup block that releases them all, so
// a runtime error anywhere leaks nothing. Int arithmetic and comparisons are
// inlined with overflow checks; everything else calls the runtime.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "compiler/ast/ast.hpp"
#include "compiler/ast/diagnostic.hpp"
#include "compiler/resolve/resolver.hpp"
#include "llvm/ExecutionEngine/Orc/ThreadSafeModule.h"
#include "llvm/IR/DataLayout.h"
#include "llvm/TargetParser/Triple.h"
#include "runtime/context.hpp"
#include "runtime/value.hpp"
#include "runtime/when.hpp"

namespace boc::codegen {

// The string attribute on the LLVM function of every behavior body. The JIT
// inlines small functions into those (compiler/jit/inline_small_calls.cpp):
// a call there is made once per behavior.
inline constexpr const char* kBehaviorBodyAttribute = "boc-behavior-body";

// Data that compiled code points at: it must outlive the code, so the engine
// keeps one per compiled unit for its whole life.
class UnitData {
 public:
  UnitData() = default;
  UnitData(const UnitData&) = delete;
  UnitData& operator=(const UnitData&) = delete;
  ~UnitData();

  const char* intern(std::string text);
  const rt::SiteInfo* site(const char* function, ast::Loc loc);
  rt::Value string_constant(const std::string& text);
  // capture_entry: per capture, the entry with the same value or
  // rt::WhenSite::kNoEntry (runtime/when.hpp); empty when there is none.
  const rt::WhenSite* when_site(const ast::WhenExpr& when, const char* function,
                                std::vector<uint32_t> capture_entry);

  std::string file;

 private:
  const char* file_name_ = nullptr;
  std::deque<std::string> strings_;
  std::deque<rt::SiteInfo> sites_;
  std::unordered_map<std::string, rt::Value> constants_;  // immortal strings, freed here
  std::deque<std::vector<uint8_t>> read_flags_;
  std::deque<std::vector<const char*>> entry_names_;
  std::deque<std::vector<uint32_t>> capture_lists_;  // capture_entry, unaliased
  std::deque<rt::WhenSite> when_sites_;
};

struct Options {
  std::string unit_name;  // unique per engine: prefixes every symbol
  // Stable address of global `index`'s value (the engine's global table).
  std::function<rt::Value*(uint32_t index)> global_address;
  // When the unit ends in an expression statement, the entry returns that
  // expression's value instead of nil (REPL echo and Engine::eval).
  bool return_last_expression = false;
};

// A host address the compiled code uses (a site, a string constant, a global
// cell), named by an external global of the module: the JIT binds `symbol` to
// `address` in each process, so the module's IR holds no address and its
// object code can be cached across runs (jit/object_cache.hpp).
struct NamedAddress {
  std::string symbol;
  const void* address;
};

struct CompiledModule {
  llvm::orc::ThreadSafeModule module;
  std::string entry_symbol;  // Value entry(Ctx*): runs the unit's top level
  std::vector<NamedAddress> addresses;
};

struct CompileResult {
  std::optional<CompiledModule> compiled;
  std::optional<Diagnostic> error;
};

CompileResult compile(const ast::Program& program, const resolve::GlobalScope& globals,
                      UnitData& data, const Options& options, const llvm::DataLayout& layout,
                      const llvm::Triple& triple);

}  // namespace boc::codegen
