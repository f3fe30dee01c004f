// The math module: sqrt abs floor ceil round pow sin cos exp log min max, pi
// and inf (LANGUAGE.md sections 4 and 6).
//
// Type rules, from the contract: floor, ceil and round return ints (nan, inf
// and results outside int64 are errors, since an int cannot hold them); abs,
// min and max keep the operand's type; pow of two ints with a non-negative
// exponent is an exact int (overflow is an error, never a wrap); everything
// else returns a float. Float domain errors follow IEEE 754, as in Lua and
// JavaScript: sqrt(-1) and log(-1) are nan, log(0) is -inf. Bools are not
// numbers here (math.abs(true) is an error), as in the arithmetic operators.
#include <cmath>
#include <cstdint>
#include <numbers>
#include <string>
#include <string_view>

#include "runtime/format.hpp"
#include "runtime/list.hpp"
#include "runtime/ops.hpp"
#include "stdlib/module_table.hpp"
#include "stdlib/native.hpp"

namespace boc::stdlib {
namespace {

using rt::Ctx;
using rt::Tag;
using rt::Value;

bool is_number(Value v) { return v.tag == Tag::Int || v.tag == Tag::Float; }

// The numeric value of args[i] as a double, or a type error naming `name`.
[[nodiscard]] bool number_arg(Ctx* ctx, std::string_view name, Value v, double* out) {
  if (v.tag == Tag::Int) {
    *out = static_cast<double>(v.as_int());
    return true;
  }
  if (v.tag == Tag::Float) {
    *out = v.as_float();
    return true;
  }
  type_error(ctx, name, "a number", v);
  return false;
}

// A float -> float function of one number.
template <double (*F)(double)>
Value unary(Ctx* ctx, std::string_view name, const Value* args) {
  double x = 0;
  if (!number_arg(ctx, name, args[0], &x)) return Value::exc();
  return Value::real(F(x));
}

double sqrt_of(double x) { return std::sqrt(x); }
double sin_of(double x) { return std::sin(x); }
double cos_of(double x) { return std::cos(x); }
double exp_of(double x) { return std::exp(x); }

Value sqrt_(Ctx* ctx, const Value* args, uint32_t) { return unary<sqrt_of>(ctx, "math.sqrt", args); }
Value sin_(Ctx* ctx, const Value* args, uint32_t) { return unary<sin_of>(ctx, "math.sin", args); }
Value cos_(Ctx* ctx, const Value* args, uint32_t) { return unary<cos_of>(ctx, "math.cos", args); }
Value exp_(Ctx* ctx, const Value* args, uint32_t) { return unary<exp_of>(ctx, "math.exp", args); }

// log(x, base?): natural logarithm, or in `base` (as in Python and Lua 5.4).
Value log_(Ctx* ctx, const Value* args, uint32_t argc) {
  double x = 0, base = 0;
  if (!number_arg(ctx, "math.log", args[0], &x)) return Value::exc();
  if (argc < 2) return Value::real(std::log(x));
  if (!number_arg(ctx, "math.log", args[1], &base)) return Value::exc();
  // Exact for powers of 2 and 10, the bases people use.
  if (base == 2) return Value::real(std::log2(x));
  if (base == 10) return Value::real(std::log10(x));
  return Value::real(std::log(x) / std::log(base));
}

Value abs_(Ctx* ctx, const Value* args, uint32_t) {
  Value v = args[0];
  if (v.tag == Tag::Float) return Value::real(std::fabs(v.as_float()));
  if (v.tag != Tag::Int) return type_error(ctx, "math.abs", "a number", v);
  // -INT64_MIN does not fit: the contract forbids a silent wrap.
  if (v.as_int() == INT64_MIN) return rt::raise(ctx, "integer overflow in math.abs");
  return Value::integer(v.as_int() < 0 ? -v.as_int() : v.as_int());
}

// floor, ceil and round: an int as it is, a float rounded by F then converted
// to int, with nan, inf and out-of-range results as errors.
template <double (*F)(double)>
Value to_int_rounded(Ctx* ctx, std::string_view name, Value v) {
  if (v.tag == Tag::Int) return v;
  if (v.tag != Tag::Float) return type_error(ctx, name, "a number", v);
  double d = v.as_float();
  std::string shown = rt::to_display(v);
  if (std::isnan(d) || std::isinf(d))
    return rt::raise(ctx, std::string(name) + ": cannot convert " + shown + " to int");
  // 2^63 is exact in a double; the int64 range is [-2^63, 2^63).
  constexpr double kTwo63 = 9223372036854775808.0;
  double r = F(d);
  if (r < -kTwo63 || r >= kTwo63)
    return rt::raise(ctx, std::string(name) + ": cannot convert " + shown + " to int (out of range)");
  return Value::integer(static_cast<int64_t>(r));
}

double floor_of(double x) { return std::floor(x); }
double ceil_of(double x) { return std::ceil(x); }
// std::round rounds halves away from zero (2.5 -> 3, -2.5 -> -3), the rule the
// contract asks for, and is exact where floor(x + 0.5) is not.
double round_of(double x) { return std::round(x); }

Value floor_(Ctx* ctx, const Value* args, uint32_t) {
  return to_int_rounded<floor_of>(ctx, "math.floor", args[0]);
}
Value ceil_(Ctx* ctx, const Value* args, uint32_t) {
  return to_int_rounded<ceil_of>(ctx, "math.ceil", args[0]);
}
Value round_(Ctx* ctx, const Value* args, uint32_t) {
  return to_int_rounded<round_of>(ctx, "math.round", args[0]);
}

// pow(a, b): exact by squaring for int ** non-negative int; floats otherwise
// (so pow(2, -1) is 0.5).
Value pow_(Ctx* ctx, const Value* args, uint32_t) {
  Value a = args[0], b = args[1];
  if (a.tag == Tag::Int && b.tag == Tag::Int && b.as_int() >= 0) {
    int64_t base = a.as_int(), result = 1;
    uint64_t e = static_cast<uint64_t>(b.as_int());
    while (e != 0) {
      if ((e & 1) != 0 && __builtin_mul_overflow(result, base, &result))
        return rt::raise(ctx, "integer overflow in math.pow");
      e >>= 1;
      // Square only when another bit needs it: the last square could overflow
      // although the result fits (pow(2, 62)).
      if (e != 0 && __builtin_mul_overflow(base, base, &base))
        return rt::raise(ctx, "integer overflow in math.pow");
    }
    return Value::integer(result);
  }
  double x = 0, y = 0;
  if (!number_arg(ctx, "math.pow", a, &x) || !number_arg(ctx, "math.pow", b, &y))
    return Value::exc();
  return Value::real(std::pow(x, y));
}

// min and max: variadic over numbers, or one list of numbers (min(xs), as in
// Python). The winning operand is returned as it is, keeping its type; ties
// keep the first. A nan operand makes the result nan (as JavaScript's
// Math.min), since no order is defined for it.
Value extreme(Ctx* ctx, std::string_view name, const Value* args, uint32_t argc, rt::Order want) {
  if (argc == 1 && args[0].tag == Tag::List) {
    const auto& items = rt::as_list(args[0])->items;
    if (items.empty()) return rt::raise(ctx, std::string(name) + "() of an empty list");
    args = items.data();
    argc = static_cast<uint32_t>(items.size());
  }
  Value best = Value::nil();
  for (uint32_t i = 0; i < argc; ++i) {
    Value v = args[i];
    if (!is_number(v))
      return type_error(ctx, name, argc == 1 ? "numbers or a list of numbers" : "numbers", v);
    if (v.tag == Tag::Float && std::isnan(v.as_float())) return v;
    if (i == 0) {
      best = v;
      continue;
    }
    std::optional<rt::Order> order = rt::compare_values(ctx, v, best);
    if (!order) return Value::exc();  // unreachable for two non-nan numbers
    if (*order == want) best = v;
  }
  // Numbers are not heap values: no reference to take.
  return best;
}

Value min_(Ctx* ctx, const Value* args, uint32_t argc) {
  return extreme(ctx, "math.min", args, argc, rt::Order::Less);
}
Value max_(Ctx* ctx, const Value* args, uint32_t argc) {
  return extreme(ctx, "math.max", args, argc, rt::Order::Greater);
}

constexpr ModuleFn kMathFns[] = {
    {"math.sqrt", 1, 1, sqrt_},  {"math.abs", 1, 1, abs_},
    {"math.floor", 1, 1, floor_}, {"math.ceil", 1, 1, ceil_},
    {"math.round", 1, 1, round_}, {"math.pow", 2, 2, pow_},
    {"math.sin", 1, 1, sin_},    {"math.cos", 1, 1, cos_},
    {"math.exp", 1, 1, exp_},    {"math.log", 1, 2, log_},
    {"math.min", 1, kVariadic, min_}, {"math.max", 1, kVariadic, max_},
};
constexpr auto kMathProtos = module_protos<kMathFns>();

}  // namespace

Value make_math_module() {
  const ModuleConstant constants[] = {
      {"pi", Value::real(std::numbers::pi)},
      {"inf", Value::real(HUGE_VAL)},
  };
  return make_module_map(kMathProtos, constants);
}

}  // namespace boc::stdlib
