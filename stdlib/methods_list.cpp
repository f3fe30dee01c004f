// List methods: push pop insert remove slice sort reverse contains index map
// filter reduce join len. The mutating ones (push pop insert remove sort
// reverse) find *self uniquely owned (the dispatcher's copy-on-write).
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "runtime/abi.hpp"
#include "runtime/format.hpp"
#include "runtime/list.hpp"
#include "runtime/ops.hpp"
#include "runtime/string.hpp"
#include "stdlib/methods.hpp"
#include "stdlib/native.hpp"
#include "stdlib/slice.hpp"

namespace boc::stdlib {
namespace {

using rt::Ctx;
using rt::Tag;
using rt::Value;

rt::ValueArray& items(Value* self) { return rt::as_list(*self)->items; }

Value index_error(Ctx* ctx, int64_t i, size_t length) {
  return rt::raise(ctx, "index " + std::to_string(i) + " out of range for list of length " +
                            std::to_string(length));
}

Value push(Ctx*, Value* self, const Value* args, uint32_t) {
  rt::retain(args[0]);
  rt::list_push(rt::as_list(*self), args[0]);
  return Value::nil();
}

// pop(): removes and returns the last element (the list's reference moves to
// the caller).
Value pop(Ctx* ctx, Value* self, const Value*, uint32_t) {
  rt::ValueArray& xs = items(self);
  if (xs.empty()) return rt::raise(ctx, "pop from empty list");
  Value last = xs.back();
  xs.pop_back();
  return last;
}

// insert(i, v): v ends up at index i; i == len appends, negative i counts
// from the end (-1 inserts before the last element). Outside [-len, len] is
// an error, like any out-of-range index in the language.
Value insert(Ctx* ctx, Value* self, const Value* args, uint32_t) {
  int64_t i = 0;
  if (!int_arg(ctx, "insert", "an int index", args[0], &i)) return Value::exc();
  rt::ValueArray& xs = items(self);
  const int64_t n = static_cast<int64_t>(xs.size());
  int64_t at = i < 0 ? i + n : i;
  if (at < 0 || at > n) return index_error(ctx, i, xs.size());
  rt::retain(args[1]);
  xs.insert(static_cast<size_t>(at), args[1]);
  return Value::nil();
}

// remove(i): removes and returns the element at index i.
Value remove(Ctx* ctx, Value* self, const Value* args, uint32_t) {
  int64_t i = 0;
  if (!int_arg(ctx, "remove", "an int index", args[0], &i)) return Value::exc();
  rt::ValueArray& xs = items(self);
  std::optional<size_t> at = rt::normalize_index(i, xs.size());
  if (!at) return index_error(ctx, i, xs.size());
  Value taken = xs[*at];
  xs.erase(*at);
  return taken;
}

// slice(i, j?): a new list of elements [i, j), Python-clamped (slice.hpp).
Value slice(Ctx* ctx, Value* self, const Value* args, uint32_t argc) {
  int64_t i = 0, j = std::numeric_limits<int64_t>::max();
  if (!int_arg(ctx, "slice", "int indices", args[0], &i) ||
      (argc > 1 && !int_arg(ctx, "slice", "int indices", args[1], &j)))
    return Value::exc();
  const rt::ValueArray& xs = items(self);
  auto [b, e] = slice_bounds(i, j, xs.size());
  rt::List* out = rt::list_new(e - b);
  for (size_t k = b; k < e; ++k) {
    rt::retain(xs[k]);
    rt::list_push(out, xs[k]);
  }
  return rt::list_value(out);
}

// --- sort -------------------------------------------------------------------

bool is_number(Value v) { return v.tag == Tag::Int || v.tag == Tag::Float; }

// A strict weak order on numbers: exact across int and float (no rounding
// conversion: 2^53 + 1 > 2^53 as a float), -0.0 equal to 0.0, and every NaN
// after every other number and equivalent to the other NaNs. std::sort given
// an order that is not strict weak (such as plain `<` with NaNs) may read
// past the end of the range; this one is total.
bool number_less(Value a, Value b) {
  if (a.tag == Tag::Int && b.tag == Tag::Int) return a.as_int() < b.as_int();
  if (a.tag == Tag::Float && b.tag == Tag::Float) {
    double x = a.as_float(), y = b.as_float();
    if (std::isnan(x) || std::isnan(y)) return !std::isnan(x) && std::isnan(y);
    return x < y;
  }
  // One int i and one float d: decide i < d (or d < i) exactly.
  bool int_first = a.tag == Tag::Int;
  int64_t i = int_first ? a.as_int() : b.as_int();
  double d = int_first ? b.as_float() : a.as_float();
  if (std::isnan(d)) return int_first;  // NaN sorts last
  constexpr double kTwo63 = 9223372036854775808.0;
  int cmp;  // sign of i - d
  if (d >= kTwo63) {
    cmp = -1;
  } else if (d < -kTwo63) {
    cmp = 1;
  } else {
    double t = std::trunc(d);  // exactly representable as int64 here
    int64_t ti = static_cast<int64_t>(t);
    if (i != ti)
      cmp = i < ti ? -1 : 1;
    else
      cmp = d > t ? -1 : (d < t ? 1 : 0);
  }
  return int_first ? cmp < 0 : cmp > 0;
}

bool string_less(Value a, Value b) { return rt::string_view_of(a) < rt::string_view_of(b); }

// sort(): ascending; all numbers (ints and floats together) or all strings
// (bytewise). The whole list is checked first, so a list that cannot be
// ordered raises "cannot compare" without being partly reordered.
Value sort(Ctx* ctx, Value* self, const Value*, uint32_t) {
  rt::ValueArray& xs = items(self);
  if (xs.size() < 2) return Value::nil();
  const bool numbers = is_number(xs[0]);
  for (size_t k = 0; k < xs.size(); ++k) {
    bool ok = numbers ? is_number(xs[k]) : xs[k].tag == Tag::String;
    if (!ok) {
      Value other = k == 0 ? xs[1] : xs[k];
      return rt::raise(ctx, std::string("sort() cannot compare ") + rt::type_name(xs[0]) +
                                " with " + rt::type_name(other));
    }
  }
  // Stable, so equal numbers of different types (1 and 1.0) keep their order.
  if (numbers)
    std::stable_sort(xs.begin(), xs.end(), number_less);
  else
    std::stable_sort(xs.begin(), xs.end(), string_less);
  return Value::nil();
}

// ----------------------------------------------------------------------------

Value reverse(Ctx*, Value* self, const Value*, uint32_t) {
  std::reverse(items(self).begin(), items(self).end());
  return Value::nil();
}

// Position of the first element equal (==) to v, or -1.
int64_t position(const Value* self, Value v) {
  const rt::ValueArray& xs = rt::as_list(*self)->items;
  for (size_t k = 0; k < xs.size(); ++k)
    if (rt::values_equal(xs[k], v)) return static_cast<int64_t>(k);
  return -1;
}

Value contains(Ctx*, Value* self, const Value* args, uint32_t) {
  return Value::boolean(position(self, args[0]) >= 0);
}

Value index(Ctx*, Value* self, const Value* args, uint32_t) {
  return Value::integer(position(self, args[0]));
}

// --- higher-order methods ---------------------------------------------------

// The callbacks run script code, which may reassign the variable that holds
// this list (a global). Holding our own reference keeps the list alive and,
// since it is then shared, makes any in-place mutation copy it first, so the
// elements iterated here never change underfoot.
class HeldList {
 public:
  explicit HeldList(Value v) : v_(v) { rt::retain(v_); }
  ~HeldList() { rt::release(v_); }
  HeldList(const HeldList&) = delete;
  HeldList& operator=(const HeldList&) = delete;
  const rt::ValueArray& items() const { return rt::as_list(v_)->items; }

