// Emitting statements and assignments to places.
#include "compiler/codegen/emitter.hpp"
#include "runtime/abi.hpp"

namespace boc::codegen::detail {

void Emitter::collect_place_keys(const ast::Expr& target, std::vector<Temp>& keys) {
  switch (target.kind) {
    case ast::ExprKind::Index: {
      auto& ix = static_cast<const ast::IndexExpr&>(target);
      collect_place_keys(*ix.object, keys);
      keys.push_back(push_temp(emit_expr(*ix.index)));
      return;
    }
    case ast::ExprKind::Field:
      collect_place_keys(*static_cast<const ast::FieldExpr&>(target).object, keys);
      return;
    default:
      return;  // a Name: no key
  }
}

llvm::Value* Emitter::walk_place(const ast::Expr& target, const std::vector<Temp>& keys,
                                 bool create, llvm::Value* root) {
  // Collect the chain from the root outwards.
  std::vector<const ast::Expr*> chain;
  const ast::Expr* e = &target;
  while (e->kind != ast::ExprKind::Name) {
    chain.push_back(e);
    e = e->kind == ast::ExprKind::Index ? static_cast<const ast::IndexExpr*>(e)->object.get()
                                        : static_cast<const ast::FieldExpr*>(e)->object.get();
  }
  llvm::Value* place = root;
  llvm::Value* lent = chain.empty() ? root : lend_place(root);
  size_t key = 0;
  for (size_t i = chain.size(); i-- > 0;) {
    const ast::Expr* level = chain[i];
    llvm::Value* k = level->kind == ast::ExprKind::Index
                         ? peek(keys.at(key++))
                         : const_value(data_.string_constant(
                               static_cast<const ast::FieldExpr*>(level)->name));
    uint32_t insert = (create && i == 0) ? 1 : 0;
    bool first = i + 1 == chain.size();
    llvm::Value* element = call_runtime("boc_rt_index_place",
                                         {frame_->ctx, first ? lent : place, k, b_.getInt32(insert)});
    if (first) take_back(root, lent);
    check_pointer(element, level->loc);
    place = element;
  }
  return place;
}

void Emitter::emit_let(const ast::LetStmt& s) { store_variable(s.target, emit_expr(*s.init), s.loc); }

void Emitter::emit_assign(const ast::AssignStmt& s) {
  bool simple = s.target->kind == ast::ExprKind::Name;
  if (s.op == ast::AssignOp::Set) {
    if (simple) {
      store_variable(static_cast<const ast::NameExpr&>(*s.target).ref, emit_expr(*s.value), s.loc);
      return;
    }
    std::vector<Temp> keys;
    collect_place_keys(*s.target, keys);
    Temp value = push_temp(emit_expr(*s.value));
    GlobalWrite write;
    llvm::Value* root = begin_write(place_root(*s.target).ref, write);
    llvm::Value* place = walk_place(*s.target, keys, true, root);
    store_replacing(place, take(value));
    for (auto it = keys.rbegin(); it != keys.rend(); ++it) drop(*it);
    end_write(write, s.loc);
    return;
  }

  // AssignOp Add..Mod line up with BinaryOp Add..Mod and the runtime's op.
  uint32_t op = static_cast<uint32_t>(s.op) - static_cast<uint32_t>(ast::AssignOp::Add);
  const ast::VarRef& root_ref = place_root(*s.target).ref;
  std::vector<Temp> keys;
  if (!simple) collect_place_keys(*s.target, keys);
  Temp value = push_temp(emit_expr(*s.value));
  if (simple && shared_global(root_ref)) {
    emit_global_compound(root_ref.index, op, peek(value), s.loc);
    drop(value);
    return;
  }
  GlobalWrite write;
  llvm::Value* root = begin_write(root_ref, write);
  llvm::Value* place = simple ? root : walk_place(*s.target, keys, false, root);
  b_.CreateStore(emit_compound_value(op, load_value(place), peek(value), s.loc), place);
  drop(value);
  for (auto it = keys.rbegin(); it != keys.rend(); ++it) drop(*it);
  end_write(write, s.loc);
}

// Either side consumes `current` (an int needs no release), so the result is
// stored over it without a release; on an error the place keeps it.
llvm::Value* Emitter::emit_compound_value(uint32_t op, llvm::Value* current, llvm::Value* rhs,
                                          ast::Loc loc) {
  return emit_fast_path(
      both_ints(current, rhs),
      [&](llvm::BasicBlock* slow) {
        return emit_int_op(static_cast<ast::BinaryOp>(op), bits_of(current), bits_of(rhs), slow);
      },
      [&] {
        llvm::Value* r = call_runtime("boc_rt_compound_assign",
                                      {frame_->ctx, current, b_.getInt32(op), rhs});
        check(r, loc);
        return r;
      });
}

void Emitter::emit_if(const ast::IfStmt& s) {
  llvm::Value* c = emit_condition(*s.cond);
  llvm::BasicBlock* then_block = new_block("then");
  llvm::BasicBlock* else_block = new_block("else");
  llvm::BasicBlock* done = new_block("endif");
  b_.CreateCondBr(c, then_block, else_block);
  b_.SetInsertPoint(then_block);
  emit_block(s.then_block);
  if (block_open()) b_.CreateBr(done);
  b_.SetInsertPoint(else_block);
  emit_block(s.else_block);
  if (block_open()) b_.CreateBr(done);
  b_.SetInsertPoint(done);
}

// Loops are neither unrolled nor peeled: a copy of a body full of fast and
// slow paths costs more JIT compile time than it saves at run time.
void Emitter::loop_back(llvm::BasicBlock* header) {
  llvm::BranchInst* br = b_.CreateBr(header);
  llvm::MDNode* disable = llvm::MDNode::get(llvm_, llvm::MDString::get(llvm_, "llvm.loop.unroll.disable"));
  llvm::MDNode* loop_id = llvm::MDNode::getDistinct(llvm_, {nullptr, disable});
  loop_id->replaceOperandWith(0, loop_id);
  br->setMetadata(llvm::LLVMContext::MD_loop, loop_id);
}

void Emitter::emit_while(const ast::WhileStmt& s) {
  llvm::BasicBlock* header = new_block("while");
  llvm::BasicBlock* body = new_block("while_body");
  llvm::BasicBlock* exit = new_block("while_exit");
  b_.CreateBr(header);
  b_.SetInsertPoint(header);
  stack_guard(s.loc, false);
  b_.CreateCondBr(emit_condition(*s.cond), body, exit);
  b_.SetInsertPoint(body);
  frame_->loops.push_back({exit, header});
  emit_block(s.body);
  frame_->loops.pop_back();
  if (block_open()) loop_back(header);
  b_.SetInsertPoint(exit);
}

// `for (i in a..b)` counts in a register and builds no list; any other
// iterable is evaluated once (a snapshot, by value semantics) and stepped
// by emit_next_element.
void Emitter::emit_for(const ast::ForStmt& s) {
  llvm::Value* var = frame_->slots.at(s.var_slot);
  llvm::BasicBlock* exit = new_block("for_exit");
  if (s.iterable->kind == ast::ExprKind::Range) {
    auto& range = static_cast<const ast::LogicalExpr&>(*s.iterable);
    Temp ta = push_temp(emit_expr(*range.lhs));
    Temp tb = push_temp(emit_expr(*range.rhs));
    llvm::Value* a = peek(ta);
    llvm::Value* b = peek(tb);
    llvm::BasicBlock* bad = new_block("range_error");
    llvm::BasicBlock* start = new_block("range_start");
    b_.CreateCondBr(b_.CreateAnd(is_tag(a, rt::Tag::Int), is_tag(b, rt::Tag::Int)), start, bad);
    // Non-int bounds: the runtime's range reports the error.
    b_.SetInsertPoint(bad);
    llvm::Value* r = call_runtime("boc_rt_range", {frame_->ctx, a, b});
    check(r, range.loc);
    release(r);
    b_.CreateBr(exit);

    b_.SetInsertPoint(start);
    llvm::Value* begin = bits_of(a);
    llvm::Value* end = bits_of(b);
    llvm::BasicBlock* header = new_block("for_range");
    llvm::BasicBlock* body = new_block("for_body");
    llvm::BasicBlock* latch = new_block("for_next");
    llvm::BasicBlock* entry_block = b_.GetInsertBlock();
    b_.CreateBr(header);
    b_.SetInsertPoint(header);
    llvm::PHINode* i = b_.CreatePHI(i64_, 2);
    i->addIncoming(begin, entry_block);
    b_.CreateCondBr(b_.CreateICmpSLT(i, end), body, exit);
    b_.SetInsertPoint(body);
    store_replacing(var, make_value(rt::Tag::Int, i));
    frame_->loops.push_back({exit, latch});
    emit_block(s.body);
    frame_->loops.pop_back();
    if (block_open()) b_.CreateBr(latch);
    b_.SetInsertPoint(latch);
    stack_guard(s.loc, false);
    i->addIncoming(b_.CreateAdd(i, b_.getInt64(1)), b_.GetInsertBlock());
    loop_back(header);
    b_.SetInsertPoint(exit);
    frame_->temp_depth = ta.depth;  // ints only on the loop path; errors went to cleanup
    (void)tb;
    return;
  }

  Temp iterable = push_temp(emit_expr(*s.iterable));
  llvm::AllocaInst* position = entry_alloca(i64_, "iter_position");
  b_.CreateStore(b_.getInt64(0), position);
  llvm::BasicBlock* header = new_block("for_iter");
  llvm::BasicBlock* done = new_block("for_done");
  b_.CreateBr(header);
  b_.SetInsertPoint(header);
  stack_guard(s.loc, false);
  store_replacing(var, emit_next_element(peek(iterable), position, done, s.iterable->loc));
  frame_->loops.push_back({done, header});
  emit_block(s.body);
  frame_->loops.pop_back();
  if (block_open()) loop_back(header);
  b_.SetInsertPoint(done);
  drop(iterable);
  b_.CreateBr(exit);
  b_.SetInsertPoint(exit);
}

// The catch landing releases whatever the failed statement left in
// temporaries and argument arrays, then binds the error.
void Emitter::emit_try(const ast::TryStmt& s) {
  llvm::BasicBlock* landing = new_block("catch");
  llvm::BasicBlock* done = new_block("try_done");
  unsigned depth = frame_->temp_depth;
  size_t arrays_before = frame_->arrays.size();
  frame_->handlers.push_back({landing, depth});
  emit_block(s.body);
  frame_->handlers.pop_back();
  if (block_open()) b_.CreateBr(done);

  b_.SetInsertPoint(landing);
  for (size_t i = depth; i < frame_->temps.size(); ++i) {
    release(load_value(frame_->temps[i]));
    b_.CreateStore(nil(), frame_->temps[i]);
  }
  for (size_t i = arrays_before; i < frame_->arrays.size(); ++i)
    release_array(frame_->arrays[i].first, frame_->arrays[i].second);
  llvm::Value* error = call_runtime("boc_rt_take_error", {frame_->ctx});
  // An error that cannot be caught (exit) keeps propagating.
  llvm::BasicBlock* bind = new_block("catch_bind");
  b_.CreateCondBr(is_tag(error, rt::Tag::Exc), error_target(), bind);
  b_.SetInsertPoint(bind);
  store_replacing(frame_->slots.at(s.catch_slot), error);
  emit_block(s.handler);
  if (block_open()) b_.CreateBr(done);
  b_.SetInsertPoint(done);
}

void Emitter::emit_return(const ast::ReturnStmt& s) {
  llvm::Value* v = s.value ? emit_expr(*s.value) : nil();
  b_.CreateStore(v, frame_->result);
  b_.CreateBr(frame_->cleanup);
}

void Emitter::emit_stmt(const ast::Stmt& s) {
  if (!block_open()) b_.SetInsertPoint(new_block("unreachable"));
  switch (s.kind) {
    case ast::StmtKind::Let: return emit_let(static_cast<const ast::LetStmt&>(s));
    case ast::StmtKind::Assign: return emit_assign(static_cast<const ast::AssignStmt&>(s));
    case ast::StmtKind::Expr: return release(emit_expr(*static_cast<const ast::ExprStmt&>(s).expr));
    case ast::StmtKind::If: return emit_if(static_cast<const ast::IfStmt&>(s));
    case ast::StmtKind::While:
    case ast::StmtKind::For: return emit_loop(s);
    case ast::StmtKind::Break: b_.CreateBr(frame_->loops.back().exit); return;
    case ast::StmtKind::Continue: b_.CreateBr(frame_->loops.back().next); return;
    case ast::StmtKind::Return: return emit_return(static_cast<const ast::ReturnStmt&>(s));
    case ast::StmtKind::FnDecl: {
      auto& decl = static_cast<const ast::FnDeclStmt&>(s);
      // Top-level functions were bound when the unit started (hoisting).
      if (decl.target.kind == ast::VarKind::Local)
        store_variable(decl.target, emit_closure(*decl.fn), decl.loc);
      return;
    }
    case ast::StmtKind::Try: return emit_try(static_cast<const ast::TryStmt&>(s));
    case ast::StmtKind::Block: return emit_block(static_cast<const ast::BlockStmt&>(s).body);
  }
}

void Emitter::emit_block(const ast::Block& block) {
  for (const ast::StmtPtr& s : block) emit_stmt(*s);
}

}  // namespace boc::codegen::detail
