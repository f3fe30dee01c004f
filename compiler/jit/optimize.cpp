// The IR pass pipeline: a hand-picked subset of O2's function simplification.
//
// Why not buildPerModuleDefaultPipeline(O2): our modules are one unit's
// functions, each built from allocas with inline fast paths and calls to the
// runtime for the rest. What pays on that shape is promoting the allocas
// (SROA), folding the tag checks (InstCombine, GVN) and threading the int fast
// paths through the branches that test their result (JumpThreading with
// CorrelatedValuePropagation, twice: the second round sees what the first
// round's clean-up exposed). O2's inliner, IPO, loop rotation/unrolling and
// vectorizers cost about a third more compile time for no measured gain
// (see docs/design.md, "Compile pipeline").
#include "compiler/jit/optimize.hpp"

#include "compiler/jit/inline_small_calls.hpp"
#include "compiler/jit/loop_fast_copy.hpp"
#include "compiler/jit/split_leaf_paths.hpp"

#include "llvm/Analysis/AliasAnalysis.h"
#include "llvm/Analysis/AssumptionCache.h"
#include "llvm/Analysis/BasicAliasAnalysis.h"
#include "llvm/Analysis/BlockFrequencyInfo.h"
#include "llvm/Analysis/BranchProbabilityInfo.h"
#include "llvm/Analysis/DemandedBits.h"
#include "llvm/Analysis/LazyValueInfo.h"
#include "llvm/Analysis/LoopInfo.h"
#include "llvm/Analysis/MemoryDependenceAnalysis.h"
#include "llvm/Analysis/MemorySSA.h"
#include "llvm/Analysis/OptimizationRemarkEmitter.h"
#include "llvm/Analysis/PhiValues.h"
#include "llvm/Analysis/PostDominators.h"
#include "llvm/Analysis/ScalarEvolution.h"
#include "llvm/Analysis/ScopedNoAliasAA.h"
#include "llvm/Analysis/TargetLibraryInfo.h"
#include "llvm/Analysis/TargetTransformInfo.h"
#include "llvm/Analysis/TypeBasedAliasAnalysis.h"
#include "llvm/IR/Dominators.h"
#include "llvm/IR/PassInstrumentation.h"
#include "llvm/Transforms/InstCombine/InstCombine.h"
#include "llvm/Transforms/Scalar/ADCE.h"
#include "llvm/Transforms/Scalar/BDCE.h"
#include "llvm/Transforms/Scalar/CorrelatedValuePropagation.h"
#include "llvm/Transforms/Scalar/DeadStoreElimination.h"
#include "llvm/Transforms/Scalar/EarlyCSE.h"
#include "llvm/Transforms/Scalar/GVN.h"
#include "llvm/Transforms/Scalar/JumpThreading.h"
#include "llvm/Transforms/Scalar/LICM.h"
#include "llvm/Transforms/Scalar/LoopPassManager.h"
#include "llvm/Transforms/Scalar/MemCpyOptimizer.h"
#include "llvm/Transforms/Scalar/Reassociate.h"
#include "llvm/Transforms/Scalar/SCCP.h"
#include "llvm/Transforms/Scalar/SROA.h"
#include "llvm/Transforms/Scalar/SimplifyCFG.h"
#include "llvm/Transforms/Scalar/TailRecursionElimination.h"

