// The notice module: write, update, delete, read and all on the engine's
// noticeboard (LANGUAGE.md section 6; the store is runtime/noticeboard.hpp).
//
// Decisions where the contract is silent: keys are strings (as in bocpy),
// anything else is an error; writing nil, or an update function returning
// nil, deletes the key, so the board never holds nil and notice.all() shows
// only real entries; values are stored as copies (value semantics), cowns in
// them are shared and stay alive while the board holds them. Mutations are
// fire-and-forget: a behavior does not see its own writes (its snapshot was
// taken at its first read), the main program sees them once the noticeboard
// thread has applied them, which wait() guarantees.
#include <string>

#include "runtime/group.hpp"
#include "runtime/map.hpp"
#include "runtime/script_runtime.hpp"
#include "stdlib/concurrency.hpp"
#include "stdlib/module_table.hpp"
#include "stdlib/native.hpp"

namespace boc::stdlib {
namespace {

using rt::Ctx;
using rt::Tag;
using rt::Value;

// The engine's noticeboard, or nullptr with an error raised.
rt::Noticeboard* board(Ctx* ctx, const char* name) {
  if (ctx->runtime) return &ctx->runtime->noticeboard();
  rt::raise(ctx, std::string(name) + ": the noticeboard is not available here");
  return nullptr;
}

[[nodiscard]] bool key_arg(Ctx* ctx, const char* name, Value key) {
  if (key.tag == Tag::String) return true;
  type_error(ctx, name, "a string key", key);
  return false;
}

Value queued(Ctx* ctx, const char* name, bool ok) {
  if (ok) return Value::nil();
  return rt::raise(ctx, std::string(name) + ": cannot start the noticeboard thread");
}

// notice.write(k, v)
Value write_(Ctx* ctx, const Value* args, uint32_t) {
  if (!key_arg(ctx, "notice.write", args[0])) return Value::exc();
  rt::Noticeboard* b = board(ctx, "notice.write");
  if (!b) return Value::exc();
  // A group entry is passed as the list of its contents (never stored itself).
  Value v = boc_rt_entry_read(args[1]);
  bool ok = b->write(args[0], v);
  rt::release(v);
  return queued(ctx, "notice.write", ok);
}

// notice.update(k, fn): fn(current or nil) runs on the noticeboard thread.
Value update_(Ctx* ctx, const Value* args, uint32_t) {
  if (!key_arg(ctx, "notice.update", args[0])) return Value::exc();
  if (args[1].tag != Tag::Function) return type_error(ctx, "notice.update", "a function", args[1]);
  rt::Noticeboard* b = board(ctx, "notice.update");
  if (!b) return Value::exc();
  return queued(ctx, "notice.update", b->update(args[0], args[1]));
}

// notice.delete(k): deleting a missing key is not an error (nothing to do).
Value delete_(Ctx* ctx, const Value* args, uint32_t) {
  if (!key_arg(ctx, "notice.delete", args[0])) return Value::exc();
  rt::Noticeboard* b = board(ctx, "notice.delete");
  if (!b) return Value::exc();
  return queued(ctx, "notice.delete", b->remove(args[0]));
}

// notice.read(k): the value in this behavior's snapshot, or nil.
Value read_(Ctx* ctx, const Value* args, uint32_t) {
  if (!key_arg(ctx, "notice.read", args[0])) return Value::exc();
  rt::Noticeboard* b = board(ctx, "notice.read");
  if (!b) return Value::exc();
  Value view = b->view(ctx);
  Value* slot = rt::map_find(rt::as_map(view), args[0]);
  Value out = slot ? *slot : Value::nil();
  rt::retain(out);
  rt::release(view);
  return out;
}

// notice.all(): the snapshot itself, a map shared copy-on-write.
Value all_(Ctx* ctx, const Value*, uint32_t) {
  rt::Noticeboard* b = board(ctx, "notice.all");
  if (!b) return Value::exc();
  return b->view(ctx);
}

constexpr ModuleFn kNoticeFns[] = {
    {"notice.write", 2, 2, write_}, {"notice.update", 2, 2, update_},
    {"notice.delete", 1, 1, delete_}, {"notice.read", 1, 1, read_},
    {"notice.all", 0, 0, all_},
};
constexpr auto kNoticeProtos = module_protos<kNoticeFns>();

}  // namespace

Value make_notice_module() { return make_module_map(kNoticeProtos); }

}  // namespace boc::stdlib
