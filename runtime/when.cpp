// `when`: checking entries, scheduling the compiled body, and running it on a
// worker with its cowns' contents, its result and its errors.
#include "runtime/when.hpp"

#include <algorithm>
#include <cstddef>
#include <type_traits>
#include <vector>

#include "runtime/error.hpp"
#include "runtime/group.hpp"
#include "runtime/list.hpp"
#include "runtime/noticeboard.hpp"
#include "runtime/ops.hpp"
#include "runtime/script_runtime.hpp"

namespace boc::rt {
namespace {

// Entries and requests up to this many live on the stack; more spill to the
// heap. One behavior rarely names more.
constexpr size_t kInline = 16;

// Compiled code's WhenCown array is passed on as the scheduler's requests.
static_assert(sizeof(WhenCown) == sizeof(Request) && alignof(WhenCown) == alignof(Request));
static_assert(sizeof(Request::read) == sizeof(WhenCown::read));  // a bool: 0 or 1
static_assert(offsetof(WhenCown, cown) == offsetof(Request, cown) &&
              offsetof(WhenCown, read) == offsetof(Request, read));

// A buffer of n T's, on the stack when small. The inline storage is left
// uninitialised (T is trivially copyable): callers write what they use, and
// a behavior is scheduled many times a second.
template <class T>
class SmallArray {
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);

 public:
  explicit SmallArray(size_t n) : data_(n > kInline ? new T[n] : reinterpret_cast<T*>(inline_)) {}
  ~SmallArray() {
    if (data_ != reinterpret_cast<T*>(inline_)) delete[] data_;
  }
  SmallArray(const SmallArray&) = delete;
  SmallArray& operator=(const SmallArray&) = delete;
  T* data() { return data_; }
  T& operator[](size_t i) { return data_[i]; }

 private:
  alignas(T) unsigned char inline_[kInline * sizeof(T)];
  T* data_;
};

struct EntryShape {
  uint32_t first_request;
  uint32_t count;
  uint32_t group;  // a list of cowns: the body sees a GroupView
};

// The behavior's captures area: this header, the captured values, and for a
// shaped behavior one EntryShape per entry. A behavior is plain when it has
// at most kPlainEntries entries, each one cown: entry i is request i, its
// body is run_plain and it has no CaptureDrop. Any other (a list of cowns
// among the entries, or more of them) is shaped: run_shaped and drop_shaped.
struct WhenHeader {
  const WhenSite* site;
  BehaviorEntry body;

