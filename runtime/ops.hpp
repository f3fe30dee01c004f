// Value semantics shared by operators, maps and the stdlib: type names,
// equality, map-key hashing, ordering and copy-on-write.
//
// Design note: equality and ordering walk nested lists and maps with explicit
// worklists rather than recursion, so deeply nested values (a list nested 10^5
// deep) cost heap, not C++ stack.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "runtime/context.hpp"
#include "runtime/value.hpp"

namespace boc::rt {

// typeof(v): "nil" "bool" "int" "float" "string" "list" "map" "function"
// "cown" "error".
const char* type_name(Value v);

// `==`: structural for nil, bool, numbers (1 == 1.0; exact, never through a
// rounding conversion), strings, lists and maps (order-insensitive for maps);
// identity for functions, cowns and errors. NaN is unequal to itself.
bool values_equal(Value a, Value b);

// Hash consistent with values_equal for valid map keys: an integral float in
// int64 range hashes like that int, so 1 and 1.0 land on one key.
uint64_t key_hash(Value key);

// Three-way ordering for `<` and friends. nullopt (with ctx->error set to
// "cannot compare int with string") for unlike or unordered types. Numbers
// compare exactly across int and float; a NaN operand yields Unordered.
// Strings compare bytewise; lists lexicographically.
enum class Order { Less, Equal, Greater, Unordered };
std::optional<Order> compare_values(Ctx* ctx, Value a, Value b);

// Copy-on-write: if *place holds a list or map that someone else also
// references, replaces it with a private copy (releasing the shared one).
// Afterwards the container in *place may be mutated. Returns place.
Value* make_unique(Value* place);

}  // namespace boc::rt
