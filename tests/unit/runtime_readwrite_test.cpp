// Runtime tests of read mode: readers of a cown run at the same time, never
// alongside a writer, and see the write scheduled before them.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <random>
#include <thread>
#include <vector>

#include "runtime/sched/scheduler.hpp"
#include "runtime/sched/spin.hpp"
#include "tests/unit/runtime_test_support.hpp"

namespace boc::rt::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

TEST(RuntimeReadWrite, ReadersOfOneCownRunAtTheSameTime) {
  Scheduler s(test_options(2));
  CownRef c = int_cown(7);
  std::atomic<int> active{0}, entered{0}, most_active{0};
  int overlapped_pairs = 0;
  constexpr int kPairs = 20;
  Watchdog dog(300s, "readers");
  for (int p = 0; p < kPairs; ++p) {
    entered = 0;
    most_active = 0;
    // A writer first, so that both readers queue behind it and are admitted
    // together when it finishes.
    s.when({{c.get()}}, [](BehaviorRun& r) { r.content(0) = Value::integer(r.content(0).as_int() + 1); });
    for (int k = 0; k < 2; ++k) {
      s.when({{c.get(), true}}, [&](BehaviorRun&) {
        const int now = active.fetch_add(1) + 1;
        int seen = most_active.load();
        while (now > seen && !most_active.compare_exchange_weak(seen, now)) {}
        entered.fetch_add(1);
        // Neither reader leaves before both entered (bounded, so that a
        // runtime that serialises readers fails instead of hanging): the
        // second one to enter then sees the first inside.
        const auto deadline = Clock::now() + 2s;
        while (entered.load() < 2 && Clock::now() < deadline) std::this_thread::yield();
        active.fetch_sub(1);
      });
    }
    s.wait_all();
    if (most_active.load() >= 2) ++overlapped_pairs;
  }
  EXPECT_EQ(overlapped_pairs, kPairs);
  EXPECT_EQ(c->content.as_int(), 7 + kPairs);
}

TEST(RuntimeReadWrite, WritersAreExclusiveWithReadersAndWriters) {
  Scheduler s(test_options(2));
  const uint64_t seed = test_seed();
  constexpr int kCowns = 4;
  std::vector<CownRef> cowns;
  for (int i = 0; i < kCowns; ++i) cowns.push_back(int_cown(0));
  struct Counts {
    std::atomic<int> readers{0}, writers{0};
  };
  std::vector<Counts> counts(kCowns);
  std::atomic<int64_t> violations{0}, unstable_reads{0}, max_readers{0};
  std::vector<std::atomic<int64_t>> writes(kCowns);
  Watchdog dog(300s, "read/write mix");
  const int64_t per_thread = scaled(60'000);

  auto run = [&](uint64_t thread_seed) {
    std::mt19937_64 rng(thread_seed);
    for (int64_t k = 0; k < per_thread; ++k) {
      std::vector<Request> req;
      std::vector<int> idx;
      const int n = 1 + static_cast<int>(rng() % 3);
      for (int j = 0; j < n; ++j) {
        const int i = static_cast<int>(rng() % kCowns);
        bool dup = false;
        for (int x : idx) dup = dup || x == i;
        if (dup) continue;
        const bool read = rng() % 3 != 0;  // mostly readers
        req.push_back({cowns[i].get(), read});
        idx.push_back(i);
        if (!read) writes[i].fetch_add(1);
      }
      s.when(req, [&, req, idx](BehaviorRun& r) {
        for (size_t j = 0; j < idx.size(); ++j) {
          Counts& cnt = counts[idx[j]];
          if (req[j].read) {
            const int now = cnt.readers.fetch_add(1) + 1;
            int64_t seen = max_readers.load();
            while (now > seen && !max_readers.compare_exchange_weak(seen, now)) {}
            if (cnt.writers.load() != 0) violations.fetch_add(1);
          } else {
            if (cnt.writers.fetch_add(1) != 0 || cnt.readers.load() != 0) violations.fetch_add(1);
          }
        }
        // Readers see a stable value; writers count their writes.
        std::vector<int64_t> before;
        for (size_t j = 0; j < idx.size(); ++j) before.push_back(r.content(j).as_int());
        for (int spin = 0; spin < 50; ++spin) cpu_relax();
        for (size_t j = 0; j < idx.size(); ++j) {
          if (req[j].read) {
            if (r.content(j).as_int() != before[j]) unstable_reads.fetch_add(1);
          } else {
            r.content(j) = Value::integer(before[j] + 1);
          }
        }
        for (size_t j = 0; j < idx.size(); ++j) {
          Counts& cnt = counts[idx[j]];
          if (req[j].read) {
            cnt.readers.fetch_sub(1);
          } else {
            cnt.writers.fetch_sub(1);
          }
        }
      });
    }
  };
  std::thread t(run, seed + 1);
  run(seed + 2);
  t.join();
  s.wait_all();
  EXPECT_EQ(violations.load(), 0);
  EXPECT_EQ(unstable_reads.load(), 0);
  for (int i = 0; i < kCowns; ++i) EXPECT_EQ(cowns[i]->content.as_int(), writes[i].load());
  std::cerr << "[runtime test] most readers of one cown at once: " << max_readers.load() << "\n";
}

TEST(RuntimeReadWrite, ReadersSeeTheWriteScheduledBeforeThem) {
  Scheduler s(test_options(2));
  CownRef c = int_cown(0);
  std::atomic<int64_t> wrong{0};
  const int64_t n = scaled(50'000);
  Watchdog dog(300s, "read after write");
  for (int64_t i = 1; i <= n; ++i) {
    s.when({{c.get()}}, [i](BehaviorRun& r) { r.content(0) = Value::integer(i); });
    for (int k = 0; k < 3; ++k)
      s.when({{c.get(), true}}, [i, &wrong](BehaviorRun& r) {
        if (r.content(0).as_int() != i) wrong.fetch_add(1);
      });
  }
  s.wait_all();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(c->content.as_int(), n);
}

TEST(RuntimeReadWrite, ReadAndWriteOfTheSameCownInOneBehaviorIsAWrite) {
  Scheduler s(test_options(2));
  CownRef c = int_cown(0);
  std::atomic<int> inside{0}, violations{0};
  const int n = static_cast<int>(scaled(20'000));
  for (int i = 0; i < n; ++i) {
    s.when({{c.get(), true}, {c.get(), false}}, [&](BehaviorRun& r) {
      if (inside.fetch_add(1) != 0) violations.fetch_add(1);
      r.content(1) = Value::integer(r.content(0).as_int() + 1);
      inside.fetch_sub(1);
    });
    s.when({{c.get(), true}}, [&](BehaviorRun&) {
      if (inside.load() != 0) violations.fetch_add(1);
    });
  }
  s.wait_all();
  EXPECT_EQ(violations.load(), 0);
  EXPECT_EQ(c->content.as_int(), n);
}

}  // namespace
}  // namespace boc::rt::test
