// Map methods: keys values has get remove len. Only remove mutates (*self is
// then uniquely owned, by the dispatcher's copy-on-write).
#include <cstdint>
#include <string>

#include "runtime/list.hpp"
#include "runtime/map.hpp"
#include "stdlib/methods.hpp"
#include "stdlib/native.hpp"

namespace boc::stdlib {
namespace {

using rt::Ctx;
using rt::Value;

rt::Map* map_of(const Value* self) { return rt::as_map(*self); }

// The slot for `key`, or nullptr when missing. A value that can never be a
// key (a list, NaN) is simply absent here: has() and get() answer "no"
// rather than fail, as asking is harmless.
Value* lookup(const Value* self, Value key) {
  if (rt::map_key_problem(key)) return nullptr;
  return rt::map_find(map_of(self), key);
}

// keys(), values(): new lists in insertion order.
template <bool kKeys>
Value entries(Ctx*, Value* self, const Value*, uint32_t) {
  rt::Map* m = map_of(self);
  rt::List* out = rt::list_new(rt::map_size(m));
  int64_t state = 0;
  while (const rt::MapEntry* e = rt::map_next(m, &state)) {
    Value v = kKeys ? e->key : e->value;
    rt::retain(v);
    rt::list_push(out, v);
  }
  return rt::list_value(out);
}

Value has(Ctx*, Value* self, const Value* args, uint32_t) {
  return Value::boolean(lookup(self, args[0]) != nullptr);
}

// get(k, d?): m[k] when present, else d (nil when omitted).
Value get(Ctx*, Value* self, const Value* args, uint32_t argc) {
  const Value* slot = lookup(self, args[0]);
  Value v = slot != nullptr ? *slot : argc > 1 ? args[1] : Value::nil();
  rt::retain(v);
  return v;
}

// remove(k): removes k and returns its value; a missing key is an error, like
// reading one.
Value remove(Ctx* ctx, Value* self, const Value* args, uint32_t) {
  if (auto problem = rt::map_key_problem(args[0])) return rt::raise(ctx, *problem);
  Value out = Value::nil();
  if (!rt::map_remove(map_of(self), args[0], &out))
    return rt::raise(ctx, "key " + describe(args[0]) + " not found");
  return out;
}

Value length(Ctx*, Value* self, const Value*, uint32_t) {
  return Value::integer(static_cast<int64_t>(rt::map_size(map_of(self))));
}

// clang-format off
constexpr MethodDef kDefs[] = {
    {"keys", 0, 0, entries<true>},
    {"values", 0, 0, entries<false>},
    {"has", 1, 1, has},
    {"get", 1, 2, get},
    {"remove", 1, 1, remove},
    {"len", 0, 0, length},
};
// clang-format on

}  // namespace

const MethodTable kMapMethods = method_table(kDefs);

}  // namespace boc::stdlib
