// The noticeboard: queueing mutations, the thread that applies them in order,
// and publishing snapshots (design in noticeboard.hpp).
#include "runtime/noticeboard.hpp"

#include <exception>
#include <utility>

#include "runtime/abi.hpp"
#include "runtime/error.hpp"
#include "runtime/format.hpp"
#include "runtime/map.hpp"
#include "runtime/sched/scheduler.hpp"

namespace boc::rt {

Noticeboard::Noticeboard(Scheduler& scheduler, NoticeboardOptions options)
    : scheduler_(scheduler),
      options_(std::move(options)),
      current_(map_value(map_new())),
      snapshot_(current_) {
  retain(snapshot_);  // current_ and snapshot_ share the empty map
  ctx_.in_behavior = 1;  // update functions run beside behaviors: globals are read-only
  ctx_.concurrent = 1;
}

Noticeboard::~Noticeboard() {
  stop();
  // The thread has exited: nothing else touches these now.
  for (Op& op : queue_) {  // empty after stop(), unless the thread never started
    release(op.key);
    release(op.value);
  }
  drop_notice_snapshot(&ctx_);
  release(ctx_.error);
  release(current_);
  release(snapshot_);
}

bool Noticeboard::write(Value key, Value value) { return enqueue(OpKind::Write, key, value); }
bool Noticeboard::update(Value key, Value fn) { return enqueue(OpKind::Update, key, fn); }
bool Noticeboard::remove(Value key) { return enqueue(OpKind::Remove, key, Value::nil()); }

bool Noticeboard::enqueue(OpKind kind, Value key, Value value) {
  bool wake = false;
  {
    std::lock_guard<std::mutex> lock(queue_mutex_);
    if (!running_ && !start_locked()) return false;
    retain(key);
    retain(value);
    queue_.push_back(Op{kind, key, value});
    ++queued_;
    if (!busy_) {
      // Taken before this call returns, so a wait_all() begun afterwards (by
      // this thread, or by anyone after this behavior ends) cannot see
      // quiescence before the thread has published this mutation. Under the
      // lock: the thread releases its hold only after clearing busy_ here.
      busy_ = true;
      scheduler_.hold();
      wake = true;
    }
  }
  // The thread sleeps only with busy_ clear, so only the mutation that sets
  // busy_ needs to wake it; it re-checks the queue under the lock.
  if (wake) queue_cv_.notify_one();
  return true;
}

bool Noticeboard::start_locked() {
  pthread_attr_t attr;
  if (pthread_attr_init(&attr) != 0) return false;
  pthread_attr_setstacksize(&attr, options_.stack_size);
  stopping_ = false;
  running_ = pthread_create(&thread_, &attr, &Noticeboard::thread_entry, this) == 0;
  pthread_attr_destroy(&attr);
  return running_;
}

void* Noticeboard::thread_entry(void* self) {
  static_cast<Noticeboard*>(self)->thread_main();
  return nullptr;
}

void Noticeboard::thread_main() {
  if (options_.setup_ctx) {
    try {
      options_.setup_ctx(ctx_);
    } catch (...) {
      // The context keeps its defaults; update functions still run.
    }
  }
  ctx_.in_behavior = 1;
  ctx_.concurrent = 1;
  set_stack_limit_for_current_thread(&ctx_);

  std::deque<Op> batch;
  std::unique_lock<std::mutex> lock(queue_mutex_);
  for (;;) {
    queue_cv_.wait(lock, [this] { return !queue_.empty() || stopping_; });
    if (queue_.empty()) break;  // stopping, and everything is applied
    batch.swap(queue_);
    lock.unlock();

    uint64_t count = batch.size();
    for (Op& op : batch) {
      try {
        apply(op);
      } catch (const std::exception& e) {
        // Out of memory while copying the map: the mutation is lost, and
        // said so, rather than the thread (and every later write).
        if (options_.report_failure)
          options_.report_failure(std::string("runtime error: noticeboard: ") + e.what() + "\n");
      }
      release(op.key);
      release(op.value);
    }
    batch.clear();
    // Publish: readers from now on see the whole batch. The old snapshot is
    // released outside the lock (freeing a big map takes time).
    retain(current_);
    Value old;
    {
      std::lock_guard<std::mutex> snap(snapshot_mutex_);
      old = snapshot_;
      snapshot_ = current_;
    }
    release(old);

    lock.lock();
    applied_ += count;
    applied_cv_.notify_all();
    if (queue_.empty()) {
      busy_ = false;
      // After publishing: a wait_all() that this release ends sees the batch.
      // Releasing outside the lock is safe: a new mutation took its own hold.
      lock.unlock();
      scheduler_.release_hold();
      lock.lock();
    }
  }
}

void Noticeboard::make_current_unique() {
  if (is_unique(current_)) return;
  Map* copy = map_copy(as_map(current_));
  release(current_);
  current_ = map_value(copy);
}

void Noticeboard::apply(Op& op) {
  Map* map = as_map(current_);
  switch (op.kind) {
    case OpKind::Write:
    case OpKind::Remove: {
      if (op.kind == OpKind::Write && !op.value.is_nil()) {
        make_current_unique();
        map_set(as_map(current_), op.key, op.value);
        op.value = Value::nil();  // moved into the map
        return;
      }
      if (!map_find(map, op.key)) return;  // nothing to delete: no copy
      make_current_unique();
      Value old;
      if (map_remove(as_map(current_), op.key, &old)) release(old);
      return;
    }
    case OpKind::Update: {
      Value* slot = map_find(map, op.key);
      // The function gets its own reference: with the map's, the count is at
      // least two, so mutating its argument copies instead of changing the
      // stored value in place.
      Value old = slot ? *slot : Value::nil();
      retain(old);
      Value result = boc_rt_call(&ctx_, op.value, &old, 1);
      release(old);
      drop_notice_snapshot(&ctx_);  // reads inside fn: one snapshot per call
      if (result.is_exc()) {
        Value error = boc_rt_take_error(&ctx_);
        if (ctx_.exiting) {
          ctx_.exiting = false;
          if (options_.request_exit) options_.request_exit(ctx_.exit_code);
        } else if (options_.report_failure) {
          std::string report = format_runtime_error(error) + "  in the function given to notice.update(";
          format_repr(report, op.key);
          options_.report_failure(report + ", fn); the old value stays\n");
        }
        release(error);
        return;
      }
      if (result.is_nil()) {
        if (!map_find(as_map(current_), op.key)) return;
        make_current_unique();
        Value gone;
        if (map_remove(as_map(current_), op.key, &gone)) release(gone);
        return;
      }
      make_current_unique();
      map_set(as_map(current_), op.key, result);
      return;
    }
  }
}

Value Noticeboard::snapshot() {
  std::lock_guard<std::mutex> lock(snapshot_mutex_);
  retain(snapshot_);
  return snapshot_;
}

Value Noticeboard::view(Ctx* ctx) {
  if (!ctx->in_behavior) return snapshot();
  if (ctx->notice_snapshot.is_nil()) ctx->notice_snapshot = snapshot();
  retain(ctx->notice_snapshot);
  return ctx->notice_snapshot;
}

void Noticeboard::flush() {
  std::unique_lock<std::mutex> lock(queue_mutex_);
  const uint64_t target = queued_;
  applied_cv_.wait(lock, [&] { return applied_ >= target || !running_; });
}

void Noticeboard::stop() {
  {
    std::lock_guard<std::mutex> lock(queue_mutex_);
    if (!running_) return;
    stopping_ = true;
  }
  queue_cv_.notify_one();
  // The thread drains the queue before it sees stopping_ with nothing left.
  pthread_join(thread_, nullptr);
  std::lock_guard<std::mutex> lock(queue_mutex_);
  running_ = false;
  stopping_ = false;
  applied_cv_.notify_all();
}

}  // namespace boc::rt
