// The noticeboard: one engine's eventually consistent global key/value store
// (notice.write/update/delete/read/all, LANGUAGE.md section 6).
//
// Design note (bocpy's model, without its 64-entry limit): every mutation is
// queued and applied, in queue order, by one dedicated noticeboard thread,
// so notice.update(k, fn) is an atomic read-modify-write without any lock
// held while fn runs, and writers never block on readers. The thread keeps
// the authoritative state in a private map and, after each batch of queued
// mutations, publishes it as an immutable snapshot (the map is shared by
// reference count; the next batch copies it on write). Readers take the
// latest snapshot: a behavior takes one at its first read and keeps it until
// it ends (Ctx::notice_snapshot), so all its reads agree; the main program
// takes a fresh one at every read.
//
// Cost: each batch that follows a published snapshot copies the map once
// (O(entries)); a batch holds every mutation queued while the previous one
// was applied, so the copy is amortised under load.
//
// Visibility: while mutations are queued or being applied the board holds the
// scheduler (Scheduler::hold), so Scheduler::wait_all(), and with it wait()
// and the end of a script, returns only after every mutation queued before
// it has been applied and published. flush() gives the same guarantee to
// wait(c). Errors in update functions are counted as failed behaviors.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>

#include <pthread.h>

#include "runtime/context.hpp"
#include "runtime/value.hpp"

namespace boc::rt {

class Scheduler;

struct NoticeboardOptions {
  // Called on the noticeboard thread before it applies anything: fills in the
  // thread's context (host, engine, runtime) as a worker's is filled in.
  std::function<void(Ctx&)> setup_ctx;
  // An update function failed with this report (format_runtime_error plus
  // the key); it goes to the error sink and makes the exit status 1.
  std::function<void(const std::string& report)> report_failure;
  // An update function called exit(code).
  std::function<void(int code)> request_exit;
  // Update functions are script code: give them a worker's stack.
  size_t stack_size = size_t{64} << 20;
};

class Noticeboard {
 public:
  Noticeboard(Scheduler& scheduler, NoticeboardOptions options);
  // Applies whatever is still queued, stops the thread, releases the store.
  ~Noticeboard();
  Noticeboard(const Noticeboard&) = delete;
  Noticeboard& operator=(const Noticeboard&) = delete;

  // Queue a mutation; callable from any thread, returns at once. `key` is a
  // string (the caller checks), key and value borrowed. Writing nil deletes
  // the key (the board never holds nil). `fn` receives the current value or
  // nil, and its result replaces it (nil deletes); if fn fails the old
  // value stays. False only when the noticeboard thread cannot be started
  // (nothing is queued then).
  [[nodiscard]] bool write(Value key, Value value);
  [[nodiscard]] bool update(Value key, Value fn);
  [[nodiscard]] bool remove(Value key);

  // The latest published state: a map (owned, +1; never mutated by anyone,
  // copy-on-write protects it).
  Value snapshot();
  // The state this context reads: in a behavior (ctx->in_behavior) the
  // snapshot cached in ctx->notice_snapshot, taken on first use; elsewhere
  // the latest. Owned (+1).
  Value view(Ctx* ctx);

  // Blocks until every mutation queued before the call has been applied and
  // published. Must not be called on the noticeboard thread.
  void flush();
  // flush(), then stops the thread. Later mutations start it again.
  void stop();

 private:
  enum class OpKind : uint8_t { Write, Update, Remove };
  struct Op {
    OpKind kind;
    Value key;    // owned string
    Value value;  // owned: the value (Write) or the function (Update)
  };

  [[nodiscard]] bool enqueue(OpKind kind, Value key, Value value);
  [[nodiscard]] bool start_locked();
  static void* thread_entry(void* self);
  void thread_main();
  void apply(Op& op);
  void make_current_unique();

  Scheduler& scheduler_;
  NoticeboardOptions options_;

  // Queue side, guarded by queue_mutex_.
  std::mutex queue_mutex_;
  std::condition_variable queue_cv_;    // the thread waits: queue non-empty or stopping
  std::condition_variable applied_cv_;  // flush() waits: applied_ caught up
  std::deque<Op> queue_;
  // True from the moment a mutation is queued on an idle board until the
  // thread has published everything and found the queue empty; while true
  // the board holds one Scheduler hold. Set by enqueue (which takes the
  // hold), cleared by the thread (which then releases it, after unlocking).
  bool busy_ = false;
  bool stopping_ = false;
  bool running_ = false;  // the thread exists (started lazily, on first mutation)
  uint64_t queued_ = 0;   // mutations ever queued
  uint64_t applied_ = 0;  // mutations ever applied and published
  pthread_t thread_{};

  // Owned by the noticeboard thread alone: the authoritative map and the
  // context that update functions run with.
  Value current_;
  Ctx ctx_;

  // The published snapshot (a map, owned), guarded by snapshot_mutex_.
  // Readers retain it under the lock; the thread replaces it after a batch.
  std::mutex snapshot_mutex_;
  Value snapshot_;
};

// Drops the snapshot a behavior cached (when.cpp calls this as a behavior
// starts and ends, so the next behavior on the worker reads afresh).
inline void drop_notice_snapshot(Ctx* ctx) {
  if (ctx->notice_snapshot.is_nil()) return;
  release(ctx->notice_snapshot);
  ctx->notice_snapshot = Value::nil();
}

}  // namespace boc::rt
