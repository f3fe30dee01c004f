// Inlining small functions into behavior bodies.
//
// Why: O2's inliner is left out of the pipeline for its compile time
// (docs/design.md, "Compile pipeline"), but a behavior body that calls a
// small function of its script, such as dining's `meal` or banking's
// `next_random`, then pays a call, a second stack guard and the callee's
// register saves for a few instructions of work, once per behavior.
//
// What: after the function pipeline, every call from a behavior body to a
// function of the module that is small (kMaxInstructions, counted after its
// own optimization), optimized and not directly recursive is inlined, one
// level: sizes are measured before any inlining. Only the bodies that changed
// run the pipeline again, so other code compiles as before.
// Errors keep their traces: a callee's frame is recorded by the boc_rt_trace
// calls in its code, which inlining keeps, not by the machine stack.
#include "compiler/jit/inline_small_calls.hpp"

#include "compiler/codegen/codegen.hpp"

#include "llvm/ADT/SetVector.h"
#include "llvm/IR/InstIterator.h"
#include "llvm/IR/Instructions.h"
#include "llvm/Transforms/Utils/Cloning.h"

namespace boc::jit {

namespace {

// About a `meal` (a when with three captures) or a `next_random` (three int
// operations with their slow paths).
constexpr unsigned kMaxInstructions = 80;

bool optimized(const llvm::Function& f) { return !f.isDeclaration() && !f.hasOptNone(); }

bool small_and_not_recursive(const llvm::Function& f) {
  if (!optimized(f)) return false;
  unsigned count = 0;
  for (const llvm::Instruction& inst : llvm::instructions(f)) {
    if (++count > kMaxInstructions) return false;
    if (const auto* call = llvm::dyn_cast<llvm::CallBase>(&inst))
      if (call->getCalledFunction() == &f) return false;
  }
  return true;
}

}  // namespace

std::vector<llvm::Function*> inline_small_calls(llvm::Module& module) {
  // All sites first: inlining makes a body bigger, and a body may be called.
  std::vector<llvm::CallBase*> sites;
  for (llvm::Function& body : module) {
    if (!optimized(body) || !body.hasFnAttribute(codegen::kBehaviorBodyAttribute)) continue;
    for (llvm::Instruction& inst : llvm::instructions(body)) {
      auto* call = llvm::dyn_cast<llvm::CallBase>(&inst);
      if (!call) continue;
      const llvm::Function* callee = call->getCalledFunction();
      if (callee && callee != &body && small_and_not_recursive(*callee)) sites.push_back(call);
    }
  }
  llvm::SetVector<llvm::Function*> changed;
  for (llvm::CallBase* call : sites) {
    llvm::Function* body = call->getFunction();
    llvm::InlineFunctionInfo info;
    if (llvm::InlineFunction(*call, info).isSuccess()) changed.insert(body);
  }
  return {changed.begin(), changed.end()};
}

}  // namespace boc::jit
