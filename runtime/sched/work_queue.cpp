// A worker's queue of runnable behaviors.
#include "runtime/sched/work_queue.hpp"

namespace boc::rt {

void WorkQueue::push(ReadyList& list) {
  if (!list.head) return;
  std::lock_guard<std::mutex> lock(mutex_);
  if (items_.tail) {
    items_.tail->next_ready = list.head;
  } else {
    items_.head = list.head;
  }
  items_.tail = list.tail;
  items_.size += list.size;
  size_.store(items_.size, std::memory_order_relaxed);
  list = ReadyList{};
}

void WorkQueue::push(Behavior* b) {
  std::lock_guard<std::mutex> lock(mutex_);
  items_.add(b);
  size_.store(items_.size, std::memory_order_relaxed);
}

Behavior* WorkQueue::pop() {
  if (looks_empty()) return nullptr;  // skip the lock on the idle path
  std::lock_guard<std::mutex> lock(mutex_);
  Behavior* b = items_.pop();
  size_.store(items_.size, std::memory_order_relaxed);
  return b;
}

void WorkQueue::steal_half(ReadyList& out) {
  if (looks_empty()) return;
  std::lock_guard<std::mutex> lock(mutex_);
  size_t take = (items_.size + 1) / 2;
  while (take-- > 0) out.add(items_.pop());
  size_.store(items_.size, std::memory_order_relaxed);
}

}  // namespace boc::rt
