// Loop fast copies (compiler/jit/loop_fast_copy.cpp), run through the whole
// IR pipeline on a hand-written loop of the shape codegen emits for
// `for (i in 0..n) { sum += i; }`.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "compiler/jit/ir_queries.hpp"
#include "ir_test_support.hpp"
#include "llvm/Analysis/LoopInfo.h"
#include "llvm/IR/Dominators.h"

namespace {

// `sum`'s tag and payload and `i` are header phis; the int path is inline,
// anything else (or an overflow) calls the runtime. TAG is sum's tag on
// entry.
std::string sum_loop(const std::string& entry_tag) {
  return R"(
declare {i64, i64} @slow_add(i64, i64, i64)
declare {i64, i1} @llvm.sadd.with.overflow.i64(i64, i64)
define {i64, i64} @sum(i64 %n, i64 %entry_tag) {
entry:
  br label %header
header:
  %tag = phi i64 [)" + entry_tag + R"(, %entry], [%tag.next, %latch]
  %val = phi i64 [0, %entry], [%val.next, %latch]
  %i = phi i64 [0, %entry], [%i.next, %latch]
  %more = icmp slt i64 %i, %n
  br i1 %more, label %body, label %exit
body:
  %is_int = icmp eq i64 %tag, 2
  br i1 %is_int, label %fast, label %slow
fast:
  %r = call {i64, i1} @llvm.sadd.with.overflow.i64(i64 %val, i64 %i)
  %o = extractvalue {i64, i1} %r, 1
  br i1 %o, label %slow, label %fast_ok
fast_ok:
  %s = extractvalue {i64, i1} %r, 0
  br label %latch
slow:
  %x = call {i64, i64} @slow_add(i64 %tag, i64 %val, i64 %i)
  %xt = extractvalue {i64, i64} %x, 0
  %xv = extractvalue {i64, i64} %x, 1
  br label %latch
latch:
  %tag.next = phi i64 [2, %fast_ok], [%xt, %slow]
  %val.next = phi i64 [%s, %fast_ok], [%xv, %slow]
  %i.next = add i64 %i, 1
  br label %header
exit:
  %t0 = insertvalue {i64, i64} undef, i64 %tag, 0
  %t1 = insertvalue {i64, i64} %t0, i64 %val, 1
  ret {i64, i64} %t1
}
)";
}

// What LoopInfo finds. The copy is entered wherever a slow path rejoins the
// iteration, so it is not a natural loop unless that is one place; the
// runtime call must still be there, in the copy.
struct Loops {
  int without_calls = 0;
  unsigned fast_header_phis = 0;  // in the loop without calls
  int runtime_calls = 0;
};

Loops loops_after_pipeline(const std::string& ir) {
  llvm::LLVMContext llvm;
  std::unique_ptr<llvm::Module> module = boc::test::optimized_module(llvm, ir);
  if (!module) return {};

  llvm::Function& f = *module->getFunction("sum");
  llvm::DominatorTree dom(f);
  llvm::LoopInfo info(dom);
  Loops loops;
  for (llvm::Loop* loop : info) {
    if (llvm::any_of(loop->blocks(), [](llvm::BasicBlock* b) { return boc::jit::makes_call(*b); }))
      continue;
    ++loops.without_calls;
    loops.fast_header_phis = static_cast<unsigned>(
        std::distance(loop->getHeader()->phis().begin(), loop->getHeader()->phis().end()));
  }
  for (llvm::BasicBlock& block : f)
    if (boc::jit::makes_call(block)) ++loops.runtime_calls;
  return loops;
}

TEST(LoopFastCopy, TheLoopRunsOnlyFastPathsAndItsTagPhiIsGone) {
  Loops loops = loops_after_pipeline(sum_loop("2"));
  EXPECT_EQ(loops.without_calls, 1);
  EXPECT_EQ(loops.fast_header_phis, 2u) << "sum's tag should be the constant 2";
  EXPECT_GE(loops.runtime_calls, 1);
}

// A tag not known on entry (a global loaded before the loop): the loop is
// entered only when it is an int, so the tag phi still folds.
TEST(LoopFastCopy, AnEntryValueOfUnknownTagChoosesTheLoopOrTheCopy) {
  Loops loops = loops_after_pipeline(sum_loop("%entry_tag"));
  EXPECT_EQ(loops.without_calls, 1);
  EXPECT_EQ(loops.fast_header_phis, 2u);
  EXPECT_GE(loops.runtime_calls, 1);
}

}  // namespace
