// The leaf-path split (compiler/jit/split_leaf_paths.cpp), run through the
// whole IR pipeline on small hand-written functions.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "ir_test_support.hpp"
#include "llvm/IR/Instructions.h"

namespace {

// The calls a function makes, other than to intrinsics.
int calls_in(const llvm::Function& f) {
  int n = 0;
  for (const llvm::BasicBlock& block : f)
    for (const llvm::Instruction& inst : block)
      if (auto* call = llvm::dyn_cast<llvm::CallInst>(&inst); call && !call->getCalledFunction()->isIntrinsic()) ++n;
  return n;
}

// fib's shape as codegen emits it: a tag test whose slow path calls the
// runtime, a leaf return, and two recursive calls, all returning through one
// block whose phi the leaf path shares with the rest.
constexpr const char* kFib = R"(
declare {i64, i64} @slow_lt(ptr, i64, i64)
define {i64, i64} @fib(ptr %ctx, i64 %tag, i64 %n) {
entry:
  %is_int = icmp eq i64 %tag, 2
  br i1 %is_int, label %fast, label %slow, !prof !0
fast:
  %small = icmp slt i64 %n, 2
  br i1 %small, label %leaf, label %recurse
leaf:
  br label %done
slow:
  %s = call {i64, i64} @slow_lt(ptr %ctx, i64 %tag, i64 %n)
  %slow_tag = extractvalue {i64, i64} %s, 0
  %slow_payload = extractvalue {i64, i64} %s, 1
  br label %done
recurse:
  %m = sub i64 %n, 1
  %a = call {i64, i64} @fib(ptr %ctx, i64 2, i64 %m)
  %a_tag = extractvalue {i64, i64} %a, 0
  %a_failed = icmp eq i64 %a_tag, 7
  br i1 %a_failed, label %done, label %second
second:
  %k = sub i64 %n, 2
  %b = call {i64, i64} @fib(ptr %ctx, i64 2, i64 %k)
  %b_tag = extractvalue {i64, i64} %b, 0
  %b_failed = icmp eq i64 %b_tag, 7
  br i1 %b_failed, label %done, label %add
add:
  %x = extractvalue {i64, i64} %a, 1
  %y = extractvalue {i64, i64} %b, 1
  %sum = add i64 %x, %y
  br label %done
done:
  %result_tag = phi i64 [2, %leaf], [%slow_tag, %slow], [7, %recurse], [7, %second], [2, %add]
  %result = phi i64 [%n, %leaf], [%slow_payload, %slow], [0, %recurse], [0, %second], [%sum, %add]
  %t0 = insertvalue {i64, i64} undef, i64 %result_tag, 0
  %t1 = insertvalue {i64, i64} %t0, i64 %result, 1
  ret {i64, i64} %t1
}
!0 = !{!"branch_weights", i32 1000, i32 1}
)";

TEST(SplitLeafPaths, FibKeepsOnlyTheCallFreePathAndTailCallsTheRest) {
  llvm::LLVMContext llvm;
  auto module = boc::test::optimized_module(llvm, kFib);
  ASSERT_TRUE(module);
  llvm::Function* fib = module->getFunction("fib");
  // The recursion, the hot exit, gets a clone of its own; the cold exit (the
  // tag test's runtime call, weighted 1 in 1001) another.
  llvm::Function* hot = module->getFunction("fib.rest");
  llvm::Function* cold = module->getFunction("fib.rest.1");
  ASSERT_TRUE(hot && cold) << "no split";
  // fib: one tail call to a clone per exit, nothing else.
  for (const llvm::BasicBlock& block : *fib) {
    for (const llvm::Instruction& inst : block) {
      auto* call = llvm::dyn_cast<llvm::CallInst>(&inst);
      if (!call || call->getCalledFunction()->isIntrinsic()) continue;
      EXPECT_TRUE(call->getCalledFunction() == hot || call->getCalledFunction() == cold);
      EXPECT_TRUE(call->isTailCall());
    }
  }
  EXPECT_EQ(calls_in(*fib), 2);
  // The hot clone knows the tag is 2: it takes only ctx and n, and makes
  // just the two recursive calls.
  EXPECT_EQ(hot->arg_size(), 2u);
  EXPECT_EQ(calls_in(*hot), 2);
  EXPECT_FALSE(module->getFunction("slow_lt")->users().empty());
  for (const llvm::User* user : module->getFunction("slow_lt")->users())
    EXPECT_EQ(llvm::cast<llvm::Instruction>(user)->getFunction(), cold);
  EXPECT_TRUE(hot->hasInternalLinkage() && cold->hasInternalLinkage());
}

// A pointer into the frame would dangle in the rest once the tail call has
// left it.
TEST(SplitLeafPaths, AFunctionWithAFrameArrayStaysWhole) {
  llvm::LLVMContext llvm;
  auto module = boc::test::optimized_module(llvm, R"(
declare void @use(ptr)
define i64 @f(i64 %n) {
entry:
  %buffer = alloca [4 x i64]
  store volatile i64 %n, ptr %buffer
  %small = icmp slt i64 %n, 2
  br i1 %small, label %leaf, label %call
leaf:
  ret i64 %n
call:
  call void @use(ptr %buffer)
  ret i64 0
}
)");
  ASSERT_TRUE(module);
  EXPECT_FALSE(module->getFunction("f.rest"));
}

// Every path makes a call: nothing to gain.
TEST(SplitLeafPaths, AFunctionThatAlwaysCallsStaysWhole) {
  llvm::LLVMContext llvm;
  auto module = boc::test::optimized_module(llvm, R"(
declare i64 @g(i64)
define i64 @f(i64 %n) {
entry:
  %small = icmp slt i64 %n, 2
  br i1 %small, label %a, label %b
a:
  %x = call i64 @g(i64 %n)
  ret i64 %x
b:
  %y = call i64 @g(i64 0)
  ret i64 %y
}
)");
  ASSERT_TRUE(module);
  EXPECT_FALSE(module->getFunction("f.rest"));
}

}  // namespace
