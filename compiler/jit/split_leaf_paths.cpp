// Leaf-path splitting.
//
// Why: a function that keeps a value across a call gets its callee-saved
// registers pushed in the entry block and popped at every return, because
// the register allocator copies the arguments into those registers right at
// entry, which stops shrink-wrapping from moving the saves. fib's leaf calls
// (`if (n < 2) return n;`, half of all calls) then spent 14 of their 29
// instructions saving registers for a path they do not take.
//
// What: the call-free prefix of a function (the blocks its entry reaches
// without passing a block that makes a call) stays in the function when some
// of it returns. Each edge from the prefix to the rest becomes a block that
// tail-calls a clone of the function, `NAME.rest`, with the arguments, the
// number of the edge and the prefix's values that the rest uses. The clone
// starts with a switch on that number to the edge's target; its copy of the
// prefix is unreachable and deleted. The prefix then needs no saved
// registers, and the clone saves them as before. When one exit is hot and
// the others cold (by branch weights: failed stack guards and tag tests),
// the hot one gets a clone of its own, which takes the arguments that the
// branches on the way found equal to constants as those constants, and the
// cold ones share another (`NAME.rest.1`).
#include "compiler/jit/split_leaf_paths.hpp"

#include <vector>

#include "compiler/jit/ir_queries.hpp"

#include "llvm/ADT/DepthFirstIterator.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/IR/Dominators.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/ProfDataUtils.h"
#include "llvm/Transforms/InstCombine/InstCombine.h"
#include "llvm/Transforms/Scalar/SimplifyCFG.h"
#include "llvm/Transforms/Utils/Cloning.h"
#include "llvm/Transforms/Utils/Local.h"
#include "llvm/Transforms/Utils/SSAUpdater.h"

namespace boc::jit {

namespace {

// The rest takes its parameters in registers (six on x86-64), so that the
// call to it is a jump; a split that would pass more is not made.
constexpr size_t kMaxRestParams = 6;

// A prefix value the rest can compute again from the arguments (a tag test,
// `n - 1`, the entry stack pointer) instead of receiving it.
bool recomputable(const llvm::Instruction& inst) {
  if (llvm::isa<llvm::PHINode>(inst) || inst.mayReadOrWriteMemory() || inst.mayHaveSideEffects())
    return false;
  for (const llvm::Value* operand : inst.operands())
    if (!llvm::isa<llvm::Argument, llvm::Constant>(operand)) return false;
  return true;
}

// Registers a value of this type takes as an argument.
size_t registers(const llvm::Type* type) {
  if (auto* s = llvm::dyn_cast<llvm::StructType>(type)) return s->getNumElements();
  return 1;
}

using ArgumentConstants = llvm::DenseMap<llvm::Argument*, llvm::ConstantInt*>;

struct Edge {
  llvm::BasicBlock* from;  // in the prefix
  llvm::BasicBlock* to;    // in the rest
};

// The function's call-free prefix and every edge out of it.
struct Prefix {
  llvm::SmallPtrSet<llvm::BasicBlock*, 16> blocks;
  std::vector<Edge> exits;
};

// One clone, resuming at some of the prefix's exits.
struct Plan {
  llvm::SmallPtrSet<llvm::BasicBlock*, 16> prefix;
  std::vector<Edge> exits;
  // Arguments that are these constants on every one of the exits (an int
  // tag the prefix tested): the clone uses the constants.
  ArgumentConstants constants;
  // The rest's parameters: the other arguments it uses, the edge number when
  // there is more than one exit, the prefix values it uses but cannot
  // compute again.
  std::vector<llvm::Argument*> args;
  std::vector<llvm::Instruction*> passed;
  std::vector<llvm::Instruction*> recomputed;
  // The blocks the rest runs: everything reachable from an exit, including
  // prefix blocks that the rest's paths come back to.
  llvm::df_iterator_default_set<llvm::BasicBlock*, 32> rest;

