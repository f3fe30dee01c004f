// Behaviors: allocation, and sorting the requested cowns into slots.
#include "runtime/sched/behavior.hpp"

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <new>
#include <utility>
#include <vector>

namespace boc::rt {
namespace {

struct Entry {
  Cown* cown;
  uint32_t request;  // index in the caller's order; num_requests = the result
  bool read;
};

constexpr size_t kBlockAlign = 64;

// Typical behaviors ask for one to four cowns: sort them on the stack.
constexpr size_t kInlineEntries = 16;

size_t round_up(size_t n, size_t align) { return (n + align - 1) & ~(align - 1); }

void sort_entries(std::span<Entry> e) {
  auto before = [](const Entry& a, const Entry& b) { return std::less<Cown*>()(a.cown, b.cown); };
  if (e.size() <= kInlineEntries) {
    // Insertion sort: no call overhead for the one- and two-cown common case.
    for (size_t i = 1; i < e.size(); ++i)
      for (size_t j = i; j > 0 && before(e[j], e[j - 1]); --j) std::swap(e[j], e[j - 1]);
  } else {
    std::sort(e.begin(), e.end(), before);
  }
}

}  // namespace

Behavior* behavior_new(std::span<const Request> requests, Cown* result, BehaviorBody body,
                       size_t capture_size, CaptureDrop drop, BehaviorPool* pool) {
  const size_t n = requests.size() + (result ? 1 : 0);
  Entry inline_entries[kInlineEntries];
  std::vector<Entry> heap_entries;
  std::span<Entry> entries;
  if (n <= kInlineEntries) {
    entries = std::span<Entry>(inline_entries, n);
  } else {
    heap_entries.resize(n);
    entries = heap_entries;
  }
  const auto num_requests = static_cast<uint32_t>(requests.size());
  for (uint32_t i = 0; i < num_requests; ++i) entries[i] = {requests[i].cown, i, requests[i].read};
  if (result) entries[num_requests] = {result, num_requests, false};
  sort_entries(entries);

  size_t num_slots = 0;
  for (size_t i = 0; i < n; ++i)
    if (i == 0 || entries[i].cown != entries[i - 1].cown) ++num_slots;

  const size_t map_end = sizeof(Behavior) + num_slots * sizeof(Slot) + num_requests * sizeof(uint32_t);
  const size_t captures_offset = round_up(map_end, kCaptureAlign);
  // Pool-sized blocks are rounded up to their class, so that any thread's
  // pool can take any of them back.
  size_t bytes = round_up(captures_offset + capture_size, kCaptureAlign);
  uint8_t size_class = BehaviorPool::kUnpooled;
  if (bytes <= kBlockClassBytes * kBlockClasses) {
    size_class = static_cast<uint8_t>((bytes - 1) / kBlockClassBytes);
    bytes = (size_class + size_t{1}) * kBlockClassBytes;
  }
  void* memory = pool && size_class != BehaviorPool::kUnpooled ? pool->take(size_class) : nullptr;
  // Whole cache lines: a behavior is written by the thread that schedules it
  // and read by the one that runs it, so a line shared with a neighbour in
  // the allocator would be one more line the two cores pass back and forth.
  if (!memory) memory = std::aligned_alloc(kBlockAlign, round_up(bytes, kBlockAlign));
  if (!memory) throw std::bad_alloc();

  auto* b = new (memory) Behavior;
  b->num_slots = static_cast<uint32_t>(num_slots);
  b->num_requests = num_requests;
  b->captures_offset = static_cast<uint32_t>(captures_offset);
  b->size_class = size_class;
  b->body = body;
  b->drop = drop;
  b->pending.store(static_cast<uint32_t>(num_slots) + 1, std::memory_order_relaxed);

  Slot* slots = b->slots();
  uint32_t* map = b->request_slots();
  size_t s = 0;
  for (size_t i = 0; i < n; ++i) {
    if (i > 0 && entries[i].cown == entries[i - 1].cown) {
      // A duplicate: one slot, and write wins over read.
      slots[s - 1].read = slots[s - 1].read && entries[i].read;
    } else {
      Slot* slot = new (&slots[s++]) Slot;
      slot->cown = entries[i].cown;
      slot->behavior = b;
      slot->read = entries[i].read;
    }
    const auto slot_index = static_cast<uint32_t>(s - 1);
    if (entries[i].request == num_requests) {
      b->result_slot = slot_index;
    } else {
      map[entries[i].request] = slot_index;
    }
  }
  return b;
}

void behavior_free(Behavior* b, BehaviorPool* pool) {
  // Slot and Behavior need no destruction (their atomics are trivial).
  const uint8_t size_class = b->size_class;
  if (pool && size_class != BehaviorPool::kUnpooled) return pool->give(b, size_class);
  std::free(b);
}

}  // namespace boc::rt
