// A worker's queue of runnable behaviors: FIFO, any thread may push, the
// owner pops, idle workers steal half of it at once.
//
// Design note: a short mutex-protected intrusive list. The owner's push and
// pop are uncontended almost always (a lock and an unlock, no allocation);
// stealing half the queue in one go keeps thieves off it when one worker
// produces everything. FIFO, not LIFO, so a behavior that keeps rescheduling
// itself cannot starve the rest of its worker's queue.
#pragma once

#include <atomic>
#include <cstddef>
#include <mutex>

#include "runtime/sched/acquire.hpp"

namespace boc::rt {

class WorkQueue {
 public:
  // Appends the whole list (emptied).
  void push(ReadyList& list);
  void push(Behavior* b);
  Behavior* pop();
  // Moves about half of the queue (at least one if non-empty) into `out`.
  void steal_half(ReadyList& out);
  // A hint read without the lock (see size_).
  bool looks_empty() const { return size_.load(std::memory_order_relaxed) == 0; }

 private:
  std::mutex mutex_;
  ReadyList items_;  // guarded by mutex_
  // Mirror of items_.size, written under mutex_, read relaxed without it by
  // thieves and by a worker about to sleep (ordered there by the seq_cst
  // fences of Scheduler's sleep/wake protocol).
  std::atomic<size_t> size_{0};
};

}  // namespace boc::rt
