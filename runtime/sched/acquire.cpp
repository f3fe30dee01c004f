// The two-phase acquisition protocol (BOC.md; states in docs/runtime.md).
//
// Reference counts: a non-empty queue owns one reference to its cown (taken
// by the slot that finds the queue empty, dropped by the slot that empties
// it), and every read slot owns one more, because readers leave the queue as
// soon as they are admitted but still use the cown until they complete.
#include "runtime/sched/acquire.hpp"

#include "runtime/sched/spin.hpp"

namespace boc::rt {
namespace {

constexpr auto kAcquire = std::memory_order_acquire;
constexpr auto kRelease = std::memory_order_release;
constexpr auto kAcqRel = std::memory_order_acq_rel;
constexpr auto kRelaxed = std::memory_order_relaxed;

void dec_pending(Behavior* b, uint32_t n, ReadyList& ready) {
  // acq_rel: see Behavior::pending.
  if (b->pending.fetch_sub(n, kAcqRel) == n) ready.add(b);
}

// The slot holding the queue token leaves the queue. Returns the successor,
// which now has the token, or nullptr when the queue became empty (and the
// cown may have been freed with the queue's reference).
Slot* leave_queue(Slot* s) {
  // Acquire pairs with the successor's release store of the link, so its
  // slot's fields are visible.
  Slot* next = s->next.load(kAcquire);
  if (next) return next;
  Cown* c = s->cown;
  Slot* expected = s;
  // Release: the next exchange (acq_rel) that finds null sees our writes.
  if (c->last.compare_exchange_strong(expected, nullptr, kAcqRel, kAcquire)) {
    cown_release(c);
    return nullptr;
  }
  // A successor exchanged `last` but has not stored the link yet; it is a few
  // instructions away (it does not wait for anything before linking to us).
  SpinWait spin;
  while (!(next = s->next.load(kAcquire))) spin.once();
  return next;
}

// The token reached writer s. Returns whether s holds the cown now; otherwise
// s is registered as the waiting writer and the last reader admits it.
bool writer_enter(Slot* s) {
  Cown* c = s->cown;
  // Acquire pairs with the readers' acq_rel decrements: their reads of the
  // content happen before the writer's body.
  uint32_t state = c->read_state.load(kAcquire);
  if (state == 0) return true;
  c->waiting_writer = s;
  while (state != 0) {
    // Release publishes waiting_writer to the reader whose CAS clears the
    // flag; acquire on success of the fast path above covers the rest.
    if (c->read_state.compare_exchange_weak(state, state | Cown::kWriterWaiting, kAcqRel, kAcquire))
      return false;
  }
  return true;  // the readers finished meanwhile
}

// The token reached s. Returns whether s's behavior holds s's cown now.
// A reader is admitted at once and passes the token on, so that the readers
// queued behind it run together; their behaviors' counts are updated here.
bool grant(Slot* s, ReadyList& ready) {
  if (!s->read) return writer_enter(s);
  // acq_rel: a later writer's acquire load of read_state must see this reader
  // (ordering also follows from the token hand-off; this keeps it local).
  s->cown->read_state.fetch_add(1, kAcqRel);
  Slot* next = leave_queue(s);
  while (next) {
    if (!next->read) {
      if (writer_enter(next)) dec_pending(next->behavior, 1, ready);
      break;
    }
    next->cown->read_state.fetch_add(1, kAcqRel);
    Slot* after = leave_queue(next);
    // Only now: once counted down, next's behavior may run and free next.
    dec_pending(next->behavior, 1, ready);
    next = after;
  }
  return true;
}

// A reader's behavior completed: it leaves the readers, and the last one out
// admits the writer waiting at the head of the queue, if any.
void reader_done(Slot* s, ReadyList& ready) {
  Cown* c = s->cown;
  uint32_t state = c->read_state.load(kRelaxed);
  uint32_t desired;
  do {
    desired = state - 1;
    if (desired == Cown::kWriterWaiting) desired = 0;
    // acq_rel: release publishes our reads to the writer; acquire (on the
    // CAS that clears the flag) sees waiting_writer.
  } while (!c->read_state.compare_exchange_weak(state, desired, kAcqRel, kRelaxed));
  if (state == (1 | Cown::kWriterWaiting)) dec_pending(c->waiting_writer->behavior, 1, ready);
  cown_release(c);  // the read slot's own reference
}

}  // namespace

void acquire_all(Behavior* b, ReadyList& ready) {
  Slot* slots = b->slots();
  const uint32_t n = b->num_slots;
  // Phase 1: join every queue in the global order.
  for (uint32_t i = 0; i < n; ++i) {
    Slot* s = &slots[i];
    Cown* c = s->cown;
    if (s->read) cown_retain(c);
    // acq_rel: release publishes s's fields to the next exchanger; acquire
    // sees prev's fields, or the writes of the behavior that emptied the queue.
    Slot* prev = c->last.exchange(s, kAcqRel);
    if (!prev) {
      cown_retain(c);  // the queue's reference
      s->head_on_link = true;
      continue;
    }
    // Wait until prev's behavior has joined all of its queues: then nobody
    // overtakes it on a later cown, which makes acquisition deadlock free.
    // Even on our last slot: our own `linked` must imply that everything
    // ahead of us is linked too, or a third behavior queued behind us could
    // overtake prev's behavior (docs/runtime.md, "Why every slot waits").
    // Acquire pairs with the release store of prev's behavior's `linked`.
    SpinWait spin;
    while (!prev->behavior->linked.load(kAcquire)) spin.once();
    // Release pairs with the acquire load in leave_queue.
    prev->next.store(s, kRelease);
  }
  b->linked.store(true, kRelease);
  // Phase 2: take the cowns whose queues were empty. Granting a reader may
  // pass the token on, which may wait for a successor's link, so it happens
  // only now that successors need not wait for us.
  uint32_t held = 0;
  for (uint32_t i = 0; i < n; ++i)
    if (slots[i].head_on_link && grant(&slots[i], ready)) ++held;
  if (held == n) {
    ready.add(b);  // no other thread decrements pending: skip the RMW
    return;
  }
  dec_pending(b, held + 1, ready);
}

void release_all(Behavior* b, ReadyList& ready) {
  Slot* slots = b->slots();
  for (uint32_t i = 0; i < b->num_slots; ++i) {
    Slot* s = &slots[i];
    if (s->read) {
      reader_done(s, ready);
      continue;
    }
    Slot* next = leave_queue(s);
    if (next && grant(next, ready)) dec_pending(next->behavior, 1, ready);
  }
}

}  // namespace boc::rt
