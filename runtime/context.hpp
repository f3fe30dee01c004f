// The per-thread execution context handed to every compiled function and
// runtime helper, and the error protocol built on it.
//
// Design note: errors never unwind through JIT-compiled frames. A helper that
// fails stores an Error object in ctx->error and returns Value::exc(); compiled
// code tests the tag after each call, records its call site in the error's
// stack trace (boc_rt_trace) and returns exc itself, or jumps to a catch.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include "runtime/value.hpp"

namespace boc::rt {

class ScriptRuntime;

// What the embedding host provides to running scripts: output sinks and
// permissions. Implementations must be thread-safe: behaviors on worker
// threads call them concurrently. Each write is one unit (a whole line from
// print), so implementations must not interleave two writes.
class Host {
 public:
  virtual ~Host() = default;
  virtual void write_out(std::string_view text) = 0;
  virtual void write_err(std::string_view text) = 0;
  virtual bool allow_io() const { return true; }
};

// A place in the source that compiled code can name when an error passes
// through it. Codegen allocates these; they live as long as the compiled code.
struct SiteInfo {
  const char* function;  // "<main>", "<fn>", "fib", "<when>"
  const char* file;
  uint32_t line;
  uint32_t col;
};

// Whole cache lines: a worker's Ctx comes from that worker's malloc arena,
// next to the behaviors it allocated before its pool filled, which other
// workers write. Sharing a line with one made every `when` on the worker
// wait for the line: schedule() took 15% of dining's samples, 8% aligned,
// and dining's median rate went from 8.6M to 10.9M behaviors/s.
struct alignas(64) Ctx {
  // The stack guard (docs/runtime.md, "Stack guard"): compiled code compares
  // its entry stack pointer with this on entry to every function and polls it
  // at loop back-edges; below it, boc_rt_stack_guard runs. Normally equal to
  // stack_floor; request_interrupt sets it above every stack so that the
  // same one compare also catches an interrupt. Written by the running thread
  // (set_stack_limit_for_current_thread, boc_rt_stack_guard) and by
  // request_interrupt from any thread or a signal handler; compiled code
  // loads it monotonic. Keep at offset 0.
  std::atomic<const char*> stack_limit{nullptr};
  // Non-zero while running a behavior (globals become read-only). Offset 8.
  uint32_t in_behavior = 0;
  // Non-zero once behaviors may run (the first `when` was scheduled, or on a
  // worker): from then on writes to non-constant globals go through
  // boc_rt_global_store, which checks and locks. Offset 12.
  uint32_t concurrent = 0;
  // The pending error (an Error object) after a call returned Value::exc().
  Value error = Value::nil();
  Host* host = nullptr;
  void* engine = nullptr;  // the owning engine, opaque to the runtime core
  ScriptRuntime* runtime = nullptr;  // behaviors and cowns of this engine
  // Set by exit(code): the pending error then unwinds every frame and no
  // catch can take it (boc_rt_take_error returns exc).
  bool exiting = false;
  int exit_code = 0;
  // Set by request_interrupt (another thread or a signal handler, a REPL's
  // Ctrl-C) to stop the running main program; the stack guard sees it
  // through stack_limit and raises "interrupted", as do receive's waits.
  // 0 -> 1 by request_interrupt; 1 -> 0 by the running thread when it
  // raises "interrupted", or by the engine before a new call.
  std::atomic<uint32_t> interrupt{0};
  // The noticeboard snapshot this behavior reads (runtime/noticeboard.hpp):
  // a map (owned), nil until the behavior's first notice.read or notice.all,
  // dropped when the behavior ends, so all its reads see one state.
  Value notice_snapshot = Value::nil();
  // The real stack limit of the running thread (null: unknown, unchecked).
  // Only that thread reads or writes it.
  const char* stack_floor = nullptr;
  // The behavior boc_rt_when_begin prepared, whose captures compiled code is
  // writing, until boc_rt_when_submit schedules it (runtime/when.hpp).
  void* when_behavior = nullptr;
};


// Sets ctx->error to a new Error with this message and no location yet (the
// nearest compiled call site supplies it) and returns Value::exc().
Value raise(Ctx* ctx, std::string message);

// Sets the stack limit of ctx for the calling thread, leaving `margin` bytes
// for runtime helpers and the C library below the last script frame.
// An interrupt that is pending (ctx->interrupt set) stays armed.
void set_stack_limit_for_current_thread(Ctx* ctx, size_t margin = 256 * 1024);

// Asks the main program running on ctx to stop with "interrupted" at its next
// function entry or loop back-edge. Any thread; async-signal-safe.
void request_interrupt(Ctx* ctx) noexcept;

}  // namespace boc::rt
