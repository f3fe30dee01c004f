// The checks and the lock behind globals read by behaviors.
#include "runtime/global_cell.hpp"

#include <thread>

namespace boc::rt {
namespace {

void lock(GlobalCell* cell) {
  for (;;) {
    uint32_t s = cell->state.load(std::memory_order_relaxed);
    // acquire pairs with unlock's release.
    if (!(s & GlobalCell::kLocked) &&
        cell->state.compare_exchange_weak(s, s | GlobalCell::kLocked, std::memory_order_acquire))
      return;
    std::this_thread::yield();
  }
}

void unlock(GlobalCell* cell) {
  cell->state.fetch_and(~GlobalCell::kLocked, std::memory_order_release);
}

}  // namespace
}  // namespace boc::rt

extern "C" {
using boc::rt::GlobalCell;
using boc::rt::Value;

Value boc_rt_global_lend(boc::rt::Ctx*, GlobalCell* cell) {
  // Frozen already: the value never changes again, so no lock. Acquire pairs
  // with the release of the freezing fetch_or below, which came after the
  // last store (under the lock), so that store's value is visible.
  if (cell->state.load(std::memory_order_acquire) & GlobalCell::kFrozen) return cell->value;
  boc::rt::lock(cell);
  cell->state.fetch_or(GlobalCell::kFrozen, std::memory_order_release);
  Value v = cell->value;
  boc::rt::unlock(cell);
  return v;
}

Value boc_rt_global_read(boc::rt::Ctx* ctx, GlobalCell* cell) {
  Value v = boc_rt_global_lend(ctx, cell);
  boc::rt::retain(v);
  return v;
}

Value boc_rt_global_store(boc::rt::Ctx* ctx, GlobalCell* cell, Value value_move) {
  if (ctx->in_behavior) {
    boc::rt::release(value_move);
    return boc::rt::raise(ctx, "cannot assign to global '" + cell->name + "' inside a behavior");
  }
  boc::rt::lock(cell);
  if (cell->state.load(std::memory_order_relaxed) & GlobalCell::kFrozen) {
    boc::rt::unlock(cell);
    boc::rt::release(value_move);
    return boc::rt::raise(ctx, "cannot assign to global '" + cell->name +
                                   "': it is frozen because a behavior has read it");
  }
  Value old = cell->value;
  cell->value = value_move;
  boc::rt::unlock(cell);
  boc::rt::release(old);
  return Value::nil();
}
}
