// Method calls from compiled code: `x.m(args)` resolves here by method id.
#include "stdlib/methods.hpp"

#include <string>

#include "runtime/abi.hpp"
#include "runtime/map.hpp"
#include "runtime/ops.hpp"
#include "runtime/string.hpp"
#include "stdlib/native.hpp"

namespace boc::stdlib {
namespace {

using rt::Ctx;
using rt::Tag;
using rt::Value;

const MethodTable* table_for(Tag tag) {
  switch (tag) {
    case Tag::String:
      return &kStringMethods;
    case Tag::List:
      return &kListMethods;
    case Tag::Map:
      return &kMapMethods;
    default:
      return nullptr;
  }
}

// A map holding a function under `name` answers the call itself: library
// modules are maps (`math.sqrt(2)`), and so are user-built "objects".
// nullptr when the receiver is no such map.
const Value* map_function(Value receiver, Value name) {
  if (receiver.tag != Tag::Map || name.tag != Tag::String) return nullptr;
  const Value* slot = rt::map_find(rt::as_map(receiver), name);
  return slot != nullptr && slot->tag == Tag::Function ? slot : nullptr;
}

Value no_such_method(Ctx* ctx, Value receiver, uint32_t id, Value name) {
  std::string msg = rt::type_name(receiver);
  msg += " has no method '";
  if (name.tag == Tag::String)
    msg += rt::string_view_of(name);
  else if (id < kNumMethods)
    msg += rt::kMethods[id].name;
  msg += "'";
  return rt::raise(ctx, std::move(msg));
}

}  // namespace
}  // namespace boc::stdlib

extern "C" {

uint32_t boc_rt_method_id(const char* name) {
  return name == nullptr ? boc::rt::kNoMethod : boc::rt::method_id(name);
}

Value boc_rt_call_method(Ctx* ctx, Value* receiver, uint32_t method_id, Value name,
                         const Value* args, uint32_t argc) {
  using namespace boc::stdlib;
  if (const Value* slot = map_function(*receiver, name)) {
    // Hold the function: its body may reassign the variable holding the map,
    // which would otherwise free the function while it runs.
    Value fn = *slot;
    boc::rt::retain(fn);
    Value result = boc_rt_call(ctx, fn, args, argc);
    boc::rt::release(fn);
    return result;
  }
  const MethodTable* table = table_for(receiver->tag);
  if (table == nullptr || method_id >= kNumMethods || (*table)[method_id].impl == nullptr)
    return no_such_method(ctx, *receiver, method_id, name);
  const MethodDef& method = (*table)[method_id];
  if (!check_arity(ctx, method.name, method.min_args, method.max_args, argc)) return Value::exc();
  if (!boc::rt::kMethods[method_id].mutates) return method.impl(ctx, receiver, args, argc);
  // An argument may be the receiver itself, borrowed without a reference of
  // its own (`xs.push(xs)`). Holding it makes the receiver shared, so the
  // copy-on-write below gives *receiver a fresh copy and the list stores the
  // old value: xs never comes to contain itself (a cycle no count can free).
  Value held = Value::nil();
  for (uint32_t i = 0; i < argc; ++i)
    if (args[i].is_heap() && args[i].bits == receiver->bits) held = *receiver;
  boc::rt::retain(held);
  // Copy-on-write: the other owners of a shared list or map keep the old one.
  boc::rt::make_unique(receiver);
  Value result = method.impl(ctx, receiver, args, argc);
  boc::rt::release(held);
  return result;
}

}  // extern "C"
