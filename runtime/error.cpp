// Error objects, raising, stack traces, and the user-facing error report.
#include "runtime/error.hpp"

#include <utility>

#include "runtime/abi.hpp"
#include "runtime/format.hpp"
#include "runtime/heap.hpp"

namespace boc::rt {

Error* error_new(std::string message) {
  Error* e = new_object<Error>();
  e->message = std::move(message);
  return e;
}

Value raise_error(Ctx* ctx, Value error_move) {
  Value old = ctx->error;
  ctx->error = error_move;
  release(old);
  return Value::exc();
}

Value raise(Ctx* ctx, std::string message) {
  return raise_error(ctx, error_value(error_new(std::move(message))));
}

std::string error_to_string(const Error* e) {
  if (!e->located) return e->message;
  return e->file + ":" + std::to_string(e->line) + ": " + e->message;
}

std::string format_runtime_error(Value error) {
  if (error.tag != Tag::Error) return "runtime error: " + to_display(error) + "\n";
  const Error* e = as_error(error);
  std::string out;
  if (e->located)
    out = e->file + ":" + std::to_string(e->line) + ":" + std::to_string(e->col) + ": ";
  out += "runtime error: " + e->message + "\n";
  for (const std::string& line : e->trace_head) out += line + "\n";
  if (e->trace_omitted)
    out += "  ... " + std::to_string(e->trace_omitted) + " more frames\n";
  for (const std::string& line : e->trace_tail) out += line + "\n";
  return out;
}

}  // namespace boc::rt

extern "C" {

void boc_rt_trace(Ctx* ctx, const boc::rt::SiteInfo* site) {
  using namespace boc::rt;
  if (ctx->error.tag != Tag::Error) return;
  Error* e = as_error(ctx->error);
  // Codegen always names both; the fallbacks only keep a bad site from crashing.
  const char* function = site->function ? site->function : "<fn>";
  const char* file = site->file ? site->file : "<unknown>";
  if (!e->located) {
    e->file = file;
    e->line = site->line;
    e->col = site->col;
    e->located = true;
  }
  std::string line = std::string("  at ") + function + " (" + file + ":" +
                     std::to_string(site->line) + ":" + std::to_string(site->col) + ")";
  if (e->trace_head.size() < kTraceHead) {
    e->trace_head.push_back(std::move(line));
    return;
  }
  e->trace_tail.push_back(std::move(line));
  if (e->trace_tail.size() > kTraceTail) {
    e->trace_tail.pop_front();
    ++e->trace_omitted;
  }
}

Value boc_rt_interrupted(Ctx* ctx) {
  ctx->interrupt.store(0, std::memory_order_relaxed);
  return boc::rt::raise(ctx, "interrupted");
}

Value boc_rt_arity_error(Ctx* ctx, const boc::rt::FnProto* proto, uint32_t argc) {
  std::string who = proto->name && proto->name[0]
                        ? std::string("function '") + proto->name + "'"
                        : std::string("function");
  std::string message = "wrong number of arguments: " + who + " expects " +
                        std::to_string(proto->arity) +
                        (proto->arity == 1 ? " argument" : " arguments") + ", got " +
                        std::to_string(argc);
  return boc::rt::raise(ctx, std::move(message));
}

Value boc_rt_take_error(Ctx* ctx) {
  // exit(code) travels as a pending error that no catch may take
  // (context.hpp): the catch sees exc and keeps unwinding.
  if (ctx->exiting) return Value::exc();
  Value e = ctx->error;
  ctx->error = Value::nil();
  return e;
}

}  // extern "C"
