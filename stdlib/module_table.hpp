// How a library module (math, time, random, json, io) turns its table of
// native functions into the map value that scripts see as a global.
//
// Design note: a module is an ordinary insertion-ordered map from names to
// native Function values (plus constants such as math.pi), so `math.sqrt(2)`
// is a method call that the dispatcher answers from the map, and a module can
// be printed, copied or passed around like any map. Each module writes its
// functions once, in a constexpr table of ModuleFn; native_entry<Table, I>
// turns entry I into the FnEntry that checks the argument count, runs the
// body and stops every C++ exception at this boundary (natives run under
// JIT-compiled frames, which exceptions must never unwind). The FnProtos are
// static constants, alive longer than any engine; only the Function objects
// and the map are allocated, once per engine.
#pragma once

#include <array>
#include <cstdint>
#include <exception>
#include <new>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "runtime/abi.hpp"
#include "runtime/context.hpp"
#include "runtime/value.hpp"
#include "stdlib/native.hpp"

namespace boc::stdlib {

// A module function's body; the argument count has already been checked.
using ModuleImpl = rt::Value (*)(rt::Ctx* ctx, const rt::Value* args, uint32_t argc);

struct ModuleFn {
  // Qualified name ("math.sqrt"): what messages, traces and `print(math.sqrt)`
  // show. The map key is the part after the last '.'.
  const char* name;
  uint32_t min_args;
  uint32_t max_args;  // kVariadic for math.min and math.max
  ModuleImpl impl;
};

// A constant member of a module (math.pi): a key and a non-heap value.
struct ModuleConstant {
  const char* key;
  rt::Value value;
};

// The FnEntry of Table[I]. A std::exception escaping a body (bad_alloc from a
// huge string, say) becomes a runtime error naming the function.
template <const auto& Table, size_t I>
rt::Value native_entry(rt::Ctx* ctx, rt::Function*, const rt::Value* args, uint32_t argc) {
  constexpr const ModuleFn& fn = Table[I];
  if (!check_arity(ctx, fn.name, fn.min_args, fn.max_args, argc)) return rt::Value::exc();
  try {
    return fn.impl(ctx, args, argc);
  } catch (const std::bad_alloc&) {
    return rt::raise(ctx, std::string(fn.name) + ": out of memory");
  } catch (const std::exception& e) {
    return rt::raise(ctx, std::string(fn.name) + ": internal error: " + e.what());
  } catch (...) {
    return rt::raise(ctx, std::string(fn.name) + ": internal error");
  }
}

namespace detail {
template <const auto& Table, size_t... I>
constexpr std::array<rt::FnProto, sizeof...(I)> make_protos(std::index_sequence<I...>) {
  return {rt::FnProto{&native_entry<Table, I>, Table[I].name, Table[I].min_args}...};
}
}  // namespace detail

// One FnProto per entry of Table; use it to initialise a constexpr array at
// namespace scope (static storage, as FnProto requires).
template <const auto& Table>
constexpr auto module_protos() {
  return detail::make_protos<Table>(std::make_index_sequence<std::size(Table)>{});
}

// A new map (owned, rc 1) holding a Function per proto under its short name,
// then the constants, in that order.
rt::Value make_module_map(std::span<const rt::FnProto> protos,
                          std::span<const ModuleConstant> constants = {});

// Each module's map (owned), one per file: module_math.cpp, module_time.cpp,
// module_random.cpp, module_json.cpp, module_io.cpp. make_modules
// (modules.hpp) lists them.
rt::Value make_math_module();
rt::Value make_time_module();
rt::Value make_random_module();
rt::Value make_json_module();
rt::Value make_io_module();

}  // namespace boc::stdlib
