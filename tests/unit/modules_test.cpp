// Unit tests of the library modules (math, time, random, json, io), called
// from C++ the way compiled code calls them: a method call on the module map
// (boc_rt_call_method), which finds the native function stored under the name.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <initializer_list>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "runtime/abi.hpp"
#include "runtime/context.hpp"
#include "runtime/error.hpp"
#include "runtime/format.hpp"
#include "runtime/function.hpp"
#include "runtime/list.hpp"
#include "runtime/map.hpp"
#include "runtime/ops.hpp"
#include "runtime/string.hpp"
#include "stdlib/json/json.hpp"
#include "stdlib/modules.hpp"
#include "tests/unit/value_test_support.hpp"

namespace boc::stdlib {
namespace {

using rt::Tag;
using rt::Value;
using namespace rt::test;  // Ref, str, i, f, show

class TestHost : public rt::Host {
 public:
  void write_out(std::string_view) override {}
  void write_err(std::string_view) override {}
  bool allow_io() const override { return io; }
  bool io = true;
};

class Modules : public ::testing::Test {
 protected:
  void SetUp() override {
    ctx_.host = &host_;
    rt::set_stack_limit_for_current_thread(&ctx_);
    for (auto& [name, module] : make_modules()) modules_.emplace_back(name, Ref(module));
  }
  void TearDown() override {
    EXPECT_TRUE(ctx_.error.is_nil()) << "unchecked error: " << take_error();
    rt::release(ctx_.error);
  }

  Value module(std::string_view name) {
    for (auto& [n, m] : modules_)
      if (n == name) return m.get();
    ADD_FAILURE() << "no module " << name;
    return Value::nil();
  }

  // module.fn(args...) as a script writes it; the printed result (strings
  // quoted) or "error: MESSAGE".
  std::string call(std::string_view mod, const char* fn, std::initializer_list<Value> args) {
    Ref r = raw_call(mod, fn, args);
    if (last_exc_) return "error: " + take_error();
    return show(r.get());
  }
  Ref raw_call(std::string_view mod, const char* fn, std::initializer_list<Value> args) {
    Value receiver = module(mod);
    rt::retain(receiver);
    Ref holder(receiver);
    Ref name = str(fn);
    Value r = boc_rt_call_method(&ctx_, holder.place(), boc_rt_method_id(fn), name.get(),
                                 args.begin(), static_cast<uint32_t>(args.size()));
    last_exc_ = r.is_exc();
    return Ref(last_exc_ ? Value::nil() : r);
  }

  std::string take_error() {
    last_exc_ = false;
    Value e = std::exchange(ctx_.error, Value::nil());
    std::string msg = e.tag == Tag::Error ? rt::as_error(e)->message : "<no error set>";
    rt::release(e);
    return msg;
  }

  // Shorthands for the json module on C++ strings.
  std::string parse(std::string_view text) {
    Ref s = str(text);
    return call("json", "parse", {s.get()});
  }
  std::string stringify(Value v) {
    Ref r = raw_call("json", "stringify", {v});
    if (last_exc_) return "error: " + take_error();
    return std::string(rt::string_view_of(r.get()));
  }

