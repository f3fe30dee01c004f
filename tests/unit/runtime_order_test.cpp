// Runtime tests: ordering per cown, behaviors scheduling behaviors, waiting
// for one cown, duplicate cowns.
#include <gtest/gtest.h>

#include <atomic>
#include <vector>

#include "runtime/sched/scheduler.hpp"
#include "tests/unit/runtime_test_support.hpp"

namespace boc::rt::test {
namespace {

TEST(RuntimeOrder, MillionBehaviorsOnOneCownKeepTheirOrder) {
  Scheduler s(test_options());
  CownRef c = int_cown(0);
  const int64_t n = kUnderTsan ? 200'000 : 1'000'000;
  std::atomic<int64_t> out_of_order{0};
  for (int64_t i = 0; i < n; ++i) {
    s.when({{c.get()}}, [i, &out_of_order](BehaviorRun& r) {
      Value& v = r.content(0);
      if (v.as_int() != i) out_of_order.fetch_add(1, std::memory_order_relaxed);
      v = Value::integer(v.as_int() + 1);
    });
  }
  s.wait_all();
  EXPECT_EQ(out_of_order.load(), 0);
  EXPECT_EQ(c->content.as_int(), n);
}

TEST(RuntimeOrder, OrderHoldsAcrossSchedulingThreadsHappensBefore) {
  // B1 scheduled by a behavior, B2 scheduled afterwards by the main thread
  // once it knows B1 was scheduled: B1 runs first.
  Scheduler s(test_options());
  for (int round = 0; round < 200; ++round) {
    CownRef c = int_cown(0);
    CownRef gate = int_cown(0);
    std::atomic<bool> scheduled{false};
    s.when({{gate.get()}}, [&, cp = c.get()](BehaviorRun& r) {
      r.scheduler().when({{cp}}, [](BehaviorRun& inner) {
        inner.content(0) = Value::integer(inner.content(0).as_int() * 10 + 1);
      });
      scheduled.store(true, std::memory_order_release);
    });
    while (!scheduled.load(std::memory_order_acquire)) std::this_thread::yield();
    s.when({{c.get()}}, [](BehaviorRun& r) { r.content(0) = Value::integer(r.content(0).as_int() * 10 + 2); });
    s.wait_all();
    ASSERT_EQ(c->content.as_int(), 12) << "round " << round;
  }
}

TEST(RuntimeOrder, BehaviorsScheduleBehaviors) {
  Scheduler s(test_options());
  CownRef counter = int_cown(0);
  std::atomic<int64_t> ran{0};
  // A binary tree of depth 14 (32767 behaviors), each adding to one cown.
  struct Spawn {
    Cown* counter;
    std::atomic<int64_t>* ran;
    int depth;
    void operator()(BehaviorRun& r) const {
      ran->fetch_add(1, std::memory_order_relaxed);
      r.content(0) = Value::integer(r.content(0).as_int() + 1);
      if (depth == 0) return;
      r.scheduler().when({{counter}}, Spawn{counter, ran, depth - 1});
      r.scheduler().when({{counter}}, Spawn{counter, ran, depth - 1});
    }
  };
  s.when({{counter.get()}}, Spawn{counter.get(), &ran, 14});
  s.wait_all();
  EXPECT_EQ(ran.load(), (1 << 15) - 1);
  EXPECT_EQ(counter->content.as_int(), (1 << 15) - 1);
}

TEST(RuntimeOrder, ChainScheduledFromInsideKeepsOrder) {
  Scheduler s(test_options());
  CownRef c = int_cown(0);
  std::atomic<int64_t> bad{0};
  const int64_t n = scaled(100'000);
  // Each behavior schedules the next two, in order, on the same cown.
  struct Step {
    Cown* c;
    std::atomic<int64_t>* bad;
    int64_t i, n;
    void operator()(BehaviorRun& r) const {
      if (r.content(0).as_int() != i) bad->fetch_add(1);
      r.content(0) = Value::integer(i + 1);
      if (i + 1 < n) r.scheduler().when({{c}}, Step{c, bad, i + 1, n});
    }
  };
  s.when({{c.get()}}, Step{c.get(), &bad, 0, n});
  s.wait_all();
  EXPECT_EQ(bad.load(), 0);
  EXPECT_EQ(c->content.as_int(), n);
}

TEST(RuntimeWaitCown, ReturnsAfterEveryBehaviorScheduledOnTheCown) {
  Scheduler s(test_options());
  CownRef c = int_cown(0);
  CownRef other = int_cown(0);
  Scheduler::Hold hold(s);  // wait_all() could not return; wait_cown() must
  std::atomic<bool> release_other{false};
  std::atomic<int> reads{0};
  s.when({{other.get()}}, [&](BehaviorRun&) {
    while (!release_other.load()) std::this_thread::yield();
  });
  for (int round = 1; round <= 50; ++round) {
    for (int i = 0; i < 30; ++i)
      s.when({{c.get(), true}}, [&reads](BehaviorRun& r) {
        if (r.content(0).as_int() >= 0) reads.fetch_add(1);
      });
    for (int i = 0; i < 100; ++i)
      s.when({{c.get()}}, [](BehaviorRun& r) { r.content(0) = Value::integer(r.content(0).as_int() + 1); });
    Value v = Value::nil();
    s.wait_cown(c.get(), &v);
    ASSERT_EQ(v.as_int(), round * 100);
    ASSERT_EQ(reads.load(), round * 30);
  }
  release_other.store(true);
}

TEST(RuntimeDuplicates, DuplicateCownsCollapseToOneSlotAndWriteWins) {
  Scheduler s(test_options());
  CownRef a = int_cown(0);
  CownRef b = int_cown(0);
  std::atomic<int> same_place{0}, writers_inside{0}, overlap{0};
  const int n = static_cast<int>(scaled(20'000));
  for (int i = 0; i < n; ++i) {
    // a twice (once as read: write wins), b once; and a plain writer on a.
    s.when({{a.get(), true}, {b.get()}, {a.get()}}, [&](BehaviorRun& r) {
      if (&r.content(0) == &r.content(2) && r.size() == 3) same_place.fetch_add(1);
      if (writers_inside.fetch_add(1) != 0) overlap.fetch_add(1);
      r.content(2) = Value::integer(r.content(0).as_int() + 1);
      r.content(1) = Value::integer(r.content(1).as_int() + 1);
      writers_inside.fetch_sub(1);
    });
    s.when({{a.get()}}, [&](BehaviorRun& r) {
      if (writers_inside.fetch_add(1) != 0) overlap.fetch_add(1);
      r.content(0) = Value::integer(r.content(0).as_int() + 1);
      writers_inside.fetch_sub(1);
    });
  }
  s.wait_all();
  EXPECT_EQ(same_place.load(), n);
  EXPECT_EQ(overlap.load(), 0);
  EXPECT_EQ(a->content.as_int(), 2 * n);
  EXPECT_EQ(b->content.as_int(), n);
}

TEST(RuntimeDuplicates, ResultCownAlsoRequestedIsOneSlot) {
  Scheduler s(test_options());
  CownRef a = int_cown(5);
  s.when({{a.get(), true}}, [](BehaviorRun& r) { *r.result() = Value::integer(r.content(0).as_int() * 2); },
         a.get());
  s.wait_all();
  EXPECT_EQ(a->content.as_int(), 10);
}

TEST(RuntimeOrder, NoCownsAndResultCown) {
  Scheduler s(test_options());
  CownRef result = int_cown(0);
  std::atomic<int> ran{0};
  for (int i = 0; i < 1000; ++i) s.when({}, [&](BehaviorRun&) { ran.fetch_add(1); });
  s.when({}, [](BehaviorRun& r) { *r.result() = Value::integer(42); }, result.get());
  // Scheduled after: sees the result.
  s.when({{result.get()}}, [](BehaviorRun& r) { r.content(0) = Value::integer(r.content(0).as_int() + 1); });
  s.wait_all();
  EXPECT_EQ(ran.load(), 1000);
  EXPECT_EQ(result->content.as_int(), 43);
}

}  // namespace
}  // namespace boc::rt::test
