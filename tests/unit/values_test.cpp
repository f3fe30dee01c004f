// Unit tests of the runtime value layer: formatting, equality and hashing,
// maps, copy-on-write, strings, operators, indexing, errors and traces.
// Run under -DBOC_SANITIZE=address too: LeakSanitizer checks every test's
// reference counting.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "runtime/abi.hpp"
#include "runtime/error.hpp"
#include "runtime/format.hpp"
#include "runtime/function.hpp"
#include "runtime/list.hpp"
#include "runtime/map.hpp"
#include "runtime/ops.hpp"
#include "runtime/sched/cown.hpp"
#include "runtime/string.hpp"

namespace boc::rt {
namespace {

// Owns one reference for the duration of a test.
struct Owned {
  Value v;
  explicit Owned(Value value) : v(value) {}
  Owned(const Owned&) = delete;
  Owned& operator=(const Owned&) = delete;
  ~Owned() { release(v); }
};

class Values : public ::testing::Test {
 protected:
  Ctx ctx;
  ~Values() override { release(ctx.error); }

  // The pending error's message (clearing it), after a call returned exc.
  std::string take_message() {
    Value e = boc_rt_take_error(&ctx);
    EXPECT_EQ(e.tag, Tag::Error);
    std::string m = e.tag == Tag::Error ? as_error(e)->message : "";
    release(e);
    return m;
  }
  std::string error_of(Value result) {
    EXPECT_TRUE(result.is_exc());
    if (!result.is_exc()) {
      release(result);
      return "<no error>";
    }
    return take_message();
  }
};

Value str(std::string_view s) { return make_string(s); }
Value list(std::vector<Value> items_move) {
  return boc_rt_list_new(nullptr, items_move.data(), static_cast<uint32_t>(items_move.size()));
}
Value map(Ctx* ctx, std::vector<Value> pairs_move) {
  return boc_rt_map_new(ctx, pairs_move.data(), static_cast<uint32_t>(pairs_move.size() / 2));
}
std::string show(Value v) { return to_display(v); }
std::string show_float(double d) { return show(Value::real(d)); }
// `*variable op= rhs` as compiled code does it: the new value replaces the
// old one only on success. Returns nil or exc.
Value compound(Ctx* ctx, Value* variable, uint32_t op, Value rhs) {
  Value r = boc_rt_compound_assign(ctx, *variable, op, rhs);
  if (r.is_exc()) return r;
  *variable = r;
  return Value::nil();
}

// ---- formatting ----

TEST_F(Values, FormatsScalars) {
  EXPECT_EQ(show(Value::nil()), "nil");
  EXPECT_EQ(show(Value::boolean(true)), "true");
  EXPECT_EQ(show(Value::boolean(false)), "false");
  EXPECT_EQ(show(Value::integer(0)), "0");
  EXPECT_EQ(show(Value::integer(-42)), "-42");
  EXPECT_EQ(show(Value::integer(INT64_MIN)), "-9223372036854775808");
  Owned s(str("a\"b\n"));
  EXPECT_EQ(show(s.v), "a\"b\n");  // raw at top level
}

TEST_F(Values, FormatsFloatsShortestWithPointOrExponent) {
  EXPECT_EQ(show_float(1.0), "1.0");
  EXPECT_EQ(show_float(-0.0), "-0.0");
  EXPECT_EQ(show_float(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(show_float(2.5), "2.5");
  EXPECT_EQ(show_float(1.0 / 3), "0.3333333333333333");
  EXPECT_EQ(show_float(1e20), "1e+20");
  EXPECT_EQ(show_float(1.5e-7), "1.5e-07");
  EXPECT_EQ(show_float(100000.0), "100000.0");
  EXPECT_EQ(show_float(1e15), "1000000000000000.0");
  EXPECT_EQ(show_float(1e16), "1e+16");
  EXPECT_EQ(show_float(0.0001), "0.0001");
  EXPECT_EQ(show_float(0.00001), "1e-05");
  EXPECT_EQ(show_float(1.7976931348623157e308), "1.7976931348623157e+308");
  EXPECT_EQ(show_float(5e-324), "5e-324");
  EXPECT_EQ(show_float(INFINITY), "inf");
  EXPECT_EQ(show_float(-INFINITY), "-inf");
  EXPECT_EQ(show_float(NAN), "nan");
  EXPECT_EQ(show_float(-NAN), "nan");
  // Shortest form reads back to the same double.
  for (double d : {0.1, 123.456, 6.02214076e23, 9007199254740993.0, 1e-300}) {
    EXPECT_EQ(std::stod(show_float(d)), d) << show_float(d);
  }
}

TEST_F(Values, FormatsContainersWithQuotedStrings) {
  Owned l(list({Value::integer(1), str("a"), list({Value::integer(2)}), str("q\"\\\n\t\r")}));
  EXPECT_EQ(show(l.v), R"([1, "a", [2], "q\"\\\n\t\r"])");
  Owned m(map(&ctx, {str("name"), str("Al"), str("n"), Value::integer(1)}));
  EXPECT_EQ(show(m.v), R"({"name": "Al", "n": 1})");
  Owned empty(list({}));
  EXPECT_EQ(show(empty.v), "[]");
  Owned empty_map(map(&ctx, {}));
  EXPECT_EQ(show(empty_map.v), "{}");
  Owned ctl(list({str(std::string("\x01\0", 2))}));
  EXPECT_EQ(show(ctl.v), R"(["\u{1}\0"])");
  Owned keys(map(&ctx, {Value::integer(1), Value::real(2.0), Value::boolean(true), Value::nil()}));
  EXPECT_EQ(show(keys.v), "{1: 2.0, true: nil}");
}

Value native_entry(Ctx*, Function*, const Value* args, uint32_t argc) {
  return argc ? (retain(args[0]), args[0]) : Value::integer(7);
}
const FnProto kNamed{native_entry, "double", 1};
const FnProto kAnon{native_entry, "", 1};

TEST_F(Values, FormatsFunctionsCownsAndErrors) {
  Owned f(boc_rt_closure_new(&ctx, &kNamed, nullptr, 0));
  Owned g(boc_rt_closure_new(&ctx, &kAnon, nullptr, 0));
  EXPECT_EQ(show(f.v), "<fn double>");
  EXPECT_EQ(show(g.v), "<fn>");
  Owned e(error_value(error_new("boom")));
  EXPECT_EQ(show(e.v), "boom");
  Error* err = as_error(e.v);
  err->file = "a.boc";
  err->line = 3;
  err->located = true;
  EXPECT_EQ(show(e.v), "a.boc:3: boom");
}

TEST_F(Values, CownsPrintAndCompareByIdentity) {
  Owned a(cown_new(list({str("inside")}))->as_value());
  Owned b(cown_new(list({str("inside")}))->as_value());
  EXPECT_EQ(show(a.v), "<cown>");
  Owned l(list({a.v, map(&ctx, {str("c"), b.v})}));
  retain(a.v);  // the list literal took the references moved into it
  retain(b.v);
  EXPECT_EQ(show(l.v), R"([<cown>, {"c": <cown>}])");
  EXPECT_TRUE(values_equal(a.v, a.v));
  EXPECT_FALSE(values_equal(a.v, b.v));  // same content, different cowns
  EXPECT_EQ(std::string(type_name(a.v)), "cown");
  // Freeing the list drops the cowns' counts back (LeakSanitizer checks the
  // contents are freed with the cowns).
  EXPECT_EQ(a.v.obj()->rc.load(), 2u);
}

// A list nested `depth` deep around 1.
Value nested(int depth) {
  Value v = Value::integer(1);
  for (int i = 0; i < depth; ++i) v = list({v});
  return v;
}

TEST_F(Values, DeepNestingCostsNoCppStack) {
  constexpr int kDepth = 100000;
  Owned a(nested(kDepth)), b(nested(kDepth));
  std::string text = show(a.v);
  EXPECT_EQ(text.size(), 2u * kDepth + 1);
  EXPECT_EQ(text.substr(kDepth - 2, 5), "[[1]]");
  EXPECT_TRUE(values_equal(a.v, b.v));
  auto o = compare_values(&ctx, a.v, b.v);
  ASSERT_TRUE(o);
  EXPECT_EQ(*o, Order::Equal);
  // Freeing (by ~Owned) walks the nesting iteratively too.
}

// ---- equality, hashing, ordering ----

TEST_F(Values, EqualityIsStructuralAcrossIntAndFloat) {
  EXPECT_TRUE(values_equal(Value::integer(1), Value::real(1.0)));
  EXPECT_FALSE(values_equal(Value::integer(1), Value::real(1.5)));
  EXPECT_FALSE(values_equal(Value::integer(1), Value::boolean(true)));
  EXPECT_FALSE(values_equal(Value::nil(), Value::boolean(false)));
  EXPECT_FALSE(values_equal(Value::real(NAN), Value::real(NAN)));
  // Exact: 2^53 + 1 does not round to 2^53.
  EXPECT_FALSE(values_equal(Value::integer((1ll << 53) + 1), Value::real(0x1p53)));
  EXPECT_TRUE(values_equal(Value::integer(1ll << 53), Value::real(0x1p53)));
  EXPECT_FALSE(values_equal(Value::integer(INT64_MAX), Value::real(0x1p63)));
  Owned a(list({Value::integer(1), list({Value::real(2.0)}), str("x")}));
  Owned b(list({Value::real(1.0), list({Value::integer(2)}), str("x")}));
  Owned c(list({Value::real(1.0), list({Value::integer(3)}), str("x")}));
  EXPECT_TRUE(values_equal(a.v, b.v));
  EXPECT_FALSE(values_equal(a.v, c.v));
  Owned m1(map(&ctx, {str("a"), Value::integer(1), str("b"), Value::integer(2)}));
  Owned m2(map(&ctx, {str("b"), Value::integer(2), str("a"), Value::real(1.0)}));
  Owned m3(map(&ctx, {str("b"), Value::integer(2), str("c"), Value::integer(1)}));
  EXPECT_TRUE(values_equal(m1.v, m2.v));
  EXPECT_FALSE(values_equal(m1.v, m3.v));
  Owned f(boc_rt_closure_new(&ctx, &kNamed, nullptr, 0));
  Owned g(boc_rt_closure_new(&ctx, &kNamed, nullptr, 0));
  EXPECT_TRUE(values_equal(f.v, f.v));
  EXPECT_FALSE(values_equal(f.v, g.v));  // identity
  Value eq = boc_rt_eq(&ctx, a.v, b.v), ne = boc_rt_ne(&ctx, a.v, b.v);
  EXPECT_EQ(eq.tag, Tag::Bool);
  EXPECT_TRUE(eq.as_bool());
  EXPECT_FALSE(ne.as_bool());
}

TEST_F(Values, OneAndOnePointZeroAreOneMapKey) {
  EXPECT_EQ(key_hash(Value::integer(1)), key_hash(Value::real(1.0)));
  EXPECT_EQ(key_hash(Value::integer(0)), key_hash(Value::real(-0.0)));
  Owned m(map(&ctx, {Value::integer(1), str("int"), Value::real(1.0), str("float")}));
  EXPECT_EQ(map_size(as_map(m.v)), 1u);
  EXPECT_EQ(show(m.v), R"({1: "float"})");  // first key kept, last value wins
  Owned got(boc_rt_index(&ctx, m.v, Value::real(1.0)));
  EXPECT_EQ(show(got.v), "float");
  // Different types stay different keys.
  Owned k(map(&ctx, {Value::integer(1), Value::nil(), Value::boolean(true), Value::nil(),
                     str("1"), Value::nil()}));
  EXPECT_EQ(map_size(as_map(k.v)), 3u);
}

TEST_F(Values, BadMapKeysAreErrors) {
  EXPECT_EQ(error_of(map(&ctx, {Value::real(NAN), Value::integer(1)})), "map key cannot be nan");
  EXPECT_EQ(error_of(map(&ctx, {str("ok"), str("v"), list({}), Value::integer(1)})),
            "map key must be a string, int, float or bool, not list");
  Owned m(map(&ctx, {}));
  EXPECT_EQ(error_of(boc_rt_index(&ctx, m.v, Value::nil())),
            "map key must be a string, int, float or bool, not nil");
}

TEST_F(Values, OrderingComparesLikeTypesOnly) {
  auto lt = [&](Value a, Value b) {
    Value r = boc_rt_lt(&ctx, a, b);
    return r.is_exc() ? std::string("error: ") + take_message() : show(r);
  };
  EXPECT_EQ(lt(Value::integer(1), Value::real(1.5)), "true");
  EXPECT_EQ(lt(Value::real(1.5), Value::integer(1)), "false");
  EXPECT_EQ(lt(Value::integer((1ll << 53) + 1), Value::real(0x1p53)), "false");
  EXPECT_EQ(lt(Value::real(0x1p53), Value::integer((1ll << 53) + 1)), "true");
  EXPECT_EQ(lt(Value::real(NAN), Value::integer(1)), "false");
  EXPECT_EQ(show(boc_rt_ge(&ctx, Value::real(NAN), Value::real(NAN))), "false");
  EXPECT_EQ(show(boc_rt_le(&ctx, Value::integer(2), Value::real(2.0))), "true");
  EXPECT_EQ(show(boc_rt_gt(&ctx, Value::integer(3), Value::integer(2))), "true");
  Owned a(str("abc")), b(str("abd")), ab(str("ab")), hi(str("\xc3\xa9"));
  EXPECT_EQ(lt(a.v, b.v), "true");
  EXPECT_EQ(lt(ab.v, a.v), "true");
  EXPECT_EQ(lt(b.v, hi.v), "true");  // bytewise: 0xc3 > 'a'
  Owned l1(list({Value::integer(1), Value::integer(2)}));
  Owned l2(list({Value::integer(1), Value::integer(3)}));
  Owned l3(list({Value::integer(1)}));
  EXPECT_EQ(lt(l1.v, l2.v), "true");
  EXPECT_EQ(lt(l3.v, l1.v), "true");
  EXPECT_EQ(lt(l1.v, l3.v), "false");
  EXPECT_EQ(lt(Value::integer(1), a.v), "error: cannot compare int with string");
  EXPECT_EQ(lt(Value::nil(), Value::nil()), "error: cannot compare nil with nil");
  Owned mixed(list({str("x")}));
  EXPECT_EQ(lt(l1.v, mixed.v), "error: cannot compare int with string");
}

// ---- maps ----

TEST_F(Values, MapKeepsInsertionOrderThroughRemoval) {
  Owned m(map(&ctx, {str("c"), Value::integer(1), str("a"), Value::integer(2), str("b"),
                     Value::integer(3)}));
  Map* mp = as_map(m.v);
  Owned a(str("a")), z(str("z"));
  Value out;
  ASSERT_TRUE(map_remove(mp, a.v, &out));
  EXPECT_EQ(out.as_int(), 2);
  EXPECT_FALSE(map_remove(mp, z.v, &out));
  EXPECT_EQ(show(m.v), R"({"c": 1, "b": 3})");
  map_set(mp, a.v, Value::integer(9));
  EXPECT_EQ(show(m.v), R"({"c": 1, "b": 3, "a": 9})");  // re-added at the end
  map_set(mp, a.v, Value::integer(10));                 // overwrite keeps place
  EXPECT_EQ(show(m.v), R"({"c": 1, "b": 3, "a": 10})");
  int64_t state = 0;
  Value k;
  std::string seen;
  while (boc_rt_iter_next(&ctx, m.v, &state, &k) == 1) {
    seen += show(k);
    release(k);
  }
  EXPECT_EQ(seen, "cba");
}

TEST_F(Values, MapGrowsToAMillionKeysAndShrinksBack) {
  constexpr int64_t kKeys = 1'000'000;
  Owned m(map_value(map_new()));
  Map* mp = as_map(m.v);
  for (int64_t i = 0; i < kKeys; ++i) map_set(mp, Value::integer(i * 7), Value::integer(i));
  ASSERT_EQ(map_size(mp), static_cast<size_t>(kKeys));
  for (int64_t i = 0; i < kKeys; i += 997) {
    Value* slot = map_find(mp, Value::real(static_cast<double>(i * 7)));
    ASSERT_NE(slot, nullptr);
    EXPECT_EQ(slot->as_int(), i);
  }
  EXPECT_EQ(map_find(mp, Value::integer(3)), nullptr);
  // Remove all but the last ten; order and lookups survive the compactions.
  Value out;
  for (int64_t i = 0; i < kKeys - 10; ++i) ASSERT_TRUE(map_remove(mp, Value::integer(i * 7), &out));
  EXPECT_EQ(map_size(mp), 10u);
  EXPECT_LT(mp->entries.size(), 100u);  // tombstones were squeezed out
  int64_t state = 0;
  const MapEntry* first = map_next(mp, &state);
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->key.as_int(), (kKeys - 10) * 7);
  // String keys, with churn on one key.
  Owned sm(map_value(map_new()));
  for (int i = 0; i < 100000; ++i) {
    Owned key(str("k" + std::to_string(i % 100)));
    map_set(as_map(sm.v), key.v, Value::integer(i));
    if (i % 3 == 0) {
      ASSERT_TRUE(map_remove(as_map(sm.v), key.v, &out));
    }
  }
  EXPECT_LE(map_size(as_map(sm.v)), 100u);
  EXPECT_LT(as_map(sm.v)->entries.size(), 300u);
}

// ---- copy-on-write ----

TEST_F(Values, ListCopyIsUnaffectedByMutation) {
  Value a = list({Value::integer(1), str("x")});
  Value b = a;  // `let b = a`
  retain(b);
  Value* slot = boc_rt_index_place(&ctx, &b, Value::integer(0), 0);
  ASSERT_NE(slot, nullptr);
  release(*slot);
  *slot = Value::integer(99);
  EXPECT_NE(a.bits, b.bits);
  EXPECT_EQ(show(a), R"([1, "x"])");
  EXPECT_EQ(show(b), R"([99, "x"])");
  // The now unique copy is mutated in place.
  uint64_t before = b.bits;
  Owned tail(list({Value::integer(5)}));
  ASSERT_FALSE(compound(&ctx, &b, 0, tail.v).is_exc());
  EXPECT_EQ(b.bits, before);
  EXPECT_EQ(show(b), R"([99, "x", 5])");
  // xs += xs appends a snapshot of itself.
  ASSERT_FALSE(compound(&ctx, &b, 0, b).is_exc());
  EXPECT_EQ(show(b), R"([99, "x", 5, 99, "x", 5])");
  release(a);
  release(b);
}

TEST_F(Values, MapCopyIsUnaffectedByMutation) {
  Value a = map(&ctx, {str("n"), Value::integer(1)});
  Value b = a;
  retain(b);
  Owned key(str("m"));
  Value* slot = boc_rt_index_place(&ctx, &b, key.v, 1);  // b.m = 2
  ASSERT_NE(slot, nullptr);
  *slot = Value::integer(2);
  EXPECT_EQ(show(a), R"({"n": 1})");
  EXPECT_EQ(show(b), R"({"n": 1, "m": 2})");
  // Compound assignment needs the key to exist.
  Owned missing(str("zz"));
  EXPECT_EQ(boc_rt_index_place(&ctx, &b, missing.v, 0), nullptr);
  EXPECT_EQ(take_message(), "key 'zz' not found");
  // make_unique leaves a unique value alone.
  uint64_t before = b.bits;
  make_unique(&b);
  EXPECT_EQ(b.bits, before);
  release(a);
  release(b);
}

TEST_F(Values, NestedPlaceCopiesOnlyWhatIsShared) {
  // a = [[1]]; b = a; b[0][0] = 2  leaves a alone.
  Value a = list({list({Value::integer(1)})});
  Value b = a;
  retain(b);
  Value* outer = boc_rt_index_place(&ctx, &b, Value::integer(0), 0);
  ASSERT_NE(outer, nullptr);
  Value* inner = boc_rt_index_place(&ctx, outer, Value::integer(-1), 0);
  ASSERT_NE(inner, nullptr);
  *inner = Value::integer(2);
  EXPECT_EQ(show(a), "[[1]]");
  EXPECT_EQ(show(b), "[[2]]");
  release(a);
  release(b);
}

// ---- strings ----

TEST_F(Values, StringAppendIsAmortizedAndInPlaceWhenUnique) {
  Value s = str("");
  Owned piece(str("ab"));
  std::set<uint64_t> addresses;
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 1'000'000; ++i) {
    ASSERT_FALSE(compound(&ctx, &s, 0, piece.v).is_exc());
    addresses.insert(s.bits);
  }
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(as_string(s)->size, 2'000'000u);
  EXPECT_LT(addresses.size(), 40u);  // doubling: ~log2(2e6) moves
  EXPECT_LT(elapsed, std::chrono::seconds(2));
  // s += s works in place.
  Value t = str("xy");
  compound(&ctx, &t, 0, t);
  compound(&ctx, &t, 0, t);
  EXPECT_EQ(show(t), "xyxyxyxy");
  release(t);
  release(s);
}

TEST_F(Values, StringAppendCopiesASharedString) {
  Value a = str("hi");
  Value b = a;
  retain(b);
  Owned bang(str("!"));
  compound(&ctx, &b, 0, bang.v);
  EXPECT_EQ(show(a), "hi");
  EXPECT_EQ(show(b), "hi!");
  EXPECT_EQ(a.obj()->rc.load(), 1u);
  // Constants are immortal: appending never touches them.
  Value c = boc_rt_string_constant("const", 5);
  Value d = c;
  retain(d);
  compound(&ctx, &d, 0, bang.v);
  EXPECT_EQ(show(c), "const");
  EXPECT_EQ(show(d), "const!");
  EXPECT_EQ(c.obj()->rc.load(), kImmortal);  // d's reference went away
  boc_rt_free(c.obj());
  release(a);
  release(b);
  release(d);
}

TEST_F(Values, StringHashIsCachedAndReset) {
  Value s = str("abc");
  Owned same(str("abc"));
  uint64_t h = key_hash(s);
  EXPECT_EQ(h, key_hash(same.v));
  EXPECT_EQ(as_string(s)->hash.load(), h);
  Owned d(str("d"));
  compound(&ctx, &s, 0, d.v);
  Owned abcd(str("abcd"));
  EXPECT_EQ(key_hash(s), key_hash(abcd.v));
  release(s);
}

TEST_F(Values, StringsIterateByCharacterAndIndexByByte) {
  Owned s(str("a\xc3\xa9\xf0\x9f\x98\x80z"));  // a é 😀 z
  int64_t state = 0;
  Value ch;
  std::vector<std::string> parts;
  while (boc_rt_iter_next(&ctx, s.v, &state, &ch) == 1) {
    parts.push_back(show(ch));
    release(ch);
  }
  EXPECT_EQ(parts, (std::vector<std::string>{"a", "\xc3\xa9", "\xf0\x9f\x98\x80", "z"}));
  Owned last(boc_rt_index(&ctx, s.v, Value::integer(-1)));
  EXPECT_EQ(show(last.v), "z");
  Owned byte(boc_rt_index(&ctx, s.v, Value::integer(1)));
  EXPECT_EQ(as_string(byte.v)->size, 1u);
  EXPECT_EQ(error_of(boc_rt_index(&ctx, s.v, Value::integer(8))),
            "index 8 out of range for string of length 8");
}

TEST_F(Values, InterpolationUsesStr) {
  Value parts[] = {str("total: "), Value::integer(3), str(" "), Value::real(1.0), str(" "),
                   list({str("a")})};
  Owned r(boc_rt_interp(&ctx, parts, 6));
  EXPECT_EQ(show(r.v), R"(total: 3 1.0 ["a"])");
  for (Value v : parts) release(v);
}

// ---- operators ----

std::string run(Ctx* ctx, Value r) {
  if (!r.is_exc()) {
    std::string s = show(r);
    release(r);
    return s;
  }
  Value e = boc_rt_take_error(ctx);
  std::string m = "error: " + as_error(e)->message;
  release(e);
  return m;
}

TEST_F(Values, IntArithmeticTruncatesAndChecksOverflow) {
  auto I = Value::integer;
  EXPECT_EQ(run(&ctx, boc_rt_add(&ctx, I(2), I(3))), "5");
  EXPECT_EQ(run(&ctx, boc_rt_div(&ctx, I(-7), I(2))), "-3");
  EXPECT_EQ(run(&ctx, boc_rt_mod(&ctx, I(-7), I(2))), "-1");
  EXPECT_EQ(run(&ctx, boc_rt_mod(&ctx, I(7), I(-2))), "1");
  EXPECT_EQ(run(&ctx, boc_rt_mod(&ctx, I(INT64_MIN), I(-1))), "0");
  EXPECT_EQ(run(&ctx, boc_rt_add(&ctx, I(INT64_MAX), I(1))), "error: integer overflow in +");
  EXPECT_EQ(run(&ctx, boc_rt_sub(&ctx, I(INT64_MIN), I(1))), "error: integer overflow in -");
  EXPECT_EQ(run(&ctx, boc_rt_mul(&ctx, I(1ll << 62), I(2))), "error: integer overflow in *");
  EXPECT_EQ(run(&ctx, boc_rt_div(&ctx, I(INT64_MIN), I(-1))), "error: integer overflow in /");
  EXPECT_EQ(run(&ctx, boc_rt_neg(&ctx, I(INT64_MIN))), "error: integer overflow in negation");
  EXPECT_EQ(run(&ctx, boc_rt_div(&ctx, I(1), I(0))), "error: division by zero");
  EXPECT_EQ(run(&ctx, boc_rt_mod(&ctx, I(1), I(0))), "error: division by zero");
}

TEST_F(Values, FloatArithmeticIsIeee) {
  auto I = Value::integer;
  auto F = Value::real;
  EXPECT_EQ(run(&ctx, boc_rt_div(&ctx, I(1), F(0.0))), "inf");
  EXPECT_EQ(run(&ctx, boc_rt_div(&ctx, I(-1), F(0.0))), "-inf");
  EXPECT_EQ(run(&ctx, boc_rt_div(&ctx, F(0.0), F(0.0))), "nan");
  EXPECT_EQ(run(&ctx, boc_rt_add(&ctx, I(1), F(0.5))), "1.5");
  EXPECT_EQ(run(&ctx, boc_rt_mul(&ctx, F(2.0), I(3))), "6.0");
  EXPECT_EQ(run(&ctx, boc_rt_mod(&ctx, F(-7.5), I(2))), "-1.5");
  EXPECT_EQ(run(&ctx, boc_rt_neg(&ctx, F(0.0))), "-0.0");
  EXPECT_EQ(run(&ctx, boc_rt_add(&ctx, F(0.1), F(0.2))), "0.30000000000000004");
}

TEST_F(Values, PlusConcatenatesAndRejectsMixing) {
  Owned a(str("ab")), b(str("cd"));
  Owned l1(list({Value::integer(1)})), l2(list({str("x")}));
  EXPECT_EQ(run(&ctx, boc_rt_add(&ctx, a.v, b.v)), "abcd");
  EXPECT_EQ(run(&ctx, boc_rt_add(&ctx, l1.v, l2.v)), R"([1, "x"])");
  EXPECT_EQ(run(&ctx, boc_rt_add(&ctx, a.v, Value::integer(1))),
            "error: cannot add string and int");
  EXPECT_EQ(run(&ctx, boc_rt_add(&ctx, Value::integer(1), a.v)),
            "error: cannot add int and string");
  EXPECT_EQ(run(&ctx, boc_rt_sub(&ctx, a.v, Value::integer(1))),
            "error: cannot subtract int from string");
  EXPECT_EQ(run(&ctx, boc_rt_mul(&ctx, l1.v, Value::integer(2))),
            "error: cannot multiply list by int");
  EXPECT_EQ(run(&ctx, boc_rt_neg(&ctx, a.v)), "error: cannot negate string");
  Value s = str("x");
  EXPECT_EQ(run(&ctx, compound(&ctx, &s, 0, Value::integer(1))),
            "error: cannot add string and int");
  EXPECT_EQ(show(s), "x");  // place untouched on error
  Value n = Value::integer(10);
  EXPECT_EQ(run(&ctx, compound(&ctx, &n, 4, Value::integer(4))), "nil");
  EXPECT_EQ(n.as_int(), 2);
  release(s);
}

TEST_F(Values, RangeBuildsIntLists) {
  EXPECT_EQ(run(&ctx, boc_rt_range(&ctx, Value::integer(2), Value::integer(5))), "[2, 3, 4]");
  EXPECT_EQ(run(&ctx, boc_rt_range(&ctx, Value::integer(5), Value::integer(2))), "[]");
  EXPECT_EQ(run(&ctx, boc_rt_range(&ctx, Value::integer(0), Value::real(2.0))),
            "error: range bounds must be ints, not float");
  EXPECT_EQ(run(&ctx, boc_rt_range(&ctx, Value::integer(INT64_MIN), Value::integer(INT64_MAX))),
            "error: range of 18446744073709551615 elements is too long to build (limit 134217728)");
}

// ---- access ----

TEST_F(Values, IndexErrorsNameWhatIsWrong) {
  Owned l(list({Value::integer(10), Value::integer(20)}));
  EXPECT_EQ(run(&ctx, boc_rt_index(&ctx, l.v, Value::integer(-2))), "10");
  EXPECT_EQ(run(&ctx, boc_rt_index(&ctx, l.v, Value::integer(5))),
            "error: index 5 out of range for list of length 2");
  EXPECT_EQ(run(&ctx, boc_rt_index(&ctx, l.v, Value::integer(-3))),
            "error: index -3 out of range for list of length 2");
  EXPECT_EQ(run(&ctx, boc_rt_index(&ctx, l.v, Value::real(0.0))),
            "error: list index must be an int, not float");
  EXPECT_EQ(run(&ctx, boc_rt_index(&ctx, Value::integer(3), Value::integer(0))),
            "error: cannot index int");
  Owned m(map(&ctx, {str("k"), Value::integer(1), Value::integer(5), Value::nil()}));
  Owned x(str("x")), k(str("k"));
  EXPECT_EQ(run(&ctx, boc_rt_index(&ctx, m.v, x.v)), "error: key 'x' not found");
  EXPECT_EQ(run(&ctx, boc_rt_index(&ctx, m.v, Value::integer(6))), "error: key 6 not found");
  EXPECT_EQ(run(&ctx, boc_rt_field(&ctx, m.v, k.v)), "1");
  EXPECT_EQ(run(&ctx, boc_rt_field(&ctx, m.v, x.v)), "error: key 'x' not found");
  EXPECT_EQ(run(&ctx, boc_rt_field(&ctx, Value::integer(1), x.v)),
            "error: cannot read field 'x' of int");
  Value place = Value::integer(1);
  EXPECT_EQ(boc_rt_index_place(&ctx, &place, Value::integer(0), 1), nullptr);
  EXPECT_EQ(take_message(), "cannot assign into an index of int");
  int64_t state = 0;
  Value out;
  EXPECT_EQ(boc_rt_iter_next(&ctx, Value::integer(1), &state, &out), -1);
  EXPECT_EQ(take_message(), "cannot iterate over int");
}

TEST_F(Values, CallsFunctionsAndRejectsOthers) {
  Value cap = str("captured");
  Owned f(boc_rt_closure_new(&ctx, &kNamed, &cap, 1));
  EXPECT_EQ(show(as_function(f.v)->captures[0]), "captured");
  Value arg = Value::integer(4);
  EXPECT_EQ(run(&ctx, boc_rt_call(&ctx, f.v, &arg, 1)), "4");
  EXPECT_EQ(run(&ctx, boc_rt_call(&ctx, Value::nil(), nullptr, 0)), "error: cannot call nil");
  EXPECT_EQ(run(&ctx, boc_rt_arity_error(&ctx, &kNamed, 3)),
            "error: wrong number of arguments: function 'double' expects 1 argument, got 3");
  const FnProto two{native_entry, "", 2};
  EXPECT_EQ(run(&ctx, boc_rt_arity_error(&ctx, &two, 0)),
            "error: wrong number of arguments: function expects 2 arguments, got 0");
}

// ---- errors and traces ----

TEST_F(Values, TraceLocatesAndFormatsRuntimeErrors) {
  SiteInfo inner{"fib", "t.boc", 3, 10}, outer{"<main>", "t.boc", 7, 1};
  Value r = boc_rt_div(&ctx, Value::integer(1), Value::integer(0));
  ASSERT_TRUE(r.is_exc());
  boc_rt_trace(&ctx, &inner);
  boc_rt_trace(&ctx, &outer);
  Value e = boc_rt_take_error(&ctx);
  EXPECT_TRUE(ctx.error.is_nil());
  EXPECT_EQ(format_runtime_error(e),
            "t.boc:3:10: runtime error: division by zero\n"
            "  at fib (t.boc:3:10)\n"
            "  at <main> (t.boc:7:1)\n");
  EXPECT_EQ(show(e), "t.boc:3: division by zero");
  Owned line(str("line")), message(str("message"));
  EXPECT_EQ(run(&ctx, boc_rt_field(&ctx, e, line.v)), "3");
  EXPECT_EQ(run(&ctx, boc_rt_field(&ctx, e, message.v)), "division by zero");
  release(e);
  Owned unlocated(error_value(error_new("plain")));
  EXPECT_EQ(format_runtime_error(unlocated.v), "runtime error: plain\n");
}

TEST_F(Values, ExitCannotBeCaught) {
  boc::rt::raise(&ctx, "exit");
  ctx.exiting = true;
  EXPECT_TRUE(boc_rt_take_error(&ctx).is_exc());
  EXPECT_EQ(ctx.error.tag, Tag::Error);  // still pending
  ctx.exiting = false;
}

TEST_F(Values, RunawayTracesKeepHeadAndTail) {
  boc::rt::raise(&ctx, "stack overflow");
  for (uint32_t i = 0; i < 100000; ++i) {
    SiteInfo site{"f", "r.boc", i + 1, 1};
    boc_rt_trace(&ctx, &site);
  }
  Value e = boc_rt_take_error(&ctx);
  std::string text = format_runtime_error(e);
  EXPECT_EQ(text.rfind("r.boc:1:1: runtime error: stack overflow\n  at f (r.boc:1:1)\n", 0), 0u);
  EXPECT_NE(text.find("  ... " + std::to_string(100000 - kTraceHead - kTraceTail) + " more frames\n"),
            std::string::npos);
  EXPECT_NE(text.find("  at f (r.boc:100000:1)\n"), std::string::npos);
  EXPECT_LT(text.size(), 5000u);
  release(e);
}

TEST_F(Values, StackLimitIsBelowTheCurrentFrame) {
  set_stack_limit_for_current_thread(&ctx);
  char here;
  const char* limit = ctx.stack_limit.load();
  ASSERT_NE(limit, nullptr);
  EXPECT_EQ(limit, ctx.stack_floor);
  EXPECT_LT(limit, &here);
  EXPECT_GT(&here - limit, 4096);
}

// The guard's three outcomes (runtime/stack.cpp): interrupted, overflow, and
// going on after a stale interrupt limit; each restores the real limit.
TEST_F(Values, StackGuardTellsInterruptFromOverflow) {
  set_stack_limit_for_current_thread(&ctx);
  char here;
  SiteInfo site{"f", "g.boc", 3, 5};
  request_interrupt(&ctx);
  EXPECT_GT(ctx.stack_limit.load(), &here);  // every frame now takes the slow path
  ASSERT_TRUE(boc_rt_stack_guard(&ctx, &here, &site).is_exc());
  EXPECT_EQ(ctx.stack_limit.load(), ctx.stack_floor);
  EXPECT_EQ(ctx.interrupt.load(), 0u);
  Value e = boc_rt_take_error(&ctx);
  EXPECT_EQ(format_runtime_error(e).rfind("g.boc:3:5: runtime error: interrupted\n", 0), 0u);
  release(e);

  ASSERT_TRUE(boc_rt_stack_guard(&ctx, ctx.stack_floor - 1, &site).is_exc());
  e = boc_rt_take_error(&ctx);
  EXPECT_NE(format_runtime_error(e).find("stack overflow"), std::string::npos);
  release(e);

  request_interrupt(&ctx);
  ctx.interrupt.store(0);  // taken elsewhere (a receive): the limit is stale
  EXPECT_TRUE(boc_rt_stack_guard(&ctx, &here, &site).is_nil());
  EXPECT_EQ(ctx.stack_limit.load(), ctx.stack_floor);
}

TEST_F(Values, PendingInterruptSurvivesANewStackLimit) {
  request_interrupt(&ctx);
  set_stack_limit_for_current_thread(&ctx);
  char here;
  EXPECT_GT(ctx.stack_limit.load(), &here);
  ctx.interrupt.store(0);
}

}  // namespace
}  // namespace boc::rt
