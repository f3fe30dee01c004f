// Group entries of a behavior: `when (xs)` with a list of cowns.
//
// Design note: inside the body, `xs[i]` must be the i-th cown's content as an
// assignable place, and a cown listed twice is one content under two
// indexes. So the body's slot holds a GroupView pointing at the contents
// themselves, not a copy: boc_rt_index_place resolves `xs[i]` to the i-th
// content. Any other use of `xs` (reading it whole, passing it, printing it,
// iterating) reads the view through boc_rt_group_read, which gives a list of
// the current contents, so a view never escapes the body. Mutating the group
// itself (xs.push(v), xs = [...]) turns the slot into that list; afterwards
// its elements are written back to the cowns by index.
#pragma once

#include <vector>

#include "runtime/value.hpp"

namespace boc::rt {

struct GroupView {
  Obj header{ObjType::Group};
  std::vector<Value*> contents;  // not owned: the cowns' content fields
};

inline GroupView* as_group(Value v) { return reinterpret_cast<GroupView*>(v.obj()); }
Value group_new(std::vector<Value*> contents);
// A new list holding copies of the group's current contents.
Value group_to_list(Value group);

}  // namespace boc::rt

extern "C" {
// Reading a behavior entry: a group becomes a list of its contents; any
// other value is returned retained.
boc::rt::Value boc_rt_entry_read(boc::rt::Value v);
}
