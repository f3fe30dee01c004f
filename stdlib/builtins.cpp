// The core builtins: their implementations and the one table that names them.
#include "stdlib/builtins.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <string_view>
#include <system_error>
#include <utility>

#include "runtime/abi.hpp"
#include "runtime/error.hpp"
#include "runtime/format.hpp"
#include "runtime/function.hpp"
#include "runtime/list.hpp"
#include "runtime/map.hpp"
#include "runtime/ops.hpp"
#include "runtime/string.hpp"
#include "stdlib/native.hpp"

namespace boc::stdlib {
namespace {

using rt::Ctx;
using rt::Tag;
using rt::Value;

// A builtin's body; argc has already been checked against the table.
using BuiltinImpl = Value (*)(Ctx* ctx, const Value* args, uint32_t argc);

// Strips the ASCII whitespace that int(" 42 ") and float(" 1.5\n") accept,
// as Python and Lua do: numbers often arrive from read_line or split.
std::string_view trim_ascii(std::string_view s) {
  constexpr std::string_view kSpace = " \t\n\r\v\f";
  size_t b = s.find_first_not_of(kSpace);
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(kSpace) - b + 1);
}

// "cannot convert 'abc' to int", "cannot convert nan to int (...)",
// "cannot convert list to int".
Value cannot_convert(Ctx* ctx, Value v, std::string_view to, std::string_view why = {}) {
  std::string msg = "cannot convert ";
  if (v.tag == Tag::String)
    msg += describe(v);
  else if (v.is_heap())
    msg += rt::type_name(v);
  else
    msg += rt::to_display(v);
  msg += " to ";
  msg += to;
  if (!why.empty()) msg += " (" + std::string(why) + ")";
  return rt::raise(ctx, std::move(msg));
}

// print(...): str of each argument, space-separated, then a newline, handed to
// the host as ONE write so that lines from concurrent behaviors never mix.
Value print(Ctx* ctx, const Value* args, uint32_t argc) {
  std::string line;
  for (uint32_t i = 0; i < argc; ++i) {
    if (i > 0) line += ' ';
    rt::format_value(line, args[i]);
  }
  line += '\n';
  if (ctx->host != nullptr) ctx->host->write_out(line);
  return Value::nil();
}

// len(x): bytes of a string, elements of a list, entries of a map.
Value len(Ctx* ctx, const Value* args, uint32_t) {
  Value v = args[0];
  switch (v.tag) {
    case Tag::String:
      return Value::integer(static_cast<int64_t>(rt::as_string(v)->size));
    case Tag::List:
      return Value::integer(static_cast<int64_t>(rt::as_list(v)->items.size()));
    case Tag::Map:
      return Value::integer(static_cast<int64_t>(rt::map_size(rt::as_map(v))));
    default:
      return type_error(ctx, "len", "a string, list or map", v);
  }
}

// str(x): the printed form; a string is returned as itself (no copy).
Value str(Ctx*, const Value* args, uint32_t) {
  if (args[0].tag == Tag::String) {
    rt::retain(args[0]);
    return args[0];
  }
  return rt::make_string(rt::to_display(args[0]));
}

// int(x): ints as they are, bools as 0/1, floats truncated toward zero (nan,
// inf and values outside int64 are errors), strings parsed as an optionally
// signed decimal with optional surrounding whitespace.
Value to_int(Ctx* ctx, const Value* args, uint32_t) {
  Value v = args[0];
  switch (v.tag) {
    case Tag::Int:
      return v;
    case Tag::Bool:
      return Value::integer(v.as_bool() ? 1 : 0);
    case Tag::Float: {
      double d = v.as_float();
      if (std::isnan(d) || std::isinf(d)) return cannot_convert(ctx, v, "int");
      // 2^63 is exact in a double; the int64 range is [-2^63, 2^63).
      constexpr double kTwo63 = 9223372036854775808.0;
      double t = std::trunc(d);
      if (t < -kTwo63 || t >= kTwo63) return cannot_convert(ctx, v, "int", "out of range");
      return Value::integer(static_cast<int64_t>(t));
    }
    case Tag::String: {
      std::string_view s = trim_ascii(rt::string_view_of(v));
      // from_chars takes '-' but not '+'; a sign must be followed by digits.
      bool negative = !s.empty() && s.front() == '-';
      if (!s.empty() && (s.front() == '+' || negative)) s.remove_prefix(1);
      if (s.empty() || s.front() < '0' || s.front() > '9') return cannot_convert(ctx, v, "int");
      uint64_t magnitude = 0;
      auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), magnitude);
      if (end != s.data() + s.size()) return cannot_convert(ctx, v, "int");
      constexpr uint64_t kMaxMagnitude = uint64_t{1} << 63;  // |INT64_MIN|
      if (ec == std::errc::result_out_of_range || magnitude > kMaxMagnitude ||
          (!negative && magnitude == kMaxMagnitude))
        return cannot_convert(ctx, v, "int", "out of range");
      // Unsigned negation is exact, including for 2^63 -> INT64_MIN.
      return Value::integer(static_cast<int64_t>(negative ? 0 - magnitude : magnitude));
    }
    default:
      return cannot_convert(ctx, v, "int");
  }
}

