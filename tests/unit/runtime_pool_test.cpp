// Behavior allocation recycling: per-worker free lists and the depot through
// which a worker that frees more than it allocates feeds one that allocates
// more.
#include <gtest/gtest.h>

#include <cstdlib>
#include <set>
#include <vector>

#include "runtime/sched/behavior_pool.hpp"

namespace boc::rt::test {
namespace {

constexpr uint8_t kClass = 1;

void* block() { return std::malloc(kBlockClassBytes * (kClass + 1)); }

TEST(RuntimePool, AGivenBlockIsTakenBackFirst) {
  BehaviorPool pool;
  EXPECT_EQ(pool.take(kClass), nullptr);
  void* b = block();
  pool.give(b, kClass);
  EXPECT_EQ(pool.take(kClass + 1), nullptr);  // another class is separate
  EXPECT_EQ(pool.take(kClass), b);
  EXPECT_EQ(pool.take(kClass), nullptr);
  std::free(b);
}

TEST(RuntimePool, AFullListSpillsBatchesThatAnotherPoolTakes) {
  BehaviorDepot depot;
  BehaviorPool freeing(&depot);
  BehaviorPool allocating(&depot);
  const size_t n = BehaviorPool::kMaxPerClass + 2 * BehaviorDepot::kBatch;
  std::set<void*> given;
  for (size_t i = 0; i < n; ++i) {
    void* b = block();
    given.insert(b);
    freeing.give(b, kClass);
  }
  // Two batches went to the depot; the other pool gets exactly those.
  std::vector<void*> taken;
  while (void* b = allocating.take(kClass)) taken.push_back(b);
  ASSERT_EQ(taken.size(), 2 * BehaviorDepot::kBatch);
  for (void* b : taken) EXPECT_EQ(given.count(b), 1u);
  EXPECT_EQ(std::set<void*>(taken.begin(), taken.end()).size(), taken.size());
  for (void* b : taken) std::free(b);
  // The rest stayed with the freeing pool, which frees them when destroyed
  // (LeakSanitizer checks).
}

TEST(RuntimePool, AFullDepotLeavesBlocksToTheAllocator) {
  BehaviorDepot depot;
  BehaviorPool pool(&depot);
  const size_t n = BehaviorPool::kMaxPerClass +
                   (BehaviorDepot::kMaxBatches + 3) * BehaviorDepot::kBatch;
  for (size_t i = 0; i < n; ++i) pool.give(block(), kClass);
  BehaviorPool other(&depot);
  size_t taken = 0;
  while (void* b = other.take(kClass)) {
    std::free(b);
    ++taken;
  }
  EXPECT_EQ(taken, BehaviorDepot::kMaxBatches * BehaviorDepot::kBatch);
}

}  // namespace
}  // namespace boc::rt::test
