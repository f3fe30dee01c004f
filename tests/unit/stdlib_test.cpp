// Unit tests of the stdlib: core builtins and built-in methods, called from
// C++ the way compiled code calls them (boc_rt_call, boc_rt_call_method).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "runtime/abi.hpp"
#include "runtime/context.hpp"
#include "runtime/error.hpp"
#include "runtime/format.hpp"
#include "runtime/function.hpp"
#include "runtime/list.hpp"
#include "runtime/map.hpp"
#include "runtime/methods.hpp"
#include "runtime/string.hpp"
#include "stdlib/builtins.hpp"
#include "tests/unit/value_test_support.hpp"

namespace boc::stdlib {
namespace {

using rt::Tag;
using rt::Value;
using namespace rt::test;  // Ref, str, i, f, show

// Records every write as one unit, as a real host must keep it.
class CaptureHost : public rt::Host {
 public:
  void write_out(std::string_view text) override {
    std::lock_guard lock(mu_);
    out.emplace_back(text);
  }
  void write_err(std::string_view text) override {
    std::lock_guard lock(mu_);
    err.emplace_back(text);
  }
  std::vector<std::string> out, err;

 private:
  std::mutex mu_;
};

// A list of borrowed values (each retained for the list).
Ref list(std::initializer_list<Value> items) {
  rt::List* l = rt::list_new(items.size());
  for (Value v : items) {
    rt::retain(v);
    rt::list_push(l, v);
  }
  return Ref(rt::list_value(l));
}

// Test natives for the higher-order methods and module-style calls.
Value twice_entry(rt::Ctx*, rt::Function*, const Value* args, uint32_t) {
  return Value::integer(args[0].as_int() * 2);
}
Value is_even_entry(rt::Ctx*, rt::Function*, const Value* args, uint32_t) {
  return Value::boolean(args[0].as_int() % 2 == 0);
}
Value add_entry(rt::Ctx*, rt::Function*, const Value* args, uint32_t) {
  return Value::integer(args[0].as_int() + args[1].as_int());
}
constexpr rt::FnProto kTwice{twice_entry, "twice", 1};
constexpr rt::FnProto kIsEven{is_even_entry, "is_even", 1};
constexpr rt::FnProto kAdd{add_entry, "add", 2};
Ref native(const rt::FnProto& proto) {
  return Ref(rt::function_value(rt::function_new(&proto, 0)));
}

class Stdlib : public ::testing::Test {
 protected:
  void SetUp() override {
    ctx_.host = &host_;
    rt::set_stack_limit_for_current_thread(&ctx_);
    for (auto& [name, fn] : make_core_builtins()) builtins_.emplace_back(name, Ref(fn));
  }
  void TearDown() override {
    EXPECT_TRUE(ctx_.error.is_nil()) << "unchecked error: " << take_error();
    rt::release(ctx_.error);
  }

  // Calls a builtin; the result is owned (nil for Value::exc()).
  Ref call(std::string_view name, std::initializer_list<Value> args) {
    for (auto& [n, fn] : builtins_) {
      if (n != name) continue;
      Value r = boc_rt_call(&ctx_, fn.get(), args.begin(), static_cast<uint32_t>(args.size()));
      last_exc_ = r.is_exc();
      return Ref(last_exc_ ? Value::nil() : r);
    }
    ADD_FAILURE() << "no builtin " << name;
    return Ref();
  }

  // Calls recv.name(args) through the engine's entry point.
  Ref method(Value* recv, const char* name, std::initializer_list<Value> args) {
    Ref name_value = str(name);
    Value r = boc_rt_call_method(&ctx_, recv, boc_rt_method_id(name), name_value.get(),
                                 args.begin(), static_cast<uint32_t>(args.size()));
    last_exc_ = r.is_exc();
    return Ref(last_exc_ ? Value::nil() : r);
  }

  // The pending error's message (clearing it), or "" if the last call
  // succeeded.
  std::string take_error() {
    if (!last_exc_ && ctx_.error.is_nil()) return "";
    last_exc_ = false;
    Value e = std::exchange(ctx_.error, Value::nil());
    std::string msg = e.tag == Tag::Error ? rt::as_error(e)->message : "<no error set>";
    rt::release(e);
    return msg;
  }

