// Frames: slots, temporaries, the cleanup block and the error paths.
//
// Every function owns one result alloca and one cleanup block that releases
// every slot, temporary and argument array, then returns the result. A
// runtime error stores exc in the result and branches to cleanup (or to the
// innermost catch). Allocas start as nil, so releasing an unused one is a
// no-op; a temporary is reset to nil when it is consumed.
#include "compiler/codegen/emitter.hpp"
#include "llvm/IR/Intrinsics.h"
#include "llvm/IR/MDBuilder.h"

namespace boc::codegen::detail {

llvm::BasicBlock* Emitter::new_block(const char* name) {
  return llvm::BasicBlock::Create(llvm_, name, frame_->fn);
}

bool Emitter::block_open() { return b_.GetInsertBlock()->getTerminator() == nullptr; }

void Emitter::begin_frame(Frame& frame, llvm::Function* fn, const ast::FunctionInfo& info,
                          const char* name, llvm::Value* contents, unsigned external) {
  frame_ = &frame;
  frame.fn = fn;
  frame.info = &info;
  frame.name = name;
  frame.entry_slots = external;
  frame.ctx = fn->getArg(0);
  llvm::BasicBlock* entry = llvm::BasicBlock::Create(llvm_, "entry", fn);
  b_.SetInsertPoint(entry);
  frame.result = b_.CreateAlloca(value_type_, nullptr, "result");
  b_.CreateStore(nil(), frame.result);
  for (uint32_t i = 0; i < info.num_slots; ++i) {
    if (i < external) {
      frame.slots.push_back(b_.CreateLoad(ptr_, b_.CreateConstInBoundsGEP1_64(ptr_, contents, i)));
      continue;
    }
    llvm::AllocaInst* slot = b_.CreateAlloca(value_type_, nullptr, "slot");
    b_.CreateStore(nil(), slot);
    frame.slots.push_back(slot);
    frame.owned_slots.push_back(slot);
  }
  frame.cleanup = llvm::BasicBlock::Create(llvm_, "cleanup", fn);
  frame.unwind = llvm::BasicBlock::Create(llvm_, "unwind", fn);
  llvm::BasicBlock* body = llvm::BasicBlock::Create(llvm_, "body", fn);
  b_.CreateBr(body);
  b_.SetInsertPoint(body);
}

void Emitter::finish_frame() {
  Frame& f = *frame_;
  if (block_open()) b_.CreateBr(f.cleanup);
  b_.SetInsertPoint(f.unwind);
  b_.CreateStore(const_value(rt::Value::exc()), f.result);
  b_.CreateBr(f.cleanup);
  b_.SetInsertPoint(f.cleanup);
  for (llvm::AllocaInst* slot : f.owned_slots) release(load_value(slot));
  for (llvm::AllocaInst* temp : f.temps) release(load_value(temp));
  for (auto [array, n] : f.arrays) release_array(array, n);
  b_.CreateRet(load_value(f.result));
}

// Temporaries are pooled by depth: expression evaluation is a stack, so the
// alloca at depth d is free again once the value at depth d is consumed.
Temp Emitter::push_temp(llvm::Value* owned) {
  Frame& f = *frame_;
  if (f.temp_depth == f.temps.size()) {
    llvm::IRBuilder<> entry(f.fn->getEntryBlock().getTerminator());
    llvm::AllocaInst* a = entry.CreateAlloca(value_type_, nullptr, "temp");
    entry.CreateStore(nil(), a);
    f.temps.push_back(a);
  }
  b_.CreateStore(owned, f.temps[f.temp_depth]);
  return Temp{f.temp_depth++};
}

llvm::Value* Emitter::peek(Temp t) { return load_value(frame_->temps[t.depth]); }

llvm::Value* Emitter::take(Temp t) {
  llvm::Value* v = peek(t);
  b_.CreateStore(nil(), frame_->temps[t.depth]);
  frame_->temp_depth = t.depth;
  return v;
}

void Emitter::drop(Temp t) { release(take(t)); }

void Emitter::forget(Temp t) {
  b_.CreateStore(nil(), frame_->temps[t.depth]);
  frame_->temp_depth = t.depth;
}

// Globals, behavior entries and container elements are not allocas: their
// addresses go to the runtime as they are.
llvm::Value* Emitter::lend_place(llvm::Value* address) {
  if (!llvm::isa<llvm::AllocaInst>(address)) return address;
  Frame& f = *frame_;
  if (!f.lent_cell) f.lent_cell = entry_alloca(value_type_, "lent");
  b_.CreateStore(load_value(address), f.lent_cell);
  return f.lent_cell;
}

void Emitter::take_back(llvm::Value* address, llvm::Value* lent) {
  if (lent != address) b_.CreateStore(load_value(lent), address);
}

llvm::AllocaInst* Emitter::entry_alloca(llvm::Type* type, const char* name) {
  llvm::IRBuilder<> entry(frame_->fn->getEntryBlock().getTerminator());
  return entry.CreateAlloca(type, nullptr, name);
}

llvm::AllocaInst* Emitter::args_array(unsigned n) {
  llvm::IRBuilder<> entry(frame_->fn->getEntryBlock().getTerminator());
  auto* type = llvm::ArrayType::get(value_type_, n);
  llvm::AllocaInst* a = entry.CreateAlloca(type, nullptr, "args");
  entry.CreateStore(llvm::ConstantAggregateZero::get(type), a);
  frame_->arrays.emplace_back(a, n);
  return a;
}

Emitter::Arguments Emitter::emit_arguments(const std::vector<const ast::Expr*>& items) {
  Arguments args;
  args.count = static_cast<unsigned>(items.size());
  args.pointer = llvm::ConstantPointerNull::get(ptr_);
  if (args.count == 0) return args;
  args.storage = args_array(args.count);
  args.pointer = args.storage;
  auto* type = llvm::ArrayType::get(value_type_, args.count);
  for (unsigned i = 0; i < args.count; ++i)
    b_.CreateStore(emit_expr(*items[i]), b_.CreateConstInBoundsGEP2_32(type, args.storage, 0, i));
  return args;
}

Emitter::Arguments Emitter::emit_arguments(const std::vector<ast::ExprPtr>& items) {
  std::vector<const ast::Expr*> plain;
  for (const ast::ExprPtr& e : items) plain.push_back(e.get());
  return emit_arguments(plain);
}

void Emitter::release_arguments(const Arguments& args) {
  if (args.storage) release_array(args.storage, args.count);
}

void Emitter::release_array(llvm::AllocaInst* array, unsigned n) {
  auto* type = llvm::ArrayType::get(value_type_, n);
  for (unsigned i = 0; i < n; ++i) {
    llvm::Value* element = b_.CreateConstInBoundsGEP2_32(type, array, 0, i);
    release(load_value(element));
    b_.CreateStore(nil(), element);
  }
}

llvm::BasicBlock* Emitter::error_target() {
  return frame_->handlers.empty() ? frame_->unwind : frame_->handlers.back().landing;
}

void Emitter::raise_here(ast::Loc loc) {
  call_runtime("boc_rt_trace", {frame_->ctx, pointer_constant(data_.site(frame_->name, loc))});
  b_.CreateBr(error_target());
}

void Emitter::check(llvm::Value* v, ast::Loc loc) {
  llvm::BasicBlock* fail = new_block("error");
  llvm::BasicBlock* ok = new_block("ok");
  llvm::Value* is_exc = is_tag(v, rt::Tag::Exc);
  b_.CreateCondBr(is_exc, fail, ok, llvm::MDBuilder(llvm_).createBranchWeights(1, 1000));
  b_.SetInsertPoint(fail);
  raise_here(loc);
  b_.SetInsertPoint(ok);
}

void Emitter::check_pointer(llvm::Value* p, ast::Loc loc) {
  llvm::BasicBlock* fail = new_block("error");
  llvm::BasicBlock* ok = new_block("ok");
  b_.CreateCondBr(b_.CreateIsNull(p), fail, ok, llvm::MDBuilder(llvm_).createBranchWeights(1, 1000));
  b_.SetInsertPoint(fail);
  raise_here(loc);
  b_.SetInsertPoint(ok);
}

// One compare serves both the stack check and the interrupt poll
// (runtime/stack.cpp): the interrupter raises ctx->stack_limit (offset 0)
// above every frame. The entry stack pointer is the address of the return
// address, which needs no frame pointer, unlike llvm.frameaddress. The load
// is monotonic so that no pass keeps a stale limit across a loop.
//
// At a function entry nothing is owned yet, so a failed guard returns at
// once; in a loop it goes to the catch or cleanup. Either way the runtime
// has traced an interrupt at loc already, and an overflow gets its location
// from the caller's call site.
void Emitter::stack_guard(ast::Loc loc, bool at_entry) {
  llvm::Value* frame = b_.CreateIntrinsic(llvm::Intrinsic::addressofreturnaddress, {ptr_}, {});
  llvm::LoadInst* limit = b_.CreateLoad(ptr_, frame_->ctx);
  limit->setAtomic(llvm::AtomicOrdering::Monotonic);
  limit->setAlignment(llvm::Align(8));
  llvm::BasicBlock* hit = new_block("stack_guard");
  llvm::BasicBlock* failed = new_block("guard_failed");
  llvm::BasicBlock* ok = new_block("stack_ok");
  b_.CreateCondBr(b_.CreateICmpULT(frame, limit), hit, ok,
                  llvm::MDBuilder(llvm_).createBranchWeights(1, 100000));
  b_.SetInsertPoint(hit);
  const rt::SiteInfo* site = data_.site(frame_->name, loc);
  llvm::Value* r = call_runtime("boc_rt_stack_guard", {frame_->ctx, frame, pointer_constant(site)});
  b_.CreateCondBr(is_tag(r, rt::Tag::Exc), failed, ok,
                  llvm::MDBuilder(llvm_).createBranchWeights(1, 1000));
  b_.SetInsertPoint(failed);
  if (at_entry) {
    b_.CreateRet(r);
  } else {
    b_.CreateBr(error_target());
  }
  b_.SetInsertPoint(ok);
}

}  // namespace boc::codegen::detail
