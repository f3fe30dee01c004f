// Top-level loops that keep the globals they assign in slots.
//
// Design note: at top level, `sum += i` in a loop updates a global's cell,
// and the loop's slow paths (runtime calls LLVM cannot see into) keep LLVM
// from holding the cell in a register: every iteration stores it and loads
// it again, a store-to-load dependency that made such loops 1.5x slower
// than the same loop in a function. When the loop runs no other code (no
// call, method, behavior, closure or try), nothing but the loop reads those
// cells while it runs. So the globals it assigns are loaded into slots
// before it, and stored back by every way out: its end, a break (which
// leaves to the end), or an error (through a handler that stores them back,
// then goes on to the enclosing catch or cleanup). Slots promote to
// registers like locals. Once behaviors have started (ctx->concurrent),
// globals need the frozen-global checks on every write, so the loop is
// emitted twice and the flag, which a loop scheduling nothing cannot
// change, picks one copy at entry.
#include <algorithm>

#include "compiler/ast/walk.hpp"
#include "compiler/codegen/emitter.hpp"

namespace boc::codegen::detail {

namespace {
// Whether evaluating `e` may run code other than the loop's own.
bool runs_other_code(const ast::Expr& e) {
  return ast::any_subexpression(e, [](const ast::Expr& x) {
    switch (x.kind) {
      case ast::ExprKind::Call:
      case ast::ExprKind::Method:
      case ast::ExprKind::When:
      case ast::ExprKind::Fn:
        return true;
      default:
        return false;
    }
  });
}

// Deeper nests are emitted as written: a kept nest is compiled twice, and
// LLVM's time on a deep nest already grows faster than its depth (60 levels
// of `g += 1` took 2.7 s as written, 5.5 s kept).
constexpr unsigned kMaxKeptLoopDepth = 4;
}  // namespace

bool Emitter::collect_assigned_globals(const ast::Block& block, unsigned loops,
                                       std::vector<uint32_t>& out) {
  for (const ast::StmtPtr& s : block)
    if (!collect_assigned_globals(*s, loops, out)) return false;
  return true;
}

// Adds the globals `s` assigns to `out`; false when it may run other code or
// nests loops deeper than kMaxKeptLoopDepth. `loops`: the loops around `s`.
bool Emitter::collect_assigned_globals(const ast::Stmt& s, unsigned loops,
                                       std::vector<uint32_t>& out) {
  switch (s.kind) {
    case ast::StmtKind::Let: {
      auto& let = static_cast<const ast::LetStmt&>(s);
      if (let.target.kind == ast::VarKind::Global) out.push_back(let.target.index);
      return !runs_other_code(*let.init);
    }
    case ast::StmtKind::Assign: {
      auto& assign = static_cast<const ast::AssignStmt&>(s);
      const ast::VarRef& root = place_root(*assign.target).ref;
      if (root.kind == ast::VarKind::Global) out.push_back(root.index);
      return !runs_other_code(*assign.target) && !runs_other_code(*assign.value);
    }
    case ast::StmtKind::Expr:
      return !runs_other_code(*static_cast<const ast::ExprStmt&>(s).expr);
    case ast::StmtKind::If: {
      auto& i = static_cast<const ast::IfStmt&>(s);
      return !runs_other_code(*i.cond) && collect_assigned_globals(i.then_block, loops, out) &&
             collect_assigned_globals(i.else_block, loops, out);
    }
    case ast::StmtKind::While: {
      auto& w = static_cast<const ast::WhileStmt&>(s);
      return loops < kMaxKeptLoopDepth && !runs_other_code(*w.cond) &&
             collect_assigned_globals(w.body, loops + 1, out);
    }
    case ast::StmtKind::For: {
      auto& f = static_cast<const ast::ForStmt&>(s);
      return loops < kMaxKeptLoopDepth && !runs_other_code(*f.iterable) &&
             collect_assigned_globals(f.body, loops + 1, out);
    }
    case ast::StmtKind::Block:
      return collect_assigned_globals(static_cast<const ast::BlockStmt&>(s).body, loops, out);
    case ast::StmtKind::Break:
    case ast::StmtKind::Continue:
      return true;
    case ast::StmtKind::Return:
    case ast::StmtKind::FnDecl:
    case ast::StmtKind::Try:
      return false;
  }
  return false;
}

std::vector<uint32_t> Emitter::loop_globals(const ast::Stmt& loop) {
  std::vector<uint32_t> found;
  // Only the top level has globals to keep. A loop nested in one being kept
  // already reads the slots, and one nested in a checked copy runs checked:
  // so nested loops are emitted twice in all, not twice per level.
  if (frame_->info != &program_.info || !frame_->loop_globals.empty() || frame_->in_checked_loop)
    return {};
  if (!collect_assigned_globals(loop, 0, found)) return {};
  std::vector<uint32_t> kept;
  for (uint32_t index : found) {
    if (globals_.info(index).constant) continue;  // never assigned after its let
    if (std::find(kept.begin(), kept.end(), index) == kept.end()) kept.push_back(index);
  }
  return kept;
}

void Emitter::emit_loop_as_written(const ast::Stmt& loop) {
  if (loop.kind == ast::StmtKind::While) return emit_while(static_cast<const ast::WhileStmt&>(loop));
  emit_for(static_cast<const ast::ForStmt&>(loop));
}

void Emitter::emit_loop(const ast::Stmt& loop) {
  std::vector<uint32_t> globals = loop_globals(loop);
  if (globals.empty()) return emit_loop_as_written(loop);
  llvm::BasicBlock* kept = new_block("loop_keeps_globals");
  llvm::BasicBlock* checked = new_block("loop_checks_globals");
  llvm::BasicBlock* done = new_block("loop_done");
  b_.CreateCondBr(behaviors_started(), checked, kept);
  b_.SetInsertPoint(checked);
  frame_->in_checked_loop = true;
  emit_loop_as_written(loop);
  frame_->in_checked_loop = false;
  if (block_open()) b_.CreateBr(done);

  b_.SetInsertPoint(kept);
  // Each slot takes over the cell's reference; the cell is stale (and its
  // value possibly released) until the slot is stored back.
  std::vector<std::pair<llvm::Value*, llvm::AllocaInst*>> cells;
  for (uint32_t index : globals) {
    llvm::Value* cell = variable_address({ast::VarKind::Global, index});
    llvm::AllocaInst* slot = entry_alloca(value_type_, "kept_global");
    b_.CreateStore(load_value(cell), slot);
    cells.emplace_back(cell, slot);
    frame_->loop_globals[index] = slot;
  }
  auto store_back = [&] {
    for (auto [cell, slot] : cells) b_.CreateStore(load_value(slot), cell);
  };
  llvm::BasicBlock* enclosing = error_target();
  llvm::BasicBlock* failed = new_block("loop_failed");
  frame_->handlers.push_back({failed, frame_->temp_depth});
  emit_loop_as_written(loop);
  frame_->handlers.pop_back();
  frame_->loop_globals.clear();
  if (block_open()) {
    store_back();
    b_.CreateBr(done);
  }
  b_.SetInsertPoint(failed);
  store_back();
  b_.CreateBr(enclosing);
  b_.SetInsertPoint(done);
}

}  // namespace boc::codegen::detail
