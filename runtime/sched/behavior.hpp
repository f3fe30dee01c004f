// Behaviors: one allocation holding a body, its captures and one slot per
// cown, and the view of it (BehaviorRun) that a running body gets.
//
// Layout of the allocation:
//   [Behavior header][Slot x num_slots][uint32 request -> slot x num_requests]
//   [captures, aligned to kCaptureAlign]
// Slots are sorted by cown address with duplicates merged (write wins), the
// global acquisition order of BOC.md; the request map gives the body back the
// caller's order. A result cown is one more write slot.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <span>

#include "runtime/sched/behavior_pool.hpp"
#include "runtime/sched/cown.hpp"
#include "runtime/value.hpp"

namespace boc::rt {

class BehaviorRun;
class Scheduler;
struct Behavior;

// One cown a behavior asks for. The caller keeps its reference; the runtime
// keeps the cown alive while the behavior waits or runs.
struct Request {
  Cown* cown;
  bool read = false;  // shared with other readers instead of exclusive
};

// Runs on a worker thread once the behavior holds all its cowns. May throw:
// the scheduler records the failure and releases the cowns anyway.
using BehaviorBody = void (*)(BehaviorRun& run);
// Destroys the copied captures after the body ran (or failed). Must not throw.
using CaptureDrop = void (*)(void* captures);

inline constexpr size_t kCaptureAlign = 16;

// A behavior's place in one cown's queue (docs/runtime.md, "Slot states").
struct Slot {
  Cown* cown;
  Behavior* behavior;
  // Successor in the cown's queue. null -> successor slot, stored once by the
  // successor's scheduling thread (release; pairs with the acquire load of
  // whoever passes the queue token on from this slot).
  std::atomic<Slot*> next{nullptr};
  bool read;
  // Set during phase 1 when this slot found the queue empty; only the
  // scheduling thread reads it.
  bool head_on_link = false;
};

struct Behavior {
  Behavior* next_ready = nullptr;  // intrusive link of the ready lists/queues
  // Slots not yet granted, plus one held by the scheduling thread until phase
  // 1 ends. Each grant subtracts (acq_rel: the last decrement acquires every
  // previous holder's release), and whoever reaches zero makes it runnable.
  std::atomic<uint32_t> pending{0};
  // false -> true once, when the scheduling thread has linked every slot
  // (release; pairs with the acquire spin of a successor that must not
  // exchange later cowns before this behavior has, BOC.md phase 1).
  std::atomic<bool> linked{false};
  uint32_t num_slots = 0;
  uint32_t num_requests = 0;
  uint32_t result_slot = kNoResult;  // index into slots(), or kNoResult
  uint32_t captures_offset = 0;
  uint8_t size_class = 0;  // BehaviorPool class of the allocation, or kUnpooled
  BehaviorBody body = nullptr;
  CaptureDrop drop = nullptr;

  static constexpr uint32_t kNoResult = UINT32_MAX;

  Slot* slots() { return reinterpret_cast<Slot*>(this + 1); }
  uint32_t* request_slots() { return reinterpret_cast<uint32_t*>(slots() + num_slots); }
  void* captures() { return reinterpret_cast<char*>(this) + captures_offset; }
  // The result cown, or null when the behavior has none.
  Cown* result_cown() { return result_slot == kNoResult ? nullptr : slots()[result_slot].cown; }
};

// Allocates a behavior for these requests (+ result, nullable), sorted and
// deduplicated, with capture_size bytes of uninitialised capture storage,
// from `pool` when given (only on the pool's thread). Nothing is acquired yet.
Behavior* behavior_new(std::span<const Request> requests, Cown* result, BehaviorBody body,
                       size_t capture_size, CaptureDrop drop, BehaviorPool* pool = nullptr);
// Any thread may free any behavior; `pool` (nullable) is the calling thread's.
void behavior_free(Behavior* b, BehaviorPool* pool = nullptr);

// What a running body sees.
class BehaviorRun {
 public:
  BehaviorRun(Behavior* b, Scheduler& s, unsigned worker, void* local)
      : b_(b), sched_(s), worker_(worker), local_(local) {}

  void* captures() const { return b_->captures(); }
  // Number of requests, in the caller's order, duplicates included.
  size_t size() const { return b_->num_requests; }
  // Content of request i (caller's order); duplicates give the same Value&.
  Value& content(size_t i) const { return b_->slots()[b_->request_slots()[i]].cown->content; }
  Cown* cown(size_t i) const { return b_->slots()[b_->request_slots()[i]].cown; }
  // Content of the result cown, or nullptr when the behavior has none.
  Value* result() const {
    Cown* c = b_->result_cown();
    return c ? &c->content : nullptr;
  }
  // The scheduler running this body, to schedule more behaviors.
  Scheduler& scheduler() const { return sched_; }
  unsigned worker_index() const { return worker_; }
  // What SchedulerOptions::on_worker_start returned on this worker.
  void* worker_local() const { return local_; }

 private:
  Behavior* b_;
  Scheduler& sched_;
  unsigned worker_;
  void* local_;
};

}  // namespace boc::rt
