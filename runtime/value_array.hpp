// ValueArray: the growable element store of a list, grown with realloc.
//
// Design note: std::vector grows by allocating a new block, copying into it
// and freeing the old one, so building a 16 MB list touches about 32 MB of
// fresh pages, and a fresh page is what dominates that loop. Values are
// trivially copyable, so they may be moved by realloc instead: glibc grows a
// large (mmapped) block with mremap, which neither copies nor faults in the
// pages already written. The layout is fixed and public to compiled code,
// which appends and reads in place (list.hpp's kList* offsets): three
// pointers, the first element, one past the last, one past the capacity.
// Elements are plain Values; the array never retains or releases them (the
// List does).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <type_traits>

#include "runtime/value.hpp"

namespace boc::rt {

// What lets realloc move elements bytewise without running any constructor.
static_assert(std::is_trivially_copyable_v<Value> && std::is_trivially_destructible_v<Value>);

class ValueArray {
 public:
  ValueArray() = default;
  ~ValueArray() { std::free(begin_); }
  // Lists are copied element by element with retains (list_copy); a silent
  // bytewise copy here would skip them.
  ValueArray(const ValueArray&) = delete;
  ValueArray& operator=(const ValueArray&) = delete;

  size_t size() const { return static_cast<size_t>(end_ - begin_); }
  size_t capacity() const { return static_cast<size_t>(capacity_end_ - begin_); }
  bool empty() const { return begin_ == end_; }

  Value* data() { return begin_; }
  const Value* data() const { return begin_; }
  Value* begin() { return begin_; }
  Value* end() { return end_; }
  const Value* begin() const { return begin_; }
  const Value* end() const { return end_; }
  Value& operator[](size_t i) { return begin_[i]; }
  const Value& operator[](size_t i) const { return begin_[i]; }
  Value& back() { return end_[-1]; }

  // Throws std::bad_alloc when the memory is not there, as std::vector does.
  void reserve(size_t n) {
    if (n > capacity()) reallocate(n);
  }
  void push_back(Value v) {
    if (end_ == capacity_end_) grow(size() + 1);
    *end_++ = v;
  }
  void pop_back() { --end_; }
  // Replaces the contents with [first, last), which must not lie inside this
  // array.
  void assign(const Value* first, const Value* last) {
    size_t n = static_cast<size_t>(last - first);
    end_ = begin_;
    reserve(n);
    if (n) std::memcpy(begin_, first, n * sizeof(Value));
    end_ = begin_ + n;
  }
  // Puts `v` at `index` (<= size()), shifting the later elements up.
  void insert(size_t index, Value v) {
    if (end_ == capacity_end_) grow(size() + 1);
    std::memmove(begin_ + index + 1, begin_ + index, (size() - index) * sizeof(Value));
    begin_[index] = v;
    ++end_;
  }
  // Removes the element at `index` (< size()), shifting the later ones down.
  void erase(size_t index) {
    std::memmove(begin_ + index, begin_ + index + 1, (size() - index - 1) * sizeof(Value));
    --end_;
  }

  // Byte offsets of the three pointers, for code that reads them directly.
  static constexpr size_t begin_offset() { return offsetof(ValueArray, begin_); }
  static constexpr size_t end_offset() { return offsetof(ValueArray, end_); }
  static constexpr size_t capacity_end_offset() { return offsetof(ValueArray, capacity_end_); }

 private:
  // The first growth makes room for a few elements, so that short lists do
  // not realloc on every push; then capacity doubles, as in libstdc++, so a
  // push costs O(1) amortized.
  static constexpr size_t kFirstCapacity = 4;
  // Past this, n * sizeof(Value) would overflow (or exceed what a pointer
  // difference can express).
  static constexpr size_t kMaxElements = static_cast<size_t>(PTRDIFF_MAX) / sizeof(Value);

  void grow(size_t needed) {
    size_t doubled = capacity() > kMaxElements / 2 ? kMaxElements : 2 * capacity();
    size_t n = doubled > needed ? doubled : needed;
    reallocate(n < kFirstCapacity ? kFirstCapacity : n);
  }

  // Moves the elements to a block of `n`; out of line, being the slow path.
  void reallocate(size_t n);

  Value* begin_ = nullptr;
  Value* end_ = nullptr;         // begin_ <= end_ <= capacity_end_
  Value* capacity_end_ = nullptr;
};

}  // namespace boc::rt
