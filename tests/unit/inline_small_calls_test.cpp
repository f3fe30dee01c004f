// Inlining small functions into behavior bodies
// (compiler/jit/inline_small_calls.cpp), run through the whole IR pipeline on
// hand-written functions.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "compiler/codegen/codegen.hpp"
#include "ir_test_support.hpp"
#include "llvm/IR/Instructions.h"

namespace {

// `body` calls `callee` and returns its result; `body` is a behavior body
// when `behavior` is set. `callee` is CALLEE_IR, which must define @callee.
std::string caller_and(const std::string& callee_ir, bool behavior) {
  std::string attributes =
      behavior ? std::string("attributes #0 = { \"") + boc::codegen::kBehaviorBodyAttribute + "\" }"
               : "attributes #0 = { nounwind }";
  return R"(
declare void @work(ptr)
define i64 @body(ptr %ctx, i64 %n) #0 {
  %r = call i64 @callee(ptr %ctx, i64 %n)
  %s = add i64 %r, 1
  ret i64 %s
}
)" + attributes + callee_ir;
}

// A callee with some work and a call of its own, as a script function's
// when or arithmetic slow path has.
constexpr const char* kSmallCallee = R"(
define i64 @callee(ptr %ctx, i64 %n) {
  call void @work(ptr %ctx)
  %m = mul i64 %n, 3
  ret i64 %m
}
)";

bool calls(const llvm::Function& caller, const char* name) {
  for (const llvm::BasicBlock& block : caller)
    for (const llvm::Instruction& inst : block)
      if (auto* call = llvm::dyn_cast<llvm::CallBase>(&inst))
        if (call->getCalledFunction() && call->getCalledFunction()->getName() == name) return true;
  return false;
}

TEST(InlineSmallCalls, ABehaviorBodyGetsASmallCalleeInlined) {
  llvm::LLVMContext llvm;
  auto module = boc::test::optimized_module(llvm, caller_and(kSmallCallee, true));
  ASSERT_TRUE(module);
  const llvm::Function& body = *module->getFunction("body");
  EXPECT_FALSE(calls(body, "callee"));
  EXPECT_TRUE(calls(body, "work"));  // the callee's own call, now in the body
  EXPECT_TRUE(module->getFunction("callee"));  // still there for other callers
}

TEST(InlineSmallCalls, OtherFunctionsKeepTheirCalls) {
  llvm::LLVMContext llvm;
  auto module = boc::test::optimized_module(llvm, caller_and(kSmallCallee, false));
  ASSERT_TRUE(module);
  EXPECT_TRUE(calls(*module->getFunction("body"), "callee"));
}

TEST(InlineSmallCalls, ARecursiveCalleeIsCalled) {
  llvm::LLVMContext llvm;
  auto module = boc::test::optimized_module(llvm, caller_and(R"(
define i64 @callee(ptr %ctx, i64 %n) {
entry:
  %done = icmp slt i64 %n, 1
  br i1 %done, label %leaf, label %recurse
leaf:
  call void @work(ptr %ctx)
  ret i64 0
recurse:
  %m = sub i64 %n, 1
  %r = call i64 @callee(ptr %ctx, i64 %m)
  %twice = mul i64 %r, 2
  ret i64 %twice
}
)", true));
  ASSERT_TRUE(module);
  // Inlined, the body would make the callee's call to work (and its own
  // recursive call): only the callee may.
  EXPECT_TRUE(calls(*module->getFunction("body"), "callee"));
  EXPECT_FALSE(calls(*module->getFunction("body"), "work"));
}

TEST(InlineSmallCalls, ABigCalleeIsCalled) {
  // 100 calls: more instructions than the limit, whatever the passes do.
  std::string callee = "define i64 @callee(ptr %ctx, i64 %n) {\n";
  for (int i = 0; i < 100; ++i) callee += "  call void @work(ptr %ctx)\n";
  callee += "  ret i64 %n\n}\n";
  llvm::LLVMContext llvm;
  auto module = boc::test::optimized_module(llvm, caller_and(callee, true));
  ASSERT_TRUE(module);
  EXPECT_TRUE(calls(*module->getFunction("body"), "callee"));
  EXPECT_FALSE(calls(*module->getFunction("body"), "work"));
}

}  // namespace
