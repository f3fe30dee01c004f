// Argument checks and message helpers shared by the builtins and methods.
#include "stdlib/native.hpp"

#include "runtime/format.hpp"
#include "runtime/ops.hpp"
#include "runtime/string.hpp"

namespace boc::stdlib {
namespace {

// Longest piece of a string quoted in a message; a megabyte-long argument
// should not turn into a megabyte-long error line.
constexpr size_t kMaxQuotedBytes = 60;

std::string plural(uint32_t n) { return std::to_string(n) + (n == 1 ? " argument" : " arguments"); }

}  // namespace

bool check_arity(rt::Ctx* ctx, std::string_view name, uint32_t min, uint32_t max, uint32_t argc) {
  if (argc >= min && argc <= max) return true;
  std::string msg(name);
  msg += "() expects ";
  if (min == max)
    msg += plural(min);
  else if (max == kVariadic)
    msg += "at least " + plural(min);
  else
    msg += std::to_string(min) + " to " + plural(max);
  msg += ", got " + std::to_string(argc);
  rt::raise(ctx, std::move(msg));
  return false;
}

rt::Value type_error(rt::Ctx* ctx, std::string_view name, std::string_view what, rt::Value got) {
  std::string msg(name);
  msg += "() expects ";
  msg += what;
  msg += ", got ";
  msg += rt::type_name(got);
  return rt::raise(ctx, std::move(msg));
}

std::string describe(rt::Value v) {
  if (v.tag != rt::Tag::String) return rt::to_display(v);
  std::string_view text = rt::string_view_of(v);
  bool cut = text.size() > kMaxQuotedBytes;
  if (cut) {
    // Cut before a UTF-8 continuation byte's sequence, not inside it.
    size_t n = kMaxQuotedBytes;
    while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
    text = text.substr(0, n);
  }
  // format_quoted escapes control bytes; swap its double quotes for single
  // ones so the message reads "cannot convert 'abc' to int".
  std::string quoted;
  rt::format_quoted(quoted, text);
  quoted.front() = '\'';
  quoted.back() = '\'';
  if (cut) quoted.insert(quoted.size() - 1, "...");
  return quoted;
}

bool int_arg(rt::Ctx* ctx, std::string_view name, std::string_view what, rt::Value v,
             int64_t* out) {
  if (v.tag != rt::Tag::Int) {
    type_error(ctx, name, what, v);
    return false;
  }
  *out = v.as_int();
  return true;
}

}  // namespace boc::stdlib
