// Scheduling script behaviors: the runtime side of `when`.
//
// Design note: codegen compiles each when body into a BehaviorEntry whose
// `contents` holds one Value* per entry (pointing at the cown's content, or
// at a group view), so the body reads and writes cown contents in place. The
// body's captured variables are copied straight into the behavior's own
// allocation, behind a 16-byte header, and the body reads them there:
// scheduling a behavior allocates nothing but the behavior itself, and a
// two-cown behavior with three captures fits in three cache lines.
#pragma once

#include <cstdint>

#include "runtime/abi.hpp"
#include "runtime/context.hpp"
#include "runtime/value.hpp"

namespace boc::rt {

// A compiled when body: `captures` holds the values it captured, contents[i]
// points at entry i's content (or group view). Returns its result, or exc.
using BehaviorEntry = Value (*)(Ctx* ctx, Value* captures, Value* const* contents,
                                uint32_t num_entries);

// Static facts about one `when` in the source, made by codegen.
struct WhenSite {
  uint32_t num_captures;     // variables the body captures
  uint32_t num_entries;
  const uint8_t* read;       // per entry: 1 for `read name`
  const char* const* names;  // per entry, for error messages
  const SiteInfo* site;      // the `when` keyword: reports name it
  // Per capture: the entry that reads the same variable (so has the same
  // value), or kNoEntry; null when no capture has one. Codegen passes such a
  // capture without a reference of its own: when the value is a cown, the
  // behavior holds that cown until after its captures are dropped, so none is
  // needed (and the cown's cache line, which the scheduler uses, is spared a
  // retain and a release); otherwise boc_rt_when_submit takes one.
  const uint32_t* capture_entry;
  // The captures without an entry, in order: when every entry is a cown,
  // they are the only captures that may hold a reference of their own.
  const uint32_t* unaliased;
  uint32_t num_unaliased;

  static constexpr uint32_t kNoEntry = UINT32_MAX;
};

// A `when` with at most kPlainEntries entries, all cowns, is plain: the
// common case. Compiled code schedules those with at least one entry through
// boc_rt_when_begin_cowns.
inline constexpr uint32_t kPlainEntries = 16;

// One entry of a plain `when`, as compiled code passes it: the cown, and 1
// for a `read` entry. Laid out as the scheduler's Request (runtime/when.cpp
// checks), so the runtime hands the array on without a copy.
struct WhenCown {
  void* cown;
  uint8_t read;
};

}  // namespace boc::rt

// A `when` is scheduled in two calls, so that compiled code writes the
// captures straight into the behavior (no staging array, no copy):
//   Value* c = boc_rt_when_begin(...);   // or _cowns; null: error raised,
//                                        // nothing to undo
//   c[0..site->num_captures) = the captured values, each owning a reference
//                              unless site->capture_entry says it is borrowed;
//   Value r = boc_rt_when_submit(ctx);
// with nothing in between that can fail or schedule a behavior.
extern "C" {
// Checks that every entry is a cown or a list of cowns and prepares the
// behavior (and its result cown when want_result). Returns where the
// captures go, or null with an error raised.
boc::rt::Value* boc_rt_when_begin(boc::rt::Ctx* ctx, const boc::rt::WhenSite* site,
                                  boc::rt::BehaviorEntry body, const boc::rt::Value* entries,
                                  uint32_t want_result);
// The same for a plain `when`, whose caller has checked that every entry is
// a cown: `cowns` holds site->num_entries of them (1 to kPlainEntries).
boc::rt::Value* boc_rt_when_begin_cowns(boc::rt::Ctx* ctx, const boc::rt::WhenSite* site,
                                        boc::rt::BehaviorEntry body,
                                        const boc::rt::WhenCown* cowns, uint32_t want_result);
// Schedules the behavior that boc_rt_when_begin prepared on this ctx.
// Returns its result cown (the reference is the caller's), or nil.
boc::rt::Value boc_rt_when_submit(boc::rt::Ctx* ctx);
}