  Value* captures() { return reinterpret_cast<Value*>(this + 1); }
  EntryShape* shapes() { return reinterpret_cast<EntryShape*>(captures() + site->num_captures); }
};
static_assert(sizeof(WhenHeader) % alignof(Value) == 0);

size_t captures_size(const WhenSite* site, bool shaped) {
  return sizeof(WhenHeader) + site->num_captures * sizeof(Value) +
         (shaped ? site->num_entries * sizeof(EntryShape) : 0);
}

// Whether capture i has the value of an entry, and so came without a
// reference of its own (see WhenSite::capture_entry).
bool aliases_entry(const WhenSite* site, uint32_t i) {
  return site->capture_entry && site->capture_entry[i] != WhenSite::kNoEntry;
}

// Whether capture i holds no reference: it aliases an entry that is a cown
// (an aliased capture of any other value is retained when submitted).
bool borrowed_capture(const WhenSite* site, uint32_t i, Value v) {
  return aliases_entry(site, i) && v.tag == Tag::Cown;
}

// Every entry was a cown, so every capture that aliases one borrowed it.
inline void drop_plain(WhenHeader* when) {
  const WhenSite* site = when->site;
  const Value* captures = when->captures();
  for (uint32_t k = 0; k < site->num_unaliased; ++k) {
    const Value& v = captures[site->unaliased[k]];
    if (v.is_heap()) release(v);
  }
}

// A capture aliasing a group entry holds a list, retained when scheduled.
// Called by the scheduler, even when run_shaped threw (a failed allocation).
void drop_shaped(void* p) {
  auto* when = static_cast<WhenHeader*>(p);
  const WhenSite* site = when->site;
  const Value* captures = when->captures();
  for (uint32_t i = 0; i < site->num_captures; ++i) {
    const Value& v = captures[i];
    if (v.is_heap() && !borrowed_capture(site, i, v)) release(v);
  }
}

std::string where(const SiteInfo* s) {
  return std::string(s->file) + ":" + std::to_string(s->line) + ":" + std::to_string(s->col);
}

void finish_with_error(Ctx* ctx, const WhenSite* site, Value* result) {
  *result = boc_rt_take_error(ctx);
  if (ctx->exiting) {
    ctx->runtime->request_exit(ctx->exit_code);
    ctx->exiting = false;
    release(*result);
    *result = Value::nil();
    return;
  }
  ctx->runtime->report_failure(format_runtime_error(*result) + "  in behavior scheduled at " +
                               where(site->site) + "\n");
}

// Stores or reports the body's result.
inline void finish(BehaviorRun& run, Ctx* ctx, const WhenSite* site, Value result) {
  drop_notice_snapshot(ctx);  // the next behavior reads the noticeboard afresh
  if (result.is_exc()) finish_with_error(ctx, site, &result);
  if (Value* slot = run.result()) {
    release(*slot);
    *slot = result;
  } else {
    release(result);
  }
}

// At most kPlainEntries entries, each one cown (prepare_checked gives any
// other behavior shapes). Drops the captures itself, so the behavior has no
// CaptureDrop: nothing here throws.
void run_plain(BehaviorRun& run) {
  auto* when = static_cast<WhenHeader*>(run.captures());
  auto* ctx = static_cast<Ctx*>(run.worker_local());
  const WhenSite* site = when->site;
  uint32_t n = site->num_entries;
  Value* contents[kPlainEntries];
  for (uint32_t i = 0; i < n; ++i) contents[i] = &run.content(i);
  Value result = when->body(ctx, when->captures(), contents, n);
  drop_plain(when);
  finish(run, ctx, site, result);
}

// Any entries: the body sees each list of cowns through a view.
void run_shaped(BehaviorRun& run) {
  auto* when = static_cast<WhenHeader*>(run.captures());
  const WhenSite* site = when->site;
  uint32_t n = site->num_entries;
  SmallArray<Value*> contents(n);
  SmallArray<Value> groups(n);
  for (uint32_t i = 0; i < n; ++i) {
    const EntryShape& shape = when->shapes()[i];
    if (!shape.group) {
      contents[i] = &run.content(shape.first_request);
      continue;
    }
    std::vector<Value*> members(shape.count);
    for (uint32_t j = 0; j < shape.count; ++j) members[j] = &run.content(shape.first_request + j);
    groups[i] = group_new(std::move(members));
    contents[i] = &groups[i];
  }

  auto* ctx = static_cast<Ctx*>(run.worker_local());
  finish(run, ctx, site, when->body(ctx, when->captures(), contents.data(), n));

  // A group the body replaced or resized is now a list: its elements go
  // back to the cowns by index (a view wrote to them directly).
  for (uint32_t i = 0; i < n; ++i) {
    const EntryShape& shape = when->shapes()[i];
    if (!shape.group) continue;
    if (!site->read[i] && groups[i].tag == Tag::List) {
      List* list = as_list(groups[i]);
      size_t m = std::min<size_t>(shape.count, list->items.size());
      for (size_t j = 0; j < m; ++j) {
        Value& content = run.content(shape.first_request + static_cast<uint32_t>(j));
        Value v = list->items[j];
        retain(v);
        release(content);
        content = v;
      }
    }
    release(groups[i]);
  }
}

// Raises the error for entry i (or an element of it), `v`; returns null.
Value* entry_error(Ctx* ctx, const WhenSite* site, uint32_t i, Value v) {
  raise(ctx, std::string("when entry '") + site->names[i] +
                 "' is not a cown or a list of cowns (it is " + type_name(v) + ")");
  return nullptr;
}

// False, with an error raised, where no runtime runs behaviors (a host's
// engine made without one).
bool runtime_or_error(Ctx* ctx) {
  if (ctx->runtime) return true;
  raise(ctx, "behaviors are not available in this context");
  return false;
}

// Allocates the behavior for `requests` (entry order; a group's cowns take
// consecutive places) and writes its header, leaving the captures to the
// caller and the behavior in ctx for boc_rt_when_submit.
inline WhenHeader* new_behavior(Ctx* ctx, const WhenSite* site, BehaviorEntry body,
                                std::span<const Request> requests, bool want_result,
                                BehaviorBody run, size_t capture_size, CaptureDrop drop) {
  if (!ctx->concurrent) ctx->concurrent = 1;
  Cown* result = want_result ? cown_new(Value::nil()) : nullptr;
  Behavior* b = ctx->runtime->scheduler().prepare(requests, result, run, capture_size, drop);
  auto* when = static_cast<WhenHeader*>(b->captures());
  when->site = site;
  when->body = body;
  ctx->when_behavior = b;
  return when;
}

// A plain behavior (see WhenHeader); returns where its captures go.
Value* new_plain_behavior(Ctx* ctx, const WhenSite* site, BehaviorEntry body,
                          std::span<const Request> requests, bool want_result) {
  return new_behavior(ctx, site, body, requests, want_result, run_plain,
                      captures_size(site, false), nullptr)
      ->captures();
}

// Any entries: checks them (reporting the first that is not a cown or a
// list of cowns), then prepares a plain or a shaped behavior.
Value* prepare_checked(Ctx* ctx, const WhenSite* site, BehaviorEntry body, const Value* entries,
                       bool want_result) {
  uint32_t n = site->num_entries;
  size_t num_requests = 0;
  for (uint32_t i = 0; i < n; ++i) {
    const Value& v = entries[i];
    if (v.tag == Tag::Cown) {
      ++num_requests;
    } else if (v.tag == Tag::List) {
      for (Value item : as_list(v)->items)
        if (item.tag != Tag::Cown) return entry_error(ctx, site, i, item);
      num_requests += as_list(v)->items.size();
    } else {
      return entry_error(ctx, site, i, v);
    }
  }
  if (!runtime_or_error(ctx)) return nullptr;
  SmallArray<Request> requests(num_requests);
  bool has_groups = false;
  size_t r = 0;
  for (uint32_t i = 0; i < n; ++i) {
    const Value& v = entries[i];
    bool read = site->read[i] != 0;
    if (v.tag == Tag::Cown) {
      requests[r++] = Request{reinterpret_cast<Cown*>(v.bits), read};
      continue;
    }
    has_groups = true;  // even an empty or one-cown list: the body sees a view
    for (Value item : as_list(v)->items)
      requests[r++] = Request{reinterpret_cast<Cown*>(item.obj()), read};
  }
  std::span<const Request> all(requests.data(), num_requests);
  if (!has_groups && n <= kPlainEntries)
    return new_plain_behavior(ctx, site, body, all, want_result);
  WhenHeader* when = new_behavior(ctx, site, body, all, want_result, run_shaped,
                                  captures_size(site, true), drop_shaped);
  r = 0;
  for (uint32_t i = 0; i < n; ++i) {
    const Value& v = entries[i];
    uint32_t count = v.tag == Tag::Cown ? 1 : static_cast<uint32_t>(as_list(v)->items.size());
    when->shapes()[i] = EntryShape{static_cast<uint32_t>(r), count, v.tag == Tag::List};
    r += count;
  }
  return when->captures();
}

}  // namespace
}  // namespace boc::rt

