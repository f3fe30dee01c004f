// Arithmetic, comparison, range and compound-assignment operators
// (LANGUAGE.md section 3): the slow paths behind compiled code's int fast paths.
#include <cmath>
#include <string>
#include <vector>

#include "runtime/abi.hpp"
#include "runtime/list.hpp"
#include "runtime/ops.hpp"
#include "runtime/string.hpp"

namespace boc::rt {
namespace {

// The op numbering of boc_rt_compound_assign.
enum class Arith : uint32_t { Add = 0, Sub = 1, Mul = 2, Div = 3, Mod = 4 };

// Longest list `a..b` may build: 2^27 elements is 2 GiB of values, beyond
// which a script almost certainly meant a `for` over the range (which builds
// no list) rather than exhausting memory.
constexpr uint64_t kMaxRangeLength = uint64_t{1} << 27;

Value type_error(Ctx* ctx, Arith op, Value a, Value b) {
  std::string x = type_name(a), y = type_name(b);
  switch (op) {
    case Arith::Add: return raise(ctx, "cannot add " + x + " and " + y);
    case Arith::Sub: return raise(ctx, "cannot subtract " + y + " from " + x);
    case Arith::Mul: return raise(ctx, "cannot multiply " + x + " by " + y);
    case Arith::Div: return raise(ctx, "cannot divide " + x + " by " + y);
    case Arith::Mod: return raise(ctx, "cannot take " + x + " modulo " + y);
  }
  return raise(ctx, "bad operator");
}

Value overflow(Ctx* ctx, const char* what) {
  return raise(ctx, std::string("integer overflow in ") + what);
}

Value int_arith(Ctx* ctx, Arith op, int64_t a, int64_t b) {
  int64_t r = 0;
  switch (op) {
    case Arith::Add:
      if (__builtin_add_overflow(a, b, &r)) return overflow(ctx, "+");
      return Value::integer(r);
    case Arith::Sub:
      if (__builtin_sub_overflow(a, b, &r)) return overflow(ctx, "-");
      return Value::integer(r);
    case Arith::Mul:
      if (__builtin_mul_overflow(a, b, &r)) return overflow(ctx, "*");
      return Value::integer(r);
    case Arith::Div:
      if (b == 0) return raise(ctx, "division by zero");
      if (a == INT64_MIN && b == -1) return overflow(ctx, "/");
      return Value::integer(a / b);  // C++ truncates toward zero, as specified
    case Arith::Mod:
      if (b == 0) return raise(ctx, "division by zero");
      if (b == -1) return Value::integer(0);  // INT64_MIN % -1 is UB in C++
      return Value::integer(a % b);           // sign of the dividend, as specified
  }
  return Value::nil();
}

double float_arith(Arith op, double a, double b) {
  switch (op) {
    case Arith::Add: return a + b;
    case Arith::Sub: return a - b;
    case Arith::Mul: return a * b;
    case Arith::Div: return a / b;
    case Arith::Mod: return std::fmod(a, b);  // sign of the dividend, like ints
  }
  return 0;
}

double to_double(Value v) {
  return v.tag == Tag::Int ? static_cast<double>(v.as_int()) : v.as_float();
}

Value concat_lists(Value a, Value b) {
  const auto& xs = as_list(a)->items;
  const auto& ys = as_list(b)->items;
  List* l = list_new(xs.size() + ys.size());
  for (Value v : xs) retain(v), list_push(l, v);
  for (Value v : ys) retain(v), list_push(l, v);
  return list_value(l);
}

Value arith(Ctx* ctx, Arith op, Value a, Value b) {
  bool a_num = a.tag == Tag::Int || a.tag == Tag::Float;
  bool b_num = b.tag == Tag::Int || b.tag == Tag::Float;
  if (a_num && b_num) {
    if (a.tag == Tag::Int && b.tag == Tag::Int) return int_arith(ctx, op, a.as_int(), b.as_int());
    return Value::real(float_arith(op, to_double(a), to_double(b)));
  }
  if (op == Arith::Add && a.tag == Tag::String && b.tag == Tag::String) {
    std::string_view x = string_view_of(a), y = string_view_of(b);
    String* s = string_new(x, x.size() + y.size());
    Value result = string_value(s);
    string_append(&result, y);  // unique with room: in place
    return result;
  }
  if (op == Arith::Add && a.tag == Tag::List && b.tag == Tag::List) return concat_lists(a, b);
  return type_error(ctx, op, a, b);
}

Value compare(Ctx* ctx, Value a, Value b, bool (*accept)(Order)) {
  std::optional<Order> o = compare_values(ctx, a, b);
  if (!o) return Value::exc();
  return Value::boolean(accept(*o));
}

}  // namespace
}  // namespace boc::rt

