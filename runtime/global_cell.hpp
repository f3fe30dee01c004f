// Globals shared by the main program and behaviors (LANGUAGE.md section 4):
// behaviors read them, never assign them, and the first read of a
// non-constant global by a behavior freezes it.
//
// Design note: only the main program (or a REPL / host thread) assigns
// globals, and before the first `when` nothing else runs, so compiled code
// writes a global directly until ctx->concurrent is set. From then on a write
// computes the new value first and stores it through boc_rt_global_store,
// which takes the cell's lock and refuses frozen cells; a behavior's read of
// a non-constant global takes the same lock, freezes the cell and copies the
// value. Constants (never assigned after their declaration) need neither.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "runtime/context.hpp"
#include "runtime/value.hpp"

namespace boc::rt {

struct GlobalCell {
  Value value;  // offset 0: compiled code loads and stores it directly
  // Bit kFrozen: a behavior has read the value; set once, under the lock
  // (release), after which the value never changes: readers that see it
  // (acquire) read the value without the lock.
  // Bit kLocked: a spin lock taken by boc_rt_global_read and _store.
  // acquire on lock, release on unlock; stores read the frozen bit under it.
  std::atomic<uint32_t> state{0};
  std::string name;

  static constexpr uint32_t kFrozen = 1;
  static constexpr uint32_t kLocked = 2;
};

}  // namespace boc::rt

extern "C" {
// In a behavior: freezes the cell and returns a copy of its value.
boc::rt::Value boc_rt_global_read(boc::rt::Ctx* ctx, boc::rt::GlobalCell* cell);
// The same without a reference: a frozen cell keeps its value for good.
boc::rt::Value boc_rt_global_lend(boc::rt::Ctx* ctx, boc::rt::GlobalCell* cell);
// Stores value_move into the cell unless the caller is a behavior or the cell
// is frozen (both runtime errors naming the global). Returns nil or exc.
boc::rt::Value boc_rt_global_store(boc::rt::Ctx* ctx, boc::rt::GlobalCell* cell,
                                   boc::rt::Value value_move);
}
