// The BOC scheduler: workers, hand-off, stealing, sleeping, quiescence.
#include "runtime/sched/scheduler.hpp"

#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <stdexcept>
#include <system_error>
#include <thread>

#include "runtime/sched/acquire.hpp"
#include "runtime/sched/spin.hpp"
#include "runtime/sched/work_queue.hpp"

namespace boc::rt {
namespace {

// Consecutive hand-offs before a worker serves its queue again: long enough
// to run a chain of behaviors on one cown without queue traffic, short enough
// that the queue's behaviors wait at most this many bodies.
constexpr unsigned kHandoffLimit = 64;
// Quiescence credits a worker takes from Impl::live at once (docs/runtime.md).
constexpr int64_t kCreditBatch = 256;
// Rounds of looking for work before sleeping: a few microseconds, about the
// time a busy worker takes to make the next behavior runnable.
constexpr unsigned kIdleSpins = 256;

// Orders this thread's earlier stores before its later loads (the sleep
// hand-shake of find_work and wake_one). ThreadSanitizer does not model
// fences, so under it a seq_cst read-modify-write of one shared word, which
// it does model, gives the same order; elsewhere that word would be a cache
// line every scheduling thread writes, so the fence stays.
inline void store_load_barrier() {
#if defined(__SANITIZE_THREAD__)
  static std::atomic<unsigned> word{0};
  word.fetch_add(0, std::memory_order_seq_cst);
#else
  std::atomic_thread_fence(std::memory_order_seq_cst);
#endif
}

}  // namespace

struct alignas(64) Worker {
  Worker(Scheduler::Impl* s, unsigned i, BehaviorDepot* depot) : sched(s), index(i), pool(depot) {}
  Scheduler::Impl* sched;
  unsigned index;
  pthread_t thread{};
  WorkQueue queue;
  int64_t credits = 0;  // quiescence credits; only this worker's thread uses it
  BehaviorPool pool;     // only this worker's thread uses it
  void* local = nullptr;  // from on_worker_start, for BehaviorRun::worker_local
};

namespace {
// The worker running on this thread, if any. Per-thread identity, not shared
// state: it tells which scheduler (if any) the calling thread works for.
thread_local Worker* tl_worker = nullptr;
}  // namespace

struct Scheduler::Impl {
  Impl(Scheduler& o, SchedulerOptions opts)
      : owner(o),
        options(std::move(opts)),
        num_workers(options.workers ? options.workers
                                    : std::max(1u, std::thread::hardware_concurrency())) {}

  Scheduler& owner;
  const SchedulerOptions options;
  const unsigned num_workers;
  BehaviorDepot depot;  // outlives the workers' pools

  std::mutex lifecycle;  // serialises start and stop
  // Filled by start() before `running` is set and cleared by stop() after the
  // workers are joined, so readers that saw `running` may use it unlocked.
  std::vector<std::unique_ptr<Worker>> workers;
  // false -> true in start() (release; pairs with the acquire load in
  // submit() that then uses `workers`), true -> false in stop().
  std::atomic<bool> running{false};
  // Set by stop() before waking everyone; a sleeping worker that sees it
  // exits. seq_cst, like the epoch it is read with.
  std::atomic<bool> stopping{false};

  // Behaviors scheduled and not completed + active holds + credits that
  // workers hold. Zero means quiescent (every term is >= 0). Increments are
  // relaxed (ordered before the behavior's completion by the queue hand-off);
  // a decrement that may reach zero is acq_rel and pairs with wait_all's
  // acquire load.
  std::atomic<int64_t> live{0};
  std::mutex quiet_mutex;
  std::condition_variable quiet_cv;

  // Workers registered as about to sleep. Written seq_cst by sleepers, read
  // after a seq_cst fence by producers (the Dekker pair of wake_one and
  // find_work).
  std::atomic<uint32_t> sleepers{0};
  // Bumped by a producer that saw a sleeper; sleepers futex-wait on it.
  std::atomic<uint32_t> epoch{0};
  // Round-robin choice of a queue for behaviors scheduled from outside.
  std::atomic<uint32_t> next_external{0};

  std::mutex failures_mutex;
  std::vector<Failure> failures;

  Worker* current_worker() const {
    Worker* w = tl_worker;
    return w && w->sched == this ? w : nullptr;
  }

