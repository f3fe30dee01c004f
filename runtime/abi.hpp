// The runtime entry points that JIT-compiled code calls, and nothing else.
//
// Conventions, the same for every function here:
// - Value arguments are borrowed (the caller keeps its reference) unless the
//   parameter name ends in `_move`, which transfers the caller's reference.
// - A returned Value is owned by the caller (+1).
// - Failure returns Value::exc() (or nullptr / -1 where stated) with
//   ctx->error set; nothing throws.
// - `Value*` "place" parameters point at a variable, global or container
//   element that the helper may update in place (copy-on-write: a shared list
//   or map is copied into the place before it is mutated).
// Codegen keeps the list of symbols it binds in compiler/jit/runtime_symbols.cpp.
#pragma once

#include <cstdint>

#include "runtime/context.hpp"
#include "runtime/value.hpp"

namespace boc::rt {
struct FnProto;
struct Function;

// A script or native function's uniform entry: checks argc itself.
using FnEntry = Value (*)(Ctx* ctx, Function* self, const Value* args, uint32_t argc);

// Static description of a function, created by codegen (or by the stdlib for
// natives) and alive as long as the engine.
struct FnProto {
  FnEntry entry;
  const char* name;  // "" for anonymous functions
  uint32_t arity;    // for messages; natives check argc themselves
};

// Closures and native functions: a proto plus captured values.
struct Function {
  Obj header;
  const FnProto* proto;
  uint32_t num_captures;
  Value captures[];  // flexible array; owned
};

}  // namespace boc::rt

extern "C" {
using boc::rt::Ctx;
using boc::rt::Value;

// Memory: boc_rt_free is called when a release brings a count to zero;
// boc_rt_release is rt::release of a heap object, for compiled code.
void boc_rt_free(boc::rt::Obj* o);
void boc_rt_release(boc::rt::Obj* o);

// Errors and traces.
// Records `site` in ctx->error's stack trace (one frame a line); the first site
// recorded also becomes the error's location.
void boc_rt_trace(Ctx* ctx, const boc::rt::SiteInfo* site);
// The slow path of the stack guard (runtime/stack.cpp), taken when the entry
// stack pointer `frame` of a compiled function is below ctx->stack_limit:
// raises "interrupted" (traced at `site`) if an interrupt is pending, else
// "stack overflow" if frame is below the real limit, else returns nil and
// the code goes on (a stale interrupt limit, now restored).
Value boc_rt_stack_guard(Ctx* ctx, const char* frame, const boc::rt::SiteInfo* site);
// Wrong argument count for a script function.
Value boc_rt_arity_error(Ctx* ctx, const boc::rt::FnProto* proto, uint32_t argc);
// Clears ctx->interrupt and raises "interrupted" (for the runtime's own
// waits, such as receive; compiled code polls through the stack guard).
Value boc_rt_interrupted(Ctx* ctx);
// catch (e): returns the pending error value and clears it.
Value boc_rt_take_error(Ctx* ctx);

// Operators (the slow paths; compiled code inlines int fast paths).
Value boc_rt_add(Ctx* ctx, Value a, Value b);
Value boc_rt_sub(Ctx* ctx, Value a, Value b);
Value boc_rt_mul(Ctx* ctx, Value a, Value b);
Value boc_rt_div(Ctx* ctx, Value a, Value b);
Value boc_rt_mod(Ctx* ctx, Value a, Value b);
Value boc_rt_neg(Ctx* ctx, Value a);
Value boc_rt_eq(Ctx* ctx, Value a, Value b);  // Bool
Value boc_rt_ne(Ctx* ctx, Value a, Value b);
Value boc_rt_lt(Ctx* ctx, Value a, Value b);  // error on unlike types
Value boc_rt_le(Ctx* ctx, Value a, Value b);
Value boc_rt_gt(Ctx* ctx, Value a, Value b);
Value boc_rt_ge(Ctx* ctx, Value a, Value b);
Value boc_rt_range(Ctx* ctx, Value a, Value b);  // list [a, b); ints only
// `x += rhs` and friends: returns the new value of x, given its current one.
// On success the caller's reference to `current` is consumed (the new value
// replaces it in the variable without a release); on failure (exc) `current`
// is untouched, so the variable keeps its old value. Appends in place to a
// uniquely owned string or list, so `s += x` in a loop is linear; the caller
// then must not use `current` again (a string may move as it grows).
// op: 0 add, 1 sub, 2 mul, 3 div, 4 mod.
Value boc_rt_compound_assign(Ctx* ctx, Value current, uint32_t op, Value rhs);

// Literals.
// Immortal string constant for codegen (called at compile time, not from IR).
Value boc_rt_string_constant(const char* data, uint64_t size);
Value boc_rt_list_new(Ctx* ctx, Value* items_move, uint32_t n);
// pairs_move holds key0, value0, key1, value1...; a bad key type is an error.
Value boc_rt_map_new(Ctx* ctx, Value* pairs_move, uint32_t num_pairs);
// String interpolation: str() of every part (strings raw), concatenated.
Value boc_rt_interp(Ctx* ctx, const Value* parts, uint32_t n);
Value boc_rt_closure_new(Ctx* ctx, const boc::rt::FnProto* proto, Value* captures_move, uint32_t n);

// Access.
Value boc_rt_index(Ctx* ctx, Value object, Value key);  // a[i], m[k], s[i]
Value boc_rt_field(Ctx* ctx, Value object, Value name);  // a.f, only maps
// Pointer to the element slot object[key] inside *place, after making *place
// uniquely owned. With create != 0 a missing map key is inserted as nil
// (plain assignment); otherwise it is an error (compound assignment).
// nullptr on error. The pointer is valid until *place is next changed.
Value* boc_rt_index_place(Ctx* ctx, Value* place, Value key, uint32_t create);

// Calls. Arguments borrowed.
Value boc_rt_call(Ctx* ctx, Value callee, const Value* args, uint32_t argc);
// Method ids come from boc_rt_method_id at compile time. The receiver is a
// place so that mutating methods (push, pop, ...) act on the variable itself;
// for a map holding a function under `name`, that function is called instead.
uint32_t boc_rt_method_id(const char* name);
Value boc_rt_call_method(Ctx* ctx, Value* receiver, uint32_t method_id, Value name,
                         const Value* args, uint32_t argc);

// for (x in v): *state starts at 0. Returns 1 and stores an owned element in
// *out, 0 at the end, -1 on error (v is not iterable). Lists: elements; maps:
// keys; strings: one-character strings.
int32_t boc_rt_iter_next(Ctx* ctx, Value v, int64_t* state, Value* out);
}
