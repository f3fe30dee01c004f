// Behavior free lists and the depot that balances them between workers.
#include "runtime/sched/behavior_pool.hpp"

#include <cstdlib>
#include <utility>

namespace boc::rt {
namespace {
void free_chain(FreeBlock* b) {
  while (b) std::free(std::exchange(b, b->next));
}
}  // namespace

BehaviorDepot::~BehaviorDepot() {
  for (auto& batches : batches_)
    for (FreeBlock* batch : batches) free_chain(batch);
}

bool BehaviorDepot::put(uint8_t size_class, FreeBlock* batch) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<FreeBlock*>& batches = batches_[size_class];
  if (batches.size() >= kMaxBatches) return false;
  batches.push_back(batch);
  return true;
}

FreeBlock* BehaviorDepot::take(uint8_t size_class) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<FreeBlock*>& batches = batches_[size_class];
  if (batches.empty()) return nullptr;
  FreeBlock* batch = batches.back();
  batches.pop_back();
  return batch;
}

BehaviorPool::~BehaviorPool() {
  for (List& list : free_) free_chain(list.head);
  for (List& list : spill_) free_chain(list.head);
}

void* BehaviorPool::take(uint8_t size_class) {
  List& list = free_[size_class];
  if (!list.head) {
    FreeBlock* batch = depot_ ? depot_->take(size_class) : nullptr;
    if (!batch) return nullptr;
    list = List{batch, BehaviorDepot::kBatch};
  }
  FreeBlock* b = list.head;
  list.head = b->next;
  --list.count;
  return b;
}

void BehaviorPool::give(void* memory, uint8_t size_class) {
  auto* b = static_cast<FreeBlock*>(memory);
  List& list = free_[size_class];
  if (list.count < kMaxPerClass) return list.push(b);
  if (!depot_) return std::free(b);
  List& spill = spill_[size_class];
  spill.push(b);
  if (spill.count < BehaviorDepot::kBatch) return;
  if (!depot_->put(size_class, spill.head)) free_chain(spill.head);
  spill = List{};
}

}  // namespace boc::rt
