// The AST builder the grammar actions call: one method per production, plus
// the nesting-depth bookkeeping that keeps later recursive passes safe.
//
// Design note: grammar.y stays a readable grammar because every action is one
// call here. The builder also measures the depth of every subtree as it is
// built (depth lives in a side table, erased as soon as the parent consumes
// it, so the table stays as small as the parser stack) and refuses trees
// deeper than kMaxNesting, because the resolver, codegen, dump() and even
// unique_ptr destruction all recurse on the tree.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "compiler/ast/ast.hpp"

namespace boc::parse::detail {

// Deepest tree (counting every expression and statement node on the way
// down) and deepest bracket nesting accepted. Each level of a later pass's
// recursion costs a few hundred bytes of native stack; 1000 levels stays far
// below the 8 MB main-thread stack and the smaller stacks of worker threads,
// and far above what hand-written code needs (Python's parser allows 200).
constexpr uint32_t kMaxNesting = 1000;

// Bison's location type: where a grammar symbol starts and ends.
struct Span {
  ast::Loc begin;
  ast::Loc end;
};

// Thrown by the builder and the token adapter; parse() turns it into the
// Diagnostic. Bison's own catch-all unwinds its stack before rethrowing.
struct SyntaxError {
  ast::Loc loc;
  std::string message;
};

// Lists the grammar accumulates, each with the depth of its deepest element.
struct ExprList {
  std::vector<ast::ExprPtr> items;
  uint32_t depth = 0;
};
struct StmtList {
  ast::Block stmts;
  uint32_t depth = 0;
};
struct MapEntries {
  std::vector<ast::MapEntry> entries;
  uint32_t depth = 0;
};
struct WhenEntries {
  std::vector<ast::WhenEntry> entries;
  uint32_t depth = 0;
};
struct ParamList {
  std::vector<ast::Param> params;
};

class Builder {
 public:
  // ---- expressions
  ast::ExprPtr nil(ast::Loc at);
  ast::ExprPtr boolean(bool value, ast::Loc at);
  ast::ExprPtr integer(int64_t value, ast::Loc at);
  ast::ExprPtr floating(double value, ast::Loc at);
  ast::ExprPtr name(std::string name, ast::Loc at);
  ast::ExprPtr text(std::string value, ast::Loc at);  // a literal string piece
  // STR_BEGIN parts STR_END: a StringExpr if no ${}, else an InterpExpr.
  ast::ExprPtr string(ExprList parts, ast::Loc at);
  ast::ExprPtr list(ExprList items, ast::Loc at);
  ast::ExprPtr map(MapEntries entries, ast::Loc at);
  ast::ExprPtr unary(ast::UnaryOp op, ast::ExprPtr operand, ast::Loc at);
  ast::ExprPtr binary(ast::BinaryOp op, ast::ExprPtr lhs, ast::ExprPtr rhs, ast::Loc at);
  ast::ExprPtr logical(ast::ExprKind kind, ast::ExprPtr lhs, ast::ExprPtr rhs, ast::Loc at);
  // callee(args); a callee that is a field access makes a MethodExpr.
  ast::ExprPtr call(ast::ExprPtr callee, ExprList args, ast::Loc at);
  ast::ExprPtr index(ast::ExprPtr object, ast::ExprPtr index, ast::Loc at);
  ast::ExprPtr field(ast::ExprPtr object, std::string name, ast::Loc at);
  ast::ExprPtr function(std::string name, ParamList params, StmtList body, ast::Loc at);
  ast::ExprPtr when(WhenEntries entries, StmtList body, ast::Loc at);

  // ---- list pieces
  ExprList first(ast::ExprPtr e);
  ExprList append(ExprList list, ast::ExprPtr e);
  ast::MapEntry entry(ast::ExprPtr key, ast::ExprPtr value);
  MapEntries first(ast::MapEntry e);
  MapEntries append(MapEntries list, ast::MapEntry e);
  ast::WhenEntry when_entry(bool read, std::string name, ast::ExprPtr init, ast::Loc at);
  WhenEntries first(ast::WhenEntry e);
  WhenEntries append(WhenEntries list, ast::WhenEntry e);
  ParamList first(std::string name, ast::Loc at);
  ParamList append(ParamList list, std::string name, ast::Loc at);
  StmtList append(StmtList list, ast::StmtPtr s);  // a null s (`;`) is dropped
  StmtList single(ast::StmtPtr s);                 // `else if`: one IfStmt

  // ---- statements
  ast::StmtPtr let(std::string name, ast::ExprPtr init, ast::Loc at);
  ast::StmtPtr expr_stmt(ast::ExprPtr e, ast::Loc at);
  ast::StmtPtr when_stmt(ast::ExprPtr when);
  // Rejects targets other than names, a[i] and a.f with a located error.
  ast::StmtPtr assign(ast::AssignOp op, ast::ExprPtr target, ast::ExprPtr value,
                      ast::Loc target_at, ast::Loc at);
  ast::StmtPtr if_stmt(ast::ExprPtr cond, StmtList then_block, StmtList else_block, ast::Loc at);
  ast::StmtPtr while_stmt(ast::ExprPtr cond, StmtList body, ast::Loc at);
  ast::StmtPtr for_stmt(std::string var, ast::Loc var_at, ast::ExprPtr iterable, StmtList body,
                        ast::Loc at);
  ast::StmtPtr jump(ast::StmtKind kind, ast::Loc at);
  ast::StmtPtr return_stmt(ast::ExprPtr value, ast::Loc at);  // value may be null
  ast::StmtPtr fn_decl(std::string name, ParamList params, StmtList body, ast::Loc at);
  ast::StmtPtr try_stmt(StmtList body, std::string var, ast::Loc var_at, StmtList handler,
                        ast::Loc at);
  ast::StmtPtr block(StmtList body, ast::Loc at);
  ast::StmtPtr empty();  // `;` alone

  void program(StmtList body);
  std::unique_ptr<ast::Program> take_program() { return std::move(program_); }

 private:
  // Depth of a finished subtree; leaves are not stored and count 1.
  uint32_t take_depth(const void* node);
  template <class T>
  T track(T node, uint32_t child_depth, ast::Loc at);

  std::unordered_map<const void*, uint32_t> depth_;
  std::unique_ptr<ast::Program> program_;
};

}  // namespace boc::parse::detail
