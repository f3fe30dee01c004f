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

#include "compiler/codegen/emitter.hpp"

namespace boc::codegen::detail {

bool calls_method(const ast::Expr& e) {
  auto any = [](const std::vector<ast::ExprPtr>& items) {
    return std::any_of(items.begin(), items.end(),
                       [](const ast::ExprPtr& x) { return calls_method(*x); });
  };
  switch (e.kind) {
    case ast::ExprKind::Nil:
    case ast::ExprKind::Bool:
    case ast::ExprKind::Int:
    case ast::ExprKind::Float:
    case ast::ExprKind::String:
    case ast::ExprKind::Name:
    case ast::ExprKind::Fn:
      return false;
    case ast::ExprKind::Interp:
      return any(static_cast<const ast::InterpExpr&>(e).parts);
    case ast::ExprKind::List:
      return any(static_cast<const ast::ListExpr&>(e).items);
    case ast::ExprKind::Map:
      for (const ast::MapEntry& entry : static_cast<const ast::MapExpr&>(e).entries)
        if (calls_method(*entry.key) || calls_method(*entry.value)) return true;
      return false;
    case ast::ExprKind::Unary:
      return calls_method(*static_cast<const ast::UnaryExpr&>(e).operand);
    case ast::ExprKind::Binary: {
      auto& b = static_cast<const ast::BinaryExpr&>(e);
      return calls_method(*b.lhs) || calls_method(*b.rhs);
    }
    case ast::ExprKind::And:
    case ast::ExprKind::Or:
    case ast::ExprKind::Range: {
      auto& l = static_cast<const ast::LogicalExpr&>(e);
      return calls_method(*l.lhs) || calls_method(*l.rhs);
    }
    case ast::ExprKind::Call: {
      auto& c = static_cast<const ast::CallExpr&>(e);
      return calls_method(*c.callee) || any(c.args);
    }
    case ast::ExprKind::Index: {
      auto& ix = static_cast<const ast::IndexExpr&>(e);
      return calls_method(*ix.object) || calls_method(*ix.index);
    }
    case ast::ExprKind::Field:
      return calls_method(*static_cast<const ast::FieldExpr&>(e).object);
    case ast::ExprKind::Method:
    case ast::ExprKind::When:  // its entries may call methods
      return true;
  }
  return true;
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
  const ast::VarRef& ref = static_cast<const ast::NameExpr&>(e).ref;
  if (ref.kind == ast::VarKind::Local) return load_value(variable_address(ref));
  llvm::Value* captured =
      b_.CreateConstInBoundsGEP1_64(b_.getInt8Ty(), frame_->self, offsetof(rt::Function, captures));
  return load_value(b_.CreateConstInBoundsGEP1_64(value_type_, captured, ref.index));
}

Operand Emitter::emit_operand(const ast::Expr& e, bool may_borrow) {
  if (may_borrow && can_borrow(e)) return Operand{std::nullopt, borrowed_value(e)};
  return Operand{push_temp(emit_expr(e)), nullptr};
}

llvm::Value* Emitter::value_of(const Operand& o) { return o.temp ? peek(*o.temp) : o.borrowed; }

void Emitter::drop(const Operand& o) {
  if (o.temp) drop(*o.temp);
}

}  // namespace boc::codegen::detail