  TestHost host_;
  rt::Ctx ctx_;
  std::vector<std::pair<std::string, Ref>> modules_;
  bool last_exc_ = false;
};

// --- the module table ----------------------------------------------------------

TEST_F(Modules, EveryModuleIsAMapOfQualifiedNatives) {
  std::vector<std::string> names;
  for (auto& [name, m] : modules_) {
    names.push_back(name);
    ASSERT_EQ(m.get().tag, Tag::Map) << name;
    int64_t state = 0;
    while (const rt::MapEntry* e = rt::map_next(rt::as_map(m.get()), &state)) {
      if (e->value.tag != Tag::Function) continue;
      std::string key(rt::string_view_of(e->key));
      EXPECT_EQ(rt::as_function(e->value)->proto->name, name + "." + key);
    }
  }
  EXPECT_EQ(names, (std::vector<std::string>{"math", "time", "random", "json", "io"}));
  EXPECT_EQ(show(module("json")), "{\"parse\": <fn json.parse>, \"stringify\": <fn json.stringify>}");
}

TEST_F(Modules, ArityErrorsNameTheFunction) {
  EXPECT_EQ(call("math", "sqrt", {}), "error: math.sqrt() expects 1 argument, got 0");
  EXPECT_EQ(call("math", "min", {}), "error: math.min() expects at least 1 argument, got 0");
  EXPECT_EQ(call("math", "log", {i(1), i(2), i(3)}),
            "error: math.log() expects 1 to 2 arguments, got 3");
  EXPECT_EQ(call("time", "now", {i(1)}), "error: time.now() expects 0 arguments, got 1");
}

// --- math ----------------------------------------------------------------------

TEST_F(Modules, MathConstants) {
  rt::Map* m = rt::as_map(module("math"));
  Ref pi = str("pi"), inf = str("inf");
  EXPECT_EQ(show(*rt::map_find(m, pi.get())), "3.141592653589793");
  EXPECT_EQ(show(*rt::map_find(m, inf.get())), "inf");
}

TEST_F(Modules, MathFloatFunctions) {
  EXPECT_EQ(call("math", "sqrt", {i(4)}), "2.0");
  EXPECT_EQ(call("math", "sqrt", {f(2.25)}), "1.5");
  EXPECT_EQ(call("math", "sqrt", {i(-1)}), "nan");
  EXPECT_EQ(call("math", "sin", {i(0)}), "0.0");
  EXPECT_EQ(call("math", "cos", {i(0)}), "1.0");
  EXPECT_EQ(call("math", "exp", {i(0)}), "1.0");
  EXPECT_EQ(call("math", "log", {i(1)}), "0.0");
  EXPECT_EQ(call("math", "log", {i(0)}), "-inf");
  EXPECT_EQ(call("math", "log", {i(8), i(2)}), "3.0");
  EXPECT_EQ(call("math", "log", {i(1000), i(10)}), "3.0");
  Ref s = str("x");
  EXPECT_EQ(call("math", "sqrt", {s.get()}), "error: math.sqrt() expects a number, got string");
  EXPECT_EQ(call("math", "cos", {Value::boolean(true)}),
            "error: math.cos() expects a number, got bool");
}

TEST_F(Modules, MathAbsKeepsTheType) {
  EXPECT_EQ(call("math", "abs", {i(-3)}), "3");
  EXPECT_EQ(call("math", "abs", {f(-2.5)}), "2.5");
  EXPECT_EQ(call("math", "abs", {f(-0.0)}), "0.0");
  EXPECT_EQ(call("math", "abs", {i(INT64_MIN)}), "error: integer overflow in math.abs");
  EXPECT_EQ(call("math", "abs", {Value::nil()}), "error: math.abs() expects a number, got nil");
}

TEST_F(Modules, MathRoundingReturnsInts) {
  EXPECT_EQ(call("math", "floor", {f(2.7)}), "2");
  EXPECT_EQ(call("math", "floor", {f(-2.5)}), "-3");
  EXPECT_EQ(call("math", "ceil", {f(2.1)}), "3");
  EXPECT_EQ(call("math", "ceil", {f(-2.9)}), "-2");
  EXPECT_EQ(call("math", "round", {f(2.5)}), "3");    // halves away from zero
  EXPECT_EQ(call("math", "round", {f(-2.5)}), "-3");
  EXPECT_EQ(call("math", "round", {f(0.49999999999999994)}), "0");  // floor(x + 0.5) says 1
  EXPECT_EQ(call("math", "round", {i(7)}), "7");
  EXPECT_EQ(call("math", "floor", {f(-9223372036854775808.0)}), "-9223372036854775808");
  EXPECT_EQ(call("math", "floor", {f(NAN)}), "error: math.floor: cannot convert nan to int");
  EXPECT_EQ(call("math", "ceil", {f(-INFINITY)}), "error: math.ceil: cannot convert -inf to int");
  EXPECT_EQ(call("math", "round", {f(1e19)}),
            "error: math.round: cannot convert 1e+19 to int (out of range)");
  EXPECT_EQ(call("math", "round", {Value::boolean(false)}),
            "error: math.round() expects a number, got bool");
}

TEST_F(Modules, MathPow) {
  EXPECT_EQ(call("math", "pow", {i(2), i(10)}), "1024");
  EXPECT_EQ(call("math", "pow", {i(0), i(0)}), "1");
  EXPECT_EQ(call("math", "pow", {i(2), i(62)}), "4611686018427387904");
  EXPECT_EQ(call("math", "pow", {i(-2), i(63)}), "-9223372036854775808");
  EXPECT_EQ(call("math", "pow", {i(-1), i(INT64_MAX)}), "-1");
  EXPECT_EQ(call("math", "pow", {i(2), i(63)}), "error: integer overflow in math.pow");
  EXPECT_EQ(call("math", "pow", {i(10), i(19)}), "error: integer overflow in math.pow");
  EXPECT_EQ(call("math", "pow", {i(2), i(-1)}), "0.5");
  EXPECT_EQ(call("math", "pow", {f(2.0), i(3)}), "8.0");
  EXPECT_EQ(call("math", "pow", {i(4), f(0.5)}), "2.0");
  Ref s = str("2");
  EXPECT_EQ(call("math", "pow", {s.get(), i(2)}), "error: math.pow() expects a number, got string");
}

TEST_F(Modules, MathMinMaxKeepTheWinnersType) {
  EXPECT_EQ(call("math", "min", {i(3), f(1.5), i(2)}), "1.5");
  EXPECT_EQ(call("math", "max", {i(3), f(1.5), i(2)}), "3");
  EXPECT_EQ(call("math", "min", {i(1), f(1.0)}), "1");  // a tie keeps the first
  EXPECT_EQ(call("math", "max", {f(1.0), i(1)}), "1.0");
  EXPECT_EQ(call("math", "min", {i(5)}), "5");
  // Exact across int and float: 2^53 + 1 is greater than the double 2^53.
  EXPECT_EQ(call("math", "max", {f(9007199254740992.0), i(9007199254740993)}), "9007199254740993");
  EXPECT_EQ(call("math", "min", {i(1), f(NAN)}), "nan");
  rt::List* l = rt::list_new();
  rt::list_push(l, i(4));
  rt::list_push(l, i(-2));
  Ref xs(rt::list_value(l));
  EXPECT_EQ(call("math", "min", {xs.get()}), "-2");
  Ref empty(rt::list_value(rt::list_new()));
  EXPECT_EQ(call("math", "max", {empty.get()}), "error: math.max() of an empty list");
  Ref s = str("a");
  EXPECT_EQ(call("math", "max", {i(1), s.get()}), "error: math.max() expects numbers, got string");
}

// --- time ----------------------------------------------------------------------

TEST_F(Modules, TimeNowIsMonotonicAndSleepWaits) {
  Ref a = raw_call("time", "now", {});
  ASSERT_EQ(a.get().tag, Tag::Float);
  EXPECT_EQ(call("time", "sleep", {f(0.02)}), "nil");
  EXPECT_EQ(call("time", "sleep", {i(0)}), "nil");
  Ref b = raw_call("time", "now", {});
  EXPECT_GE(b.get().as_float() - a.get().as_float(), 0.02);
}

TEST_F(Modules, TimeSleepRejectsBadDurations) {
  EXPECT_EQ(call("time", "sleep", {i(-1)}),
            "error: time.sleep: seconds must be a non-negative number, got -1");
  EXPECT_EQ(call("time", "sleep", {f(NAN)}),
            "error: time.sleep: seconds must be a non-negative number, got nan");
  EXPECT_EQ(call("time", "sleep", {f(1e12)}),
            "error: time.sleep: 1000000000000.0 seconds is longer than the limit of 31536000");
  Ref s = str("1");
  EXPECT_EQ(call("time", "sleep", {s.get()}),
            "error: time.sleep() expects a number of seconds, got string");
}

// --- random --------------------------------------------------------------------

TEST_F(Modules, RandomSeedMakesTheSequenceReproducible) {
  auto draw = [&] {
    std::string s;
    for (int k = 0; k < 5; ++k) s += call("random", "int", {i(0), i(1000000)}) + " ";
    return s + call("random", "float", {});
  };
  EXPECT_EQ(call("random", "seed", {i(42)}), "nil");
  std::string first = draw();
  call("random", "seed", {i(42)});
  EXPECT_EQ(draw(), first);
  call("random", "seed", {i(43)});
  EXPECT_NE(draw(), first);
  EXPECT_EQ(call("random", "seed", {f(1.0)}), "error: random.seed() expects an int, got float");
}

TEST_F(Modules, RandomRanges) {
  call("random", "seed", {i(1)});
  std::vector<int> seen(6, 0);
  for (int k = 0; k < 600; ++k) {
    Ref r = raw_call("random", "int", {i(1), i(6)});
    ASSERT_EQ(r.get().tag, Tag::Int);
    int64_t v = r.get().as_int();
    ASSERT_GE(v, 1);
    ASSERT_LE(v, 6);
    ++seen[static_cast<size_t>(v - 1)];
  }
  for (int count : seen) EXPECT_GT(count, 50);  // each face near 100
  double sum = 0;
  for (int k = 0; k < 1000; ++k) {
    Ref r = raw_call("random", "float", {});
    ASSERT_EQ(r.get().tag, Tag::Float);
    ASSERT_GE(r.get().as_float(), 0.0);
    ASSERT_LT(r.get().as_float(), 1.0);
    sum += r.get().as_float();
  }
  EXPECT_NEAR(sum / 1000, 0.5, 0.05);
  EXPECT_EQ(call("random", "int", {i(5), i(5)}), "5");
  Ref full = raw_call("random", "int", {i(INT64_MIN), i(INT64_MAX)});  // span of 2^64
  EXPECT_EQ(full.get().tag, Tag::Int);
  EXPECT_EQ(call("random", "int", {i(2), i(1)}),
            "error: random.int: empty range, lo 2 is greater than hi 1");
  EXPECT_EQ(call("random", "int", {f(1.0), i(2)}),
            "error: random.int() expects int bounds, got float");
}

// Each thread owns its generator: seeding one thread neither reads nor moves
// another's sequence.
TEST_F(Modules, RandomStateIsPerThread) {
  call("random", "seed", {i(7)});
  std::string a1 = call("random", "float", {});
  std::string a2 = call("random", "float", {});
  call("random", "seed", {i(7)});
  EXPECT_EQ(call("random", "float", {}), a1);

  std::string other_first;
  std::thread worker([&] {
    rt::Ctx ctx;
    ctx.host = &host_;
    Value fn = *rt::map_find(rt::as_map(module("random")), str("seed").get());
    Value seven = i(7);
    Value r = boc_rt_call(&ctx, fn, &seven, 1);
    EXPECT_FALSE(r.is_exc());
    fn = *rt::map_find(rt::as_map(module("random")), str("float").get());
    for (int k = 0; k < 10; ++k) {
      r = boc_rt_call(&ctx, fn, nullptr, 0);
      if (k == 0) other_first = show(r);
    }
  });
  worker.join();
  EXPECT_EQ(other_first, a1);                     // same seed, same numbers
  EXPECT_EQ(call("random", "float", {}), a2);     // ours did not move
}

// --- json.parse ----------------------------------------------------------------

TEST_F(Modules, JsonParsesScalars) {
  EXPECT_EQ(parse("null"), "nil");
  EXPECT_EQ(parse(" true "), "true");
  EXPECT_EQ(parse("false"), "false");
  EXPECT_EQ(parse("42"), "42");
  EXPECT_EQ(parse("-0"), "0");
  EXPECT_EQ(parse("2.0"), "2.0");
  EXPECT_EQ(parse("1e2"), "100.0");
  EXPECT_EQ(parse("-1.5E-3"), "-0.0015");
  EXPECT_EQ(parse("9223372036854775807"), "9223372036854775807");
  EXPECT_EQ(parse("-9223372036854775808"), "-9223372036854775808");
  EXPECT_EQ(parse("9223372036854775808"), "9.223372036854776e+18");  // beyond int64: float
  EXPECT_EQ(parse("1e400"), "inf");
  EXPECT_EQ(parse("-1e400"), "-inf");
  EXPECT_EQ(parse("1e-400"), "0.0");
  EXPECT_EQ(parse("0.0000001e-400"), "0.0");
  EXPECT_EQ(parse("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\""), "\"a\\\"b\\\\c/d\\u{8}\\u{C}\\n\\r\\t\"");
}

TEST_F(Modules, JsonParsesUnicode) {
  EXPECT_EQ(parse("\"\\u00e9\""), "\"\xC3\xA9\"");
  EXPECT_EQ(parse("\"\\u20AC\""), "\"\xE2\x82\xAC\"");
  EXPECT_EQ(parse("\"\\ud83d\\ude00\""), "\"\xF0\x9F\x98\x80\"");  // a surrogate pair
  EXPECT_EQ(parse("\"\xF0\x9F\x98\x80\""), "\"\xF0\x9F\x98\x80\"");
  Ref r = raw_call("json", "parse", {str("\"a\\u0000b\"").get()});
  EXPECT_EQ(rt::string_view_of(r.get()), std::string_view("a\0b", 3));
}

TEST_F(Modules, JsonParsesContainersInOrder) {
  EXPECT_EQ(parse("[]"), "[]");
  EXPECT_EQ(parse("{}"), "{}");
  EXPECT_EQ(parse(" [1, 2.5, null, \"x\", [true], {}] "), "[1, 2.5, nil, \"x\", [true], {}]");
  EXPECT_EQ(parse("{\"b\": 1, \"a\": {\"c\": [2]}}"), "{\"b\": 1, \"a\": {\"c\": [2]}}");
  EXPECT_EQ(parse("{\"a\": 1, \"b\": 2, \"a\": 3}"), "{\"a\": 3, \"b\": 2}");  // last wins
  EXPECT_EQ(parse("{\"1\": 1}"), "{\"1\": 1}");  // names stay strings
  EXPECT_EQ(parse("\t\r\n[\n1\n]\n"), "[1]");
}

TEST_F(Modules, JsonParseErrorsCarryThePosition) {
  EXPECT_EQ(parse("[1, 2,]"), "error: json.parse: unexpected character ']' at line 1, column 7");
  EXPECT_EQ(parse("{\"a\" 1}"), "error: json.parse: unexpected character '1' at line 1, column 6");
  EXPECT_EQ(parse("[\n  1,\n  x]"), "error: json.parse: unexpected character 'x' at line 3, column 3");
  EXPECT_EQ(parse("\"\xC3\xA9\" x"), "error: json.parse: unexpected character 'x' at line 1, column 5");
  EXPECT_EQ(parse(""), "error: json.parse: unexpected end of input at line 1, column 1");
  EXPECT_EQ(parse("[1"), "error: json.parse: unexpected end of input at line 1, column 3");
  EXPECT_EQ(parse("\"abc"), "error: json.parse: unexpected end of input at line 1, column 5");
  EXPECT_EQ(parse("nul"), "error: json.parse: unexpected end of input at line 1, column 4");
  EXPECT_EQ(parse("nulL"), "error: json.parse: unexpected character 'L' at line 1, column 4");
  EXPECT_EQ(parse("[1] 2"), "error: json.parse: unexpected character '2' at line 1, column 5");
  EXPECT_EQ(parse("{1: 2}"), "error: json.parse: unexpected character '1' at line 1, column 2");
  EXPECT_EQ(parse("{'a': 2}"), "error: json.parse: unexpected character ''' at line 1, column 2");
  EXPECT_EQ(parse("\xEF\xBB\xBF[]"),
            "error: json.parse: unexpected character '\xEF\xBB\xBF' at line 1, column 1");
}

TEST_F(Modules, JsonParseIsStrictAboutNumbers) {
  for (const char* bad : {"01", "+1", "-", "1.", ".5", "1e", "1e+", "-01", "NaN", "Infinity", "0x10"})
    EXPECT_NE(parse(bad).rfind("error: json.parse: unexpected", 0), std::string::npos) << bad;
  EXPECT_EQ(parse("01"), "error: json.parse: unexpected character '1' at line 1, column 2");
  EXPECT_EQ(parse("1."), "error: json.parse: unexpected end of input at line 1, column 3");
}

TEST_F(Modules, JsonParseIsStrictAboutStrings) {
  EXPECT_EQ(parse("\"a\nb\""),
            "error: json.parse: unescaped control character '\\n' in string at line 1, column 3");
  EXPECT_EQ(parse("\"\\x\""),
            "error: json.parse: invalid escape character 'x' in string at line 1, column 2");
  EXPECT_EQ(parse("\"\\u12G4\""),
            "error: json.parse: invalid \\u escape: 'G' is not a hex digit at line 1, column 6");
  EXPECT_EQ(parse("\"\\ud800\""),
            "error: json.parse: unpaired surrogate in \\u escape at line 1, column 2");
  EXPECT_EQ(parse("\"\\ud800\\u0041\""),
            "error: json.parse: unpaired surrogate in \\u escape at line 1, column 2");
  EXPECT_EQ(parse("\"\\udc00\""),
            "error: json.parse: unpaired surrogate in \\u escape at line 1, column 2");
  EXPECT_EQ(parse("\"a\xFF\""),
            "error: json.parse: invalid UTF-8 (byte 0xFF) in string at line 1, column 3");
  EXPECT_EQ(parse("\"\xC0\xAF\""),  // overlong '/'
            "error: json.parse: invalid UTF-8 (byte 0xC0) in string at line 1, column 2");
  EXPECT_EQ(parse("\"\xED\xA0\x80\""),  // an encoded surrogate
            "error: json.parse: invalid UTF-8 (byte 0xED) in string at line 1, column 2");
  Ref n = Ref(i(3));
  EXPECT_EQ(call("json", "parse", {n.get()}), "error: json.parse() expects a string, got int");
}

TEST_F(Modules, JsonParseNestingLimit) {
  size_t limit = json::kMaxDepth;
  std::string ok = std::string(limit, '[') + std::string(limit, ']');
  EXPECT_EQ(parse(ok).substr(0, 4), "[[[[");
  std::string deep = std::string(limit + 1, '[') + std::string(limit + 1, ']');
  EXPECT_EQ(parse(deep), "error: json.parse: nesting deeper than 1000 levels at line 1, column 1001");
  // A megabyte of '[' is an error, not a stack overflow.
  EXPECT_NE(parse(std::string(1 << 20, '[')).find("nesting deeper"), std::string::npos);
  std::string objects;
  for (size_t k = 0; k <= limit; ++k) objects += "{\"a\":";
  EXPECT_NE(parse(objects).find("nesting deeper"), std::string::npos);
}

// --- json.stringify ------------------------------------------------------------

TEST_F(Modules, JsonStringifyIsCompact) {
  Ref v = raw_call("json", "parse", {str("{\"a\": [1, 2.5, null, 2.0], \"b\": {\"c\": true}}").get()});
  EXPECT_EQ(stringify(v.get()), "{\"a\":[1,2.5,null,2.0],\"b\":{\"c\":true}}");
  EXPECT_EQ(stringify(Value::nil()), "null");
  EXPECT_EQ(stringify(f(1e20)), "1e+20");
  EXPECT_EQ(stringify(f(-0.0)), "-0.0");
  EXPECT_EQ(stringify(f(0.1)), "0.1");
  EXPECT_EQ(stringify(i(INT64_MIN)), "-9223372036854775808");
  Ref empty_list(rt::list_value(rt::list_new()));
  Ref empty_map(rt::map_value(rt::map_new()));
  EXPECT_EQ(stringify(empty_list.get()), "[]");
  EXPECT_EQ(stringify(empty_map.get()), "{}");
}

TEST_F(Modules, JsonStringifyEscapesStrings) {
  Ref s = str(std::string("q\"b\\n\nt\tc\x01 \x7F\xC3\xA9/", 15) + std::string(1, '\0'));
  EXPECT_EQ(stringify(s.get()), "\"q\\\"b\\\\n\\nt\\tc\\u0001 \x7F\xC3\xA9/\\u0000\"");
  Ref bad = str("a\xFF");
  EXPECT_EQ(stringify(bad.get()), "error: json.stringify: cannot encode a string that is not valid UTF-8");
}

TEST_F(Modules, JsonStringifyKeysBecomeStrings) {
  rt::Map* m = rt::map_new();
  Ref k = str("s");
  rt::map_set(m, k.get(), i(0));
  rt::map_set(m, i(1), i(1));
  rt::map_set(m, f(2.5), i(2));
  rt::map_set(m, Value::boolean(true), i(3));
  Ref map(rt::map_value(m));
  EXPECT_EQ(stringify(map.get()), "{\"s\":0,\"1\":1,\"2.5\":2,\"true\":3}");
}

TEST_F(Modules, JsonStringifyRejectsWhatJsonCannotHold) {
  EXPECT_EQ(stringify(f(NAN)), "error: json.stringify: cannot encode nan (JSON has no nan or inf)");
  EXPECT_EQ(stringify(f(-INFINITY)), "error: json.stringify: cannot encode -inf (JSON has no nan or inf)");
  Value fn = *rt::map_find(rt::as_map(module("json")), str("parse").get());
  rt::List* l = rt::list_new();
  rt::retain(fn);
  rt::list_push(l, fn);
  Ref list(rt::list_value(l));
  EXPECT_EQ(stringify(list.get()), "error: json.stringify: cannot encode function");
  Ref e(rt::error_value(rt::error_new("boom")));
  EXPECT_EQ(stringify(e.get()), "error: json.stringify: cannot encode error");
}

TEST_F(Modules, JsonStringifyNestingLimit) {
  // A list nested kMaxDepth deep is written; one more level is an error.
  Ref v(rt::list_value(rt::list_new()));
  for (size_t k = 1; k < json::kMaxDepth; ++k) {
    rt::List* outer = rt::list_new();
    rt::list_push(outer, std::exchange(*v.place(), Value::nil()));
    v = Ref(rt::list_value(outer));
  }
  std::string text = stringify(v.get());
  EXPECT_EQ(text.size(), 2 * json::kMaxDepth);
  rt::List* outer = rt::list_new();
  rt::list_push(outer, std::exchange(*v.place(), Value::nil()));
  v = Ref(rt::list_value(outer));
  EXPECT_EQ(stringify(v.get()), "error: json.stringify: nesting deeper than 1000 levels");
}

TEST_F(Modules, JsonRoundTrips) {
  const char* docs[] = {
      "{\"name\":\"Al\",\"tags\":[\"a\",\"\xC3\xA9\"],\"n\":-12,\"x\":0.30000000000000004,"
      "\"deep\":[[[{\"k\":null}]]],\"t\":true,\"big\":1.5e+300}",
      "[0,-0.0,1e-07,\"\\u0000\\\"\\\\\"]",
  };
  for (const char* doc : docs) {
    Ref v = raw_call("json", "parse", {str(doc).get()});
    ASSERT_FALSE(last_exc_) << take_error();
    std::string text = stringify(v.get());
    EXPECT_EQ(text, doc);
    Ref again = raw_call("json", "parse", {str(text).get()});
    EXPECT_TRUE(rt::values_equal(v.get(), again.get()));
  }
}

// Every prefix of a document, and every one-byte change to it, either parses
// or fails with a located message; whatever parses writes back and reads
// back equal. (ASan builds turn any overrun here into a failure.)
TEST_F(Modules, JsonParseSurvivesMangledInput) {
  const std::string doc =
      "{\"a\": [1, -2.5e3, true, null, \"x\\u00e9\\n\"], \"b\": {\"c\": [[], {}]}, \"d\": 0}";
  std::vector<std::string> inputs;
  for (size_t n = 0; n <= doc.size(); ++n) inputs.push_back(doc.substr(0, n));
  for (size_t k = 0; k < doc.size(); ++k)
    for (char c : std::string("{}[]\",:\\0-.eE+ u\x80\xff")) {
      std::string m = doc;
      m[k] = c;
      inputs.push_back(m);
    }
  size_t parsed_ok = 0;
  for (const std::string& text : inputs) {
    Ref v = raw_call("json", "parse", {str(text).get()});
    if (last_exc_) {
      std::string msg = take_error();
      EXPECT_EQ(msg.rfind("json.parse: ", 0), 0u) << msg;
      EXPECT_NE(msg.find(" at line 1, column "), std::string::npos) << msg;
      continue;
    }
    ++parsed_ok;
    Ref out = raw_call("json", "stringify", {v.get()});
    ASSERT_FALSE(last_exc_) << text << ": " << take_error();
    Ref again = raw_call("json", "parse", {out.get()});
    ASSERT_FALSE(last_exc_) << take_error();
    EXPECT_TRUE(rt::values_equal(v.get(), again.get())) << text;
  }
  EXPECT_GT(parsed_ok, 20u);  // the mangling left some valid documents
}

// --- io ------------------------------------------------------------------------

class ModulesIo : public Modules {
 protected:
  void SetUp() override {
    Modules::SetUp();
    dir_ = std::filesystem::temp_directory_path() /
           ("boc_modules_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    std::filesystem::remove_all(dir_);
    Modules::TearDown();
  }
  std::string path(const char* name) { return (dir_ / name).string(); }
  std::filesystem::path dir_;
};

TEST_F(ModulesIo, WriteThenReadAFile) {
  Ref p = str(path("a.txt"));
  Ref text = str(std::string("line 1\nline \xC3\xA9\0end", 17));
  EXPECT_EQ(call("io", "write_file", {p.get(), text.get()}), "nil");
  Ref back = raw_call("io", "read_file", {p.get()});
  ASSERT_FALSE(last_exc_) << take_error();
  EXPECT_TRUE(rt::values_equal(back.get(), text.get()));
  Ref shorter = str("x");
  EXPECT_EQ(call("io", "write_file", {p.get(), shorter.get()}), "nil");  // truncates
  EXPECT_EQ(call("io", "read_file", {p.get()}), "\"x\"");
}

TEST_F(ModulesIo, FailuresCarryTheOsReason) {
  Ref missing = str(path("missing.txt"));
  EXPECT_EQ(call("io", "read_file", {missing.get()}),
            "error: io.read_file: cannot open '" + path("missing.txt") +
                "': No such file or directory");
  Ref dir = str(dir_.string());
  EXPECT_EQ(call("io", "read_file", {dir.get()}),
            "error: io.read_file: cannot read '" + dir_.string() + "': Is a directory");
  Ref nowhere = str(path("no/such/dir/f.txt"));
  Ref s = str("x");
  EXPECT_EQ(call("io", "write_file", {nowhere.get(), s.get()}),
            "error: io.write_file: cannot open '" + path("no/such/dir/f.txt") +
                "': No such file or directory");
  Ref nul = str(std::string("a\0b", 3));
  EXPECT_EQ(call("io", "read_file", {nul.get()}), "error: io.read_file: path contains a NUL byte");
  EXPECT_EQ(call("io", "read_file", {i(1)}), "error: io.read_file() expects a string path, got int");
  Ref p = str(path("a.txt"));
  EXPECT_EQ(call("io", "write_file", {p.get(), i(1)}),
            "error: io.write_file() expects a string to write, got int");
}

TEST_F(ModulesIo, HostCanDisableIo) {
  host_.io = false;
  Ref p = str(path("a.txt"));
  Ref s = str("x");
  EXPECT_EQ(call("io", "read_file", {p.get()}), "error: io is disabled by the host");
  EXPECT_EQ(call("io", "write_file", {p.get(), s.get()}), "error: io is disabled by the host");
  EXPECT_EQ(call("io", "read_line", {}), "error: io is disabled by the host");
  EXPECT_FALSE(std::filesystem::exists(path("a.txt")));  // nothing was written
  ctx_.host = nullptr;  // no host at all: sandboxed too
  EXPECT_EQ(call("io", "read_file", {p.get()}), "error: io is disabled by the host");
  ctx_.host = &host_;
}

}  // namespace
}  // namespace boc::stdlib
