// boc-bench-runtime: throughput of the native BOC runtime on all cores.
//   dining:  100 philosophers x 10,000 meals; each meal is a two-cown behavior
//            that counts one use on each fork (as bench/dining.boc does) and
//            schedules the philosopher's next meal.
//   banking: 1,000 account cowns, 8 teller cowns, 1,000,000 transfers; each is
//            a teller behavior that schedules a two-cown transfer behavior.
// Prints `dining: N` and `banking: N` (behaviors per second, the median of
// several runs) first, details after.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include <sys/resource.h>

#include "runtime/sched/scheduler.hpp"

namespace {

using boc::rt::BehaviorRun;
using boc::rt::CownRef;
using boc::rt::Scheduler;
using boc::rt::Value;
using Clock = std::chrono::steady_clock;

constexpr int kPhilosophers = 100;
constexpr int kMeals = 10'000;
constexpr int kAccounts = 1'000;
constexpr int kTellers = 8;
constexpr int kTransfers = 1'000'000;
constexpr int64_t kInitialBalance = 1'000;
constexpr int kRuns = 5;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

struct Meal {
  boc::rt::Cown* left;
  boc::rt::Cown* right;
  int remaining;
  void operator()(BehaviorRun& run) const {
    for (size_t i = 0; i < 2; ++i) run.content(i) = Value::integer(run.content(i).as_int() + 1);
    if (remaining > 1) run.scheduler().when({{left}, {right}}, Meal{left, right, remaining - 1});
  }
};

double dining(Scheduler& s, bool& all_eaten) {
  std::vector<CownRef> forks;
  for (int i = 0; i < kPhilosophers; ++i) forks.push_back(CownRef::make(Value::integer(0)));
  const auto start = Clock::now();
  for (int i = 0; i < kPhilosophers; ++i) {
    boc::rt::Cown* left = forks[i].get();
    boc::rt::Cown* right = forks[(i + 1) % kPhilosophers].get();
    s.when({{left}, {right}}, Meal{left, right, kMeals});
  }
  s.wait_all();
  const double rate = double(kPhilosophers) * kMeals / seconds_since(start);
  int64_t uses = 0;
  for (auto& f : forks) uses += f->content.as_int();
  all_eaten = all_eaten && uses == 2 * int64_t{kPhilosophers} * kMeals;
  return rate;
}

struct Transfer {
  int64_t amount;
  void operator()(BehaviorRun& run) const {
    Value& from = run.content(0);
    Value& to = run.content(1);
    if (from.as_int() >= amount) {
      from = Value::integer(from.as_int() - amount);
      to = Value::integer(to.as_int() + amount);
    }
  }
};

struct Teller {
  boc::rt::Cown* const* accounts;
  int remaining;
  void operator()(BehaviorRun& run) const {
    // The teller's content is its random generator state (xorshift64).
    uint64_t x = run.content(0).bits;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    run.content(0) = Value{boc::rt::Tag::Int, x};
    const auto from = static_cast<int>(x % kAccounts);
    const auto to = static_cast<int>((from + 1 + (x >> 32) % (kAccounts - 1)) % kAccounts);
    Scheduler& s = run.scheduler();
    s.when({{accounts[from]}, {accounts[to]}}, Transfer{static_cast<int64_t>((x >> 20) % 100)});
    if (remaining > 1) s.when({{run.cown(0)}}, Teller{accounts, remaining - 1});
  }
};

double banking(Scheduler& s, bool& conserved) {
  std::vector<CownRef> accounts, tellers;
  std::vector<boc::rt::Cown*> raw;
  for (int i = 0; i < kAccounts; ++i) {
    accounts.push_back(CownRef::make(Value::integer(kInitialBalance)));
    raw.push_back(accounts.back().get());
  }
  for (int i = 0; i < kTellers; ++i) tellers.push_back(CownRef::make(Value::integer(0x9E3779B97F4A7C15ull + i)));
  const auto start = Clock::now();
  for (auto& t : tellers) s.when({{t.get()}}, Teller{raw.data(), kTransfers / kTellers});
  s.wait_all();
  const double rate = 2.0 * kTransfers / seconds_since(start);  // teller + transfer
  int64_t total = 0;
  for (auto& a : accounts) total += a->content.as_int();
  conserved = conserved && total == int64_t{kAccounts} * kInitialBalance;
  return rate;
}

// CPU seconds used by the whole process so far (all threads).
double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + 1e-6 * double(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main() {
  Scheduler s;  // one worker per core
  s.when({}, [](BehaviorRun&) {});  // start the workers outside the timings
  s.wait_all();
  std::vector<double> dining_rates, banking_rates;
  bool conserved = true, all_eaten = true;
  const double cpu0 = cpu_seconds();
  for (int i = 0; i < kRuns; ++i) dining_rates.push_back(dining(s, all_eaten));
  const double cpu1 = cpu_seconds();
  for (int i = 0; i < kRuns; ++i) banking_rates.push_back(banking(s, conserved));
  const double cpu2 = cpu_seconds();
  std::printf("dining: %.0f\n", median(dining_rates));
  std::printf("banking: %.0f\n", median(banking_rates));
  std::printf("workers: %u, runs: %d (median shown)\n", s.worker_count(), kRuns);
  for (int i = 0; i < kRuns; ++i)
    std::printf("run %d: dining %.0f, banking %.0f\n", i, dining_rates[i], banking_rates[i]);
  // On a shared, loaded machine wall time undercounts: per CPU-second is the
  // figure that other load does not change (x cores = the idle-machine rate).
  std::printf("per CPU-second: dining %.0f, banking %.0f\n",
              double(kRuns) * kPhilosophers * kMeals / (cpu1 - cpu0), 2.0 * kRuns * kTransfers / (cpu2 - cpu1));
  std::printf("dining meals counted: %s\n", all_eaten ? "yes" : "NO");
  std::printf("banking total conserved: %s\n", conserved ? "yes" : "NO");
  return conserved && all_eaten ? EXIT_SUCCESS : EXIT_FAILURE;
}
