// `when`: checking entries, scheduling the compiled body, and running it on a
// worker with its cowns' contents, its result and its errors.
#include "runtime/when.hpp"

#include <cstring>
#include <new>
#include <vector>

#include "runtime/abi.hpp"
#include "runtime/error.hpp"
#include "runtime/function.hpp"
#include "runtime/group.hpp"
#include "runtime/list.hpp"
#include "runtime/ops.hpp"
#include "runtime/script_runtime.hpp"

namespace boc::rt {
namespace {

struct EntryShape {
  uint32_t first_request;
  uint32_t count;
  bool group;  // a list of cowns: the body sees a list of their contents
};

// Copied into the behavior's allocation (trivially copyable; `closure` is
// released by drop_when_capture).
struct WhenCapture {
  Value closure;
  const WhenSite* site;
  ScriptRuntime* runtime;
  uint32_t num_entries;
  EntryShape shapes[];  // num_entries of them
};

void drop_when_capture(void* p) { release(static_cast<WhenCapture*>(p)->closure); }

std::string where(const SiteInfo* s) {
  return std::string(s->file) + ":" + std::to_string(s->line) + ":" + std::to_string(s->col);
}

void run_when(BehaviorRun& run) {
  auto* cap = static_cast<WhenCapture*>(run.captures());
  Ctx* ctx = cap->runtime->worker_ctx(run.worker_index());
  uint32_t n = cap->num_entries;
  std::vector<Value*> contents(n);
  std::vector<Value> groups(n, Value::nil());
  for (uint32_t i = 0; i < n; ++i) {
    const EntryShape& shape = cap->shapes[i];
    if (!shape.group) {
      contents[i] = &run.content(shape.first_request);
      continue;
    }
    std::vector<Value*> members(shape.count);
    for (uint32_t j = 0; j < shape.count; ++j) members[j] = &run.content(shape.first_request + j);
    groups[i] = group_new(std::move(members));
    contents[i] = &groups[i];
  }

  Function* body = as_function(cap->closure);
  Value result = body->proto->entry(ctx, body, reinterpret_cast<const Value*>(contents.data()), n);

  // A group the body replaced or resized is now a list: its elements go
  // back to the cowns by index (a view wrote to them directly).
  for (uint32_t i = 0; i < n; ++i) {
    const EntryShape& shape = cap->shapes[i];
    if (!shape.group) continue;
    if (!cap->site->read[i] && groups[i].tag == Tag::List) {
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

  if (result.is_exc()) {
    result = boc_rt_take_error(ctx);
    if (ctx->exiting) {
      cap->runtime->request_exit(ctx->exit_code);
      ctx->exiting = false;
      release(ctx->error);
      ctx->error = Value::nil();
    } else {
      cap->runtime->report_failure(format_runtime_error(result) + "  in behavior scheduled at " +
                                   where(cap->site->site) + "\n");
    }
  }
  if (Value* slot = run.result()) {
    release(*slot);
    *slot = result;
  } else {
    release(result);
  }
}

Value entry_error(Ctx* ctx, const WhenSite* site, uint32_t i, Value v) {
  return raise(ctx, std::string("when entry '") + site->names[i] +
                        "' is not a cown or a list of cowns (it is " + type_name(v) + ")");
}

}  // namespace
}  // namespace boc::rt

extern "C" boc::rt::Value boc_rt_when(boc::rt::Ctx* ctx, const boc::rt::WhenSite* site,
                                      boc::rt::Value closure, const boc::rt::Value* entries,
                                      uint32_t want_result) {
  using namespace boc::rt;
  uint32_t n = site->num_entries;
  std::vector<Request> requests;
  size_t capture_size = sizeof(WhenCapture) + n * sizeof(EntryShape);
  // Aligned storage for the capture header and its trailing shapes.
  std::vector<std::max_align_t> storage((capture_size + sizeof(std::max_align_t) - 1) /
                                        sizeof(std::max_align_t));
  auto* cap = reinterpret_cast<WhenCapture*>(storage.data());
  for (uint32_t i = 0; i < n; ++i) {
    Value v = entries[i];
    bool read = site->read[i] != 0;
    EntryShape shape{static_cast<uint32_t>(requests.size()), 0, false};
    if (v.tag == Tag::Cown) {
      requests.push_back({reinterpret_cast<Cown*>(v.obj()), read});
      shape.count = 1;
    } else if (v.tag == Tag::List) {
      shape.group = true;
      for (Value item : as_list(v)->items) {
        if (item.tag != Tag::Cown) return entry_error(ctx, site, i, item);
        requests.push_back({reinterpret_cast<Cown*>(item.obj()), read});
        ++shape.count;
      }
    } else {
      return entry_error(ctx, site, i, v);
    }
    cap->shapes[i] = shape;
  }
  ScriptRuntime* runtime = ctx->runtime;
  if (!runtime) return raise(ctx, "behaviors are not available in this context");
  ctx->concurrent = 1;
  retain(closure);
  cap->closure = closure;
  cap->site = site;
  cap->runtime = runtime;
  cap->num_entries = n;
  Cown* result = want_result ? cown_new(Value::nil()) : nullptr;
  runtime->scheduler().schedule(requests, result, run_when, cap, capture_size, drop_when_capture);
  return result ? result->as_value() : Value::nil();
}
