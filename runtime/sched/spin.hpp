// Busy-waiting for the short, bounded waits of the cown acquisition protocol.
//
// Every spin in the runtime waits for another thread that is in the middle of
// a few instructions (linking a slot), so spinning beats sleeping; after a
// while we yield in case that thread was preempted (only 2 cores here).
#pragma once

#include <thread>

namespace boc::rt {

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

class SpinWait {
 public:
  void once() {
    if (++rounds_ < kSpinsBeforeYield) {
      cpu_relax();
    } else {
      std::this_thread::yield();
    }
  }

 private:
  // About a microsecond of pause instructions: longer than a slot link takes.
  static constexpr unsigned kSpinsBeforeYield = 128;
  unsigned rounds_ = 0;
};

}  // namespace boc::rt
