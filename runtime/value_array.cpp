// ValueArray growth: moving the elements to a larger block with realloc.
#include "runtime/value_array.hpp"

namespace boc::rt {

void ValueArray::reallocate(size_t n) {
  if (n > kMaxElements) throw std::bad_alloc();
  size_t count = size();
  void* moved = std::realloc(begin_, n * sizeof(Value));
  if (!moved) throw std::bad_alloc();  // the old block is still ours
  begin_ = static_cast<Value*>(moved);
  end_ = begin_ + count;
  capacity_end_ = begin_ + n;
}

}  // namespace boc::rt
