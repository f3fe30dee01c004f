// Loop fast copies.
//
// Why: in `for (i in 0..n) { sum += i; }` the inline int path keeps `sum` an
// int, but its slow path (a runtime call) may return anything, and both meet
// again before the next iteration. So every iteration tests `sum`'s tag
// again and moves it between registers: 13 instructions where 8 would do.
//
// What: an innermost loop with blocks that make calls, none of which runs on
// every iteration, is cloned. Every edge from a calling block back into the
// loop goes to the clone instead, so once a slow path has run, the rest of
// the loop runs in the clone, which is the loop as written. The loop itself
// now only continues from its call-free paths: the values in its phis are
// the fast paths' own (an int tag 2), and the clean-up passes fold the
// tests on them away.
#include "compiler/jit/loop_fast_copy.hpp"

#include <vector>

#include "compiler/jit/ir_queries.hpp"
#include "llvm/ADT/DepthFirstIterator.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/Analysis/LoopInfo.h"
#include "llvm/IR/Dominators.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Module.h"
#include "llvm/Transforms/InstCombine/InstCombine.h"
#include "llvm/Transforms/Scalar/SimplifyCFG.h"
#include "llvm/Transforms/Utils/Cloning.h"
#include "llvm/Transforms/Utils/SSAUpdater.h"
#include "llvm/Transforms/Utils/ValueMapper.h"

