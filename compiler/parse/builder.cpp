// The AST builder behind the grammar actions (see builder.hpp).
#include "compiler/parse/builder.hpp"

#include <algorithm>

namespace boc::parse::detail {

using namespace ast;

uint32_t Builder::take_depth(const void* node) {
  if (!node) return 0;
  auto it = depth_.find(node);
  if (it == depth_.end()) return 1;
  uint32_t d = it->second;
  depth_.erase(it);
  return d;
}

// Records the depth of a new node whose deepest child has `child_depth`;
// the error points at the node that crosses the limit, the outermost place
// the user can still see as "too deep".
template <class T>
T Builder::track(T node, uint32_t child_depth, Loc at) {
  uint32_t d = child_depth + 1;
  if (d > kMaxNesting) throw SyntaxError{at, "nesting too deep"};
  if (d > 1) depth_[node.get()] = d;
  return node;
}

// ------------------------------------------------------------- expressions

ExprPtr Builder::nil(Loc at) { return std::make_unique<NilExpr>(at); }
ExprPtr Builder::boolean(bool v, Loc at) { return std::make_unique<BoolExpr>(v, at); }
ExprPtr Builder::integer(int64_t v, Loc at) { return std::make_unique<IntExpr>(v, at); }
ExprPtr Builder::floating(double v, Loc at) { return std::make_unique<FloatExpr>(v, at); }
ExprPtr Builder::name(std::string n, Loc at) { return std::make_unique<NameExpr>(std::move(n), at); }
ExprPtr Builder::text(std::string v, Loc at) { return std::make_unique<StringExpr>(std::move(v), at); }

ExprPtr Builder::string(ExprList parts, Loc at) {
  bool interpolated = std::any_of(parts.items.begin(), parts.items.end(),
                                  [](const ExprPtr& p) { return p->kind != ExprKind::String; });
  if (!interpolated) {
    // The lexer flushes text only at ${ or the closing quote, so a plain
    // string arrives as zero or one piece.
    std::string value;
    for (auto& p : parts.items) value += static_cast<StringExpr&>(*p).value;
    return std::make_unique<StringExpr>(std::move(value), at);
  }
  auto e = std::make_unique<InterpExpr>(at);
  e->parts = std::move(parts.items);
  return track<ExprPtr>(std::move(e), parts.depth, at);
}

ExprPtr Builder::list(ExprList items, Loc at) {
  auto e = std::make_unique<ListExpr>(at);
  e->items = std::move(items.items);
  return track<ExprPtr>(std::move(e), items.depth, at);
}

ExprPtr Builder::map(MapEntries entries, Loc at) {
  auto e = std::make_unique<MapExpr>(at);
  e->entries = std::move(entries.entries);
  return track<ExprPtr>(std::move(e), entries.depth, at);
}

ExprPtr Builder::unary(UnaryOp op, ExprPtr operand, Loc at) {
  uint32_t d = take_depth(operand.get());
  return track<ExprPtr>(std::make_unique<UnaryExpr>(op, std::move(operand), at), d, at);
}

ExprPtr Builder::binary(BinaryOp op, ExprPtr lhs, ExprPtr rhs, Loc at) {
  uint32_t d = std::max(take_depth(lhs.get()), take_depth(rhs.get()));
  return track<ExprPtr>(std::make_unique<BinaryExpr>(op, std::move(lhs), std::move(rhs), at), d, at);
}

ExprPtr Builder::logical(ExprKind kind, ExprPtr lhs, ExprPtr rhs, Loc at) {
  uint32_t d = std::max(take_depth(lhs.get()), take_depth(rhs.get()));
  return track<ExprPtr>(std::make_unique<LogicalExpr>(kind, std::move(lhs), std::move(rhs), at), d, at);
}

ExprPtr Builder::call(ExprPtr callee, ExprList args, Loc at) {
  uint32_t d = std::max(take_depth(callee.get()), args.depth);
  if (callee->kind == ExprKind::Field) {
    // a.m(x) is one MethodExpr (also when written (a.m)(x), as in JS), so
    // the runtime can dispatch list/string/map methods without a bound value.
    auto& f = static_cast<FieldExpr&>(*callee);
    auto m = std::make_unique<MethodExpr>(std::move(f.object), std::move(f.name), f.loc);
    m->args = std::move(args.items);
    return track<ExprPtr>(std::move(m), d, f.loc);
  }
  auto c = std::make_unique<CallExpr>(std::move(callee), at);
  c->args = std::move(args.items);
  return track<ExprPtr>(std::move(c), d, at);
}

ExprPtr Builder::index(ExprPtr object, ExprPtr idx, Loc at) {
  uint32_t d = std::max(take_depth(object.get()), take_depth(idx.get()));
  return track<ExprPtr>(std::make_unique<IndexExpr>(std::move(object), std::move(idx), at), d, at);
}

ExprPtr Builder::field(ExprPtr object, std::string n, Loc at) {
  uint32_t d = take_depth(object.get());
  return track<ExprPtr>(std::make_unique<FieldExpr>(std::move(object), std::move(n), at), d, at);
}

ExprPtr Builder::function(std::string n, ParamList params, StmtList body, Loc at) {
  auto f = std::make_unique<FnExpr>(at);
  f->name = std::move(n);
  f->params = std::move(params.params);
  f->body = std::move(body.stmts);
  return track<ExprPtr>(std::move(f), body.depth, at);
}

ExprPtr Builder::when(WhenEntries entries, StmtList body, Loc at) {
  auto w = std::make_unique<WhenExpr>(at);
  w->entries = std::move(entries.entries);
  w->body = std::move(body.stmts);
  return track<ExprPtr>(std::move(w), std::max(entries.depth, body.depth), at);
}

// ------------------------------------------------------------- list pieces

ExprList Builder::first(ExprPtr e) { return append(ExprList{}, std::move(e)); }

ExprList Builder::append(ExprList list, ExprPtr e) {
  list.depth = std::max(list.depth, take_depth(e.get()));
  list.items.push_back(std::move(e));
  return list;
}

MapEntry Builder::entry(ExprPtr key, ExprPtr value) {
  // The entry is not a node; its depth travels in the key's slot until
  // append() folds it into the list.
  uint32_t d = std::max(take_depth(key.get()), take_depth(value.get()));
  if (d > 1) depth_[key.get()] = d;
  return MapEntry{std::move(key), std::move(value)};
}

MapEntries Builder::first(MapEntry e) { return append(MapEntries{}, std::move(e)); }

MapEntries Builder::append(MapEntries list, MapEntry e) {
  list.depth = std::max(list.depth, take_depth(e.key.get()));
  list.entries.push_back(std::move(e));
  return list;
}

WhenEntry Builder::when_entry(bool read, std::string n, ExprPtr init, Loc at) {
  WhenEntry e;
  e.read = read;
  e.name = std::move(n);
  e.init = std::move(init);
  e.loc = at;
  return e;
}

WhenEntries Builder::first(WhenEntry e) { return append(WhenEntries{}, std::move(e)); }

WhenEntries Builder::append(WhenEntries list, WhenEntry e) {
  list.depth = std::max(list.depth, take_depth(e.init.get()));
  list.entries.push_back(std::move(e));
  return list;
}

ParamList Builder::first(std::string n, Loc at) { return append(ParamList{}, std::move(n), at); }

ParamList Builder::append(ParamList list, std::string n, Loc at) {
  for (const Param& p : list.params)
    if (p.name == n) throw SyntaxError{at, "duplicate parameter '" + n + "'"};
  list.params.push_back(Param{std::move(n), at});
  return list;
}

StmtList Builder::append(StmtList list, StmtPtr s) {
  if (!s) return list;
  list.depth = std::max(list.depth, take_depth(s.get()));
  list.stmts.push_back(std::move(s));
  return list;
}

StmtList Builder::single(StmtPtr s) { return append(StmtList{}, std::move(s)); }

// -------------------------------------------------------------- statements

StmtPtr Builder::let(std::string n, ExprPtr init, Loc at) {
  uint32_t d = take_depth(init.get());
  return track<StmtPtr>(std::make_unique<LetStmt>(std::move(n), std::move(init), at), d, at);
}

StmtPtr Builder::expr_stmt(ExprPtr e, Loc at) {
  uint32_t d = take_depth(e.get());
  return track<StmtPtr>(std::make_unique<ExprStmt>(std::move(e), at), d, at);
}

StmtPtr Builder::when_stmt(ExprPtr when) {
  static_cast<WhenExpr&>(*when).value_used = false;
  Loc at = when->loc;
  return expr_stmt(std::move(when), at);
}

StmtPtr Builder::assign(AssignOp op, ExprPtr target, ExprPtr value, Loc target_at, Loc at) {
  // place: name | place[expr] | place.name  (checked here, not in the
  // grammar, so `f() = 1` gets this message rather than "unexpected '='").
  ExprKind k = target->kind;
  if (k != ExprKind::Name && k != ExprKind::Index && k != ExprKind::Field)
    throw SyntaxError{target_at, "cannot assign to this expression"};
  uint32_t d = std::max(take_depth(target.get()), take_depth(value.get()));
  return track<StmtPtr>(std::make_unique<AssignStmt>(op, std::move(target), std::move(value), at), d, at);
}

StmtPtr Builder::if_stmt(ExprPtr cond, StmtList then_block, StmtList else_block, Loc at) {
  uint32_t d = std::max({take_depth(cond.get()), then_block.depth, else_block.depth});
  auto s = std::make_unique<IfStmt>(std::move(cond), at);
  s->then_block = std::move(then_block.stmts);
  s->else_block = std::move(else_block.stmts);
  return track<StmtPtr>(std::move(s), d, at);
}

StmtPtr Builder::while_stmt(ExprPtr cond, StmtList body, Loc at) {
  uint32_t d = std::max(take_depth(cond.get()), body.depth);
  auto s = std::make_unique<WhileStmt>(std::move(cond), at);
  s->body = std::move(body.stmts);
  return track<StmtPtr>(std::move(s), d, at);
}

StmtPtr Builder::for_stmt(std::string var, Loc var_at, ExprPtr iterable, StmtList body, Loc at) {
  uint32_t d = std::max(take_depth(iterable.get()), body.depth);
  auto s = std::make_unique<ForStmt>(std::move(var), std::move(iterable), at);
  s->var_loc = var_at;
  s->body = std::move(body.stmts);
  return track<StmtPtr>(std::move(s), d, at);
}

StmtPtr Builder::jump(StmtKind kind, Loc at) { return std::make_unique<JumpStmt>(kind, at); }

StmtPtr Builder::return_stmt(ExprPtr value, Loc at) {
  uint32_t d = take_depth(value.get());
  return track<StmtPtr>(std::make_unique<ReturnStmt>(std::move(value), at), d, at);
}

StmtPtr Builder::fn_decl(std::string n, ParamList params, StmtList body, Loc at) {
  ExprPtr e = function(std::move(n), std::move(params), std::move(body), at);
  uint32_t d = take_depth(e.get());
  std::unique_ptr<FnExpr> fn(static_cast<FnExpr*>(e.release()));
  return track<StmtPtr>(std::make_unique<FnDeclStmt>(std::move(fn), at), d, at);
}

StmtPtr Builder::try_stmt(StmtList body, std::string var, Loc var_at, StmtList handler, Loc at) {
  auto s = std::make_unique<TryStmt>(at);
  s->body = std::move(body.stmts);
  s->catch_var = std::move(var);
  s->catch_loc = var_at;
  s->handler = std::move(handler.stmts);
  return track<StmtPtr>(std::move(s), std::max(body.depth, handler.depth), at);
}

StmtPtr Builder::block(StmtList body, Loc at) {
  auto s = std::make_unique<BlockStmt>(at);
  s->body = std::move(body.stmts);
  return track<StmtPtr>(std::move(s), body.depth, at);
}

StmtPtr Builder::empty() { return nullptr; }

void Builder::program(StmtList body) {
  program_ = std::make_unique<Program>();
  program_->body = std::move(body.stmts);
  depth_.clear();
}

}  // namespace boc::parse::detail