extern "C" boc::rt::Value* boc_rt_when_begin(boc::rt::Ctx* ctx, const boc::rt::WhenSite* site,
                                             boc::rt::BehaviorEntry body,
                                             const boc::rt::Value* entries, uint32_t want_result) {
  using namespace boc::rt;
  return prepare_checked(ctx, site, body, entries, want_result != 0);
}

extern "C" boc::rt::Value* boc_rt_when_begin_cowns(boc::rt::Ctx* ctx,
                                                   const boc::rt::WhenSite* site,
                                                   boc::rt::BehaviorEntry body,
                                                   const boc::rt::WhenCown* cowns,
                                                   uint32_t want_result) {
  using namespace boc::rt;
  if (!runtime_or_error(ctx)) return nullptr;
  std::span<const Request> requests(reinterpret_cast<const Request*>(cowns), site->num_entries);
  return new_plain_behavior(ctx, site, body, requests, want_result != 0);
}

extern "C" boc::rt::Value boc_rt_when_submit(boc::rt::Ctx* ctx) {
  using namespace boc::rt;
  auto* b = static_cast<Behavior*>(ctx->when_behavior);
  // Read now: once submitted, the behavior may run and be freed at any time.
  Cown* result = b->result_cown();
  if (b->drop == drop_shaped) {
    // A capture aliasing a group entry holds a list of cowns, which the
    // behavior does not hold: it needs a reference of its own.
    auto* when = static_cast<WhenHeader*>(b->captures());
    for (uint32_t i = 0; i < when->site->num_captures; ++i) {
      const Value& v = when->captures()[i];
      if (aliases_entry(when->site, i) && !borrowed_capture(when->site, i, v)) retain(v);
    }
  }
  ctx->runtime->scheduler().submit(b);
  return result ? result->as_value() : Value::nil();
}
