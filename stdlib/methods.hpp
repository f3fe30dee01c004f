// The built-in methods: one table per receiver type, indexed by method id.
//
// Design note: runtime/methods.hpp owns the method NAMES (the id is the index
// in kMethods, fixed at compile time by boc_rt_method_id). Each receiver type
// lists the methods it implements as {name, argument range, body}, and
// method_table turns that list into an array indexed by id at compile time,
// so dispatch is two loads and a name that is not in kMethods fails the
// build. The dispatcher (methods.cpp) checks the argument count and, for
// methods that kMethods marks `mutates`, makes the receiver uniquely owned
// before the body runs; bodies therefore never check either.
#pragma once

#include <array>
#include <cstdint>
#include <iterator>
#include <string_view>

#include "runtime/context.hpp"
#include "runtime/methods.hpp"
#include "runtime/value.hpp"

namespace boc::stdlib {

// A method body. `self` is the receiver's place: mutating methods find it
// uniquely owned and change it in place; the others only read *self (and must
// not copy it). args are borrowed; the result is owned, or Value::exc().
using MethodImpl = rt::Value (*)(rt::Ctx* ctx, rt::Value* self, const rt::Value* args,
                                 uint32_t argc);

struct MethodDef {
  std::string_view name;
  uint32_t min_args = 0;
  uint32_t max_args = 0;
  MethodImpl impl = nullptr;  // nullptr: the type has no such method
};

inline constexpr size_t kNumMethods = std::size(rt::kMethods);
using MethodTable = std::array<MethodDef, kNumMethods>;

// Places each definition at its method id. Evaluated at compile time; a name
// missing from kMethods reaches the throw, which is not a constant expression,
// so the build fails there.
template <size_t N>
consteval MethodTable method_table(const MethodDef (&defs)[N]) {
  MethodTable table{};
  for (const MethodDef& d : defs) {
    uint32_t id = rt::method_id(d.name);
    if (id == rt::kNoMethod) throw "method name missing from runtime/methods.hpp";
    table[id] = d;
  }
  return table;
}

extern const MethodTable kStringMethods;  // methods_string.cpp
extern const MethodTable kListMethods;    // methods_list.cpp
extern const MethodTable kMapMethods;     // methods_map.cpp

}  // namespace boc::stdlib
