// Cowns: the reference-counted boxes of state that behaviors acquire.
//
// Design note: a cown is a heap object like a list or a map (it begins with
// the Obj header, so a script Value{Tag::Cown, cown} points straight at it and
// Obj::rc is the cown's reference count). Besides its content it carries the
// tail of its queue of waiting behaviors and the reader count of BOC.md's
// read mode; docs/runtime.md has the protocol. The global acquisition order
// is the cown's address: unique among live cowns, and a behavior keeps its
// cowns alive while it is queued.
#pragma once

#include <atomic>
#include <cstdint>
#include <utility>

#include "runtime/value.hpp"

namespace boc::rt {

struct Slot;

struct alignas(64) Cown {  // one cache line each: forks must not share lines
  Obj header;              // first: the Obj reference count is the cown's
  Value content;           // owned; touched only by a behavior holding the cown

  // Tail of this cown's queue of slots (docs/runtime.md, "Queue").
  // States: null (queue empty) -> a slot (exchange by a scheduling thread,
  // acq_rel: publishes the slot, pairs with the next exchange or the CAS back
  // to null) -> null again (CAS by the slot's holder as it leaves, acq_rel,
  // pairs with the next exchange). While non-null the queue owns one
  // reference to the cown.
  std::atomic<Slot*> last{nullptr};

  // Read mode: number of readers that hold the cown, plus kWriterWaiting when
  // the writer at the head of the queue waits for them to finish. Readers add
  // one as they receive the queue token and subtract one when their behavior
  // completes; the writer sets kWriterWaiting (CAS) only while the count is
  // non-zero, and the reader that brings the count to zero clears the flag in
  // the same CAS and admits waiting_writer. All RMWs acq_rel; the writer's
  // fast-path load is acquire and pairs with the readers' decrements.
  std::atomic<uint32_t> read_state{0};
  static constexpr uint32_t kWriterWaiting = 1u << 31;
  // Written before the CAS that sets kWriterWaiting, read only after the CAS
  // that clears it (release/acquire through read_state).
  Slot* waiting_writer = nullptr;

  explicit Cown(Value content_move) : header(ObjType::Cown), content(content_move) {}
  Cown(const Cown&) = delete;
  Cown& operator=(const Cown&) = delete;

  Value as_value() { return Value::object(Tag::Cown, &header); }
};

// A new cown holding content_move (the caller's reference moves in), rc = 1.
Cown* cown_new(Value content_move);

// Called by free_object when the count reaches zero: releases the content and
// frees the memory. The queue is empty then (a non-empty queue holds a count).
void cown_destroy(Cown* c);

inline void cown_retain(Cown* c) { retain(c->as_value()); }
inline void cown_release(Cown* c) { release(c->as_value()); }

// An owning handle for C++ code (tests, the embedding API): retains on copy,
// releases on destruction.
class CownRef {
 public:
  CownRef() = default;
  // A new cown holding content_move.
  static CownRef make(Value content_move) { return adopt(cown_new(content_move)); }
  // Takes over one reference the caller already owns.
  static CownRef adopt(Cown* c) {
    CownRef r;
    r.cown_ = c;
    return r;
  }
  // Adds a reference of its own.
  static CownRef share(Cown* c) {
    if (c) cown_retain(c);
    return adopt(c);
  }

  CownRef(const CownRef& o) : cown_(o.cown_) {
    if (cown_) cown_retain(cown_);
  }
  CownRef(CownRef&& o) noexcept : cown_(std::exchange(o.cown_, nullptr)) {}
  CownRef& operator=(CownRef o) noexcept {
    std::swap(cown_, o.cown_);
    return *this;
  }
  ~CownRef() {
    if (cown_) cown_release(cown_);
  }

  Cown* get() const { return cown_; }
  Cown* operator->() const { return cown_; }
  explicit operator bool() const { return cown_ != nullptr; }

 private:
  Cown* cown_ = nullptr;
};

}  // namespace boc::rt
