// The resolver stage: binds every name to a frame slot, capture or global,
// and reports the scoping errors of LANGUAGE.md as compile errors.
//
// Design note: globals persist across compile units in a GlobalScope owned by
// the engine, so a REPL entry sees the previous entries' declarations.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "compiler/ast/ast.hpp"
#include "compiler/ast/diagnostic.hpp"

namespace boc::resolve {

struct GlobalInfo {
  std::string name;
  // True while the global has one declaration and no assignment anywhere
  // (including compound and in-place assignments such as g.push(x), g[i] = v).
  // Builtins are constants. Behaviors read constants without any check.
  bool constant = true;
  // Set when the declaration is a top-level `fn`: the FnExpr, so codegen can
  // call a constant function directly. Owned by the Program that declared it.
  const ast::FnExpr* function = nullptr;
  bool defined = false;  // declared by a compiled unit or the host
  bool builtin = false;  // provided by the stdlib: cannot be assigned or redeclared
};

class GlobalScope {
 public:
  std::optional<uint32_t> find(std::string_view name) const;
  // Declares (or re-finds) a global and returns its index.
  uint32_t declare(std::string_view name);
  GlobalInfo& info(uint32_t index) { return globals_[index]; }
  const GlobalInfo& info(uint32_t index) const { return globals_[index]; }
  size_t size() const { return globals_.size(); }

 private:
  std::vector<GlobalInfo> globals_;
  std::unordered_map<std::string, uint32_t> index_;
};

// Annotates `program` in place. Returns the first error, if any.
std::optional<Diagnostic> resolve(ast::Program& program, GlobalScope& globals);

}  // namespace boc::resolve
