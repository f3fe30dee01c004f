// Shared helpers of the stdlib and module tests: an owned Value that releases
// itself (so the ASan build catches leaks) and short constructors for values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "runtime/format.hpp"
#include "runtime/string.hpp"
#include "runtime/value.hpp"

namespace boc::rt::test {

// An owned Value, released at scope exit.
class Ref {
 public:
  Ref() = default;
  explicit Ref(Value v) : v_(v) {}
  Ref(Ref&& o) noexcept : v_(std::exchange(o.v_, Value::nil())) {}
  Ref& operator=(Ref&& o) noexcept {
    std::swap(v_, o.v_);
    return *this;
  }
  ~Ref() { release(v_); }
  Value get() const { return v_; }
  Value* place() { return &v_; }

 private:
  Value v_ = Value::nil();
};

inline Ref str(std::string_view s) { return Ref(make_string(s)); }
inline Value i(int64_t x) { return Value::integer(x); }
inline Value f(double x) { return Value::real(x); }

// How a value reads inside a container: strings quoted, so "1" != 1.
inline std::string show(Value v) {
  std::string out;
  format_repr(out, v);
  return out;
}

}  // namespace boc::rt::test