 private:
  Value v_;
};

bool function_arg(Ctx* ctx, std::string_view method, Value f) {
  if (f.tag == Tag::Function) return true;
  type_error(ctx, method, "a function", f);
  return false;
}

// map(f): a new list of f(x) for each element x.
Value map(Ctx* ctx, Value* self, const Value* args, uint32_t) {
  if (!function_arg(ctx, "map", args[0])) return Value::exc();
  HeldList held(*self);
  rt::List* out = rt::list_new(held.items().size());
  for (size_t k = 0; k < held.items().size(); ++k) {
    Value r = boc_rt_call(ctx, args[0], &held.items()[k], 1);
    if (r.is_exc()) {
      rt::release(rt::list_value(out));
      return r;
    }
    rt::list_push(out, r);
  }
  return rt::list_value(out);
}

// filter(f): a new list of the elements x for which f(x) is truthy.
Value filter(Ctx* ctx, Value* self, const Value* args, uint32_t) {
  if (!function_arg(ctx, "filter", args[0])) return Value::exc();
  HeldList held(*self);
  rt::List* out = rt::list_new();
  for (size_t k = 0; k < held.items().size(); ++k) {
    Value x = held.items()[k];
    Value keep = boc_rt_call(ctx, args[0], &x, 1);
    if (keep.is_exc()) {
      rt::release(rt::list_value(out));
      return keep;
    }
    if (keep.truthy()) {
      rt::retain(x);
      rt::list_push(out, x);
    }
    rt::release(keep);
  }
  return rt::list_value(out);
}

// reduce(f, init): folds left, acc = f(acc, x), starting from init.
Value reduce(Ctx* ctx, Value* self, const Value* args, uint32_t) {
  if (!function_arg(ctx, "reduce", args[0])) return Value::exc();
  HeldList held(*self);
  Value acc = args[1];
  rt::retain(acc);
  for (size_t k = 0; k < held.items().size(); ++k) {
    Value pair[2] = {acc, held.items()[k]};
    Value next = boc_rt_call(ctx, args[0], pair, 2);
    rt::release(acc);
    if (next.is_exc()) return next;
    acc = next;
  }
  return acc;
}

// ----------------------------------------------------------------------------

// join(sep): the elements as str() shows them (strings raw), sep between.
Value join(Ctx* ctx, Value* self, const Value* args, uint32_t) {
  if (args[0].tag != Tag::String) return type_error(ctx, "join", "a string separator", args[0]);
  std::string_view sep = rt::string_view_of(args[0]);
  const rt::ValueArray& xs = items(self);
  std::string out;
  for (size_t k = 0; k < xs.size(); ++k) {
    if (k > 0) out.append(sep);
    rt::format_value(out, xs[k]);
    if (out.size() > kMaxBuiltStringBytes)
      return rt::raise(
          ctx, "join() result is longer than " + std::to_string(kMaxBuiltStringBytes) + " bytes");
  }
  return rt::make_string(out);
}

Value length(Ctx*, Value* self, const Value*, uint32_t) {
  return Value::integer(static_cast<int64_t>(items(self).size()));
}

// clang-format off
constexpr MethodDef kDefs[] = {
    {"push", 1, 1, push},
    {"pop", 0, 0, pop},
    {"insert", 2, 2, insert},
    {"remove", 1, 1, remove},
    {"slice", 1, 2, slice},
    {"sort", 0, 0, sort},
    {"reverse", 0, 0, reverse},
    {"contains", 1, 1, contains},
    {"index", 1, 1, index},
    {"map", 1, 1, map},
    {"filter", 1, 1, filter},
    {"reduce", 2, 2, reduce},
    {"join", 1, 1, join},
    {"len", 0, 0, length},
};
// clang-format on

}  // namespace

const MethodTable kListMethods = method_table(kDefs);

}  // namespace boc::stdlib
