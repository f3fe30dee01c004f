// The parser stage: source text in, AST (or the first syntax error) out.
//
// Design note: Flex (compiler/lex) produces tokens with locations; a Bison C++
// LALR(1) parser with %locations builds the tree through one builder call per
// action. Parsing stops at the first error, which is reported precisely.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "compiler/ast/ast.hpp"
#include "compiler/ast/diagnostic.hpp"

namespace boc::parse {

struct ParseResult {
  std::unique_ptr<ast::Program> program;  // null on error
  std::optional<Diagnostic> error;
};

// Never throws on any input (binary garbage, 10 MB lines, deep nesting).
ParseResult parse(std::string_view source, std::string file);

// Human-readable tree for `boc --dump-ast` and the parser tests.
std::string dump(const ast::Program& program);

}  // namespace boc::parse