  // Shorthands: the printed result of a successful call, or the error.
  std::string shown(Ref r) {
    if (last_exc_) return "error: " + take_error();
    return show(r.get());
  }
  std::string builtin(std::string_view name, std::initializer_list<Value> args) {
    return shown(call(name, args));
  }
  std::string on(Value* recv, const char* name, std::initializer_list<Value> args) {
    return shown(method(recv, name, args));
  }

  // m_ = {"x": 1, 2: 2.5, true: nil}
  void SampleMap() {
    m_ = Ref(rt::map_value(rt::map_new()));
    rt::map_set(rt::as_map(m_.get()), x_.get(), i(1));
    rt::map_set(rt::as_map(m_.get()), i(2), f(2.5));
    rt::map_set(rt::as_map(m_.get()), Value::boolean(true), Value::nil());
  }

  CaptureHost host_;
  rt::Ctx ctx_;
  Ref x_ = str("x");
  Ref m_;
  std::vector<std::pair<std::string, Ref>> builtins_;
  bool last_exc_ = false;
};

// --- builtins ----------------------------------------------------------------

TEST_F(Stdlib, BuiltinTableHasTheCoreNames) {
  std::vector<std::string> names;
  for (auto& [n, fn] : builtins_) {
    names.push_back(n);
    EXPECT_EQ(fn.get().tag, Tag::Function);
    EXPECT_EQ(rt::as_function(fn.get())->proto->name, n);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"print", "len", "str", "int", "float", "typeof",
                                             "assert", "error", "range"}));
}

TEST_F(Stdlib, PrintWritesOneUnitPerCall) {
  Ref s = str("a b");
  Ref l = list({i(1), s.get()});
  call("print", {i(1), s.get(), l.get(), Value::nil(), f(0.5)});
  call("print", {});
  ASSERT_EQ(host_.out.size(), 2u);
  EXPECT_EQ(host_.out[0], "1 a b [1, \"a b\"] nil 0.5\n");
  EXPECT_EQ(host_.out[1], "\n");
}

TEST_F(Stdlib, Len) {
  Ref s = str("h\xC3\xA9llo");  // "héllo": 6 bytes
  Ref l = list({i(1), i(2)});
  Ref m(rt::map_value(rt::map_new()));
  EXPECT_EQ(builtin("len", {s.get()}), "6");
  EXPECT_EQ(builtin("len", {l.get()}), "2");
  EXPECT_EQ(builtin("len", {m.get()}), "0");
  EXPECT_EQ(builtin("len", {i(3)}), "error: len() expects a string, list or map, got int");
  EXPECT_EQ(builtin("len", {}), "error: len() expects 1 argument, got 0");
  EXPECT_EQ(builtin("len", {s.get(), s.get()}), "error: len() expects 1 argument, got 2");
}

TEST_F(Stdlib, StrShowsValuesAndReturnsStringsThemselves) {
  EXPECT_EQ(builtin("str", {f(1.0)}), "\"1.0\"");
  EXPECT_EQ(builtin("str", {Value::boolean(true)}), "\"true\"");
  Ref l = list({i(1)});
  EXPECT_EQ(builtin("str", {l.get()}), "\"[1]\"");
  Ref s = str("x");
  Ref r = call("str", {s.get()});
  EXPECT_EQ(r.get().bits, s.get().bits);  // no copy
}

TEST_F(Stdlib, IntConversions) {
  EXPECT_EQ(builtin("int", {f(3.9)}), "3");
  EXPECT_EQ(builtin("int", {f(-3.9)}), "-3");
  EXPECT_EQ(builtin("int", {Value::boolean(true)}), "1");
  Ref a = str("  -42 "), b = str("+7"), c = str("9223372036854775807"),
      d = str("-9223372036854775808");
  EXPECT_EQ(builtin("int", {a.get()}), "-42");
  EXPECT_EQ(builtin("int", {b.get()}), "7");
  EXPECT_EQ(builtin("int", {c.get()}), "9223372036854775807");
  EXPECT_EQ(builtin("int", {d.get()}), "-9223372036854775808");
  for (const char* bad : {"abc", "", "-", "+-1", "12a", "1.5", "0x10", " "}) {
    Ref s = str(bad);
    EXPECT_EQ(builtin("int", {s.get()}), "error: cannot convert '" + std::string(bad) + "' to int");
  }
  Ref big = str("9223372036854775808");
  EXPECT_EQ(builtin("int", {big.get()}),
            "error: cannot convert '9223372036854775808' to int (out of range)");
  EXPECT_EQ(builtin("int", {f(NAN)}), "error: cannot convert nan to int");
  EXPECT_EQ(builtin("int", {f(-INFINITY)}), "error: cannot convert -inf to int");
  EXPECT_EQ(builtin("int", {f(1e19)}), "error: cannot convert 1e+19 to int (out of range)");
  EXPECT_EQ(builtin("int", {f(-9223372036854775808.0)}), "-9223372036854775808");
  EXPECT_EQ(builtin("int", {Value::nil()}), "error: cannot convert nil to int");
  Ref l = list({});
  EXPECT_EQ(builtin("int", {l.get()}), "error: cannot convert list to int");
}