  bool has_edge_param() const { return exits.size() > 1; }
};

// A use in a phi of an exit target: it reads the value on the exit edge,
// which the clone's switch replaces.
bool exit_phi_use(const Plan& plan, const llvm::Use& use) {
  auto* user = llvm::cast<llvm::Instruction>(use.getUser());
  return llvm::isa<llvm::PHINode>(user) && !plan.prefix.contains(user->getParent());
}

// Whether the rest reads an argument through this use.
bool read_by_rest(const Plan& plan, const llvm::Use& use) {
  return exit_phi_use(plan, use) || plan.rest.contains(use_block(use));
}

// Whether the rest can read inst before its own copy computes it again: a
// phi of an exit target reads it on the exit edge, or some use is reachable
// from an exit target without passing inst's block. (The function's return
// block is often shared: the rest runs its own copy of the phis there.)
bool needed_by_rest(const Plan& plan, const llvm::Instruction& inst) {
  llvm::SmallPtrSet<const llvm::BasicBlock*, 8> use_blocks;
  for (const llvm::Use& use : inst.uses()) {
    if (exit_phi_use(plan, use)) return true;
    if (plan.rest.contains(use_block(use))) use_blocks.insert(use_block(use));
  }
  if (use_blocks.empty()) return false;
  llvm::SmallPtrSet<const llvm::BasicBlock*, 32> seen;
  std::vector<const llvm::BasicBlock*> work;
  for (const Edge& exit : plan.exits)
    if (seen.insert(exit.to).second) work.push_back(exit.to);
  while (!work.empty()) {
    const llvm::BasicBlock* block = work.back();
    work.pop_back();
    if (block == inst.getParent()) continue;  // computed again from here on
    if (use_blocks.contains(block)) return true;
    // The rest holds every successor of its blocks.
    for (const llvm::BasicBlock* next : llvm::successors(block))
      if (seen.insert(next).second) work.push_back(next);
  }
  return false;
}

bool find_prefix(llvm::Function& f, Prefix& prefix) {
  llvm::BasicBlock* entry = &f.getEntryBlock();
  if (makes_call(*entry)) return false;
  bool returns = false;
  std::vector<llvm::BasicBlock*> work = {entry};
  prefix.blocks.insert(entry);
  while (!work.empty()) {
    llvm::BasicBlock* block = work.back();
    work.pop_back();
    const llvm::Instruction* end = block->getTerminator();
    if (llvm::isa<llvm::ReturnInst>(end)) returns = true;
    if (!llvm::isa<llvm::BranchInst, llvm::SwitchInst, llvm::ReturnInst,
                   llvm::UnreachableInst>(end)) {
      return false;
    }
    llvm::SmallPtrSet<llvm::BasicBlock*, 4> seen;
    for (llvm::BasicBlock* next : llvm::successors(block)) {
      if (prefix.blocks.contains(next) || !seen.insert(next).second) continue;
      if (makes_call(*next)) {
        prefix.exits.push_back(Edge{block, next});
        continue;
      }
      prefix.blocks.insert(next);
      work.push_back(next);
    }
  }
  if (!returns || prefix.exits.empty()) return false;
  // A pointer into the function's frame cannot go to the rest: the tail
  // call has left that frame.
  for (llvm::Instruction& inst : llvm::instructions(f))
    if (llvm::isa<llvm::AllocaInst>(inst)) return false;
  return true;
}

// The parameters of a clone for these exits; false if they need more
// registers than there are.
bool plan_rest(llvm::Function& f, const Prefix& prefix, std::vector<Edge> exits,
               ArgumentConstants constants, Plan& plan) {
  plan.prefix = prefix.blocks;
  plan.exits = std::move(exits);
  plan.constants = std::move(constants);
  for (const Edge& exit : plan.exits)
    for (llvm::BasicBlock* block : llvm::depth_first_ext(exit.to, plan.rest)) (void)block;

  for (llvm::BasicBlock* block : plan.prefix) {
    for (llvm::Instruction& inst : *block) {
      if (needed_by_rest(plan, inst))
        (recomputable(inst) ? plan.recomputed : plan.passed).push_back(&inst);
    }
  }
  llvm::SmallPtrSet<const llvm::Value*, 8> operands_of_recomputed;
  for (llvm::Instruction* inst : plan.recomputed)
    for (const llvm::Value* operand : inst->operands()) operands_of_recomputed.insert(operand);
  size_t params = plan.has_edge_param() ? 1 : 0;
  for (llvm::Argument& arg : f.args()) {
    if (plan.constants.contains(&arg)) continue;
    if (operands_of_recomputed.contains(&arg) ||
        llvm::any_of(arg.uses(), [&](const llvm::Use& u) { return read_by_rest(plan, u); })) {
      plan.args.push_back(&arg);
      params += registers(arg.getType());
    }
  }
  for (llvm::Instruction* inst : plan.passed) params += registers(inst->getType());
  return params <= kMaxRestParams;
}

// Arguments that the branches on every path into an edge have found equal
// to a constant: `tag == 2` on the way to fib's recursion. Walks up the
// dominator tree from the edge; a branch counts when one of its edges
// dominates the way on.
ArgumentConstants constants_on(const Edge& edge,
                                                                  const llvm::DominatorTree& dom) {
  ArgumentConstants constants;
  llvm::BasicBlock* toward = nullptr;  // the block the walk came from
  for (llvm::DomTreeNode* node = dom.getNode(edge.from); node; node = node->getIDom()) {
    llvm::BasicBlock* block = node->getBlock();
    auto* branch = llvm::dyn_cast<llvm::BranchInst>(block->getTerminator());
    if (branch && branch->isConditional()) {
      auto leads_on = [&](unsigned side) {
        llvm::BasicBlock* next = branch->getSuccessor(side);
        if (!toward) return next == edge.to;
        return dom.dominates(llvm::BasicBlockEdge(block, next), toward);
      };
      bool first = leads_on(0), second = leads_on(1);
      auto* test = llvm::dyn_cast<llvm::ICmpInst>(branch->getCondition());
      if (first != second && test && test->isEquality()) {
        bool holds = first == (test->getPredicate() == llvm::ICmpInst::ICMP_EQ);
        auto* arg = llvm::dyn_cast<llvm::Argument>(test->getOperand(0));
        auto* value = llvm::dyn_cast<llvm::ConstantInt>(test->getOperand(1));
        if (holds && arg && value) constants.try_emplace(arg, value);
      }
    }
    toward = block;
  }
  return constants;
}

// The hotter exits first in the clone's switch: an exit taken less than once
// in a hundred by the branch that leaves the prefix (a failed stack guard or
// tag test) gets a small weight.
uint32_t exit_weight(const Edge& exit) {
  llvm::SmallVector<uint32_t, 4> weights;
  const llvm::Instruction* branch = exit.from->getTerminator();
  if (!llvm::extractBranchWeights(*branch, weights)) return 100;
  uint64_t total = 0, taken = 0;
  for (unsigned i = 0; i < weights.size(); ++i) {
    total += weights[i];
    if (branch->getSuccessor(i) == exit.to) taken += weights[i];
  }
  return taken * 100 < total ? 1 : 100;
}

// The clone that resumes at exit k when called with k.
llvm::Function* make_rest(llvm::Function& f, const Plan& plan, const llvm::DominatorTree& dom) {
  llvm::LLVMContext& llvm = f.getContext();
  llvm::Type* i32 = llvm::Type::getInt32Ty(llvm);
  std::vector<llvm::Type*> params;
  for (llvm::Argument* arg : plan.args) params.push_back(arg->getType());
  if (plan.has_edge_param()) params.push_back(i32);
  for (llvm::Instruction* inst : plan.passed) params.push_back(inst->getType());
  llvm::Function* rest =
      llvm::Function::Create(llvm::FunctionType::get(f.getReturnType(), params, false),
                             llvm::GlobalValue::InternalLinkage, f.getName() + ".rest", f.getParent());
  // Arguments the rest does not use are never read in it.
  llvm::ValueToValueMapTy map;
  for (llvm::Argument& arg : f.args()) map[&arg] = llvm::PoisonValue::get(arg.getType());
  for (auto [arg, value] : plan.constants) map[arg] = value;
  unsigned next_param = 0;
  for (llvm::Argument* arg : plan.args) map[arg] = rest->getArg(next_param++);
  llvm::Value* edge = plan.has_edge_param() ? rest->getArg(next_param++) : nullptr;
  llvm::DenseMap<const llvm::Value*, llvm::Value*> passed_param;  // by the clone's value
  llvm::SmallVector<llvm::ReturnInst*, 8> returns;
  llvm::CloneFunctionInto(rest, &f, map, llvm::CloneFunctionChangeType::LocalChangesOnly, returns);
  // The clone copied f's linkage and visibility; internal makes it dso_local.
  rest->setLinkage(llvm::GlobalValue::InternalLinkage);
  for (llvm::Instruction* inst : plan.passed) passed_param[map[inst]] = rest->getArg(next_param++);

  // The new entry: a switch on the edge number to one block per edge, where
  // the recomputed values are computed again.
  auto* dispatch = llvm::BasicBlock::Create(llvm, "resume", rest, &rest->getEntryBlock());
  std::vector<llvm::BasicBlock*> edge_blocks;
  std::vector<llvm::DenseMap<const llvm::Value*, llvm::Value*>> recomputed_at;
  for (const Edge& exit : plan.exits) {
    auto* to = llvm::cast<llvm::BasicBlock>(map[exit.to]);
    auto* from = llvm::cast<llvm::BasicBlock>(map[exit.from]);
    auto* block = llvm::BasicBlock::Create(llvm, "resume_edge", rest);
    auto* jump = llvm::BranchInst::Create(to, block);
    auto& again = recomputed_at.emplace_back();
    for (llvm::Instruction* inst : plan.recomputed) {
      if (!dom.dominates(inst, exit.from->getTerminator())) continue;
      llvm::Instruction* copy = llvm::cast<llvm::Instruction>(map[inst])->clone();
      copy->insertBefore(jump);
      again[map[inst]] = copy;
    }
    for (llvm::PHINode& phi : to->phis()) {
      llvm::Value* v = phi.getIncomingValueForBlock(from);
      if (auto it = passed_param.find(v); it != passed_param.end()) v = it->second;
      if (auto it = again.find(v); it != again.end()) v = it->second;
      phi.addIncoming(v, block);
    }
    edge_blocks.push_back(block);
  }
  if (edge) {
    auto* choose = llvm::SwitchInst::Create(edge, edge_blocks[0],
                                            static_cast<unsigned>(edge_blocks.size()), dispatch);
    for (size_t k = 1; k < edge_blocks.size(); ++k)
      choose->addCase(llvm::ConstantInt::get(llvm::cast<llvm::IntegerType>(i32), k), edge_blocks[k]);
    llvm::SmallVector<uint32_t, 8> weights;
    for (const Edge& exit : plan.exits) weights.push_back(exit_weight(exit));
    llvm::setBranchWeights(*choose, weights, /*IsExpected=*/false);
  } else {
    llvm::BranchInst::Create(edge_blocks[0], dispatch);
  }

  // Each value the rest reads from the prefix now has two definitions: its
  // copy in the (soon unreachable) prefix, and the parameter or recomputed
  // value on each edge where the prefix had defined it.
  auto redefine = [&](llvm::Instruction* original, auto value_on_edge) {
    auto* copy = llvm::cast<llvm::Instruction>(map[original]);
    llvm::SSAUpdater updater;
    updater.Initialize(copy->getType(), copy->getName());
    updater.AddAvailableValue(copy->getParent(), copy);
    for (size_t k = 0; k < plan.exits.size(); ++k) {
      llvm::Value* v = dom.dominates(original, plan.exits[k].from->getTerminator())
                           ? value_on_edge(copy, k)
                           : llvm::PoisonValue::get(copy->getType());
      updater.AddAvailableValue(edge_blocks[k], v);
    }
    for (llvm::Use& use : llvm::make_early_inc_range(copy->uses())) {
      auto* user = llvm::cast<llvm::Instruction>(use.getUser());
      // The edge blocks' own copies and phi inputs are already right.
      if (use_block(use) == copy->getParent() || user->getParent() == dispatch) continue;
      if (llvm::is_contained(edge_blocks, user->getParent())) continue;
      updater.RewriteUse(use);
    }
  };
  for (llvm::Instruction* inst : plan.passed)
    redefine(inst, [&](llvm::Instruction* copy, size_t) { return passed_param[copy]; });
  for (llvm::Instruction* inst : plan.recomputed)
    redefine(inst, [&](llvm::Instruction* copy, size_t k) { return recomputed_at[k][copy]; });
  llvm::removeUnreachableBlocks(*rest);
  return rest;
}

// The function keeps its prefix; each exit tail-calls the clone that
// resumes there.
void keep_prefix(llvm::Function& f, const std::vector<Plan>& plans,
                 const std::vector<llvm::Function*>& rests, const llvm::DominatorTree& dom) {
  llvm::LLVMContext& llvm = f.getContext();
  for (size_t r = 0; r < plans.size(); ++r) {
    const Plan& plan = plans[r];
    for (size_t k = 0; k < plan.exits.size(); ++k) {
      const Edge& exit = plan.exits[k];
      auto* block = llvm::BasicBlock::Create(llvm, "to_rest", &f);
      std::vector<llvm::Value*> args(plan.args.begin(), plan.args.end());
      if (plan.has_edge_param())
        args.push_back(llvm::ConstantInt::get(llvm::Type::getInt32Ty(llvm), k));
      for (llvm::Instruction* value : plan.passed) {
        bool defined = dom.dominates(value, exit.from->getTerminator());
        args.push_back(defined ? static_cast<llvm::Value*>(value)
                               : llvm::PoisonValue::get(value->getType()));
      }
      llvm::CallInst* call = llvm::CallInst::Create(rests[r], args, "", block);
      call->setTailCall();
      llvm::ReturnInst::Create(llvm, call, block);
      exit.from->getTerminator()->replaceSuccessorWith(exit.to, block);
    }
  }
  llvm::removeUnreachableBlocks(f);
}

// One clone for all the exits; or, when one exit is hot and the others cold
// (failed stack guards and tag tests), a clone of its own for the hot one,
// which knows the arguments its branches tested and needs no edge number.
bool plan_rests(llvm::Function& f, const Prefix& prefix, const llvm::DominatorTree& dom,
                std::vector<Plan>& plans) {
  std::vector<Edge> hot, cold;
  for (const Edge& exit : prefix.exits) (exit_weight(exit) > 1 ? hot : cold).push_back(exit);
  plans.reserve(2);
  if (hot.size() != 1 || cold.empty())
    return plan_rest(f, prefix, prefix.exits, ArgumentConstants(), plans.emplace_back());
  return plan_rest(f, prefix, hot, constants_on(hot[0], dom), plans.emplace_back()) &&
         plan_rest(f, prefix, cold, ArgumentConstants(), plans.emplace_back());
}

}  // namespace

llvm::PreservedAnalyses SplitLeafPathsPass::run(llvm::Module& module,
                                                llvm::ModuleAnalysisManager& mam) {
  llvm::FunctionAnalysisManager& fam =
      mam.getResult<llvm::FunctionAnalysisManagerModuleProxy>(module).getManager();
  llvm::FunctionPassManager cleanup;
  cleanup.addPass(llvm::SimplifyCFGPass());
  cleanup.addPass(llvm::InstCombinePass());

  std::vector<llvm::Function*> functions;
  for (llvm::Function& f : module)
    if (!f.isDeclaration() && !f.hasOptNone()) functions.push_back(&f);
  bool changed = false;
  for (llvm::Function* f : functions) {
    Prefix prefix;
    if (!find_prefix(*f, prefix)) continue;
    llvm::DominatorTree dom(*f);
    std::vector<Plan> plans;
    if (!plan_rests(*f, prefix, dom, plans)) continue;
    std::vector<llvm::Function*> touched = {f};
    for (const Plan& plan : plans) touched.push_back(make_rest(*f, plan, dom));
    keep_prefix(*f, plans, {touched.begin() + 1, touched.end()}, dom);
    for (llvm::Function* g : touched) {
      fam.invalidate(*g, llvm::PreservedAnalyses::none());
      cleanup.run(*g, fam);
    }
    changed = true;
  }
  return changed ? llvm::PreservedAnalyses::none() : llvm::PreservedAnalyses::all();
}

}  // namespace boc::jit
