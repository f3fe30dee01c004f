// Compile-time diagnostics shared by every compiler stage.
#pragma once

#include <string>
#include <string_view>

#include "compiler/ast/ast.hpp"

namespace boc {

struct Diagnostic {
  std::string file;
  ast::Loc loc;
  std::string message;
};

// "file:line:col: error: message", then the source line and a caret under
// the column (both omitted when the line is unknown or not in `source`).
std::string format_diagnostic(const Diagnostic& d, std::string_view source);

}  // namespace boc