TEST_F(Stdlib, FloatConversions) {
  EXPECT_EQ(builtin("float", {i(2)}), "2.0");
  Ref a = str(" 2.5e3 "), b = str("-inf"), c = str("+.5"), bad = str("1.5x");
  EXPECT_EQ(builtin("float", {a.get()}), "2500.0");
  EXPECT_EQ(builtin("float", {b.get()}), "-inf");
  EXPECT_EQ(builtin("float", {c.get()}), "0.5");
  EXPECT_EQ(builtin("float", {bad.get()}), "error: cannot convert '1.5x' to float");
  EXPECT_EQ(builtin("float", {Value::nil()}), "error: cannot convert nil to float");
}

TEST_F(Stdlib, TypeofNamesEveryType) {
  Ref s = str(""), l = list({});
  Ref m(rt::map_value(rt::map_new()));
  Ref e(rt::error_value(rt::error_new("x")));
  Ref fn = native(kTwice);
  std::vector<std::pair<Value, const char*>> cases = {
      {Value::nil(), "nil"}, {Value::boolean(false), "bool"},
      {i(1), "int"},         {f(1), "float"},
      {s.get(), "string"},   {l.get(), "list"},
      {m.get(), "map"},      {fn.get(), "function"},
      {e.get(), "error"}};
  for (auto [v, name] : cases) EXPECT_EQ(builtin("typeof", {v}), "\"" + std::string(name) + "\"");
}

TEST_F(Stdlib, AssertAndError) {
  EXPECT_EQ(builtin("assert", {i(0)}), "nil");  // 0 is truthy
  EXPECT_EQ(builtin("assert", {Value::boolean(false)}), "error: assertion failed");
  Ref msg = str("boom");
  EXPECT_EQ(builtin("assert", {Value::nil(), msg.get()}), "error: boom");
  EXPECT_EQ(builtin("assert", {}), "error: assert() expects 1 to 2 arguments, got 0");
  EXPECT_EQ(builtin("error", {msg.get()}), "error: boom");
  Ref l = list({i(1), msg.get()});
  EXPECT_EQ(builtin("error", {l.get()}), "error: [1, \"boom\"]");
  Ref e(rt::error_value(rt::error_new("inner")));
  EXPECT_EQ(builtin("error", {e.get()}), "error: inner");
}

TEST_F(Stdlib, Range) {
  EXPECT_EQ(builtin("range", {i(0), i(5)}), "[0, 1, 2, 3, 4]");
  EXPECT_EQ(builtin("range", {i(0), i(10), i(3)}), "[0, 3, 6, 9]");
  EXPECT_EQ(builtin("range", {i(5), i(0), i(-2)}), "[5, 3, 1]");
  EXPECT_EQ(builtin("range", {i(3), i(3)}), "[]");
  EXPECT_EQ(builtin("range", {i(0), i(3), i(-1)}), "[]");
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  EXPECT_EQ(builtin("range", {i(kMin), i(kMax), i(kMax)}),
            "[-9223372036854775808, -1, 9223372036854775806]");
  EXPECT_EQ(builtin("range", {i(kMax), i(kMin), i(kMin)}), "[9223372036854775807, -1]");
  EXPECT_EQ(builtin("range", {i(0), i(1), i(0)}), "error: range() step must not be 0");
  EXPECT_EQ(builtin("range", {i(0), i(int64_t{1} << 40)}),
            "error: range() would make 1099511627776 elements (limit 268435456)");
  EXPECT_EQ(builtin("range", {f(0), i(1)}), "error: range() expects int bounds, got float");
  EXPECT_EQ(builtin("range", {i(0)}), "error: range() expects 2 to 3 arguments, got 1");
}

