// Function values: script closures and native functions (layout in abi.hpp).
#pragma once

#include <cstdint>

#include "runtime/abi.hpp"
#include "runtime/value.hpp"

namespace boc::rt {

inline Function* as_function(Value v) { return reinterpret_cast<Function*>(v.obj()); }
inline Value function_value(Function* f) { return Value::object(Tag::Function, &f->header); }

// A new function (rc 1) with `num_captures` capture slots, all nil; the caller
// fills them (each slot owns its value). Natives pass 0 captures.
Function* function_new(const FnProto* proto, uint32_t num_captures);

}  // namespace boc::rt
