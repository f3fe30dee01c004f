// Recycling behavior allocations: a free list per worker and size class,
// and a depot where workers trade whole batches of free blocks.
//
// Design note: behaviors are mostly made and freed on the same worker (a
// body schedules, the hand-off runs it), so a worker's own free lists serve
// most allocations without the allocator. But work is not always symmetric:
// in banking one worker mostly makes behaviors and the other mostly frees
// them, and before the depot about 30% of allocations went to malloc, whose
// arena lock the two workers then fought over. A worker whose list is full
// now collects further frees into a batch and hands the batch to the depot
// (one lock per kBatch blocks); a worker whose list is empty takes one back.
// Debian's mimalloc was the alternative: its shared library replaces malloc
// for the whole process (it cannot be linked privately), which made start-up
// and large lists measurably slower and would impose it on host programs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <vector>

namespace boc::rt {

// A free block, linked through its first word.
struct FreeBlock {
  FreeBlock* next;
};

inline constexpr size_t kBlockClassBytes = 64;
inline constexpr uint8_t kBlockClasses = 16;  // up to 1 KiB: one- to ~20-cown behaviors

// Full batches of free blocks, shared by a scheduler's workers.
class BehaviorDepot {
 public:
  static constexpr uint32_t kBatch = 256;
  // Beyond this many batches per class, blocks go back to the allocator.
  static constexpr size_t kMaxBatches = 64;

  BehaviorDepot() = default;
  BehaviorDepot(const BehaviorDepot&) = delete;
  BehaviorDepot& operator=(const BehaviorDepot&) = delete;
  ~BehaviorDepot();

  // Takes a chain of kBatch blocks; false when full (the caller frees them).
  bool put(uint8_t size_class, FreeBlock* batch);
  // A chain of kBatch blocks, or null.
  FreeBlock* take(uint8_t size_class);

 private:
  std::mutex mutex_;
  std::vector<FreeBlock*> batches_[kBlockClasses];
};

// Free lists of one worker thread, backed by the scheduler's depot.
class BehaviorPool {
 public:
  static constexpr uint8_t kUnpooled = 0xFF;
  static constexpr uint32_t kMaxPerClass = 4096;

  explicit BehaviorPool(BehaviorDepot* depot = nullptr) : depot_(depot) {}
  BehaviorPool(const BehaviorPool&) = delete;
  BehaviorPool& operator=(const BehaviorPool&) = delete;
  ~BehaviorPool();

  // A block of size_class, or null: the caller allocates one.
  void* take(uint8_t size_class);
  void give(void* memory, uint8_t size_class);

 private:
  struct List {
    FreeBlock* head = nullptr;
    uint32_t count = 0;
    void push(FreeBlock* b) {
      b->next = head;
      head = b;
      ++count;
    }
  };
  BehaviorDepot* depot_;
  List free_[kBlockClasses];
  List spill_[kBlockClasses];  // a batch being filled for the depot
};

}  // namespace boc::rt
