// Finding the current thread's stack bounds for the stack-overflow check.
#include <pthread.h>

#include "runtime/context.hpp"

namespace boc::rt {

void set_stack_limit_for_current_thread(Ctx* ctx, size_t margin) {
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
  if (!bottom || size <= margin) {
    // Unknown bounds: no limit rather than a wrong one.
    ctx->stack_limit = nullptr;
    return;
  }
  ctx->stack_limit = static_cast<const char*>(bottom) + margin;
}

}  // namespace boc::rt
