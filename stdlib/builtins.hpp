// The core global functions of the language (section 6 of the contract):
// print len str int float typeof assert error range.
//
// Design note: each builtin is an ordinary Function value whose proto->entry
// is a C++ function with the FnEntry signature, so compiled code and
// boc_rt_call treat natives and script closures alike. The protos are static
// constants; only the Function objects are allocated, once per engine. Not
// here: exit, args, cown and wait (the engine owns process and scheduler
// state) and the library modules.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "runtime/value.hpp"

namespace boc::stdlib {

// Name and value of every core builtin, in a fixed order. Each Value is an
// owned (+1) Function; the caller (the engine, defining them as constant
// globals) releases them when it is done.
std::vector<std::pair<std::string, rt::Value>> make_core_builtins();

}  // namespace boc::stdlib
