// Error values: a message, where it happened, and the script stack trace.
//
// Design note: runtime helpers never throw. They store an Error in ctx->error
// (raise, context.hpp) and return Value::exc(); compiled code then calls
// boc_rt_trace at each call site the error passes through. The first site
// becomes the error's location (unless the error was created located), and
// each site adds one trace line. Building an Error never raises, so error
// paths cannot recurse.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "runtime/context.hpp"
#include "runtime/value.hpp"

namespace boc::rt {

// Trace lines kept: the innermost kTraceHead frames and the outermost
// kTraceTail. Runaway recursion passes ~10^5 frames; printing them all would
// bury the message (Python elides repeats for the same reason).
inline constexpr size_t kTraceHead = 50;
inline constexpr size_t kTraceTail = 10;

struct Error {
  Obj header{ObjType::Error};
  std::string message;
  std::string file;  // empty until located
  uint32_t line = 0;
  uint32_t col = 0;
  bool located = false;
  // "  at FUNCTION (FILE:LINE:COL)", innermost first.
  std::vector<std::string> trace_head;
  std::deque<std::string> trace_tail;  // after trace_head filled up
  uint64_t trace_omitted = 0;          // frames between head and tail
};

inline Error* as_error(Value v) { return reinterpret_cast<Error*>(v.obj()); }
inline Value error_value(Error* e) { return Value::object(Tag::Error, &e->header); }

// A new unlocated error (rc 1).
Error* error_new(std::string message);
// Stores `error_move` (an Error) as ctx's pending error, releasing any older
// one, and returns Value::exc(). For the stdlib's error(msg) and rethrows.
Value raise_error(Ctx* ctx, Value error_move);

// str(e): "file:line: message", or just the message when unlocated.
std::string error_to_string(const Error* e);

// What the user sees for an uncaught error:
// "file:line:col: runtime error: message\n" then one trace line per frame
// (each ending in '\n'). Unlocated: "runtime error: message\n". A value that
// is not an Error is shown as str(value).
std::string format_runtime_error(Value error);

}  // namespace boc::rt