namespace boc::jit {

namespace {
llvm::FunctionPassManager function_pipeline() {
  llvm::FunctionPassManager fpm;
  fpm.addPass(llvm::SROAPass(llvm::SROAOptions::ModifyCFG));
  fpm.addPass(llvm::EarlyCSEPass(/*UseMemorySSA=*/true));
  fpm.addPass(llvm::JumpThreadingPass());
  fpm.addPass(llvm::CorrelatedValuePropagationPass());
  fpm.addPass(llvm::SimplifyCFGPass());
  fpm.addPass(llvm::InstCombinePass());
  fpm.addPass(llvm::TailCallElimPass());
  fpm.addPass(llvm::SimplifyCFGPass());
  fpm.addPass(llvm::ReassociatePass());
  fpm.addPass(llvm::SROAPass(llvm::SROAOptions::ModifyCFG));
  fpm.addPass(llvm::GVNPass());
  fpm.addPass(llvm::SCCPPass());
  fpm.addPass(llvm::BDCEPass());
  fpm.addPass(llvm::InstCombinePass());
  fpm.addPass(llvm::JumpThreadingPass());
  fpm.addPass(llvm::CorrelatedValuePropagationPass());
  fpm.addPass(llvm::ADCEPass());
  fpm.addPass(llvm::MemCpyOptPass());
  fpm.addPass(llvm::DSEPass());
  fpm.addPass(llvm::createFunctionToLoopPassAdaptor(llvm::LICMPass(llvm::LICMOptions()),
                                                    /*UseMemorySSA=*/true));
  fpm.addPass(llvm::SimplifyCFGPass());
  fpm.addPass(llvm::InstCombinePass());
  return fpm;
}

// The analyses the passes above ask for, registered one by one rather than
// through PassBuilder: PassBuilder names every pass LLVM has, so linking it
// brings them all (IPO, vectorizers, instrumentation...) and their
// command-line options, which every start of `boc` then constructs.
void register_analyses(llvm::ModuleAnalysisManager& mam, llvm::FunctionAnalysisManager& fam,
                       llvm::LoopAnalysisManager& lam) {
  mam.registerPass([] { return llvm::PassInstrumentationAnalysis(); });
  mam.registerPass([&] { return llvm::FunctionAnalysisManagerModuleProxy(fam); });

  fam.registerPass([] { return llvm::PassInstrumentationAnalysis(); });
  fam.registerPass([&] { return llvm::ModuleAnalysisManagerFunctionProxy(mam); });
  fam.registerPass([&] { return llvm::LoopAnalysisManagerFunctionProxy(lam); });
  fam.registerPass([] {
    llvm::AAManager aa;  // PassBuilder's default alias analysis pipeline
    aa.registerFunctionAnalysis<llvm::BasicAA>();
    aa.registerFunctionAnalysis<llvm::ScopedNoAliasAA>();
    aa.registerFunctionAnalysis<llvm::TypeBasedAA>();
    return aa;
  });
  fam.registerPass([] { return llvm::BasicAA(); });
  fam.registerPass([] { return llvm::ScopedNoAliasAA(); });
  fam.registerPass([] { return llvm::TypeBasedAA(); });
  fam.registerPass([] { return llvm::AssumptionAnalysis(); });
  fam.registerPass([] { return llvm::BlockFrequencyAnalysis(); });
  fam.registerPass([] { return llvm::BranchProbabilityAnalysis(); });
  fam.registerPass([] { return llvm::DemandedBitsAnalysis(); });
  fam.registerPass([] { return llvm::DominatorTreeAnalysis(); });
  fam.registerPass([] { return llvm::LazyValueAnalysis(); });
  fam.registerPass([] { return llvm::LoopAnalysis(); });
  fam.registerPass([] { return llvm::MemoryDependenceAnalysis(); });
  fam.registerPass([] { return llvm::MemorySSAAnalysis(); });
  fam.registerPass([] { return llvm::OptimizationRemarkEmitterAnalysis(); });
  fam.registerPass([] { return llvm::PhiValuesAnalysis(); });
  fam.registerPass([] { return llvm::PostDominatorTreeAnalysis(); });
  fam.registerPass([] { return llvm::ScalarEvolutionAnalysis(); });
  fam.registerPass([] { return llvm::TargetIRAnalysis(); });
  fam.registerPass([] { return llvm::TargetLibraryAnalysis(); });

  lam.registerPass([] { return llvm::PassInstrumentationAnalysis(); });
  lam.registerPass([&] { return llvm::FunctionAnalysisManagerLoopProxy(fam); });
}

}  // namespace

void optimize_module(llvm::Module& module) {
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::ModuleAnalysisManager mam;
  register_analyses(mam, fam, lam);
  // Straight-line top-level code is optnone (codegen.cpp): it runs once, so
  // it gets no IR passes, only fast instruction selection. (A pass manager
  // without instrumentation callbacks would run them on it all the same.)
  llvm::FunctionPassManager functions = function_pipeline();
  for (llvm::Function& f : module)
    if (!f.isDeclaration() && !f.hasOptNone()) functions.run(f, fam);
  for (llvm::Function* f : inline_small_calls(module)) {
    fam.invalidate(*f, llvm::PreservedAnalyses::none());
    functions.run(*f, fam);
  }
  llvm::ModulePassManager mpm;
  mpm.addPass(LoopFastCopyPass());
  mpm.addPass(SplitLeafPathsPass());
  mpm.run(module, mam);
}

}  // namespace boc::jit
