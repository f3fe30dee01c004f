// The mailbox: per-tag message queues and blocking selective receive
// (design and the no-lost-wake-up argument in mailbox.hpp).
#include "runtime/mailbox.hpp"

#include <algorithm>

namespace boc::rt {

Mailbox::~Mailbox() {
  for (auto& [tag, queue] : queues_)
    for (Entry& e : queue.messages) release(e.value);
}

void Mailbox::send(std::string_view tag, Value value) {
  std::lock_guard<std::mutex> lock(mutex_);
  // Find before inserting: the common case (a known tag) builds no string.
  auto it = queues_.find(std::string(tag));
  if (it == queues_.end()) it = queues_.emplace(std::string(tag), TagQueue{}).first;
  it->second.messages.push_back(Entry{next_seq_++, value});
  retain(value);  // after the push: if the push threw, nothing was taken
  // Every receiver on this tag: one of them takes the message, the rest
  // re-check and sleep again. Waking only one could pick a receiver that
  // another tag's message has already satisfied, leaving this one unseen.
  // Notified under the lock: a waiter's cv lives on its stack, and it can
  // leave (unregister) only under this lock.
  for (Waiter* w : it->second.waiters) w->cv.notify_one();
}

void Mailbox::drop_if_idle(const std::string& tag) {
  auto it = queues_.find(tag);
  if (it != queues_.end() && it->second.messages.empty() && it->second.waiters.empty())
    queues_.erase(it);
}

Mailbox::Message Mailbox::receive(std::span<const std::string> tags,
                                  std::optional<Clock::time_point> deadline,
                                  const std::atomic<uint32_t>* interrupt) {
  std::unique_lock<std::mutex> lock(mutex_);
  Waiter me;
  bool registered = false;
  // Leaves every queue it registered with, dropping those left idle.
  auto unregister = [&] {
    if (!registered) return;
    for (const std::string& tag : tags) {
      auto it = queues_.find(tag);
      if (it == queues_.end()) continue;
      auto& ws = it->second.waiters;
      ws.erase(std::remove(ws.begin(), ws.end(), &me), ws.end());
    }
    for (const std::string& tag : tags) drop_if_idle(tag);
    registered = false;
  };

  for (;;) {
    // The oldest message under any of the tags.
    TagQueue* best = nullptr;
    const std::string* best_tag = nullptr;
    for (const std::string& tag : tags) {
      auto it = queues_.find(tag);
      if (it == queues_.end() || it->second.messages.empty()) continue;
      if (!best || it->second.messages.front().seq < best->messages.front().seq) {
        best = &it->second;
        best_tag = &it->first;
      }
    }
    if (best) {
      Message m;
      m.status = Status::Received;
      m.tag = *best_tag;  // may throw bad_alloc: before anything is taken
      m.value = best->messages.front().value;
      best->messages.pop_front();
      unregister();
      drop_if_idle(m.tag);
      return m;
    }
    const auto now = Clock::now();
    if (deadline && now >= *deadline) {
      unregister();
      return Message{Status::TimedOut, {}, Value::nil()};
    }
    if (interrupt && interrupt->load(std::memory_order_relaxed) != 0) {
      unregister();
      return Message{Status::Interrupted, {}, Value::nil()};
    }
    if (!registered) {
      // May throw bad_alloc; unregister what was registered so far.
      registered = true;
      try {
        for (const std::string& tag : tags) queues_[tag].waiters.push_back(&me);
      } catch (...) {
        unregister();
        throw;
      }
    }
    // Predicate loop: whatever woke us (a send, a timeout, a spurious
    // wake-up), the queues are checked again at the top.
    if (interrupt) {
      auto until = now + kInterruptPoll;
      if (deadline && *deadline < until) until = *deadline;
      me.cv.wait_until(lock, until);
    } else if (deadline) {
      me.cv.wait_until(lock, *deadline);
    } else {
      me.cv.wait(lock);
    }
  }
}

size_t Mailbox::pending(std::string_view tag) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = queues_.find(std::string(tag));
  return it == queues_.end() ? 0 : it->second.messages.size();
}

}  // namespace boc::rt
