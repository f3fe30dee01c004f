// Walking an expression tree (see walk.hpp).
#include "compiler/ast/walk.hpp"

namespace boc::ast {

bool any_subexpression(const Expr& e, const std::function<bool(const Expr&)>& pred) {
  if (pred(e)) return true;
  auto any = [&](const std::vector<ExprPtr>& items) {
    for (const ExprPtr& x : items)
      if (any_subexpression(*x, pred)) return true;
    return false;
  };
  switch (e.kind) {
    case ExprKind::Nil:
    case ExprKind::Bool:
    case ExprKind::Int:
    case ExprKind::Float:
    case ExprKind::String:
    case ExprKind::Name:
    case ExprKind::Fn:
      return false;
    case ExprKind::Interp:
      return any(static_cast<const InterpExpr&>(e).parts);
    case ExprKind::List:
      return any(static_cast<const ListExpr&>(e).items);
    case ExprKind::Map:
      for (const MapEntry& entry : static_cast<const MapExpr&>(e).entries)
        if (any_subexpression(*entry.key, pred) || any_subexpression(*entry.value, pred)) return true;
      return false;
    case ExprKind::Unary:
      return any_subexpression(*static_cast<const UnaryExpr&>(e).operand, pred);
    case ExprKind::Binary: {
      auto& b = static_cast<const BinaryExpr&>(e);
      return any_subexpression(*b.lhs, pred) || any_subexpression(*b.rhs, pred);
    }
    case ExprKind::And:
    case ExprKind::Or:
    case ExprKind::Range: {
      auto& l = static_cast<const LogicalExpr&>(e);
      return any_subexpression(*l.lhs, pred) || any_subexpression(*l.rhs, pred);
    }
    case ExprKind::Call: {
      auto& c = static_cast<const CallExpr&>(e);
      return any_subexpression(*c.callee, pred) || any(c.args);
    }
    case ExprKind::Index: {
      auto& ix = static_cast<const IndexExpr&>(e);
      return any_subexpression(*ix.object, pred) || any_subexpression(*ix.index, pred);
    }
    case ExprKind::Field:
      return any_subexpression(*static_cast<const FieldExpr&>(e).object, pred);
    case ExprKind::Method: {
      auto& m = static_cast<const MethodExpr&>(e);
      return any_subexpression(*m.object, pred) || any(m.args);
    }
    case ExprKind::When:
      for (const WhenEntry& entry : static_cast<const WhenExpr&>(e).entries)
        if (entry.init && any_subexpression(*entry.init, pred)) return true;
      return false;
  }
  return false;
}

}  // namespace boc::ast
