// GroupView: a behavior's live view of the cowns of a group entry.
#include "runtime/group.hpp"

#include "runtime/heap.hpp"
#include "runtime/list.hpp"

namespace boc::rt {

Value group_new(std::vector<Value*> contents) {
  GroupView* g = new_object<GroupView>();
  g->contents = std::move(contents);
  return Value::object(Tag::Group, &g->header);
}

Value group_to_list(Value group) {
  const GroupView* g = as_group(group);
  List* list = list_new(g->contents.size());
  for (Value* content : g->contents) {
    retain(*content);
    list_push(list, *content);
  }
  return list_value(list);
}

}  // namespace boc::rt

extern "C" boc::rt::Value boc_rt_entry_read(boc::rt::Value v) {
  if (v.tag == boc::rt::Tag::Group) return boc::rt::group_to_list(v);
  boc::rt::retain(v);
  return v;
}
