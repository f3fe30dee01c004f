// The mailbox: one engine's Erlang-style message queues (send and receive,
// LANGUAGE.md section 6).
//
// Design note: one FIFO queue of values per tag, created on first use and
// dropped again when it is empty and nobody waits on it, so any number of
// tags may come and go (bocpy caps them; we do not). A single mutex guards
// every queue: a send or a receive is a few pointer moves under it, and one
// lock makes selective receive over several tags simple and atomic. Each
// blocked receiver waits on its own condition variable, registered with the
// queue of every tag it waits for; send notifies exactly the receivers
// registered on its tag, so unrelated receivers are not woken.
//
// No lost wake-ups: a receiver checks its queues and registers itself under
// the mutex before it sleeps, and a sender pushes and notifies under the
// same mutex, so a message is either seen by the check or announced to a
// registered waiter. Waits sit in predicate loops (spurious wake-ups and
// competing receivers just re-check).
//
// Order: messages of one tag leave in the order they were sent (sends from
// one thread are ordered by that thread; concurrent sends by the lock). A
// receive over several tags takes the oldest message among them (a global
// sequence number), as Erlang scans its mailbox in arrival order.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "runtime/value.hpp"

namespace boc::rt {

class Mailbox {
 public:
  using Clock = std::chrono::steady_clock;

  Mailbox() = default;
  // Releases the messages nobody received.
  ~Mailbox();
  Mailbox(const Mailbox&) = delete;
  Mailbox& operator=(const Mailbox&) = delete;

  // Appends `value` (borrowed; the queue keeps its own reference) to the
  // queue of `tag` and wakes the receivers waiting on that tag. Never blocks
  // beyond the lock. May throw std::bad_alloc (nothing is queued then).
  void send(std::string_view tag, Value value);

  enum class Status { Received, TimedOut, Interrupted };
  struct Message {
    Status status = Status::TimedOut;
    std::string tag;            // with Received: the message's tag
    Value value = Value::nil(); // with Received: owned (+1)
  };

  // Takes the oldest message under any of `tags` (duplicates allowed),
  // waiting for one until `deadline` (none: forever). With `interrupt`, the
  // wait also ends (Interrupted) once *interrupt is non-zero, checked at
  // least every kInterruptPoll. May throw std::bad_alloc.
  Message receive(std::span<const std::string> tags, std::optional<Clock::time_point> deadline,
                  const std::atomic<uint32_t>* interrupt = nullptr);

  // Messages queued under `tag` (for tests).
  size_t pending(std::string_view tag);

  // How often a wait that can be interrupted (the main program's, so that a
  // REPL's Ctrl-C ends it) wakes to check: short enough to feel immediate.
  static constexpr std::chrono::milliseconds kInterruptPoll{50};

 private:
  struct Waiter {
    std::condition_variable cv;
  };
  struct Entry {
    uint64_t seq;  // global send order, for selective receive
    Value value;   // owned
  };
  struct TagQueue {
    std::deque<Entry> messages;
    std::vector<Waiter*> waiters;  // receivers blocked on this tag
  };

  // Drops the queue of `tag` if it holds nothing and nobody waits on it.
  void drop_if_idle(const std::string& tag);

  std::mutex mutex_;  // guards everything below
  // Node-based: a TagQueue stays at one address while others come and go.
  std::unordered_map<std::string, TagQueue> queues_;
  uint64_t next_seq_ = 0;
};

}  // namespace boc::rt
