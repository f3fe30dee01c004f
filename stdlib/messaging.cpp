// send(tag, v) and receive(tags, timeout?): Erlang-style messages between the
// main program and behaviors (LANGUAGE.md section 6; the queues are
// runtime/mailbox.hpp).
//
// Decisions where the contract is silent: tags are strings, and "timeout" is
// reserved (receive returns it for a timeout, so a message could not be told
// apart); a message is a copy of the value (value semantics), cowns in it are
// shared; the timeout is a number of seconds >= 0 (int or float; 0 polls, nil
// or none waits forever); a receive over several tags takes the oldest
// message among them. receive blocks its thread: inside a behavior that is a
// worker, so a receive whose sender needs that worker (few workers, or a
// sender scheduled behind it on the same cown) can deadlock; prefer a
// timeout there.
#include <chrono>
#include <cmath>
#include <exception>
#include <new>
#include <optional>
#include <string>
#include <vector>

#include "runtime/abi.hpp"
#include "runtime/format.hpp"
#include "runtime/function.hpp"
#include "runtime/group.hpp"
#include "runtime/list.hpp"
#include "runtime/ops.hpp"
#include "runtime/script_runtime.hpp"
#include "runtime/string.hpp"
#include "stdlib/concurrency.hpp"
#include "stdlib/native.hpp"

namespace boc::stdlib {
namespace {

using rt::Ctx;
using rt::Tag;
using rt::Value;

// The tag receive returns when its timeout passes.
constexpr std::string_view kTimeoutTag = "timeout";
// Timeouts longer than this (about 31 years) wait forever: adding them to
// the clock could overflow it.
constexpr double kForeverSeconds = 1e9;

// Runs `body`, turning any C++ exception into a runtime error naming `name`:
// natives run under JIT-compiled frames, which exceptions must not unwind.
template <class F>
Value guarded(Ctx* ctx, const char* name, F&& body) {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return rt::raise(ctx, std::string(name) + ": out of memory");
  } catch (const std::exception& e) {
    return rt::raise(ctx, std::string(name) + ": internal error: " + e.what());
  } catch (...) {
    return rt::raise(ctx, std::string(name) + ": internal error");
  }
}

// send(tag, v)
Value native_send(Ctx* ctx, rt::Function*, const Value* args, uint32_t argc) {
  if (!check_arity(ctx, "send", 2, 2, argc)) return Value::exc();
  if (args[0].tag != Tag::String) return type_error(ctx, "send", "a string tag", args[0]);
  std::string_view tag = rt::string_view_of(args[0]);
  if (tag == kTimeoutTag)
    return rt::raise(ctx, "send(): the tag 'timeout' is reserved for receive's timeouts");
  if (!ctx->runtime) return rt::raise(ctx, "send(): messaging is not available here");
  return guarded(ctx, "send", [&] {
    // A group entry is sent as the list of its contents.
    Value v = boc_rt_entry_read(args[1]);
    try {
      ctx->runtime->mailbox().send(tag, v);
    } catch (...) {
      rt::release(v);
      throw;
    }
    rt::release(v);
    return Value::nil();
  });
}

// The tags of receive's first argument, or false with an error raised.
[[nodiscard]] bool tags_arg(Ctx* ctx, Value v, std::vector<std::string>* out) {
  constexpr const char* kWhat = "a string tag or a list of string tags";
  if (v.tag == Tag::String) {
    out->emplace_back(rt::string_view_of(v));
    return true;
  }
  if (v.tag != Tag::List) {
    type_error(ctx, "receive", kWhat, v);
    return false;
  }
  const auto& items = rt::as_list(v)->items;
  if (items.empty()) {
    rt::raise(ctx, "receive() expects at least one tag, got an empty list");
    return false;
  }
  out->reserve(items.size());
  for (Value item : items) {
    if (item.tag != Tag::String) {
      rt::raise(ctx, std::string("receive() expects a list of string tags, found ") +
                         rt::type_name(item) + " in it");
      return false;
    }
    out->emplace_back(rt::string_view_of(item));
  }
  return true;
}

// The deadline for a timeout argument (nullopt: wait forever), or false with
// an error raised.
[[nodiscard]] bool deadline_arg(Ctx* ctx, Value v,
                                std::optional<rt::Mailbox::Clock::time_point>* out) {
  double seconds = 0;
  if (v.tag == Tag::Nil) return true;
  if (v.tag == Tag::Int) {
    seconds = static_cast<double>(v.as_int());
  } else if (v.tag == Tag::Float) {
    seconds = v.as_float();
  } else {
    type_error(ctx, "receive", "a timeout in seconds (a number)", v);
    return false;
  }
  if (std::isnan(seconds) || seconds < 0) {
    rt::raise(ctx, "receive() expects a timeout of at least 0 seconds, got " + rt::to_display(v));
    return false;
  }
  if (seconds >= kForeverSeconds) return true;
  *out = rt::Mailbox::Clock::now() +
         std::chrono::duration_cast<rt::Mailbox::Clock::duration>(
             std::chrono::duration<double>(seconds));
  return true;
}

Value pair(Value tag_move, Value value_move) {
  rt::List* l = rt::list_new(2);
  rt::list_push(l, tag_move);
  rt::list_push(l, value_move);
  return rt::list_value(l);
}

// receive(tag_or_tags, timeout?) -> [tag, value] or ["timeout", nil]
Value native_receive(Ctx* ctx, rt::Function*, const Value* args, uint32_t argc) {
  if (!check_arity(ctx, "receive", 1, 2, argc)) return Value::exc();
  if (!ctx->runtime) return rt::raise(ctx, "receive(): messaging is not available here");
  return guarded(ctx, "receive", [&] {
    std::vector<std::string> tags;
    if (!tags_arg(ctx, args[0], &tags)) return Value::exc();
    std::optional<rt::Mailbox::Clock::time_point> deadline;
    if (argc == 2 && !deadline_arg(ctx, args[1], &deadline)) return Value::exc();
    // The main program's wait can be interrupted (a REPL's Ctrl-C); a
    // behavior's cannot be reached by one.
    const std::atomic<uint32_t>* interrupt = ctx->in_behavior ? nullptr : &ctx->interrupt;
    rt::Mailbox::Message m = ctx->runtime->mailbox().receive(tags, deadline, interrupt);
    switch (m.status) {
      case rt::Mailbox::Status::Received: {
        Value tag = Value::nil();
        try {
          tag = rt::make_string(m.tag);
          return pair(tag, m.value);
        } catch (...) {
          rt::release(tag);
          rt::release(m.value);
          throw;
        }
      }
      case rt::Mailbox::Status::TimedOut:
        return pair(rt::make_string(kTimeoutTag), Value::nil());
      case rt::Mailbox::Status::Interrupted:
        break;
    }
    return boc_rt_interrupted(ctx);
  });
}

constexpr rt::FnProto kSendProto{native_send, "send", 2};
constexpr rt::FnProto kReceiveProto{native_receive, "receive", 1};

}  // namespace

std::vector<std::pair<std::string, rt::Value>> make_messaging_builtins() {
  return {{"send", rt::function_value(rt::function_new(&kSendProto, 0))},
          {"receive", rt::function_value(rt::function_new(&kReceiveProto, 0))}};
}

}  // namespace boc::stdlib
