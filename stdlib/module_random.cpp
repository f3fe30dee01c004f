// The random module: float() in [0, 1), int(lo, hi) inclusive, seed(n).
//
// State is per thread (the contract's choice, so behaviors never contend on a
// lock or race on a shared generator): each thread, the main one and every
// worker, owns a thread_local generator seeded from std::random_device the
// first time it is used. seed(n) reseeds the calling thread's generator only,
// so the numbers that follow on that thread are reproducible; behaviors that
// run later on the same worker continue that worker's sequence.
//
// The generator is xoshiro256** (Blackman and Vigna, public domain), seeded
// through splitmix64 as its authors recommend. It is written out here rather
// than taken from <random> because the standard distributions are
// implementation-defined: the same seed would give different numbers with
// libstdc++ and libc++, and a seeded script should print the same everywhere.
#include <chrono>
#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <thread>

#include "stdlib/module_table.hpp"
#include "stdlib/native.hpp"

namespace boc::stdlib {
namespace {

using rt::Ctx;
using rt::Value;

uint64_t splitmix64(uint64_t& x) {
  uint64_t z = (x += 0x9e3779b97f4a7c15u);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
  return z ^ (z >> 31);
}

uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

class Generator {
 public:
  void seed(uint64_t n) {
    // splitmix64 never yields four zero words, xoshiro's one bad state.
    for (uint64_t& word : s_) word = splitmix64(n);
    seeded_ = true;
  }

  uint64_t next() {
    if (!seeded_) seed(fresh_seed());
    uint64_t result = rotl(s_[1] * 5, 7) * 9;
    uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

 private:
  // Entropy for an unseeded thread. random_device may throw (no entropy
  // source) or be deterministic on some platforms, so the clock and the
  // thread's id are mixed in as well.
  static uint64_t fresh_seed() {
    uint64_t seed = static_cast<uint64_t>(
        std::chrono::high_resolution_clock::now().time_since_epoch().count());
    seed ^= std::hash<std::thread::id>{}(std::this_thread::get_id()) * 0x9e3779b97f4a7c15u;
    try {
      std::random_device device;
      seed ^= (static_cast<uint64_t>(device()) << 32) ^ device();
    } catch (...) {
      // The clock and the thread id will have to do.
    }
    return seed;
  }

  uint64_t s_[4] = {};
  bool seeded_ = false;
};

// The calling thread's generator: the only mutable state of the library
// besides what the host owns (see the file comment for why per thread).
thread_local Generator tls_generator;

// A uniform integer in [0, n) for n > 0, without modulo bias: draws below
// 2^64 mod n are rejected (Lemire's threshold), at most half of them.
uint64_t below(uint64_t n) {
  uint64_t threshold = (0 - n) % n;
  for (;;) {
    uint64_t r = tls_generator.next();
    if (r >= threshold) return r % n;
  }
}

Value float_(Ctx*, const Value*, uint32_t) {
  // The top 53 bits scaled by 2^-53: every double in [0, 1) of that grid,
  // equally likely, never 1.0.
  return Value::real(static_cast<double>(tls_generator.next() >> 11) * 0x1.0p-53);
}

Value int_(Ctx* ctx, const Value* args, uint32_t) {
  int64_t lo = 0, hi = 0;
  if (!int_arg(ctx, "random.int", "int bounds", args[0], &lo) ||
      !int_arg(ctx, "random.int", "int bounds", args[1], &hi))
    return Value::exc();
  if (lo > hi)
    return rt::raise(ctx, "random.int: empty range, lo " + std::to_string(lo) + " is greater than hi " +
                              std::to_string(hi));
  // Unsigned arithmetic: hi - lo may exceed INT64_MAX.
  uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
  uint64_t offset = span == UINT64_MAX ? tls_generator.next() : below(span + 1);
  return Value::integer(static_cast<int64_t>(static_cast<uint64_t>(lo) + offset));
}

Value seed_(Ctx* ctx, const Value* args, uint32_t) {
  int64_t n = 0;
  if (!int_arg(ctx, "random.seed", "an int", args[0], &n)) return Value::exc();
  tls_generator.seed(static_cast<uint64_t>(n));
  return Value::nil();
}

constexpr ModuleFn kRandomFns[] = {
    {"random.float", 0, 0, float_},
    {"random.int", 2, 2, int_},
    {"random.seed", 1, 1, seed_},
};
constexpr auto kRandomProtos = module_protos<kRandomFns>();

}  // namespace

Value make_random_module() { return make_module_map(kRandomProtos); }

}  // namespace boc::stdlib