namespace boc::jit {

namespace {

// Larger loops are left alone: the copy doubles their code, and their
// iterations are long enough that a tag test more does not show.
constexpr size_t kMaxLoopInstructions = 200;

bool worth_copying(const llvm::Loop& loop, const llvm::DominatorTree& dom,
                   std::vector<llvm::BasicBlock*>& calling) {
  llvm::BasicBlock* latch = loop.getLoopLatch();
  if (!latch || !loop.getLoopPreheader()) return false;
  size_t size = 0;
  for (llvm::BasicBlock* block : loop.blocks()) {
    size += block->size();
    if (!makes_call(*block)) continue;
    // A call on every iteration would move the loop to the copy at once.
    if (dom.dominates(block, latch)) return false;
    calling.push_back(block);
  }
  return !calling.empty() && size <= kMaxLoopInstructions;
}

// The constant v always is, looking through phis and ignoring inputs from
// blocks that cannot run; null if none.
llvm::Constant* constant_value(llvm::Value* v, const llvm::SmallPtrSetImpl<llvm::BasicBlock*>& live,
                               llvm::SmallPtrSetImpl<llvm::PHINode*>& seen) {
  if (auto* c = llvm::dyn_cast<llvm::Constant>(v)) return c;
  auto* phi = llvm::dyn_cast<llvm::PHINode>(v);
  if (!phi || !seen.insert(phi).second) return nullptr;
  llvm::Constant* common = nullptr;
  for (unsigned i = 0; i < phi->getNumIncomingValues(); ++i) {
    if (!live.contains(phi->getIncomingBlock(i)) || phi->getIncomingValue(i) == phi) continue;
    llvm::Constant* c = constant_value(phi->getIncomingValue(i), live, seen);
    if (!c || (common && c != common)) return nullptr;
    common = c;
  }
  return common;
}

// Now that only call-free paths continue the loop, a header phi may always
// get the same constant from the latch (an int tag, 2), yet a different
// value on entry (a global's tag, loaded before the loop). Then the loop is
// entered only when the entry value is that constant too, and the copy runs
// otherwise, so that the phi is the constant.
void enter_copy_unless_fast(llvm::Function& f, llvm::Loop& loop, llvm::ValueToValueMapTy& map) {
  llvm::df_iterator_default_set<llvm::BasicBlock*, 32> live;
  for (llvm::BasicBlock* block : llvm::depth_first_ext(&f, live)) (void)block;
  llvm::BasicBlock* preheader = loop.getLoopPreheader();
  llvm::BasicBlock* latch = loop.getLoopLatch();
  llvm::IRBuilder<> b(preheader->getTerminator());
  llvm::Value* fast = nullptr;
  for (llvm::PHINode& phi : loop.getHeader()->phis()) {
    llvm::SmallPtrSet<llvm::PHINode*, 8> seen;
    auto* c = llvm::dyn_cast_or_null<llvm::ConstantInt>(
        constant_value(phi.getIncomingValueForBlock(latch), live, seen));
    llvm::Value* entry = phi.getIncomingValueForBlock(preheader);
    if (!c || entry == c) continue;
    llvm::Value* same = b.CreateICmpEQ(entry, c);
    fast = fast ? b.CreateAnd(fast, same) : same;
    auto* copy = llvm::cast<llvm::PHINode>(map[&phi]);
    copy->addIncoming(entry, preheader);
    phi.setIncomingValueForBlock(preheader, c);
  }
  if (!fast) return;
  // The copy's other header phis take their entry values too.
  auto* header_copy = llvm::cast<llvm::BasicBlock>(map[loop.getHeader()]);
  for (auto [phi, copy] : llvm::zip_equal(loop.getHeader()->phis(), header_copy->phis()))
    if (copy.getBasicBlockIndex(preheader) < 0)
      copy.addIncoming(phi.getIncomingValueForBlock(preheader), preheader);
  preheader->getTerminator()->eraseFromParent();
  llvm::BranchInst::Create(loop.getHeader(), header_copy, fast, preheader);
}

void copy_loop(llvm::Function& f, llvm::Loop& loop, const std::vector<llvm::BasicBlock*>& calling) {
  llvm::ValueToValueMapTy map;
  std::vector<llvm::BasicBlock*> copies;
  for (llvm::BasicBlock* block : loop.blocks()) {
    llvm::BasicBlock* copy = llvm::CloneBasicBlock(block, map, ".slow", &f);
    map[block] = copy;
    copies.push_back(copy);
  }
  llvm::remapInstructionsInBlocks(copies, map);
  auto copy_of = [&](llvm::Value* v) -> llvm::Value* {
    auto it = map.find(v);
    return it == map.end() ? v : static_cast<llvm::Value*>(it->second);
  };

  // Nothing outside enters the copy: its header keeps only the latch's input.
  auto* header_copy = llvm::cast<llvm::BasicBlock>(map[loop.getHeader()]);
  for (llvm::PHINode& phi : header_copy->phis())
    phi.removeIncomingValue(loop.getLoopPreheader(), /*DeletePHIIfEmpty=*/false);
  // The copy leaves the loop where the loop does.
  llvm::SmallVector<llvm::BasicBlock*, 4> exits;
  loop.getUniqueExitBlocks(exits);
  for (llvm::BasicBlock* exit : exits) {
    for (llvm::PHINode& phi : exit->phis()) {
      for (unsigned i = 0, n = phi.getNumIncomingValues(); i < n; ++i) {
        llvm::BasicBlock* from = phi.getIncomingBlock(i);
        if (loop.contains(from))
          phi.addIncoming(copy_of(phi.getIncomingValue(i)),
                          llvm::cast<llvm::BasicBlock>(map[from]));
      }
    }
  }
  // A calling block of the loop continues in the copy.
  for (llvm::BasicBlock* block : calling) {
    llvm::SmallPtrSet<llvm::BasicBlock*, 4> done;
    for (llvm::BasicBlock* next : llvm::successors(block)) {
      if (!loop.contains(next) || !done.insert(next).second) continue;
      auto* next_copy = llvm::cast<llvm::BasicBlock>(map[next]);
      for (auto [phi, phi_copy] : llvm::zip_equal(next->phis(), next_copy->phis()))
        phi_copy.addIncoming(phi.getIncomingValueForBlock(block), block);
      next->removePredecessor(block, /*KeepOneInputPHIs=*/true);
      block->getTerminator()->replaceSuccessorWith(next, next_copy);
    }
  }

  enter_copy_unless_fast(f, loop, map);

  // A value of the loop now reaches the copy (from a calling block) and the
  // code after the loop (from the copy's exits) along with its copy. The
  // updater may add phis to the loop's blocks too; those need no updating.
  std::vector<llvm::Instruction*> values;
  for (llvm::BasicBlock* block : loop.blocks())
    for (llvm::Instruction& inst : *block)
      if (!inst.getType()->isVoidTy()) values.push_back(&inst);
  for (llvm::Instruction* inst : values) {
    auto* copy = llvm::cast<llvm::Instruction>(map[inst]);
    llvm::SSAUpdater updater;
    updater.Initialize(inst->getType(), inst->getName());
    updater.AddAvailableValue(inst->getParent(), inst);
    updater.AddAvailableValue(copy->getParent(), copy);
    for (llvm::Use& use : llvm::make_early_inc_range(inst->uses()))
      if (!loop.contains(use_block(use))) updater.RewriteUse(use);
    for (llvm::Use& use : llvm::make_early_inc_range(copy->uses()))
      if (use_block(use) != copy->getParent()) updater.RewriteUse(use);
  }
}

bool copy_loops(llvm::Function& f, llvm::FunctionAnalysisManager& fam) {
  auto& loops = fam.getResult<llvm::LoopAnalysis>(f);
  auto& dom = fam.getResult<llvm::DominatorTreeAnalysis>(f);
  std::vector<std::pair<llvm::Loop*, std::vector<llvm::BasicBlock*>>> chosen;
  for (llvm::Loop* loop : loops.getLoopsInPreorder()) {
    std::vector<llvm::BasicBlock*> calling;
    if (loop->isInnermost() && worth_copying(*loop, dom, calling))
      chosen.emplace_back(loop, std::move(calling));
  }
  // Innermost loops are disjoint, so copying one leaves the others' blocks
  // (and the loop info about them) as they were.
  for (auto& [loop, calling] : chosen) copy_loop(f, *loop, calling);
  return !chosen.empty();
}

}  // namespace

llvm::PreservedAnalyses LoopFastCopyPass::run(llvm::Module& module,
                                              llvm::ModuleAnalysisManager& mam) {
  llvm::FunctionAnalysisManager& fam =
      mam.getResult<llvm::FunctionAnalysisManagerModuleProxy>(module).getManager();
  // Drop the blocks only slow paths reached, fold the phis that lost those
  // inputs, then the branches on them.
  llvm::FunctionPassManager cleanup;
  cleanup.addPass(llvm::SimplifyCFGPass());
  cleanup.addPass(llvm::InstCombinePass());
  cleanup.addPass(llvm::SimplifyCFGPass());
  bool changed = false;
  for (llvm::Function& f : module) {
    if (f.isDeclaration() || f.hasOptNone() || !copy_loops(f, fam)) continue;
    fam.invalidate(f, llvm::PreservedAnalyses::none());
    cleanup.run(f, fam);
    changed = true;
  }
  return changed ? llvm::PreservedAnalyses::none() : llvm::PreservedAnalyses::all();
}

}  // namespace boc::jit
