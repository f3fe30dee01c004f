// Unit tests of ValueArray (runtime/value_array.hpp), the realloc-grown
// element store of lists, and of the layout compiled code relies on.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <limits>
#include <new>

#include "runtime/list.hpp"
#include "runtime/value_array.hpp"

namespace boc::rt {
namespace {

// The array holds exactly the ints `want`, in order.
void expect_ints(const ValueArray& a, std::initializer_list<int64_t> want) {
  ASSERT_EQ(a.size(), want.size());
  size_t k = 0;
  for (int64_t w : want) {
    EXPECT_EQ(a[k].tag, Tag::Int) << "at " << k;
    EXPECT_EQ(a[k].as_int(), w) << "at " << k;
    ++k;
  }
}

TEST(ValueArray, StartsEmpty) {
  ValueArray a;
  EXPECT_TRUE(a.empty());
  EXPECT_EQ(a.size(), 0u);
  EXPECT_EQ(a.capacity(), 0u);
  EXPECT_EQ(a.begin(), a.end());
}

// Far past glibc's mmap threshold, so growth goes through mremap as well as
// through copies inside the heap; every element must survive every move.
TEST(ValueArray, GrowthKeepsElements) {
  constexpr int64_t kCount = 3'000'000;
  ValueArray a;
  size_t moves = 0;
  const Value* last_data = nullptr;
  for (int64_t i = 0; i < kCount; ++i) {
    a.push_back(Value::integer(i * 7));
    if (a.data() != last_data) ++moves, last_data = a.data();
    ASSERT_LE(a.size(), a.capacity());
  }
  ASSERT_EQ(a.size(), static_cast<size_t>(kCount));
  for (int64_t i = 0; i < kCount; ++i) {
    ASSERT_EQ(a[static_cast<size_t>(i)].tag, Tag::Int);
    ASSERT_EQ(a[static_cast<size_t>(i)].as_int(), i * 7) << "at " << i;
  }
  // Geometric growth: a few dozen reallocations, not one per push.
  EXPECT_LT(moves, 64u);
}

TEST(ValueArray, ReserveGivesRoomWithoutMoving) {
  ValueArray a;
  a.reserve(100);
  EXPECT_EQ(a.capacity(), 100u);
  const Value* data = a.data();
  for (int64_t i = 0; i < 100; ++i) a.push_back(Value::integer(i));
  EXPECT_EQ(a.data(), data);
  a.reserve(10);  // never shrinks
  EXPECT_EQ(a.capacity(), 100u);
  a.push_back(Value::integer(100));
  EXPECT_GE(a.capacity(), 101u);
  EXPECT_EQ(a[100].as_int(), 100);
  EXPECT_EQ(a[0].as_int(), 0);
}

TEST(ValueArray, InsertAtFrontMiddleAndEnd) {
  ValueArray a;
  a.insert(0, Value::integer(2));  // into an empty array
  a.insert(0, Value::integer(0));
  a.insert(1, Value::integer(1));
  a.insert(3, Value::integer(3));
  expect_ints(a, {0, 1, 2, 3});
  // Inserting into a full array grows it and keeps both sides.
  while (a.size() < a.capacity()) a.push_back(Value::integer(9));
  size_t full = a.size();
  a.insert(2, Value::integer(-1));
  ASSERT_EQ(a.size(), full + 1);
  EXPECT_EQ(a[1].as_int(), 1);
  EXPECT_EQ(a[2].as_int(), -1);
  EXPECT_EQ(a[3].as_int(), 2);
  EXPECT_EQ(a.back().as_int(), full > 4 ? 9 : 3);
}

TEST(ValueArray, EraseAtFrontMiddleAndEnd) {
  ValueArray a;
  for (int64_t i = 0; i < 6; ++i) a.push_back(Value::integer(i));
  a.erase(0);
  expect_ints(a, {1, 2, 3, 4, 5});
  a.erase(2);
  expect_ints(a, {1, 2, 4, 5});
  a.erase(3);
  expect_ints(a, {1, 2, 4});
}

TEST(ValueArray, BackAndPopBack) {
  ValueArray a;
  a.push_back(Value::integer(1));
  a.push_back(Value::integer(2));
  EXPECT_EQ(a.back().as_int(), 2);
  a.pop_back();
  EXPECT_EQ(a.back().as_int(), 1);
  a.pop_back();
  EXPECT_TRUE(a.empty());
  a.push_back(Value::integer(3));  // the storage is reused
  expect_ints(a, {3});
}

TEST(ValueArray, AssignReplacesContents) {
  const Value many[] = {Value::integer(5), Value::nil(), Value::boolean(true), Value::real(1.5)};
  ValueArray a;
  a.assign(many, many + 4);
  ASSERT_EQ(a.size(), 4u);
  EXPECT_EQ(a[0].as_int(), 5);
  EXPECT_TRUE(a[1].is_nil());
  EXPECT_EQ(a[2].tag, Tag::Bool);
  EXPECT_EQ(a[3].as_float(), 1.5);
  a.assign(many, many + 1);  // shorter
  expect_ints(a, {5});
  a.assign(many, many);  // empty
  EXPECT_TRUE(a.empty());
}

// Sizes whose bytes overflow size_t throw bad_alloc, as std::vector's
// growth does in the runtime today, and leave the array as it was.
TEST(ValueArray, ImpossibleSizeThrowsBadAlloc) {
  ValueArray a;
  a.push_back(Value::integer(1));
  EXPECT_THROW(a.reserve(std::numeric_limits<size_t>::max()), std::bad_alloc);
  EXPECT_THROW(a.reserve(std::numeric_limits<size_t>::max() / sizeof(Value) + 1), std::bad_alloc);
  expect_ints(a, {1});
}

// Compiled code (compiler/codegen/emit_lists.cpp) reads and writes these
// three pointers at the exported offsets; they must be the live ones.
TEST(ValueArray, ListOffsetsNameTheLivePointers) {
  List* l = list_new(3);
  list_push(l, Value::integer(1));
  auto pointer_at = [&](uint64_t offset) {
    Value* p;
    std::memcpy(&p, reinterpret_cast<char*>(l) + offset, sizeof p);
    return p;
  };
  EXPECT_EQ(pointer_at(kListBeginOffset), l->items.begin());
  EXPECT_EQ(pointer_at(kListEndOffset), l->items.end());
  EXPECT_EQ(pointer_at(kListCapacityEndOffset), l->items.begin() + l->items.capacity());
  EXPECT_EQ(l->items.capacity(), 3u);
  // An inline push writes the end pointer; the array must see the element.
  Value* end = pointer_at(kListEndOffset);
  *end = Value::integer(2);
  Value* new_end = end + 1;
  std::memcpy(reinterpret_cast<char*>(l) + kListEndOffset, &new_end, sizeof new_end);
  expect_ints(l->items, {1, 2});
  release(list_value(l));
}

}  // namespace
}  // namespace boc::rt
