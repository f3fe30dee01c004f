// Runtime tests under contention: transfers conserve money, random cown sets
// never deadlock, groups of 1 to 64 cowns are exclusive.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <random>
#include <thread>
#include <vector>

#include "runtime/sched/scheduler.hpp"
#include "tests/unit/runtime_test_support.hpp"

namespace boc::rt::test {
namespace {

using namespace std::chrono_literals;

// Per-cown "someone is inside" flags, to check exclusivity from the bodies.
struct Occupancy {
  explicit Occupancy(size_t n) : inside(n) {}
  std::vector<std::atomic<int>> inside;
  std::atomic<int64_t> violations{0};
  void enter(size_t i) {
    if (inside[i].fetch_add(1) != 0) violations.fetch_add(1);
  }
  void leave(size_t i) { inside[i].fetch_sub(1); }
};

TEST(RuntimeTransfer, TwoCownTransfersUnderContentionConserveTheTotal) {
  Scheduler s(test_options());
  const uint64_t seed = test_seed();
  constexpr int kAccounts = 16;  // few accounts: heavy contention
  constexpr int64_t kStart = 1000;
  std::vector<CownRef> accounts;
  for (int i = 0; i < kAccounts; ++i) accounts.push_back(int_cown(kStart));
  Occupancy occ(kAccounts);
  std::atomic<int64_t> done{0};
  const int64_t per_thread = scaled(100'000);
  Watchdog dog(300s, "transfers");

  auto schedule_transfers = [&](uint64_t thread_seed) {
    std::mt19937_64 rng(thread_seed);
    for (int64_t k = 0; k < per_thread; ++k) {
      const int from = static_cast<int>(rng() % kAccounts);
      const int to = static_cast<int>((from + 1 + rng() % (kAccounts - 1)) % kAccounts);
      const int64_t amount = static_cast<int64_t>(rng() % 50);
      s.when({{accounts[from].get()}, {accounts[to].get()}}, [&, from, to, amount](BehaviorRun& r) {
        occ.enter(from);
        occ.enter(to);
        if (r.content(0).as_int() >= amount) {
          r.content(0) = Value::integer(r.content(0).as_int() - amount);
          r.content(1) = Value::integer(r.content(1).as_int() + amount);
        }
        occ.leave(from);
        occ.leave(to);
        done.fetch_add(1, std::memory_order_relaxed);
      });
    }
  };
  // Two outside threads and the main thread schedule at the same time.
  std::thread t1(schedule_transfers, seed + 1), t2(schedule_transfers, seed + 2);
  schedule_transfers(seed + 3);
  t1.join();
  t2.join();
  s.wait_all();

  int64_t total = 0;
  for (auto& a : accounts) {
    EXPECT_GE(a->content.as_int(), 0);
    total += a->content.as_int();
  }
  EXPECT_EQ(total, kAccounts * kStart);
  EXPECT_EQ(done.load(), 3 * per_thread);
  EXPECT_EQ(occ.violations.load(), 0);
}

TEST(RuntimeDining, PhilosophersWithRandomCownSetsNeverDeadlock) {
  Scheduler s(test_options());
  const uint64_t seed = test_seed();
  constexpr int kCowns = 24;
  constexpr int kPhilosophers = 64;
  const int meals = static_cast<int>(scaled(2'000));
  std::vector<CownRef> cowns;
  for (int i = 0; i < kCowns; ++i) cowns.push_back(int_cown(0));
  Occupancy occ(kCowns);
  std::vector<std::atomic<int64_t>> expected(kCowns);
  Watchdog dog(300s, "dining philosophers");

  // A philosopher eats with 1 to 6 random cowns (random order, duplicates
  // possible), then schedules its next meal from inside the behavior.
  struct Philosopher {
    std::vector<CownRef>* cowns;
    Occupancy* occ;
    std::vector<std::atomic<int64_t>>* expected;
    uint64_t rng_state;
    int meals_left;

    void schedule(Scheduler& s) const {
      std::mt19937_64 rng(rng_state);
      std::vector<Request> req;
      const int n = 1 + static_cast<int>(rng() % 6);
      for (int k = 0; k < n; ++k) req.push_back({(*cowns)[rng() % cowns->size()].get(), false});
      std::vector<bool> seen(cowns->size());
      for (auto& r : req) {
        const size_t i = index_of(r.cown);
        if (!seen[i]) (*expected)[i].fetch_add(1);
        seen[i] = true;
      }
      Philosopher next = *this;
      next.rng_state = rng();
      s.when(req, [next](BehaviorRun& run) { next.eat(run); });
    }
    size_t index_of(Cown* c) const {
      for (size_t i = 0; i < cowns->size(); ++i)
        if ((*cowns)[i].get() == c) return i;
      return SIZE_MAX;
    }
    void eat(BehaviorRun& run) const {
      std::vector<size_t> held;
      for (size_t k = 0; k < run.size(); ++k) {
        const size_t i = index_of(run.cown(k));
        if (std::find(held.begin(), held.end(), i) != held.end()) continue;  // a duplicate
        held.push_back(i);
        occ->enter(i);
        run.content(k) = Value::integer(run.content(k).as_int() + 1);
      }
      for (size_t i : held) occ->leave(i);
      if (meals_left > 1) {
        Philosopher next = *this;
        next.meals_left--;
        next.schedule(run.scheduler());
      }
    }
  };
  for (int p = 0; p < kPhilosophers; ++p)
    Philosopher{&cowns, &occ, &expected, seed * 1000 + p, meals}.schedule(s);
  s.wait_all();

  EXPECT_EQ(occ.violations.load(), 0);
  for (int i = 0; i < kCowns; ++i) EXPECT_EQ(cowns[i]->content.as_int(), expected[i].load()) << "cown " << i;
}

TEST(RuntimeGroups, GroupsOfOneToSixtyFourCownsAreExclusive) {
  Scheduler s(test_options());
  std::mt19937_64 rng(test_seed());
  constexpr int kPool = 80;
  std::vector<CownRef> cowns;
  for (int i = 0; i < kPool; ++i) cowns.push_back(int_cown(0));
  Occupancy occ(kPool);
  std::vector<int64_t> expected(kPool);
  std::atomic<int64_t> wrong_mapping{0};
  Watchdog dog(300s, "groups");
  const int per_size = kUnderTsan ? 4 : 30;

  for (int round = 0; round < per_size; ++round) {
    for (int n = 1; n <= 64; ++n) {
      std::vector<int> pick(kPool);
      for (int i = 0; i < kPool; ++i) pick[i] = i;
      std::shuffle(pick.begin(), pick.end(), rng);
      pick.resize(n);
      std::vector<Request> req;
      for (int i : pick) {
        req.push_back({cowns[i].get(), false});
        expected[i]++;
      }
      s.when(req, [&, pick](BehaviorRun& r) {
        if (r.size() != pick.size()) wrong_mapping.fetch_add(1);
        for (size_t k = 0; k < pick.size(); ++k) {
          if (r.cown(k) != cowns[pick[k]].get()) wrong_mapping.fetch_add(1);
          occ.enter(pick[k]);
          r.content(k) = Value::integer(r.content(k).as_int() + 1);
        }
        for (int i : pick) occ.leave(i);
      });
    }
  }
  s.wait_all();
  EXPECT_EQ(occ.violations.load(), 0);
  EXPECT_EQ(wrong_mapping.load(), 0);
  for (int i = 0; i < kPool; ++i) EXPECT_EQ(cowns[i]->content.as_int(), expected[i]);
}

}  // namespace
}  // namespace boc::rt::test