  void start();
  void worker_main(Worker& w);
  void execute(Worker& w, Behavior* b, Behavior*& handoff);
  Behavior* find_work(Worker& w);
  Behavior* steal(Worker& w);
  void wake_one();
  void return_credits(Worker& w);
  void notify_quiet();
  void record_failure(std::string message, Cown* result);
};

namespace {
void* worker_entry(void* arg) {
  auto* w = static_cast<Worker*>(arg);
  w->sched->worker_main(*w);
  return nullptr;
}
}  // namespace

void Scheduler::Impl::start() {
  std::lock_guard<std::mutex> lock(lifecycle);
  if (running.load(std::memory_order_relaxed)) return;
  workers.clear();
  for (unsigned i = 0; i < num_workers; ++i) workers.push_back(std::make_unique<Worker>(this, i, &depot));
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, options.worker_stack_size);
  for (unsigned i = 0; i < num_workers; ++i) {
    int rc = pthread_create(&workers[i]->thread, &attr, worker_entry, workers[i].get());
    if (rc != 0) {
      // Undo: the workers started so far are idle; stop them.
      stopping.store(true);
      epoch.fetch_add(1);
      epoch.notify_all();
      for (unsigned j = 0; j < i; ++j) pthread_join(workers[j]->thread, nullptr);
      stopping.store(false);
      workers.clear();
      pthread_attr_destroy(&attr);
      throw std::system_error(rc, std::generic_category(), "cannot start a scheduler worker");
    }
  }
  pthread_attr_destroy(&attr);
  running.store(true, std::memory_order_release);
}

void Scheduler::Impl::worker_main(Worker& w) {
  tl_worker = &w;
  if (options.on_worker_start) {
    try {
      w.local = options.on_worker_start(w.index);
    } catch (const std::exception& e) {
      record_failure(std::string("on_worker_start: ") + e.what(), nullptr);
    } catch (...) {
      record_failure("on_worker_start: unknown exception", nullptr);
    }
  }
  Behavior* handoff = nullptr;
  unsigned handoffs = 0;
  for (;;) {
    Behavior* b;
    if (handoff && handoffs < kHandoffLimit) {
      b = std::exchange(handoff, nullptr);
      ++handoffs;
    } else {
      if (handoff) w.queue.push(std::exchange(handoff, nullptr));  // back of the line
      handoffs = 0;
      b = w.queue.pop();
      if (!b) b = find_work(w);
      if (!b) break;  // stopping
    }
    execute(w, b, handoff);
  }
  tl_worker = nullptr;
}

void Scheduler::Impl::execute(Worker& w, Behavior* b, Behavior*& handoff) {
  BehaviorRun run(b, owner, w.index, w.local);
  try {
    b->body(run);
  } catch (const std::exception& e) {
    record_failure(e.what(), b->result_cown());
  } catch (...) {
    record_failure("unknown exception", b->result_cown());
  }
  if (b->drop) b->drop(b->captures());
  ReadyList ready;
  release_all(b, ready);
  behavior_free(b, &w.pool);
  // The behavior's unit of `live` becomes a credit of this worker.
  if (++w.credits > 2 * kCreditBatch) {
    // Cannot reach zero: this worker still holds credits.
    live.fetch_sub(kCreditBatch, std::memory_order_relaxed);
    w.credits -= kCreditBatch;
  }
  if (!ready.head) return;
  if (!handoff) handoff = ready.pop();
  if (ready.head) {
    w.queue.push(ready);
    wake_one();
  }
}

Behavior* Scheduler::Impl::steal(Worker& w) {
  for (unsigned k = 1; k < num_workers; ++k) {
    Worker& victim = *workers[(w.index + k) % num_workers];
    if (victim.queue.looks_empty()) continue;
    ReadyList got;
    victim.queue.steal_half(got);
    if (Behavior* b = got.pop()) {
      if (got.head) {
        w.queue.push(got);
        wake_one();  // more than we can run: let another sleeper help
      }
      return b;
    }
  }
  return nullptr;
}

Behavior* Scheduler::Impl::find_work(Worker& w) {
  if (Behavior* b = steal(w)) return b;
  // Idle: give the credits back so that wait_all() can see quiescence.
  return_credits(w);
  for (unsigned i = 0; i < kIdleSpins; ++i) {
    cpu_relax();
    if (Behavior* b = w.queue.pop()) return b;
    if (Behavior* b = steal(w)) return b;
  }
  for (;;) {
    sleepers.fetch_add(1);
    // Pairs with the barrier in wake_one: either the producer sees us in
    // `sleepers`, or we see its push in the queue check below.
    store_load_barrier();
    const uint32_t seen = epoch.load();
    Behavior* b = w.queue.pop();
    if (!b) b = steal(w);
    if (b || stopping.load()) {
      sleepers.fetch_sub(1);
      return b;
    }
    epoch.wait(seen);  // returns at once if a producer bumped it since `seen`
    sleepers.fetch_sub(1);
    if ((b = w.queue.pop()) || (b = steal(w))) return b;
  }
}

void Scheduler::Impl::wake_one() {
  // Pairs with the barrier in find_work (see there).
  store_load_barrier();
  if (sleepers.load(std::memory_order_relaxed) == 0) return;
  epoch.fetch_add(1);
  epoch.notify_one();
}

void Scheduler::Impl::return_credits(Worker& w) {
  const int64_t c = std::exchange(w.credits, 0);
  // acq_rel: release publishes the completed behaviors' effects to
  // wait_all's acquire load; acquire orders after the other decrements.
  if (c != 0 && live.fetch_sub(c, std::memory_order_acq_rel) == c) notify_quiet();
}

