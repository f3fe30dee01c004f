// The bridge between the public boc::Value (opaque) and the runtime's Value.
#pragma once

#include "boc/boc.hpp"
#include "runtime/value.hpp"

namespace boc::detail {

// boc::Value holds exactly an rt::Value's two words and owns one reference.
struct ValueAccess {
  // Borrowed view: the boc::Value keeps its reference.
  static rt::Value raw(const Value& v) { return {static_cast<rt::Tag>(v.tag_), v.bits_}; }
  // An owned (+1) rt::Value for the runtime.
  static rt::Value retained(const Value& v) {
    rt::Value r = raw(v);
    rt::retain(r);
    return r;
  }
  // Takes over one reference the caller owns.
  static Value adopt(rt::Value v) {
    Value out;
    out.tag_ = static_cast<uint64_t>(v.tag);
    out.bits_ = v.bits;
    return out;
  }
  // Adds a reference of its own.
  static Value share(rt::Value v) {
    rt::retain(v);
    return adopt(v);
  }
};

}  // namespace boc::detail