// --- method dispatch ---------------------------------------------------------

TEST_F(Stdlib, MethodIdsComeFromTheRuntimeTable) {
  EXPECT_EQ(boc_rt_method_id("push"), rt::method_id("push"));
  EXPECT_EQ(boc_rt_method_id("nope"), rt::kNoMethod);
  EXPECT_EQ(boc_rt_method_id(nullptr), rt::kNoMethod);
}

TEST_F(Stdlib, UnknownMethodsAreErrors) {
  Ref s = str("x"), l = list({});
  Value n = i(3);
  EXPECT_EQ(on(s.place(), "foo", {}), "error: string has no method 'foo'");
  EXPECT_EQ(on(s.place(), "push", {i(1)}), "error: string has no method 'push'");
  EXPECT_EQ(on(l.place(), "upper", {}), "error: list has no method 'upper'");
  EXPECT_EQ(on(&n, "upper", {}), "error: int has no method 'upper'");
  EXPECT_EQ(on(s.place(), "upper", {i(1)}), "error: upper() expects 0 arguments, got 1");
}

TEST_F(Stdlib, MapFunctionFieldsAreCalledLikeModuleFunctions) {
  Ref m(rt::map_value(rt::map_new()));
  Ref twice = native(kTwice), key = str("twice"), len_key = str("len");
  rt::map_set(rt::as_map(m.get()), key.get(), twice.get());
  rt::retain(twice.get());
  EXPECT_EQ(on(m.place(), "twice", {i(21)}), "42");
  // A function field shadows the built-in method of that name.
  rt::map_set(rt::as_map(m.get()), len_key.get(), twice.get());
  rt::retain(twice.get());
  EXPECT_EQ(on(m.place(), "len", {i(5)}), "10");
  // A non-function field does not.
  Ref has_key = str("has");
  rt::map_set(rt::as_map(m.get()), has_key.get(), i(1));
  EXPECT_EQ(on(m.place(), "has", {has_key.get()}), "true");
  EXPECT_EQ(on(m.place(), "sqrt", {i(1)}), "error: map has no method 'sqrt'");
}

// --- strings -----------------------------------------------------------------

TEST_F(Stdlib, StringCaseAndTrim) {
  Ref s = str("  Hi \xC3\xA9!\t\n");
  EXPECT_EQ(on(s.place(), "upper", {}), "\"  HI \xC3\xA9!\\t\\n\"");
  EXPECT_EQ(on(s.place(), "lower", {}), "\"  hi \xC3\xA9!\\t\\n\"");
  EXPECT_EQ(on(s.place(), "trim", {}), "\"Hi \xC3\xA9!\"");
  Ref blank = str(" \t ");
  EXPECT_EQ(on(blank.place(), "trim", {}), "\"\"");
}

TEST_F(Stdlib, StringSplit) {
  Ref s = str("a,,b"), comma = str(","), empty = str(""), none = str("");
  EXPECT_EQ(on(s.place(), "split", {comma.get()}), "[\"a\", \"\", \"b\"]");
  EXPECT_EQ(on(none.place(), "split", {comma.get()}), "[\"\"]");
  Ref u = str("a\xC3\xA9z");
  EXPECT_EQ(on(u.place(), "split", {empty.get()}), "[\"a\", \"\xC3\xA9\", \"z\"]");
  EXPECT_EQ(on(none.place(), "split", {empty.get()}), "[]");
  EXPECT_EQ(on(s.place(), "split", {i(1)}), "error: split() expects a string, got int");
}

TEST_F(Stdlib, StringSearch) {
  Ref s = str("hello"), ll = str("ll"), he = str("he"), lo = str("lo"), z = str("z"), e = str("");
  EXPECT_EQ(on(s.place(), "contains", {ll.get()}), "true");
  EXPECT_EQ(on(s.place(), "contains", {z.get()}), "false");
  EXPECT_EQ(on(s.place(), "starts_with", {he.get()}), "true");
  EXPECT_EQ(on(s.place(), "starts_with", {lo.get()}), "false");
  EXPECT_EQ(on(s.place(), "ends_with", {lo.get()}), "true");
  EXPECT_EQ(on(s.place(), "find", {ll.get()}), "2");
  EXPECT_EQ(on(s.place(), "find", {z.get()}), "-1");
  EXPECT_EQ(on(s.place(), "find", {e.get()}), "0");
  EXPECT_EQ(on(s.place(), "len", {}), "5");
}

