// Operands: values a consumer only reads (an operator, a direct call, a when
// entry), passed without a reference of their own when they name a variable.
//
// Design note: a local or captured variable cannot change while an
// expression is evaluated, except through a method call on it (assignment is
// a statement, and closures and behaviors capture by value). So when nothing
// evaluated after it calls a method, the variable keeps its value alive until
// the consumer is done, and reading it needs no retain and no release. For a
// cown that spares the atomic operations on a cache line the scheduler is
// busy with; for an int it spares the tag tests around them.
#include <algorithm>

#include "compiler/ast/walk.hpp"
#include "compiler/codegen/emitter.hpp"

namespace boc::codegen::detail {

bool calls_method(const ast::Expr& e) {
  return ast::any_subexpression(e, [](const ast::Expr& x) { return x.kind == ast::ExprKind::Method; });
}

// A behavior body's own entries (slots below entry_slots) hold cown
// contents, not variables: they are always read with a reference.
bool Emitter::can_borrow(const ast::Expr& e) {
  if (e.kind != ast::ExprKind::Name) return false;
  const ast::VarRef& ref = static_cast<const ast::NameExpr&>(e).ref;
  return ref.kind == ast::VarKind::Capture ||
         (ref.kind == ast::VarKind::Local && ref.index >= frame_->entry_slots);
}

llvm::Value* Emitter::borrowed_value(const ast::Expr& e) {
  return load_value(variable_address(static_cast<const ast::NameExpr&>(e).ref));
}

Operand Emitter::emit_operand(const ast::Expr& e, bool may_borrow) {
  if (may_borrow && e.kind == ast::ExprKind::Name) {
    const ast::VarRef& ref = static_cast<const ast::NameExpr&>(e).ref;
    if (can_borrow(e)) return Operand{std::nullopt, borrowed_value(e)};
    if (ref.kind == ast::VarKind::Local) return entry_operand(ref);  // the rest are entries
    if (shared_global(ref)) return shared_global_operand(ref);
  }
  return Operand{push_temp(emit_expr(e)), nullptr};
}

// An entry's content is lent, as a variable's value is borrowed, unless the
// entry is a group: reading that makes a list (boc_rt_entry_read).
Operand Emitter::entry_operand(const ast::VarRef& ref) {
  llvm::Value* content = load_value(variable_address(ref));
  llvm::Value* group = is_tag(content, rt::Tag::Group);
  llvm::Value* v = emit_fast_path(
      b_.CreateNot(group), [&](llvm::BasicBlock*) { return content; },
      [&] { return call_runtime("boc_rt_entry_read", {content}); });
  return Operand{push_temp(b_.CreateSelect(group, v, nil())), v};
}

std::vector<Operand> Emitter::emit_operands(const std::vector<const ast::Expr*>& items) {
  bool borrow = std::none_of(items.begin(), items.end(),
                             [](const ast::Expr* e) { return calls_method(*e); });
  std::vector<Operand> operands;
  for (const ast::Expr* e : items) operands.push_back(emit_operand(*e, borrow));
  return operands;
}

llvm::Value* Emitter::value_of(const Operand& o) { return o.borrowed ? o.borrowed : peek(*o.temp); }

void Emitter::drop(const Operand& o) {
  if (o.temp) drop(*o.temp);
}

}  // namespace boc::codegen::detail
