// Walking an expression tree: whether any of its subexpressions (itself
// included) satisfies a predicate. The bodies of nested functions and
// behaviors are not walked: evaluating the expression only creates them.
#pragma once

#include <functional>

#include "compiler/ast/ast.hpp"

namespace boc::ast {

bool any_subexpression(const Expr& e, const std::function<bool(const Expr&)>& pred);

}  // namespace boc::ast
