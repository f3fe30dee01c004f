// List objects: creation, copying, and the list literal entry point.
#include "runtime/list.hpp"

#include "runtime/abi.hpp"
#include "runtime/heap.hpp"

namespace boc::rt {

List* list_new(size_t reserve) {
  List* l = new_object<List>();
  if (reserve) l->items.reserve(reserve);
  return l;
}

List* list_copy(const List* l) {
  List* copy = new_object<List>();
  copy->items.assign(l->items.begin(), l->items.end());
  for (Value v : copy->items) retain(v);
  return copy;
}

}  // namespace boc::rt

extern "C" Value boc_rt_list_new(Ctx*, Value* items_move, uint32_t n) {
  using namespace boc::rt;
  List* l = list_new(n);
  l->items.assign(items_move, items_move + n);
  return list_value(l);
}
