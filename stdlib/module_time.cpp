// The time module: now() (monotonic seconds) and sleep(s).
//
// now() reads std::chrono::steady_clock, which never jumps with the wall
// clock, so differences of now() time a piece of code; its zero point is
// arbitrary (usually the machine's boot). sleep blocks the calling thread: in
// a behavior that is a worker thread, so other behaviors use the remaining
// workers meanwhile.
#include <chrono>
#include <cmath>
#include <cstdint>
#include <string>
#include <thread>

#include "runtime/format.hpp"
#include "stdlib/module_table.hpp"
#include "stdlib/native.hpp"

namespace boc::stdlib {
namespace {

using rt::Ctx;
using rt::Tag;
using rt::Value;

// Longest sleep: one year. A longer one is almost surely a unit mistake
// (milliseconds passed as seconds), and the bound keeps the conversion to
// nanoseconds far from int64 overflow (which starts near 292 years).
constexpr double kMaxSleepSeconds = 365.0 * 24 * 3600;

Value now(Ctx*, const Value*, uint32_t) {
  auto since = std::chrono::steady_clock::now().time_since_epoch();
  return Value::real(std::chrono::duration<double>(since).count());
}

Value sleep(Ctx* ctx, const Value* args, uint32_t) {
  Value v = args[0];
  double seconds = 0;
  if (v.tag == Tag::Int)
    seconds = static_cast<double>(v.as_int());
  else if (v.tag == Tag::Float)
    seconds = v.as_float();
  else
    return type_error(ctx, "time.sleep", "a number of seconds", v);
  if (std::isnan(seconds) || seconds < 0)
    return rt::raise(ctx, "time.sleep: seconds must be a non-negative number, got " + rt::to_display(v));
  if (seconds > kMaxSleepSeconds)
    return rt::raise(ctx, "time.sleep: " + rt::to_display(v) + " seconds is longer than the limit of " +
                              std::to_string(static_cast<int64_t>(kMaxSleepSeconds)));
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  return Value::nil();
}

constexpr ModuleFn kTimeFns[] = {
    {"time.now", 0, 0, now},
    {"time.sleep", 1, 1, sleep},
};
constexpr auto kTimeProtos = module_protos<kTimeFns>();

}  // namespace

Value make_time_module() { return make_module_map(kTimeProtos); }

}  // namespace boc::stdlib
