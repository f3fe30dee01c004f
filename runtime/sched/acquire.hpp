// The two-phase acquisition protocol of BOC.md on the per-cown slot queues:
// linking a new behavior's slots, and handing cowns on when it completes.
// The state table and the memory-ordering argument are in docs/runtime.md.
#pragma once

#include <cstddef>

#include "runtime/sched/behavior.hpp"

namespace boc::rt {

// Behaviors that became runnable, linked through Behavior::next_ready.
struct ReadyList {
  Behavior* head = nullptr;
  Behavior* tail = nullptr;
  size_t size = 0;

  void add(Behavior* b) {
    b->next_ready = nullptr;
    if (tail) {
      tail->next_ready = b;
    } else {
      head = b;
    }
    tail = b;
    ++size;
  }
  Behavior* pop() {
    Behavior* b = head;
    if (b) {
      head = b->next_ready;
      if (!head) tail = nullptr;
      --size;
    }
    return b;
  }
};

// Phase 1 and 2 for a new behavior: links every slot into its cown's queue.
// If the behavior can run at once it goes to `ready`, and so do readers queued
// behind a reader slot that found its queue empty. Never blocks except for
// the bounded spins of docs/runtime.md. The caller holds a reference to every
// cown of b for the duration of the call.
void acquire_all(Behavior* b, ReadyList& ready);

// After b's body ran: hands each cown to the next behavior in its queue.
// Behaviors that became runnable go to `ready`. b may be freed afterwards.
void release_all(Behavior* b, ReadyList& ready);

}  // namespace boc::rt