void Scheduler::Impl::notify_quiet() {
  // Taking the mutex orders this notification after a waiter's check.
  { std::lock_guard<std::mutex> lock(quiet_mutex); }
  quiet_cv.notify_all();
}

void Scheduler::Impl::record_failure(std::string message, Cown* result) {
  std::lock_guard<std::mutex> lock(failures_mutex);
  failures.push_back(Failure{std::move(message), CownRef::share(result)});
}

Scheduler::Scheduler(SchedulerOptions options)
    : impl_(std::make_unique<Impl>(*this, std::move(options))) {}

Scheduler::~Scheduler() { stop(); }

Behavior* Scheduler::prepare(std::span<const Request> requests, Cown* result, BehaviorBody body,
                             size_t capture_size, CaptureDrop drop) {
  Worker* w = impl_->current_worker();
  return behavior_new(requests, result, body, capture_size, drop, w ? &w->pool : nullptr);
}

void Scheduler::discard(Behavior* b) {
  Worker* w = impl_->current_worker();
  behavior_free(b, w ? &w->pool : nullptr);
}

void Scheduler::submit(Behavior* b) {
  Impl& s = *impl_;
  if (!s.running.load(std::memory_order_acquire)) {
    try {
      s.start();
    } catch (...) {
      discard(b);
      throw;
    }
  }
  Worker* w = s.current_worker();
  if (w) {
    if (w->credits == 0) {
      s.live.fetch_add(kCreditBatch, std::memory_order_relaxed);
      w->credits = kCreditBatch;
    }
    --w->credits;
  } else {
    s.live.fetch_add(1, std::memory_order_relaxed);
  }
  ReadyList ready;
  acquire_all(b, ready);
  if (!ready.head) return;
  if (w) {
    w->queue.push(ready);
  } else {
    const uint32_t i = s.next_external.fetch_add(1, std::memory_order_relaxed);
    s.workers[i % s.num_workers]->queue.push(ready);
  }
  s.wake_one();
}

void Scheduler::schedule(std::span<const Request> requests, Cown* result, BehaviorBody body,
                         const void* captures, size_t capture_size, CaptureDrop drop) {
  Behavior* b = prepare(requests, result, body, capture_size, drop);
  if (capture_size) std::memcpy(b->captures(), captures, capture_size);
  submit(b);
}

void Scheduler::wait_all() {
  Impl& s = *impl_;
  if (s.current_worker()) throw std::logic_error("wait_all() called from inside a behavior");
  std::unique_lock<std::mutex> lock(s.quiet_mutex);
  s.quiet_cv.wait(lock, [&] { return s.live.load(std::memory_order_acquire) == 0; });
}

void Scheduler::wait_cown(Cown* c, Value* content_out) {
  if (impl_->current_worker()) throw std::logic_error("wait_cown() called from inside a behavior");
  // A write slot: it is granted only after every earlier behavior on c,
  // readers included, has completed.
  struct Signal {
    std::mutex mutex;
    std::condition_variable cv;
    bool done = false;
  } signal;
  when({Request{c, false}}, [&signal, content_out](BehaviorRun& run) {
    if (content_out) {
      *content_out = run.content(0);
      retain(*content_out);
    }
    // Notify under the lock: the waiter cannot return (and destroy `signal`)
    // before we unlock, and we touch nothing after.
    std::lock_guard<std::mutex> lock(signal.mutex);
    signal.done = true;
    signal.cv.notify_all();
  });
  std::unique_lock<std::mutex> lock(signal.mutex);
  signal.cv.wait(lock, [&] { return signal.done; });
}

void Scheduler::hold() { impl_->live.fetch_add(1, std::memory_order_relaxed); }

void Scheduler::release_hold() {
  if (impl_->live.fetch_sub(1, std::memory_order_acq_rel) == 1) impl_->notify_quiet();
}

void Scheduler::stop() {
  Impl& s = *impl_;
  if (s.current_worker()) throw std::logic_error("stop() called from inside a behavior");
  std::lock_guard<std::mutex> lock(s.lifecycle);
  if (!s.running.load(std::memory_order_relaxed)) return;
  wait_all();
  s.stopping.store(true);
  s.epoch.fetch_add(1);
  s.epoch.notify_all();
  for (auto& w : s.workers) pthread_join(w->thread, nullptr);
  s.workers.clear();
  s.stopping.store(false);
  s.running.store(false, std::memory_order_release);
}

std::vector<Failure> Scheduler::take_failures() {
  std::lock_guard<std::mutex> lock(impl_->failures_mutex);
  return std::exchange(impl_->failures, {});
}

unsigned Scheduler::worker_count() const { return impl_->num_workers; }

bool Scheduler::on_worker() const { return impl_->current_worker() != nullptr; }

}  // namespace boc::rt