TEST_F(Stdlib, StringReplace) {
  Ref s = str("a.b.c"), dot = str("."), dash = str("--"), e = str("");
  EXPECT_EQ(on(s.place(), "replace", {dot.get(), dash.get()}), "\"a--b--c\"");
  EXPECT_EQ(on(s.place(), "replace", {dot.get(), e.get()}), "\"abc\"");
  EXPECT_EQ(on(s.place(), "replace", {e.get(), dot.get()}),
            "error: replace() cannot replace an empty string");
  Ref aaa = str("aaa"), aa = str("aa"), b = str("b");
  EXPECT_EQ(on(aaa.place(), "replace", {aa.get(), b.get()}), "\"ba\"");  // non-overlapping
}

TEST_F(Stdlib, StringSliceClampsLikePython) {
  Ref s = str("hello");
  EXPECT_EQ(on(s.place(), "slice", {i(1), i(3)}), "\"el\"");
  EXPECT_EQ(on(s.place(), "slice", {i(-3), i(-1)}), "\"ll\"");
  EXPECT_EQ(on(s.place(), "slice", {i(2)}), "\"llo\"");
  EXPECT_EQ(on(s.place(), "slice", {i(-100), i(100)}), "\"hello\"");
  EXPECT_EQ(on(s.place(), "slice", {i(4), i(1)}), "\"\"");
  EXPECT_EQ(on(s.place(), "slice", {i(std::numeric_limits<int64_t>::min()), i(2)}), "\"he\"");
  EXPECT_EQ(on(s.place(), "slice", {f(1), i(2)}), "error: slice() expects int offsets, got float");
}

TEST_F(Stdlib, StringRepeat) {
  Ref s = str("ab"), e = str("");
  EXPECT_EQ(on(s.place(), "repeat", {i(3)}), "\"ababab\"");
  EXPECT_EQ(on(s.place(), "repeat", {i(0)}), "\"\"");
  EXPECT_EQ(on(e.place(), "repeat", {i(std::numeric_limits<int64_t>::max())}), "\"\"");
  EXPECT_EQ(on(s.place(), "repeat", {i(-1)}), "error: repeat() count must not be negative, got -1");
  EXPECT_EQ(on(s.place(), "repeat", {i(int64_t{1} << 40)}),
            "error: repeat() result would be longer than 2147483648 bytes");
}

// --- lists -------------------------------------------------------------------

TEST_F(Stdlib, PushAndPop) {
  Ref l = list({i(1)});
  EXPECT_EQ(on(l.place(), "push", {i(2)}), "nil");
  EXPECT_EQ(show(l.get()), "[1, 2]");
  EXPECT_EQ(on(l.place(), "pop", {}), "2");
  EXPECT_EQ(on(l.place(), "pop", {}), "1");
  EXPECT_EQ(on(l.place(), "pop", {}), "error: pop from empty list");
  EXPECT_EQ(on(l.place(), "push", {}), "error: push() expects 1 argument, got 0");
}

TEST_F(Stdlib, MutatingMethodsCopyASharedList) {
  Ref a = list({i(1)});
  Ref b(a.get());
  rt::retain(b.get());  // let b = a
  EXPECT_EQ(on(b.place(), "push", {i(2)}), "nil");
  EXPECT_EQ(show(a.get()), "[1]");
  EXPECT_EQ(show(b.get()), "[1, 2]");
  EXPECT_NE(a.get().bits, b.get().bits);
  // A unique list is changed in place, not copied.
  uint64_t before = b.get().bits;
  EXPECT_EQ(on(b.place(), "reverse", {}), "nil");
  EXPECT_EQ(b.get().bits, before);
  EXPECT_EQ(show(b.get()), "[2, 1]");
}

TEST_F(Stdlib, NonMutatingMethodsDoNotCopy) {
  Ref a = list({i(1), i(2)});
  Ref b(a.get());
  rt::retain(b.get());
  EXPECT_EQ(on(b.place(), "contains", {i(2)}), "true");
  EXPECT_EQ(on(b.place(), "len", {}), "2");
  EXPECT_EQ(a.get().bits, b.get().bits);
}

