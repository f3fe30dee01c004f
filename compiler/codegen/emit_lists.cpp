// Lists inline: indexing, push and iteration read the element array
// directly in the common case and fall back to the runtime otherwise
// (another type, a shared list, a full array, an index out of range), which
// also reports every error.
#include "compiler/codegen/emitter.hpp"
#include "runtime/list.hpp"

namespace boc::codegen::detail {

llvm::Value* Emitter::list_field_address(llvm::Value* list, uint64_t offset) {
  return b_.CreateConstInBoundsGEP1_64(b_.getInt8Ty(), b_.CreateIntToPtr(bits_of(list), ptr_),
                                       offset);
}

llvm::Value* Emitter::list_field(llvm::Value* list, uint64_t offset) {
  return b_.CreateLoad(ptr_, list_field_address(list, offset));
}

llvm::Value* Emitter::list_length(llvm::Value* list) {
  llvm::Value* begin = b_.CreatePtrToInt(list_field(list, rt::kListBeginOffset), i64_);
  llvm::Value* end = b_.CreatePtrToInt(list_field(list, rt::kListEndOffset), i64_);
  return b_.CreateExactUDiv(b_.CreateSub(end, begin), b_.getInt64(sizeof(rt::Value)));
}

llvm::Value* Emitter::list_element(llvm::Value* list, llvm::Value* index, llvm::BasicBlock* slow) {
  llvm::Value* length = list_length(list);
  llvm::Value* from_end = b_.CreateICmpSLT(index, b_.getInt64(0));
  llvm::Value* position = b_.CreateSelect(from_end, b_.CreateAdd(index, length), index);
  bail_if(b_.CreateICmpUGE(position, length), slow);  // the runtime reports the error
  return load_value(b_.CreateInBoundsGEP(value_type_, list_field(list, rt::kListBeginOffset), position));
}

// xs[i]: a list in a variable is read where it lies, without a reference
// count round trip, when evaluating i cannot change it (see emit_operand).
llvm::Value* Emitter::emit_index(const ast::IndexExpr& e) {
  Operand list = emit_operand(*e.object, !calls_method(*e.index));
  Temp tk = push_temp(emit_expr(*e.index));
  llvm::Value* object = value_of(list);
  llvm::Value* key = peek(tk);
  llvm::Value* r = emit_fast_path(
      b_.CreateAnd(is_tag(object, rt::Tag::List), is_tag(key, rt::Tag::Int)),
      [&](llvm::BasicBlock* slow) {
        llvm::Value* element = list_element(object, bits_of(key), slow);
        retain(element);
        return element;
      },
      [&] {
        llvm::Value* v = call_runtime("boc_rt_index", {frame_->ctx, object, key});
        drop(tk);
        check(v, e.loc);
        return v;
      });
  frame_->temp_depth = tk.depth;  // the fast path's key is an int
  drop(list);
  return r;
}

llvm::Value* Emitter::emit_push(const ast::MethodExpr& m) {
  if (m.name != "push" || m.args.size() != 1 || m.object->kind != ast::ExprKind::Name)
    return nullptr;
  const ast::VarRef& ref = static_cast<const ast::NameExpr&>(*m.object).ref;
  if (ref.kind != ast::VarKind::Local && ref.kind != ast::VarKind::Global) return nullptr;
  Temp item = push_temp(emit_expr(*m.args[0]));
  GlobalWrite write;
  llvm::Value* place = begin_write(ref, write);
  llvm::Value* list = load_value(place);
  llvm::Value* r = emit_fast_path(
      is_tag(list, rt::Tag::List),
      [&](llvm::BasicBlock* slow) {
        // Unique: no other owner can see the append (the acquire pairs with
        // the release decrement of the owner that left it unique).
        llvm::LoadInst* count = b_.CreateLoad(i32_, b_.CreateIntToPtr(bits_of(list), ptr_));
        count->setAtomic(llvm::AtomicOrdering::Acquire);
        count->setAlignment(llvm::Align(4));
        bail_if(b_.CreateICmpNE(count, b_.getInt32(1)), slow);
        llvm::Value* end = list_field(list, rt::kListEndOffset);
        bail_if(b_.CreateICmpEQ(end, list_field(list, rt::kListCapacityEndOffset)), slow);
        b_.CreateStore(take(item), end);  // the list takes the reference
        b_.CreateStore(b_.CreateConstInBoundsGEP1_64(value_type_, end, 1),
                       list_field_address(list, rt::kListEndOffset));
        return nil();
      },
      [&] {
        llvm::AllocaInst* args = args_array(1);
        b_.CreateStore(take(item), b_.CreateConstInBoundsGEP2_32(args->getAllocatedType(), args, 0, 0));
        llvm::Value* v = call_method(place, m.name, args, 1);
        release_array(args, 1);
        check(v, m.loc);
        return v;
      });
  end_write(write, m.loc);
  return r;
}

// Lists step by index in the loop; anything else goes through
// boc_rt_iter_next, whose cursor lives in a cell only for the call so that
// `position` stays in a register.
llvm::Value* Emitter::emit_next_element(llvm::Value* sequence, llvm::AllocaInst* position,
                                        llvm::BasicBlock* done, ast::Loc loc) {
  return emit_fast_path(
      is_tag(sequence, rt::Tag::List),
      [&](llvm::BasicBlock*) {
        llvm::Value* i = b_.CreateLoad(i64_, position);
        llvm::BasicBlock* got = new_block("list_element");
        b_.CreateCondBr(b_.CreateICmpULT(i, list_length(sequence)), got, done);
        b_.SetInsertPoint(got);
        b_.CreateStore(b_.CreateAdd(i, b_.getInt64(1)), position);
        llvm::Value* element =
            load_value(b_.CreateInBoundsGEP(value_type_, list_field(sequence, rt::kListBeginOffset), i));
        retain(element);
        return element;
      },
      [&] {
        llvm::AllocaInst* cursor = entry_alloca(i64_, "iter_cursor");
        llvm::AllocaInst* out = entry_alloca(value_type_, "iter_element");
        b_.CreateStore(b_.CreateLoad(i64_, position), cursor);
        llvm::Value* status =
            call_runtime("boc_rt_iter_next", {frame_->ctx, sequence, cursor, out});
        b_.CreateStore(b_.CreateLoad(i64_, cursor), position);
        llvm::BasicBlock* got = new_block("iter_element");
        llvm::BasicBlock* fail = new_block("iter_error");
        llvm::SwitchInst* sw = b_.CreateSwitch(status, fail, 2);
        sw->addCase(b_.getInt32(1), got);
        sw->addCase(b_.getInt32(0), done);
        b_.SetInsertPoint(fail);
        raise_here(loc);
        b_.SetInsertPoint(got);
        return load_value(out);
      });
}

}  // namespace boc::codegen::detail
