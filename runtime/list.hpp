// Lists: growable vectors of values, with value semantics by copy-on-write.
//
// Design note: a List owns one reference to each element. Lists are values in
// the language: `let b = a` shares the object and bumps its count; the first
// mutation through either name copies it (make_unique in ops.hpp), so a copy
// is O(1) until someone writes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <type_traits>

#include "runtime/value.hpp"
#include "runtime/value_array.hpp"

namespace boc::rt {

struct List {
  Obj header{ObjType::List};
  ValueArray items;  // each element owned (+1)
};

inline List* as_list(Value v) { return reinterpret_cast<List*>(v.obj()); }
inline Value list_value(List* l) { return Value::object(Tag::List, &l->header); }

// A new empty list (rc 1) with room for `reserve` elements.
List* list_new(size_t reserve = 0);
// A new list (rc 1) holding the same elements, each retained.
List* list_copy(const List* l);
// Appends, taking ownership of `v_move`.
inline void list_push(List* l, Value v_move) { l->items.push_back(v_move); }

// offsetof below is well defined only on a standard-layout type.
static_assert(std::is_standard_layout_v<List>);
// Compiled code reads and appends to lists inline (compiler/codegen/
// emit_lists.cpp) through these byte offsets in a List: the pointer to the
// first element, one past the last, one past the capacity (value_array.hpp).
inline constexpr uint64_t kListBeginOffset = offsetof(List, items) + ValueArray::begin_offset();
inline constexpr uint64_t kListEndOffset = offsetof(List, items) + ValueArray::end_offset();
inline constexpr uint64_t kListCapacityEndOffset =
    offsetof(List, items) + ValueArray::capacity_end_offset();
// Compiled code reads a List's reference count as the i32 at its address.
static_assert(offsetof(List, header) == 0 && offsetof(Obj, rc) == 0);

// Position of script index `i` (negative counts from the end) in a sequence
// of `length`, or nullopt when out of range.
inline std::optional<size_t> normalize_index(int64_t i, size_t length) {
  int64_t n = static_cast<int64_t>(length);
  if (i < 0) i += n;
  if (i < 0 || i >= n) return std::nullopt;
  return static_cast<size_t>(i);
}

}  // namespace boc::rt