TEST_F(Stdlib, PushingAListOntoItselfStoresACopy) {
  Ref a = list({i(1)});
  EXPECT_EQ(on(a.place(), "push", {a.get()}), "nil");
  // A list containing itself would make show() loop and leak under LSan.
  ASSERT_EQ(rt::as_list(a.get())->items.size(), 2u);
  ASSERT_NE(rt::as_list(a.get())->items[1].bits, a.get().bits);
  EXPECT_EQ(show(a.get()), "[1, [1]]");
}

TEST_F(Stdlib, InsertAndRemove) {
  Ref l = list({i(1), i(2)});
  EXPECT_EQ(on(l.place(), "insert", {i(0), i(0)}), "nil");
  EXPECT_EQ(on(l.place(), "insert", {i(3), i(3)}), "nil");
  EXPECT_EQ(on(l.place(), "insert", {i(-1), i(9)}), "nil");
  EXPECT_EQ(show(l.get()), "[0, 1, 2, 9, 3]");
  EXPECT_EQ(on(l.place(), "insert", {i(6), i(0)}),
            "error: index 6 out of range for list of length 5");
  EXPECT_EQ(on(l.place(), "remove", {i(-2)}), "9");
  EXPECT_EQ(on(l.place(), "remove", {i(0)}), "0");
  EXPECT_EQ(show(l.get()), "[1, 2, 3]");
  EXPECT_EQ(on(l.place(), "remove", {i(3)}), "error: index 3 out of range for list of length 3");
  EXPECT_EQ(on(l.place(), "remove", {f(0)}), "error: remove() expects an int index, got float");
}

TEST_F(Stdlib, ListSliceReverseContainsIndex) {
  Ref l = list({i(1), f(2.0), i(3)});
  EXPECT_EQ(on(l.place(), "slice", {i(1)}), "[2.0, 3]");
  EXPECT_EQ(on(l.place(), "slice", {i(-2), i(-1)}), "[2.0]");
  EXPECT_EQ(on(l.place(), "slice", {i(5), i(9)}), "[]");
  EXPECT_EQ(on(l.place(), "contains", {i(2)}), "true");  // 2 == 2.0
  EXPECT_EQ(on(l.place(), "index", {i(3)}), "2");
  EXPECT_EQ(on(l.place(), "index", {i(7)}), "-1");
  EXPECT_EQ(on(l.place(), "reverse", {}), "nil");
  EXPECT_EQ(show(l.get()), "[3, 2.0, 1]");
}

TEST_F(Stdlib, SortNumbersExactlyWithNaNLast) {
  const int64_t two53 = int64_t{1} << 53;
  Ref l = list({f(NAN), i(3), f(1.5), i(two53 + 1), f(9007199254740992.0), i(-2), f(NAN),
                f(-INFINITY), i(1), f(1.0)});
  EXPECT_EQ(on(l.place(), "sort", {}), "nil");
  EXPECT_EQ(show(l.get()),
            "[-inf, -2, 1, 1.0, 1.5, 3, 9007199254740992.0, 9007199254740993, nan, nan]");
}

TEST_F(Stdlib, SortStringsBytewise) {
  Ref b = str("b"), a = str("a"), upper = str("B"), accent = str("\xC3\xA9");
  Ref l = list({b.get(), accent.get(), a.get(), upper.get()});
  EXPECT_EQ(on(l.place(), "sort", {}), "nil");
  EXPECT_EQ(show(l.get()), "[\"B\", \"a\", \"b\", \"\xC3\xA9\"]");
}

TEST_F(Stdlib, SortRejectsMixedAndLeavesTheListAlone) {
  Ref a = str("a");
  Ref l = list({i(2), i(1), a.get()});
  EXPECT_EQ(on(l.place(), "sort", {}), "error: sort() cannot compare int with string");
  EXPECT_EQ(show(l.get()), "[2, 1, \"a\"]");
  Ref bools = list({Value::boolean(true), Value::boolean(false)});
  EXPECT_EQ(on(bools.place(), "sort", {}), "error: sort() cannot compare bool with bool");
  Ref one = list({Value::nil()});
  EXPECT_EQ(on(one.place(), "sort", {}), "nil");
}

