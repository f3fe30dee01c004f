// The BOC scheduler: worker threads that run behaviors once they hold their
// cowns, quiescence, holds and failure records.
//
// Design note: one worker per core, each with its own WorkQueue. A behavior
// made runnable by the one that just finished on a worker runs next on that
// worker without touching a queue (the hand-off, bounded by kHandoffLimit so
// the queue is not starved); further ones go to the worker's queue, where
// idle workers steal half at a time. Idle workers spin briefly, then sleep on
// an epoch counter; producers wake them only when someone sleeps. Quiescence
// is a single counter that workers update in batches of credits
// (docs/runtime.md, "Quiescence"). Several schedulers may live in one process;
// a cown must only ever be used with one of them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <new>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "runtime/sched/behavior.hpp"
#include "runtime/sched/cown.hpp"

namespace boc::rt {

struct SchedulerOptions {
  // Worker threads; 0 means one per hardware thread.
  unsigned workers = 0;
  // Script recursion runs on the workers, so they get big stacks (the main
  // thread's usual 8 MiB is not enough for the language's recursion limit).
  size_t worker_stack_size = size_t{64} << 20;
  // Called on each worker thread before it runs any behavior (per-thread
  // setup of the language layer). What it returns is the worker's local
  // pointer, which its bodies read with BehaviorRun::worker_local(). An
  // exception it throws is recorded as a failure, and the worker runs anyway
  // with a null local pointer.
  std::function<void*(unsigned worker_index)> on_worker_start;
};

// A behavior whose body threw: the exception's message, and its result cown
// (if it had one; nothing was stored in it).
struct Failure {
  std::string message;
  CownRef result;
};

class Scheduler {
 public:
  explicit Scheduler(SchedulerOptions options = {});
  // Waits for quiescence (holds included) and stops the workers.
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Schedules a behavior on `requests` (any number, any order, duplicates
  // collapse to one slot and write wins) plus `result` (nullable) as one more
  // write slot. capture_size bytes at `captures` are copied into the
  // behavior; `drop` (nullable) is called on the copy after the body ran.
  // Callable from any thread, including from inside a body; returns at once.
  // The caller keeps its references to the cowns and must hold them during
  // the call. Starts the workers on first use.
  void schedule(std::span<const Request> requests, Cown* result, BehaviorBody body,
                const void* captures, size_t capture_size, CaptureDrop drop);

  // The same in two steps, for callers that build their captures in place
  // (no staging copy): prepare allocates the behavior with capture_size bytes
  // of uninitialised storage at b->captures(); the caller fills them, then
  // either submits it (which schedules it, as schedule() does) or discards it
  // (which frees it without calling `drop`). Same thread for both steps.
  Behavior* prepare(std::span<const Request> requests, Cown* result, BehaviorBody body,
                    size_t capture_size, CaptureDrop drop);
  void submit(Behavior* b);
  void discard(Behavior* b);

  // Schedules a C++ callable `void(BehaviorRun&)`, moved into the behavior.
  template <class F>
  void when(std::span<const Request> requests, F&& body, Cown* result = nullptr);
  template <class F>
  void when(std::initializer_list<Request> requests, F&& body, Cown* result = nullptr) {
    when(std::span<const Request>(requests.begin(), requests.size()), std::forward<F>(body), result);
  }

  // Blocks until no behavior is queued or running and no hold is active,
  // including behaviors scheduled meanwhile by behaviors. Throws
  // std::logic_error when called from inside a behavior of this scheduler.
  void wait_all();
  // Blocks until every behavior scheduled on c so far has run. With
  // content_out, stores there a retained copy of c's content at that point.
  // Throws std::logic_error when called from inside a behavior.
  void wait_cown(Cown* c, Value* content_out = nullptr);

  // A hold counts as a running behavior: wait_all() and stop() do not return
  // while one is active, so a REPL or host thread can schedule later.
  void hold();
  void release_hold();
  class Hold {
   public:
    explicit Hold(Scheduler& s) : s_(s) { s_.hold(); }
    ~Hold() { s_.release_hold(); }
    Hold(const Hold&) = delete;
    Hold& operator=(const Hold&) = delete;

   private:
    Scheduler& s_;
  };

  // Waits for quiescence, then joins the workers. The next schedule() starts
  // them again. Must not race with schedule() from another outside thread.
  void stop();

  // Returns and clears the failures recorded so far.
  std::vector<Failure> take_failures();

  // Number of workers used once started.
  unsigned worker_count() const;
  // True on a worker thread of this scheduler.
  bool on_worker() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

template <class F>
void Scheduler::when(std::span<const Request> requests, F&& body, Cown* result) {
  using Fn = std::decay_t<F>;
  static_assert(alignof(Fn) <= kCaptureAlign, "over-aligned behavior captures");
  BehaviorBody run = [](BehaviorRun& r) { (*static_cast<Fn*>(r.captures()))(r); };
  CaptureDrop drop = nullptr;
  if constexpr (!std::is_trivially_destructible_v<Fn>)
    drop = [](void* p) { static_cast<Fn*>(p)->~Fn(); };
  Behavior* b = prepare(requests, result, run, sizeof(Fn), drop);
  try {
    new (b->captures()) Fn(std::forward<F>(body));
  } catch (...) {
    discard(b);
    throw;
  }
  submit(b);
}

}  // namespace boc::rt