extern "C" {
using boc::rt::Arith;
using boc::rt::Order;

Value boc_rt_add(Ctx* ctx, Value a, Value b) { return boc::rt::arith(ctx, Arith::Add, a, b); }
Value boc_rt_sub(Ctx* ctx, Value a, Value b) { return boc::rt::arith(ctx, Arith::Sub, a, b); }
Value boc_rt_mul(Ctx* ctx, Value a, Value b) { return boc::rt::arith(ctx, Arith::Mul, a, b); }
Value boc_rt_div(Ctx* ctx, Value a, Value b) { return boc::rt::arith(ctx, Arith::Div, a, b); }
Value boc_rt_mod(Ctx* ctx, Value a, Value b) { return boc::rt::arith(ctx, Arith::Mod, a, b); }

Value boc_rt_neg(Ctx* ctx, Value a) {
  using namespace boc::rt;
  if (a.tag == Tag::Int) {
    if (a.as_int() == INT64_MIN) return raise(ctx, "integer overflow in negation");
    return Value::integer(-a.as_int());
  }
  if (a.tag == Tag::Float) return Value::real(-a.as_float());
  return raise(ctx, std::string("cannot negate ") + type_name(a));
}

Value boc_rt_eq(Ctx*, Value a, Value b) { return Value::boolean(boc::rt::values_equal(a, b)); }
Value boc_rt_ne(Ctx*, Value a, Value b) { return Value::boolean(!boc::rt::values_equal(a, b)); }

// Unordered (a NaN operand) makes every ordering false, as in IEEE.
Value boc_rt_lt(Ctx* ctx, Value a, Value b) {
  return boc::rt::compare(ctx, a, b, [](Order o) { return o == Order::Less; });
}
Value boc_rt_le(Ctx* ctx, Value a, Value b) {
  return boc::rt::compare(ctx, a, b, [](Order o) { return o == Order::Less || o == Order::Equal; });
}
Value boc_rt_gt(Ctx* ctx, Value a, Value b) {
  return boc::rt::compare(ctx, a, b, [](Order o) { return o == Order::Greater; });
}
Value boc_rt_ge(Ctx* ctx, Value a, Value b) {
  return boc::rt::compare(ctx, a, b,
                          [](Order o) { return o == Order::Greater || o == Order::Equal; });
}

Value boc_rt_range(Ctx* ctx, Value a, Value b) {
  using namespace boc::rt;
  if (a.tag != Tag::Int || b.tag != Tag::Int)
    return raise(ctx, std::string("range bounds must be ints, not ") +
                          type_name(a.tag != Tag::Int ? a : b));
  int64_t lo = a.as_int(), hi = b.as_int();
  // Unsigned difference: hi - lo cannot overflow when computed mod 2^64.
  uint64_t n = hi > lo ? static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo) : 0;
  if (n > kMaxRangeLength)
    return raise(ctx, "range of " + std::to_string(n) + " elements is too long to build (limit " +
                          std::to_string(kMaxRangeLength) + ")");
  List* l = list_new(n);
  for (uint64_t i = 0; i < n; ++i) list_push(l, Value::integer(lo + static_cast<int64_t>(i)));
  return list_value(l);
}

Value boc_rt_compound_assign(Ctx* ctx, Value current, uint32_t op, Value rhs) {
  using namespace boc::rt;
  if (op > static_cast<uint32_t>(Arith::Mod)) return raise(ctx, "bad compound operator");
  if (op == static_cast<uint32_t>(Arith::Add)) {
    if (current.tag == Tag::String && rhs.tag == Tag::String) {
      Value s = current;
      string_append(&s, string_view_of(rhs));
      return s;
    }
    // A group entry (`xs += ...` in a behavior) becomes a list of its contents.
    if ((current.tag == Tag::List || current.tag == Tag::Group) && rhs.tag == Tag::List) {
      // `xs += xs`: rhs may be the very list that is about to grow, so take
      // its elements before the vector can reallocate.
      const ValueArray& rhs_items = as_list(rhs)->items;
      std::vector<Value> tail(rhs_items.begin(), rhs_items.end());
      Value l = current;
      make_unique(&l);
      for (Value v : tail) retain(v), list_push(as_list(l), v);
      return l;
    }
  }
  Value result = arith(ctx, static_cast<Arith>(op), current, rhs);
  if (!result.is_exc()) release(current);
  return result;
}

}  // extern "C"