TEST_F(Stdlib, MapFilterReduce) {
  Ref l = list({i(1), i(2), i(3), i(4)});
  Ref twice = native(kTwice), even = native(kIsEven), add = native(kAdd);
  EXPECT_EQ(on(l.place(), "map", {twice.get()}), "[2, 4, 6, 8]");
  EXPECT_EQ(on(l.place(), "filter", {even.get()}), "[2, 4]");
  EXPECT_EQ(on(l.place(), "reduce", {add.get(), i(100)}), "110");
  Ref empty = list({});
  Ref init = str("init");
  EXPECT_EQ(on(empty.place(), "reduce", {add.get(), init.get()}), "\"init\"");
  EXPECT_EQ(on(l.place(), "map", {i(1)}), "error: map() expects a function, got int");
  EXPECT_EQ(on(l.place(), "reduce", {add.get()}), "error: reduce() expects 2 arguments, got 1");
}

TEST_F(Stdlib, ErrorsInsideCallbacksPropagate) {
  Ref one = str("1"), bad = str("x"), ok = str("3");
  Ref l = list({one.get(), bad.get(), ok.get()});
  Ref to_int;
  for (auto& [n, fn] : builtins_) {
    if (n != "int") continue;
    rt::retain(fn.get());
    to_int = Ref(fn.get());
  }
  EXPECT_EQ(on(l.place(), "map", {to_int.get()}), "error: cannot convert 'x' to int");
  EXPECT_EQ(on(l.place(), "filter", {to_int.get()}), "error: cannot convert 'x' to int");
  Ref ints = list({i(1)});
  EXPECT_EQ(on(ints.place(), "reduce", {to_int.get(), i(0)}),
            "error: int() expects 1 argument, got 2");
}

TEST_F(Stdlib, Join) {
  Ref a = str("a"), sep = str(", "), inner = list({a.get()});
  Ref l = list({i(1), a.get(), f(2.5), Value::nil(), inner.get()});
  EXPECT_EQ(on(l.place(), "join", {sep.get()}), "\"1, a, 2.5, nil, [\\\"a\\\"]\"");
  Ref empty = list({});
  EXPECT_EQ(on(empty.place(), "join", {sep.get()}), "\"\"");
  EXPECT_EQ(on(l.place(), "join", {i(1)}), "error: join() expects a string separator, got int");
}

// --- maps --------------------------------------------------------------------

TEST_F(Stdlib, MapKeysValuesLen) {
  SampleMap();
  EXPECT_EQ(on(m_.place(), "keys", {}), "[\"x\", 2, true]");
  EXPECT_EQ(on(m_.place(), "values", {}), "[1, 2.5, nil]");
  EXPECT_EQ(on(m_.place(), "len", {}), "3");
}

TEST_F(Stdlib, MapHasAndGet) {
  SampleMap();
  Ref l = list({});
  EXPECT_EQ(on(m_.place(), "has", {x_.get()}), "true");
  EXPECT_EQ(on(m_.place(), "has", {f(2.0)}), "true");  // 2 and 2.0 are one key
  EXPECT_EQ(on(m_.place(), "has", {i(3)}), "false");
  EXPECT_EQ(on(m_.place(), "has", {l.get()}), "false");
  EXPECT_EQ(on(m_.place(), "get", {i(2), i(0)}), "2.5");
  EXPECT_EQ(on(m_.place(), "get", {i(3), i(0)}), "0");
  EXPECT_EQ(on(m_.place(), "get", {i(3)}), "nil");
  EXPECT_EQ(on(m_.place(), "get", {f(NAN), i(7)}), "7");
}

TEST_F(Stdlib, MapRemoveCopiesASharedMap) {
  SampleMap();
  Ref other(m_.get());
  rt::retain(other.get());
  EXPECT_EQ(on(m_.place(), "remove", {x_.get()}), "1");
  EXPECT_EQ(show(m_.get()), "{2: 2.5, true: nil}");
  EXPECT_EQ(show(other.get()), "{\"x\": 1, 2: 2.5, true: nil}");
  EXPECT_EQ(on(m_.place(), "remove", {x_.get()}), "error: key 'x' not found");
  EXPECT_EQ(on(m_.place(), "remove", {i(9)}), "error: key 9 not found");
  Ref l = list({});
  EXPECT_EQ(on(m_.place(), "remove", {l.get()}),
            "error: map key must be a string, int, float or bool, not list");
}

}  // namespace
}  // namespace boc::stdlib
