// List objects: creation, copying, and the list literal entry point.
#include "runtime/list.hpp"

#include <cstring>

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
  copy->items = l->items;
  for (Value v : copy->items) retain(v);
  return copy;
}

std::optional<uint64_t> list_vector_offset() {
  static const std::optional<uint64_t> offset = [] () -> std::optional<uint64_t> {
    if (sizeof(List::items) != 3 * sizeof(Value*)) return std::nullopt;
    List l;
    l.items.reserve(3);
    l.items.push_back(Value::nil());
    Value* words[3];
    std::memcpy(words, &l.items, sizeof words);
    Value* data = l.items.data();
    if (words[0] != data || words[1] != data + l.items.size() ||
        words[2] != data + l.items.capacity())
      return std::nullopt;
    return static_cast<uint64_t>(reinterpret_cast<char*>(&l.items) - reinterpret_cast<char*>(&l));
  }();
  return offset;
}

}  // namespace boc::rt

extern "C" Value boc_rt_list_new(Ctx*, Value* items_move, uint32_t n) {
  using namespace boc::rt;
  List* l = list_new(n);
  l->items.assign(items_move, items_move + n);
  return list_value(l);
}
