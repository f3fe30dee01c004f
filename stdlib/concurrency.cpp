// cown(v), wait() and wait(c).
#include "stdlib/concurrency.hpp"

#include "runtime/abi.hpp"
#include "runtime/function.hpp"
#include "runtime/script_runtime.hpp"
#include "stdlib/native.hpp"

namespace boc::stdlib {
namespace {

using rt::Ctx;
using rt::Value;

// cown(v): a new cown holding (a copy of) v.
Value native_cown(Ctx* ctx, rt::Function*, const Value* args, uint32_t argc) {
  if (!check_arity(ctx, "cown", 1, 1, argc)) return Value::exc();
  rt::retain(args[0]);
  return rt::cown_new(args[0])->as_value();
}

// wait(): every behavior, transitively. wait(c): every behavior scheduled on
// c so far, then a copy of c's content. The main program only: a behavior
// that waited could block the worker its awaited behaviors need.
Value native_wait(Ctx* ctx, rt::Function*, const Value* args, uint32_t argc) {
  if (!check_arity(ctx, "wait", 0, 1, argc)) return Value::exc();
  if (ctx->in_behavior) return rt::raise(ctx, "wait() cannot be called inside a behavior");
  if (!ctx->runtime) return rt::raise(ctx, "wait() is not available here");
  rt::Scheduler& scheduler = ctx->runtime->scheduler();
  if (argc == 0) {
    // Also waits for every queued noticeboard write: the board holds the
    // scheduler while it has work (runtime/noticeboard.hpp).
    scheduler.wait_all();
    return Value::nil();
  }
  if (args[0].tag != rt::Tag::Cown) return type_error(ctx, "wait", "a cown", args[0]);
  Value content = Value::nil();
  scheduler.wait_cown(reinterpret_cast<rt::Cown*>(args[0].obj()), &content);
  // Every noticeboard write made before wait(c) returns is visible after it.
  ctx->runtime->noticeboard().flush();
  return content;
}

constexpr rt::FnProto kCownProto{native_cown, "cown", 1};
constexpr rt::FnProto kWaitProto{native_wait, "wait", 1};

}  // namespace

std::vector<std::pair<std::string, rt::Value>> make_concurrency_builtins() {
  std::vector<std::pair<std::string, rt::Value>> out{
      {"cown", rt::function_value(rt::function_new(&kCownProto, 0))},
      {"wait", rt::function_value(rt::function_new(&kWaitProto, 0))}};
  for (auto& builtin : make_messaging_builtins()) out.push_back(std::move(builtin));
  out.emplace_back("notice", make_notice_module());
  return out;
}

}  // namespace boc::stdlib
