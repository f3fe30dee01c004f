// Emitting expressions. Each emit_expr result is an owned Value; anything
// that must survive a later operation that can fail is parked in a Temp.
#include <limits>

#include "compiler/codegen/emitter.hpp"
#include "llvm/IR/Intrinsics.h"
#include "runtime/abi.hpp"

namespace boc::codegen::detail {

const char* binary_op_helper(ast::BinaryOp op) {
  switch (op) {
    case ast::BinaryOp::Add: return "boc_rt_add";
    case ast::BinaryOp::Sub: return "boc_rt_sub";
    case ast::BinaryOp::Mul: return "boc_rt_mul";
    case ast::BinaryOp::Div: return "boc_rt_div";
    case ast::BinaryOp::Mod: return "boc_rt_mod";
    case ast::BinaryOp::Eq: return "boc_rt_eq";
    case ast::BinaryOp::Ne: return "boc_rt_ne";
    case ast::BinaryOp::Lt: return "boc_rt_lt";
    case ast::BinaryOp::Le: return "boc_rt_le";
    case ast::BinaryOp::Gt: return "boc_rt_gt";
    case ast::BinaryOp::Ge: return "boc_rt_ge";
  }
  return "";
}

namespace {
bool is_comparison(ast::BinaryOp op) { return op >= ast::BinaryOp::Eq; }

llvm::CmpInst::Predicate int_predicate(ast::BinaryOp op) {
  switch (op) {
    case ast::BinaryOp::Eq: return llvm::CmpInst::ICMP_EQ;
    case ast::BinaryOp::Ne: return llvm::CmpInst::ICMP_NE;
    case ast::BinaryOp::Lt: return llvm::CmpInst::ICMP_SLT;
    case ast::BinaryOp::Le: return llvm::CmpInst::ICMP_SLE;
    case ast::BinaryOp::Gt: return llvm::CmpInst::ICMP_SGT;
    default: return llvm::CmpInst::ICMP_SGE;
  }
}
}  // namespace

llvm::Value* Emitter::emit_name(const ast::NameExpr& e) {
  llvm::Value* v = nullptr;
  switch (e.ref.kind) {
    case ast::VarKind::Local:
      v = load_value(variable_address(e.ref));
      // A behavior's group entry is a view of its cowns (runtime/group.hpp).
      if (e.ref.index < frame_->entry_slots) return call_runtime("boc_rt_entry_read", {v});
      break;
    case ast::VarKind::Global:
      return emit_global_read(e.ref.index);
    case ast::VarKind::Capture:
      v = load_value(variable_address(e.ref));
      break;
    case ast::VarKind::Self:
      v = make_value(rt::Tag::Function, b_.CreatePtrToInt(frame_->self, i64_));
      break;
    case ast::VarKind::Unresolved:
      unsupported(e.loc, "unresolved name '" + e.name + "'");
  }
  retain(v);
  return v;
}

llvm::Value* Emitter::both_ints(llvm::Value* a, llvm::Value* b) {
  return b_.CreateAnd(is_tag(a, rt::Tag::Int), is_tag(b, rt::Tag::Int));
}

llvm::Value* Emitter::emit_int_op(ast::BinaryOp op, llvm::Value* x, llvm::Value* y,
                                  llvm::BasicBlock* slow) {
  if (is_comparison(op))
    return make_value(rt::Tag::Bool, b_.CreateZExt(b_.CreateICmp(int_predicate(op), x, y), i64_));
  if (op == ast::BinaryOp::Div || op == ast::BinaryOp::Mod) {
    // Zero divisors and INT64_MIN / -1 go to the slow path for their errors.
    bail_if(b_.CreateOr(
                b_.CreateICmpEQ(y, b_.getInt64(0)),
                b_.CreateAnd(b_.CreateICmpEQ(x, b_.getInt64(std::numeric_limits<int64_t>::min())),
                             b_.CreateICmpEQ(y, b_.getInt64(-1)))),
            slow);
    return make_value(rt::Tag::Int, op == ast::BinaryOp::Div ? b_.CreateSDiv(x, y)
                                                             : b_.CreateSRem(x, y));
  }
  llvm::Intrinsic::ID id = op == ast::BinaryOp::Add   ? llvm::Intrinsic::sadd_with_overflow
                           : op == ast::BinaryOp::Sub ? llvm::Intrinsic::ssub_with_overflow
                                                      : llvm::Intrinsic::smul_with_overflow;
  llvm::Value* pair = b_.CreateBinaryIntrinsic(id, x, y);
  bail_if(b_.CreateExtractValue(pair, 1), slow);
  return make_value(rt::Tag::Int, b_.CreateExtractValue(pair, 0));
}

// Int op int runs inline; overflow, a zero divisor and every other type take
// the runtime's slow path, which also reports the errors.
llvm::Value* Emitter::emit_binary(const ast::BinaryExpr& e) { return emit_binary(e, false); }

// As a condition (`if (n < 2)`), a comparison's fast path gives its i1
// directly: boxing it as a Bool and testing the Bool after the join with the
// slow path left that test to jump threading, which does not always see
// through it. The slow path's result is a Bool (nothing to release).
llvm::Value* Emitter::emit_binary(const ast::BinaryExpr& e, bool as_condition) {
  unsigned depth = frame_->temp_depth;
  // The right operand is consumed right after it is read; the left one too
  // unless the right one could update it in place.
  Operand oa = emit_operand(*e.lhs, !calls_method(*e.rhs));
  Operand ob = emit_operand(*e.rhs, true);
  llvm::Value* a = value_of(oa);
  llvm::Value* b = value_of(ob);
  llvm::Value* r = emit_fast_path(
      both_ints(a, b),
      [&](llvm::BasicBlock* slow) {
        if (as_condition) return b_.CreateICmp(int_predicate(e.op), bits_of(a), bits_of(b));
        return emit_int_op(e.op, bits_of(a), bits_of(b), slow);
      },
      [&] {
        llvm::Value* v = call_runtime(binary_op_helper(e.op), {frame_->ctx, a, b});
        drop(ob);
        drop(oa);
        check(v, e.loc);
        return as_condition ? truthy(v) : v;
      });
  // The fast path leaves ints in the temporaries: nothing to release.
  frame_->temp_depth = depth;
  return r;
}

llvm::Value* Emitter::emit_condition(const ast::Expr& e) {
  switch (e.kind) {
    case ast::ExprKind::Bool:
      return b_.getInt1(static_cast<const ast::BoolExpr&>(e).value);
    case ast::ExprKind::Unary: {
      auto& u = static_cast<const ast::UnaryExpr&>(e);
      if (u.op == ast::UnaryOp::Not) return b_.CreateNot(emit_condition(*u.operand));
      break;
    }
    case ast::ExprKind::Binary: {
      auto& bin = static_cast<const ast::BinaryExpr&>(e);
      if (is_comparison(bin.op)) return emit_binary(bin, /*as_condition=*/true);
      break;
    }
    case ast::ExprKind::And:
    case ast::ExprKind::Or: {
      auto& l = static_cast<const ast::LogicalExpr&>(e);
      bool is_and = e.kind == ast::ExprKind::And;
      llvm::Value* first = emit_condition(*l.lhs);
      llvm::BasicBlock* first_end = b_.GetInsertBlock();
      llvm::BasicBlock* second = new_block("cond_rhs");
      llvm::BasicBlock* done = new_block("cond_done");
      if (is_and) b_.CreateCondBr(first, second, done);
      else b_.CreateCondBr(first, done, second);
      b_.SetInsertPoint(second);
      llvm::Value* rhs = emit_condition(*l.rhs);
      llvm::BasicBlock* second_end = b_.GetInsertBlock();
      b_.CreateBr(done);
      b_.SetInsertPoint(done);
      llvm::PHINode* phi = b_.CreatePHI(i1_, 2);
      phi->addIncoming(b_.getInt1(!is_and), first_end);
      phi->addIncoming(rhs, second_end);
      return phi;
    }
    default:
      break;
  }
  llvm::Value* v = emit_expr(e);
  llvm::Value* t = truthy(v);
  release(v);
  return t;
}

// `a and b` / `a or b` give the operand that decided, as in Lua.
llvm::Value* Emitter::emit_logical(const ast::LogicalExpr& e) {
  bool is_and = e.kind == ast::ExprKind::And;
  llvm::Value* a = emit_expr(*e.lhs);
  llvm::BasicBlock* first_end = b_.GetInsertBlock();
  llvm::BasicBlock* second = new_block("logic_rhs");
  llvm::BasicBlock* done = new_block("logic_done");
  llvm::Value* t = truthy(a);
  if (is_and) b_.CreateCondBr(t, second, done);
  else b_.CreateCondBr(t, done, second);
  b_.SetInsertPoint(second);
  release(a);
  llvm::Value* b = emit_expr(*e.rhs);
  llvm::BasicBlock* second_end = b_.GetInsertBlock();
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
  llvm::PHINode* phi = b_.CreatePHI(value_type_, 2);
  phi->addIncoming(a, first_end);
  phi->addIncoming(b, second_end);
  return phi;
}

llvm::Value* Emitter::emit_unary(const ast::UnaryExpr& e) {
  if (e.op == ast::UnaryOp::Not) {
    llvm::Value* c = emit_condition(*e.operand);
    return make_value(rt::Tag::Bool, b_.CreateZExt(b_.CreateNot(c), i64_));
  }
  Temp t = push_temp(emit_expr(*e.operand));
  llvm::Value* v = peek(t);
  llvm::Value* ok = b_.CreateAnd(
      is_tag(v, rt::Tag::Int),
      b_.CreateICmpNE(bits_of(v), b_.getInt64(std::numeric_limits<int64_t>::min())));
  llvm::Value* r = emit_fast_path(
      ok, [&](llvm::BasicBlock*) { return make_value(rt::Tag::Int, b_.CreateNeg(bits_of(v))); },
      [&] {
        llvm::Value* negated = call_runtime("boc_rt_neg", {frame_->ctx, v});
        drop(t);
        check(negated, e.loc);
        return negated;
      });
  frame_->temp_depth = t.depth;
  return r;
}

// Evaluates `items` into an argument array and passes it to a runtime helper
// taking (ctx, array, count). With `moves` the helper took the references.
llvm::Value* Emitter::emit_array_call(const char* helper, const std::vector<const ast::Expr*>& items,
                                      ast::Loc loc, bool moves) {
  Arguments args = emit_arguments(items);
  unsigned count = std::string_view(helper) == "boc_rt_map_new" ? args.count / 2 : args.count;
  llvm::Value* r = call_runtime(helper, {frame_->ctx, args.pointer, b_.getInt32(count)});
  if (moves) {
    forget_array(args.storage, args.count);
  } else {
    release_arguments(args);
  }
  check(r, loc);
  return r;
}

llvm::Value* Emitter::emit_expr(const ast::Expr& e) {
  switch (e.kind) {
    case ast::ExprKind::Nil:
      return nil();
    case ast::ExprKind::Bool:
      return const_value(rt::Value::boolean(static_cast<const ast::BoolExpr&>(e).value));
    case ast::ExprKind::Int:
      return const_value(rt::Value::integer(static_cast<const ast::IntExpr&>(e).value));
    case ast::ExprKind::Float:
      return const_value(rt::Value::real(static_cast<const ast::FloatExpr&>(e).value));
    case ast::ExprKind::String: {
      // Counted like any reference so the immortal count never drifts.
      llvm::Value* v = const_value(data_.string_constant(static_cast<const ast::StringExpr&>(e).value));
      retain(v);
      return v;
    }
    case ast::ExprKind::Interp: {
      std::vector<const ast::Expr*> parts;
      for (auto& p : static_cast<const ast::InterpExpr&>(e).parts) parts.push_back(p.get());
      return emit_array_call("boc_rt_interp", parts, e.loc, false);
    }
    case ast::ExprKind::List: {
      std::vector<const ast::Expr*> items;
      for (auto& p : static_cast<const ast::ListExpr&>(e).items) items.push_back(p.get());
      return emit_array_call("boc_rt_list_new", items, e.loc, true);
    }
    case ast::ExprKind::Map: {
      std::vector<const ast::Expr*> pairs;
      for (auto& entry : static_cast<const ast::MapExpr&>(e).entries) {
        pairs.push_back(entry.key.get());
        pairs.push_back(entry.value.get());
      }
      return emit_array_call("boc_rt_map_new", pairs, e.loc, true);
    }
    case ast::ExprKind::Name:
      return emit_name(static_cast<const ast::NameExpr&>(e));
    case ast::ExprKind::Unary:
      return emit_unary(static_cast<const ast::UnaryExpr&>(e));
    case ast::ExprKind::Binary:
      return emit_binary(static_cast<const ast::BinaryExpr&>(e));
    case ast::ExprKind::And:
    case ast::ExprKind::Or:
      return emit_logical(static_cast<const ast::LogicalExpr&>(e));
    case ast::ExprKind::Range: {
      auto& r = static_cast<const ast::LogicalExpr&>(e);
      Temp ta = push_temp(emit_expr(*r.lhs));
      Temp tb = push_temp(emit_expr(*r.rhs));
      llvm::Value* v = call_runtime("boc_rt_range", {frame_->ctx, peek(ta), peek(tb)});
      drop(tb);
      drop(ta);
      check(v, e.loc);
      return v;
    }
    case ast::ExprKind::Call:
      return emit_call(static_cast<const ast::CallExpr&>(e));
    case ast::ExprKind::Index:
      return emit_index(static_cast<const ast::IndexExpr&>(e));
    case ast::ExprKind::Field: {
      auto& f = static_cast<const ast::FieldExpr&>(e);
      Temp to = push_temp(emit_expr(*f.object));
      llvm::Value* name = const_value(data_.string_constant(f.name));
      llvm::Value* v = call_runtime("boc_rt_field", {frame_->ctx, peek(to), name});
      drop(to);
      check(v, e.loc);
      return v;
    }
    case ast::ExprKind::Method:
      return emit_method(static_cast<const ast::MethodExpr&>(e));
    case ast::ExprKind::Fn:
      return emit_closure(static_cast<const ast::FnExpr&>(e));
    case ast::ExprKind::When:
      return emit_when(static_cast<const ast::WhenExpr&>(e));
  }
  unsupported(e.loc, "unknown expression");
}

}  // namespace boc::codegen::detail
