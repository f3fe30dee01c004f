// Emitting variable access: frame slots, and globals with the checks that
// keep behaviors from racing on them (runtime/global_cell.hpp).
#include "compiler/codegen/emitter.hpp"
#include "llvm/IR/MDBuilder.h"
#include "runtime/global_cell.hpp"

namespace boc::codegen::detail {

namespace {
// Offsets in rt::Ctx read by compiled code.
constexpr uint64_t kInBehaviorOffset = 8;
constexpr uint64_t kConcurrentOffset = 12;
static_assert(offsetof(rt::Ctx, in_behavior) == kInBehaviorOffset);
static_assert(offsetof(rt::Ctx, concurrent) == kConcurrentOffset);
static_assert(offsetof(rt::GlobalCell, value) == 0);
}  // namespace

// True when the i32 flag at `offset` in the Ctx is set.
llvm::Value* Emitter::ctx_flag_set(uint64_t offset) {
  llvm::Value* address = b_.CreateConstInBoundsGEP1_64(b_.getInt8Ty(), frame_->ctx, offset);
  return b_.CreateICmpNE(b_.CreateLoad(i32_, address), b_.getInt32(0));
}

llvm::Value* Emitter::behaviors_started() { return ctx_flag_set(kConcurrentOffset); }

bool Emitter::shared_global(const ast::VarRef& ref) {
  return ref.kind == ast::VarKind::Global && !globals_.info(ref.index).constant &&
         !frame_->loop_globals.contains(ref.index);
}

llvm::Value* Emitter::variable_address(const ast::VarRef& ref) {
  if (ref.kind == ast::VarKind::Capture)
    return b_.CreateConstInBoundsGEP1_64(value_type_, frame_->captures, ref.index);
  if (ref.kind != ast::VarKind::Global) return frame_->slots.at(ref.index);
  auto kept = frame_->loop_globals.find(ref.index);
  if (kept != frame_->loop_globals.end()) return kept->second;
  return pointer_constant(options_.global_address(ref.index));
}

const ast::NameExpr& Emitter::place_root(const ast::Expr& target) {
  const ast::Expr* e = &target;
  while (e->kind != ast::ExprKind::Name)
    e = e->kind == ast::ExprKind::Index ? static_cast<const ast::IndexExpr*>(e)->object.get()
                                        : static_cast<const ast::FieldExpr*>(e)->object.get();
  return static_cast<const ast::NameExpr&>(*e);
}

llvm::Value* Emitter::emit_global_read(uint32_t index) {
  const ast::VarRef ref{ast::VarKind::Global, index};
  llvm::Value* cell = variable_address(ref);
  if (!shared_global(ref)) {
    llvm::Value* v = load_value(cell);
    retain(v);
    return v;
  }
  return emit_fast_path(
      b_.CreateNot(ctx_flag_set(kInBehaviorOffset)),
      [&](llvm::BasicBlock*) {
        llvm::Value* v = load_value(cell);
        retain(v);
        return v;
      },
      [&] { return call_runtime("boc_rt_global_read", {frame_->ctx, cell}); });
}

// A shared global is lent inside a behavior, which freezes it (so nothing
// can replace its value), and read with a reference elsewhere.
Operand Emitter::shared_global_operand(const ast::VarRef& ref) {
  llvm::Value* cell = variable_address(ref);
  llvm::Value* in_behavior = ctx_flag_set(kInBehaviorOffset);
  llvm::Value* v = emit_fast_path(
      b_.CreateNot(in_behavior),
      [&](llvm::BasicBlock*) {
        llvm::Value* owned = load_value(cell);
        retain(owned);
        return owned;
      },
      [&] { return call_runtime("boc_rt_global_lend", {frame_->ctx, cell}); });
  return Operand{push_temp(b_.CreateSelect(in_behavior, nil(), v)), v};
}

llvm::Value* Emitter::begin_write(const ast::VarRef& ref, GlobalWrite& w) {
  llvm::Value* address = variable_address(ref);
  if (!shared_global(ref)) return address;
  w.cell = address;
  w.concurrent = behaviors_started();
  {
    llvm::IRBuilder<> entry(frame_->fn->getEntryBlock().getTerminator());
    w.shadow = entry.CreateAlloca(value_type_, nullptr, "global_shadow");
    entry.CreateStore(nil(), w.shadow);
    frame_->owned_slots.push_back(w.shadow);
  }
  llvm::BasicBlock* copy = new_block("global_copy");
  llvm::BasicBlock* done = new_block("global_copied");
  b_.CreateCondBr(w.concurrent, copy, done);
  b_.SetInsertPoint(copy);
  llvm::Value* v = load_value(w.cell);
  retain(v);
  store_replacing(w.shadow, v);
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
  return b_.CreateSelect(w.concurrent, w.shadow, w.cell);
}

void Emitter::end_write(const GlobalWrite& w, ast::Loc loc) {
  if (!w.concurrent) return;
  llvm::BasicBlock* store = new_block("global_store");
  llvm::BasicBlock* done = new_block("global_stored");
  b_.CreateCondBr(w.concurrent, store, done);
  b_.SetInsertPoint(store);
  llvm::Value* v = load_value(w.shadow);
  b_.CreateStore(nil(), w.shadow);
  check(call_runtime("boc_rt_global_store", {frame_->ctx, w.cell, v}), loc);
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
}

// Before behaviors run, the global is updated in place like a local. From
// then on the new value is computed without touching the shared one (which
// behaviors may be reading) and stored through boc_rt_global_store's checks.
void Emitter::emit_global_compound(uint32_t index, uint32_t op, llvm::Value* rhs, ast::Loc loc) {
  llvm::Value* cell = variable_address({ast::VarKind::Global, index});
  llvm::BasicBlock* checked = new_block("global_checked_update");
  llvm::BasicBlock* plain = new_block("global_plain_update");
  llvm::BasicBlock* done = new_block("global_updated");
  b_.CreateCondBr(behaviors_started(), checked, plain,
                  llvm::MDBuilder(llvm_).createBranchWeights(1, 1000));
  b_.SetInsertPoint(checked);
  llvm::Value* v =
      call_runtime(binary_op_helper(static_cast<ast::BinaryOp>(op)), {frame_->ctx, load_value(cell), rhs});
  check(v, loc);
  check(call_runtime("boc_rt_global_store", {frame_->ctx, cell, v}), loc);
  b_.CreateBr(done);
  b_.SetInsertPoint(plain);
  b_.CreateStore(emit_compound_value(op, load_value(cell), rhs, loc), cell);
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
}

void Emitter::store_variable(const ast::VarRef& ref, llvm::Value* v, ast::Loc loc) {
  llvm::Value* address = variable_address(ref);
  if (!shared_global(ref)) {
    store_replacing(address, v);
    return;
  }
  llvm::Value* concurrent = behaviors_started();
  llvm::BasicBlock* checked = new_block("global_checked_store");
  llvm::BasicBlock* plain = new_block("global_plain_store");
  llvm::BasicBlock* done = new_block("global_store_done");
  b_.CreateCondBr(concurrent, checked, plain);
  b_.SetInsertPoint(checked);
  check(call_runtime("boc_rt_global_store", {frame_->ctx, address, v}), loc);
  b_.CreateBr(done);
  b_.SetInsertPoint(plain);
  store_replacing(address, v);
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
}

}  // namespace boc::codegen::detail
