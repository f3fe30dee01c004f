// Scheduling script behaviors: the runtime side of `when`.
//
// Design note: codegen compiles each when body into a function with the
// uniform FnEntry signature whose `args` is really an array of Value*
// (one per entry, pointing at the cown's content, or at a list of contents
// for a group), so the body reads and writes cown contents in place. The
// body's captured variables travel in a Function object (`closure`), exactly
// like a closure's.
#pragma once

#include <cstdint>

#include "runtime/context.hpp"
#include "runtime/value.hpp"

namespace boc::rt {

// Static facts about one `when` in the source, made by codegen.
struct WhenSite {
  uint32_t num_entries;
  const uint8_t* read;       // per entry: 1 for `read name`
  const char* const* names;  // per entry, for error messages
  const SiteInfo* site;      // the `when` keyword: reports name it
};

}  // namespace boc::rt

extern "C" {
// Checks that every entry is a cown or a list of cowns, then schedules the
// body. Returns the result cown when want_result, else nil; exc on error.
boc::rt::Value boc_rt_when(boc::rt::Ctx* ctx, const boc::rt::WhenSite* site,
                           boc::rt::Value closure, const boc::rt::Value* entries,
                           uint32_t want_result);
}
