// String methods: upper lower trim split contains starts_with ends_with find
// replace slice repeat len. Offsets and lengths count bytes (the contract);
// case mapping and trimming are ASCII-only, leaving other UTF-8 bytes as is.
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "runtime/list.hpp"
#include "runtime/string.hpp"
#include "stdlib/methods.hpp"
#include "stdlib/native.hpp"
#include "stdlib/slice.hpp"

namespace boc::stdlib {
namespace {

using rt::Ctx;
using rt::Tag;
using rt::Value;

constexpr std::string_view kAsciiSpace = " \t\n\r\v\f";

std::string_view text(const Value* self) { return rt::string_view_of(*self); }

// Reads a string argument; false (error raised) when it is not one.
bool string_arg(Ctx* ctx, std::string_view method, Value v, std::string_view* out) {
  if (v.tag != Tag::String) {
    type_error(ctx, method, "a string", v);
    return false;
  }
  *out = rt::string_view_of(v);
  return true;
}

Value upper(Ctx*, Value* self, const Value*, uint32_t) {
  std::string s(text(self));
  for (char& c : s)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return rt::make_string(s);
}

Value lower(Ctx*, Value* self, const Value*, uint32_t) {
  std::string s(text(self));
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return rt::make_string(s);
}

Value trim(Ctx*, Value* self, const Value*, uint32_t) {
  std::string_view s = text(self);
  size_t b = s.find_first_not_of(kAsciiSpace);
  if (b == std::string_view::npos) return rt::make_string({});
  return rt::make_string(s.substr(b, s.find_last_not_of(kAsciiSpace) - b + 1));
}

// split(sep): the pieces between occurrences of sep ("a,,b" -> ["a", "", "b"];
// "" -> [""]). split("") splits into UTF-8 characters, as `for (c in s)`
// iterates, instead of being an error: it is the natural way to get them.
Value split(Ctx* ctx, Value* self, const Value* args, uint32_t) {
  std::string_view sep;
  if (!string_arg(ctx, "split", args[0], &sep)) return Value::exc();
  std::string_view s = text(self);
  rt::List* out = rt::list_new();
  if (sep.empty()) {
    for (size_t i = 0; i < s.size();) {
      size_t n = rt::utf8_sequence_length(s, i);
      rt::list_push(out, rt::make_string(s.substr(i, n)));
      i += n;
    }
    return rt::list_value(out);
  }
  size_t start = 0;
  for (size_t at; (at = s.find(sep, start)) != std::string_view::npos; start = at + sep.size())
    rt::list_push(out, rt::make_string(s.substr(start, at - start)));
  rt::list_push(out, rt::make_string(s.substr(start)));
  return rt::list_value(out);
}

Value contains(Ctx* ctx, Value* self, const Value* args, uint32_t) {
  std::string_view x;
  if (!string_arg(ctx, "contains", args[0], &x)) return Value::exc();
  return Value::boolean(text(self).find(x) != std::string_view::npos);
}

Value starts_with(Ctx* ctx, Value* self, const Value* args, uint32_t) {
  std::string_view x;
  if (!string_arg(ctx, "starts_with", args[0], &x)) return Value::exc();
  return Value::boolean(text(self).starts_with(x));
}

Value ends_with(Ctx* ctx, Value* self, const Value* args, uint32_t) {
  std::string_view x;
  if (!string_arg(ctx, "ends_with", args[0], &x)) return Value::exc();
  return Value::boolean(text(self).ends_with(x));
}

// find(x): byte offset of the first occurrence, -1 when absent.
Value find(Ctx* ctx, Value* self, const Value* args, uint32_t) {
  std::string_view x;
  if (!string_arg(ctx, "find", args[0], &x)) return Value::exc();
  size_t at = text(self).find(x);
  return Value::integer(at == std::string_view::npos ? -1 : static_cast<int64_t>(at));
}

// replace(a, b): every non-overlapping occurrence, left to right. An empty
// `a` is an error: it occurs everywhere, and no answer is obviously right.
Value replace(Ctx* ctx, Value* self, const Value* args, uint32_t) {
  std::string_view from, to;
  if (!string_arg(ctx, "replace", args[0], &from) || !string_arg(ctx, "replace", args[1], &to))
    return Value::exc();
  if (from.empty()) return rt::raise(ctx, "replace() cannot replace an empty string");
  std::string_view s = text(self);
  std::string out;
  size_t start = 0;
  for (size_t at; (at = s.find(from, start)) != std::string_view::npos; start = at + from.size()) {
    out.append(s.substr(start, at - start));
    out.append(to);
    if (out.size() > kMaxBuiltStringBytes)
      return rt::raise(ctx, "replace() result is longer than " +
                                std::to_string(kMaxBuiltStringBytes) + " bytes");
  }
  out.append(s.substr(start));
  return rt::make_string(out);
}

// slice(i, j?): bytes [i, j), Python-clamped (slice.hpp); j defaults to the end.
Value slice(Ctx* ctx, Value* self, const Value* args, uint32_t argc) {
  int64_t i = 0, j = std::numeric_limits<int64_t>::max();
  if (!int_arg(ctx, "slice", "int offsets", args[0], &i) ||
      (argc > 1 && !int_arg(ctx, "slice", "int offsets", args[1], &j)))
    return Value::exc();
  std::string_view s = text(self);
  auto [b, e] = slice_bounds(i, j, s.size());
  return rt::make_string(s.substr(b, e - b));
}

Value repeat(Ctx* ctx, Value* self, const Value* args, uint32_t) {
  int64_t n = 0;
  if (!int_arg(ctx, "repeat", "an int count", args[0], &n)) return Value::exc();
  if (n < 0) return rt::raise(ctx, "repeat() count must not be negative, got " + std::to_string(n));
  std::string_view s = text(self);
  if (s.empty()) return rt::make_string({});  // "".repeat(10^18) must not loop
  if (static_cast<uint64_t>(n) > kMaxBuiltStringBytes / s.size())
    return rt::raise(ctx, "repeat() result would be longer than " +
                              std::to_string(kMaxBuiltStringBytes) + " bytes");
  std::string out;
  out.reserve(s.size() * static_cast<size_t>(n));
  for (int64_t k = 0; k < n; ++k) out.append(s);
  return rt::make_string(out);
}

Value length(Ctx*, Value* self, const Value*, uint32_t) {
  return Value::integer(static_cast<int64_t>(text(self).size()));
}

// clang-format off
constexpr MethodDef kDefs[] = {
    {"upper", 0, 0, upper},
    {"lower", 0, 0, lower},
    {"trim", 0, 0, trim},
    {"split", 1, 1, split},
    {"contains", 1, 1, contains},
    {"starts_with", 1, 1, starts_with},
    {"ends_with", 1, 1, ends_with},
    {"find", 1, 1, find},
    {"replace", 2, 2, replace},
    {"slice", 1, 2, slice},
    {"repeat", 1, 1, repeat},
    {"len", 0, 0, length},
};
// clang-format on

}  // namespace

const MethodTable kStringMethods = method_table(kDefs);

}  // namespace boc::stdlib
