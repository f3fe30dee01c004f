// Runtime tests of the scheduler's life: failures, holds, stop and restart,
// worker setup and stacks, cown lifetime, memory over ten million behaviors.
#include <gtest/gtest.h>
#include <pthread.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "runtime/sched/scheduler.hpp"
#include "tests/unit/runtime_test_support.hpp"

namespace boc::rt::test {
namespace {

using namespace std::chrono_literals;

TEST(RuntimeFailure, ExceptionsAreRecordedAndEverythingElseGoesOn) {
  Scheduler s(test_options());
  CownRef c = int_cown(0);
  std::vector<CownRef> results;
  for (int i = 0; i < 1000; ++i) {
    CownRef result = i % 100 == 0 ? int_cown(-1) : CownRef();
    s.when({{c.get()}}, [i](BehaviorRun& r) {
      r.content(0) = Value::integer(r.content(0).as_int() + 1);  // stays
      if (i % 10 == 0) throw std::runtime_error("boom " + std::to_string(i));
      if (i == 5) throw 42;  // not a std::exception
      if (r.result()) *r.result() = Value::integer(i);
    }, result.get());
    if (result) results.push_back(result);
  }
  s.wait_all();
  EXPECT_EQ(c->content.as_int(), 1000);  // the cown was released every time
  std::vector<Failure> failures = s.take_failures();
  ASSERT_EQ(failures.size(), 101u);
  int with_result = 0, unknown = 0;
  for (const Failure& f : failures) {
    if (f.message == "unknown exception") {
      ++unknown;
      continue;
    }
    EXPECT_EQ(f.message.rfind("boom ", 0), 0u) << f.message;
    if (f.result) {
      ++with_result;
      EXPECT_EQ(f.result->content.as_int(), -1);  // nothing stored
    }
  }
  EXPECT_EQ(unknown, 1);
  EXPECT_EQ(with_result, 10);
  EXPECT_TRUE(s.take_failures().empty());
}

TEST(RuntimeFailure, WaitingInsideABehaviorIsAnError) {
  Scheduler s(test_options());
  CownRef c = int_cown(0);
  s.when({{c.get()}}, [](BehaviorRun& r) { r.scheduler().wait_all(); });
  s.when({{c.get()}}, [&](BehaviorRun& r) { r.scheduler().wait_cown(r.cown(0)); });
  s.wait_all();
  std::vector<Failure> failures = s.take_failures();
  ASSERT_EQ(failures.size(), 2u);
  for (const Failure& f : failures) EXPECT_NE(f.message.find("inside a behavior"), std::string::npos);
}

TEST(RuntimeLifecycle, StopAndRestartInOneProcess) {
  std::atomic<int> started{0};
  SchedulerOptions options = test_options();
  options.on_worker_start = [&](unsigned) -> void* {
    started.fetch_add(1);
    return nullptr;
  };
  Scheduler s(options);
  EXPECT_EQ(started.load(), 0);  // lazy
  CownRef c = int_cown(0);
  for (int round = 1; round <= 3; ++round) {
    for (int i = 0; i < 1000; ++i)
      s.when({{c.get()}}, [](BehaviorRun& r) { r.content(0) = Value::integer(r.content(0).as_int() + 1); });
    s.stop();  // waits for the work first
    EXPECT_EQ(c->content.as_int(), round * 1000);
    EXPECT_EQ(started.load(), static_cast<int>(round * s.worker_count()));
  }
  s.stop();  // stopping a stopped scheduler is harmless
}

TEST(RuntimeLifecycle, BodiesSeeTheirWorkersLocalPointer) {
  SchedulerOptions options = test_options();
  std::vector<int> locals;  // one distinct address per worker
  options.on_worker_start = [&](unsigned index) -> void* { return &locals.at(index); };
  Scheduler s(options);
  locals.resize(s.worker_count());  // before the first when starts the workers
  std::atomic<int> mismatches{0};
  for (int i = 0; i < 1000; ++i) {
    s.when({}, [&](BehaviorRun& r) {
      if (r.worker_local() != &locals[r.worker_index()]) mismatches.fetch_add(1);
    });
  }
  s.wait_all();
  EXPECT_EQ(mismatches.load(), 0);
}

TEST(RuntimeLifecycle, TwoSchedulersRunIndependently) {
  Scheduler a(test_options()), b(test_options());
  CownRef ca = int_cown(0), cb = int_cown(0);
  std::atomic<bool> a_on_b{false};
  for (int i = 0; i < 10'000; ++i) {
    a.when({{ca.get()}}, [&](BehaviorRun& r) {
      r.content(0) = Value::integer(r.content(0).as_int() + 1);
      if (!a.on_worker() || b.on_worker()) a_on_b.store(true);
    });
    b.when({{cb.get()}}, [](BehaviorRun& r) { r.content(0) = Value::integer(r.content(0).as_int() + 1); });
  }
  a.wait_all();
  b.wait_all();
  EXPECT_EQ(ca->content.as_int(), 10'000);
  EXPECT_EQ(cb->content.as_int(), 10'000);
  EXPECT_FALSE(a_on_b.load());
}

TEST(RuntimeLifecycle, HoldKeepsWaitAllWaitingWhileAHostMayScheduleMore) {
  Scheduler s(test_options());
  CownRef c = int_cown(0);
  s.hold();
  std::atomic<bool> returned{false};
  std::thread waiter([&] {
    s.wait_all();
    returned.store(true);
  });
  std::this_thread::sleep_for(100ms);
  EXPECT_FALSE(returned.load());  // nothing queued, but the hold is active
  // The host schedules later, then lets go.
  s.when({{c.get()}}, [](BehaviorRun& r) { r.content(0) = Value::integer(42); });
  s.release_hold();
  waiter.join();
  EXPECT_TRUE(returned.load());
  EXPECT_EQ(c->content.as_int(), 42);
  {
    Scheduler::Hold hold(s);
    std::this_thread::sleep_for(10ms);
  }
  s.wait_all();  // the RAII hold was released
}

TEST(RuntimeLifecycle, WorkersGetTheConfiguredStack) {
  SchedulerOptions options = test_options();
  options.worker_stack_size = size_t{96} << 20;
  Scheduler s(options);
  std::atomic<size_t> stack_size{0};
  s.when({}, [&](BehaviorRun&) {
    pthread_attr_t attr;
    size_t size = 0;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
      pthread_attr_getstacksize(&attr, &size);
      pthread_attr_destroy(&attr);
    }
    stack_size.store(size);
  });
  s.wait_all();
  EXPECT_GE(stack_size.load(), size_t{96} << 20);
}

// The two-step schedule (prepare, fill the captures in place, submit) runs
// the body with those captures and then drops them; a discarded behavior
// neither runs nor drops.
TEST(RuntimeLifecycle, PreparedBehaviorsRunOrAreDiscarded) {
  Scheduler s(test_options());
  CownRef c = int_cown(0);
  static std::atomic<int> drops{0};
  drops = 0;
  struct Add {
    int64_t amount;
  };
  BehaviorBody add = [](BehaviorRun& r) {
    auto* a = static_cast<Add*>(r.captures());
    r.content(0) = Value::integer(r.content(0).as_int() + a->amount);
  };
  CaptureDrop count_drop = [](void*) { drops.fetch_add(1); };
  const Request request{c.get()};
  for (int64_t i = 1; i <= 100; ++i) {
    Behavior* b = s.prepare({&request, 1}, nullptr, add, sizeof(Add), count_drop);
    new (b->captures()) Add{i};
    if (i % 10 == 0) {
      s.discard(b);
    } else {
      s.submit(b);
    }
  }
  s.wait_all();
  // 1..100 minus the multiples of ten (10 + 20 + ... + 100 = 550).
  EXPECT_EQ(c->content.as_int(), 5050 - 550);
  EXPECT_EQ(drops.load(), 90);
}

TEST(RuntimeLifecycle, ACownOutlivesItsLastOutsideReferenceWhileQueued) {
  Scheduler s(test_options());
  CownRef inner = int_cown(5);
  std::atomic<int64_t> seen{0};
  {
    // The outer cown's content holds a reference to the inner cown.
    cown_retain(inner.get());
    CownRef outer = CownRef::make(inner->as_value());
    EXPECT_EQ(inner->header.rc.load(), 2u);
    for (int i = 0; i < 100; ++i)
      s.when({{outer.get(), i % 2 == 0}}, [&](BehaviorRun& r) {
        seen.fetch_add(reinterpret_cast<Cown*>(r.content(0).obj())->content.as_int());
      });
  }  // the last outside reference goes here, long before the behaviors ran
  s.wait_all();
  EXPECT_EQ(seen.load(), 500);
  // The outer cown was destroyed and released its content.
  EXPECT_EQ(inner->header.rc.load(), 1u);
}

size_t resident_bytes() {
  std::ifstream statm("/proc/self/statm");
  size_t pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * static_cast<size_t>(sysconf(_SC_PAGESIZE));
}

// `chains` cowns, each with a chain of behaviors that schedules its next.
void run_chains(Scheduler& s, std::vector<CownRef>& cowns, int64_t per_chain) {
  struct Step {
    Cown* c;
    int64_t left;
    void operator()(BehaviorRun& r) const {
      r.content(0) = Value::integer(r.content(0).as_int() + 1);
      if (left > 1) r.scheduler().when({{c}}, Step{c, left - 1});
    }
  };
  for (auto& c : cowns) s.when({{c.get()}}, Step{c.get(), per_chain});
  s.wait_all();
}

TEST(RuntimeMemory, TenMillionBehaviorsWithoutMemoryGrowth) {
  if (kUnderTsan) GTEST_SKIP() << "TSan's shadow memory grows by design";
  Scheduler s(test_options());
  std::vector<CownRef> cowns;
  for (int i = 0; i < 100; ++i) cowns.push_back(int_cown(0));
  run_chains(s, cowns, 10'000);  // 1 M: warm up the allocator
  const size_t before = resident_bytes();
  run_chains(s, cowns, 90'000);  // 9 M more
  const size_t after = resident_bytes();
  for (auto& c : cowns) ASSERT_EQ(c->content.as_int(), 100'000);
  EXPECT_LT(after, before + (size_t{8} << 20)) << "RSS grew from " << before << " to " << after;
}

}  // namespace
}  // namespace boc::rt::test
