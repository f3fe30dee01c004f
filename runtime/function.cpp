// Function objects: closure creation and calling a value.
#include "runtime/function.hpp"

#include <new>

#include "runtime/heap.hpp"
#include "runtime/ops.hpp"

namespace boc::rt {

Function* function_new(const FnProto* proto, uint32_t num_captures) {
  void* storage = alloc_storage(sizeof(Function) + num_captures * sizeof(Value));
  Function* f = static_cast<Function*>(storage);
  new (&f->header) Obj(ObjType::Function);
  f->proto = proto;
  f->num_captures = num_captures;
  for (uint32_t i = 0; i < num_captures; ++i) f->captures[i] = Value::nil();
  return f;
}

}  // namespace boc::rt

extern "C" {

Value boc_rt_closure_new(Ctx*, const boc::rt::FnProto* proto, Value* captures_move, uint32_t n) {
  boc::rt::Function* f = boc::rt::function_new(proto, n);
  for (uint32_t i = 0; i < n; ++i) f->captures[i] = captures_move[i];
  return boc::rt::function_value(f);
}

Value boc_rt_call(Ctx* ctx, Value callee, const Value* args, uint32_t argc) {
  using namespace boc::rt;
  if (callee.tag != Tag::Function)
    return raise(ctx, std::string("cannot call ") + type_name(callee));
  Function* f = as_function(callee);
  return f->proto->entry(ctx, f, args, argc);
}

}  // extern "C"
