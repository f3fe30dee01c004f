// The stack guard: the per-thread stack limit compiled code checks, and the
// interrupt request that rides on the same check (docs/runtime.md, "Stack
// guard", has the protocol and why it cannot lose an interrupt).
#include <pthread.h>

#include <cstdint>

#include "runtime/abi.hpp"
#include "runtime/context.hpp"

namespace boc::rt {

namespace {
// Above every frame address: the next check of a thread whose limit this is
// takes the slow path.
const char* interrupt_limit() { return reinterpret_cast<const char*>(UINTPTR_MAX); }

const char* find_stack_floor(size_t margin) {
  // glibc reports the lowest address and size of the calling thread's stack
  // (for the main thread, as far as RLIMIT_STACK lets it grow). Stacks grow
  // down, so the limit is `margin` above the bottom.
  pthread_attr_t attr;
  void* bottom = nullptr;
  size_t size = 0;
  if (pthread_getattr_np(pthread_self(), &attr) == 0) {
    pthread_attr_getstack(&attr, &bottom, &size);
    pthread_attr_destroy(&attr);
  }
  // Unknown bounds: no limit rather than a wrong one.
  if (!bottom || size <= margin) return nullptr;
  return static_cast<const char*>(bottom) + margin;
}

// Seq_cst, as is request_interrupt: the limit is stored before the flag is
// read, the flag before the limit is stored, so one of the two sides sees
// the other (the Dekker argument in docs/runtime.md).
void restore_limit(Ctx* ctx) { ctx->stack_limit.store(ctx->stack_floor); }
}  // namespace

void set_stack_limit_for_current_thread(Ctx* ctx, size_t margin) {
  ctx->stack_floor = find_stack_floor(margin);
  restore_limit(ctx);
  if (ctx->interrupt.load() != 0) ctx->stack_limit.store(interrupt_limit());
}

void request_interrupt(Ctx* ctx) noexcept {
  ctx->interrupt.store(1);
  ctx->stack_limit.store(interrupt_limit());
}

}  // namespace boc::rt

Value boc_rt_stack_guard(Ctx* ctx, const char* frame, const boc::rt::SiteInfo* site) {
  boc::rt::restore_limit(ctx);
  if (ctx->interrupt.exchange(0) != 0) {
    Value e = boc::rt::raise(ctx, "interrupted");
    boc_rt_trace(ctx, site);
    return e;
  }
  if (frame < ctx->stack_floor) return boc::rt::raise(ctx, "stack overflow");
  // A limit left over from an interrupt already taken (by a receive, or a
  // request whose limit store landed after we took its flag): go on.
  return Value::nil();
}
