// Shared helpers of the runtime tests: a seed and a worker count taken from
// the environment (BOC_TEST_SEED, BOC_TEST_WORKERS) so that a failure replays,
// and workload sizes scaled down under ThreadSanitizer.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <thread>

#include "runtime/sched/scheduler.hpp"

namespace boc::rt::test {

#if defined(__SANITIZE_THREAD__)
inline constexpr bool kUnderTsan = true;
#else
inline constexpr bool kUnderTsan = false;
#endif

// TSan runs these 5-20x slower: shrink the loops, keep the shapes.
inline int64_t scaled(int64_t n) { return kUnderTsan ? n / 10 : n; }

inline uint64_t env_number(const char* name, uint64_t fallback) {
  const char* text = std::getenv(name);
  return text && *text ? std::strtoull(text, nullptr, 10) : fallback;
}

inline uint64_t test_seed() {
  const uint64_t seed = env_number("BOC_TEST_SEED", 20240601);
  std::cerr << "[runtime test] BOC_TEST_SEED=" << seed << "\n";
  return seed;
}

// At least two workers: several tests need behaviors to run at the same time.
inline SchedulerOptions test_options(unsigned minimum_workers = 2) {
  SchedulerOptions o;
  const auto from_env = static_cast<unsigned>(env_number("BOC_TEST_WORKERS", 0));
  o.workers = from_env ? from_env : 0;
  if (o.workers == 0 && std::thread::hardware_concurrency() < minimum_workers) o.workers = minimum_workers;
  if (o.workers != 0 && o.workers < minimum_workers) o.workers = minimum_workers;
  return o;
}

// Turns a hang (a deadlock) into a failing test: aborts the process when
// still armed after `limit`.
class Watchdog {
 public:
  Watchdog(std::chrono::seconds limit, const char* what)
      : thread_([this, limit, what] {
          std::unique_lock<std::mutex> lock(mutex_);
          if (!cv_.wait_for(lock, limit, [this] { return disarmed_; })) {
            std::fprintf(stderr, "watchdog: %s did not finish in time (deadlock?)\n", what);
            std::abort();
          }
        }) {}
  ~Watchdog() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      disarmed_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool disarmed_ = false;
  std::thread thread_;  // last: starts after the members it uses
};

inline CownRef int_cown(int64_t v) { return CownRef::make(Value::integer(v)); }

}  // namespace boc::rt::test