// float(x): numbers and bools converted; strings parsed as a decimal or
// exponent form, "inf", "infinity" or "nan" (any case, optional sign).
Value to_float(Ctx* ctx, const Value* args, uint32_t) {
  Value v = args[0];
  switch (v.tag) {
    case Tag::Float:
      return v;
    case Tag::Int:
      return Value::real(static_cast<double>(v.as_int()));
    case Tag::Bool:
      return Value::real(v.as_bool() ? 1.0 : 0.0);
    case Tag::String: {
      std::string_view s = trim_ascii(rt::string_view_of(v));
      // from_chars rejects a leading '+'; strip it, but not before a '-'.
      if (s.size() > 1 && s.front() == '+' && s[1] != '-') s.remove_prefix(1);
      double d = 0;
      auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
      if (s.empty() || end != s.data() + s.size()) return cannot_convert(ctx, v, "float");
      if (ec == std::errc::result_out_of_range)
        return cannot_convert(ctx, v, "float", "out of range");
      if (ec != std::errc()) return cannot_convert(ctx, v, "float");
      return Value::real(d);
    }
    default:
      return cannot_convert(ctx, v, "float");
  }
}

Value type_of(Ctx*, const Value* args, uint32_t) { return rt::make_string(rt::type_name(args[0])); }

// assert(c, msg?): nil when c is truthy, else an error with msg (str of it if
// not a string) or "assertion failed".
Value assert_(Ctx* ctx, const Value* args, uint32_t argc) {
  if (args[0].truthy()) return Value::nil();
  if (argc < 2) return rt::raise(ctx, "assertion failed");
  return rt::raise(ctx, rt::to_display(args[1]));
}

// error(msg): raises an error whose message is str(msg). Given an error value
// (a rethrow from catch), it keeps that error's message rather than str(e),
// which would prefix the old location to the new one.
Value error(Ctx* ctx, const Value* args, uint32_t) {
  if (args[0].tag == Tag::Error) return rt::raise(ctx, rt::as_error(args[0])->message);
  return rt::raise(ctx, rt::to_display(args[0]));
}

// range(a, b, step?): the list a, a+step, ... up to but excluding b. Counting
// is done in unsigned arithmetic so that extreme bounds cannot overflow.
Value range(Ctx* ctx, const Value* args, uint32_t argc) {
  int64_t a = 0, b = 0, step = 1;
  if (!int_arg(ctx, "range", "int bounds", args[0], &a) ||
      !int_arg(ctx, "range", "int bounds", args[1], &b) ||
      (argc > 2 && !int_arg(ctx, "range", "an int step", args[2], &step)))
    return Value::exc();
  if (step == 0) return rt::raise(ctx, "range() step must not be 0");
  uint64_t count = 0;
  if (step > 0 && a < b) {
    uint64_t span = static_cast<uint64_t>(b) - static_cast<uint64_t>(a);
    uint64_t ustep = static_cast<uint64_t>(step);
    count = span / ustep + (span % ustep != 0);
  } else if (step < 0 && a > b) {
    uint64_t span = static_cast<uint64_t>(a) - static_cast<uint64_t>(b);
    uint64_t ustep = 0 - static_cast<uint64_t>(step);
    count = span / ustep + (span % ustep != 0);
  }
  if (count > kMaxBuiltListLength)
    return rt::raise(ctx, "range() would make " + std::to_string(count) + " elements (limit " +
                              std::to_string(kMaxBuiltListLength) + ")");
  rt::List* list = rt::list_new(count);
  uint64_t x = static_cast<uint64_t>(a);
  for (uint64_t i = 0; i < count; ++i, x += static_cast<uint64_t>(step))
    rt::list_push(list, Value::integer(static_cast<int64_t>(x)));
  return rt::list_value(list);
}

struct Builtin {
  const char* name;
  uint32_t min_args;
  uint32_t max_args;
  BuiltinImpl impl;
};

// THE list of core builtins. The engine defines each as a constant global.
// clang-format off
constexpr Builtin kBuiltins[] = {
    {"print", 0, kVariadic, print},
    {"len", 1, 1, len},
    {"str", 1, 1, str},
    {"int", 1, 1, to_int},
    {"float", 1, 1, to_float},
    {"typeof", 1, 1, type_of},
    {"assert", 1, 2, assert_},
    {"error", 1, 1, error},
    {"range", 2, 3, range},
};
// clang-format on

// The FnEntry of builtin I: checks the argument count, then runs the body.
template <size_t I>
Value entry(Ctx* ctx, rt::Function*, const Value* args, uint32_t argc) {
  constexpr const Builtin& b = kBuiltins[I];
  if (!check_arity(ctx, b.name, b.min_args, b.max_args, argc)) return Value::exc();
  return b.impl(ctx, args, argc);
}

template <size_t... I>
constexpr std::array<rt::FnProto, sizeof...(I)> make_protos(std::index_sequence<I...>) {
  return {rt::FnProto{&entry<I>, kBuiltins[I].name, kBuiltins[I].min_args}...};
}

// Static protos: they outlive every engine, as FnProto requires.
constexpr auto kProtos = make_protos(std::make_index_sequence<std::size(kBuiltins)>{});

}  // namespace

std::vector<std::pair<std::string, rt::Value>> make_core_builtins() {
  std::vector<std::pair<std::string, rt::Value>> out;
  out.reserve(kProtos.size());
  for (const rt::FnProto& proto : kProtos)
    out.emplace_back(proto.name, rt::function_value(rt::function_new(&proto, 0)));
  return out;
}

}  // namespace boc::stdlib
