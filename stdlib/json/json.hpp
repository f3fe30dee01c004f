// JSON text to Boc values and back: the engine of the json module.
//
// Design note: both directions walk nesting with an explicit stack of
// containers, never C++ recursion, so a hostile document ("[[[[...") costs
// heap, not stack, and a failure anywhere unwinds by releasing that stack.
// The mapping (LANGUAGE.md section 6):
//   null <-> nil, true/false <-> bool, strings <-> strings,
//   arrays <-> lists, objects <-> maps (insertion order kept; a repeated
//   name keeps the last value, as in JavaScript and Python),
//   numbers without '.' or exponent -> int; others, and ints outside int64,
//   -> float (as JavaScript would read them; precision may be lost), numbers
//   beyond the double range -> +-inf or +-0.0 (as JavaScript and Python).
// Floats are written as print shows them (2.0 keeps its ".0", so the value
// reads back as a float); nan and inf have no JSON form and are errors.
#pragma once

#include <cstddef>
#include <string_view>

#include "runtime/context.hpp"
#include "runtime/value.hpp"

namespace boc::stdlib::json {

// Deepest nesting of arrays and objects that parse accepts and stringify
// writes. A script walking a parsed document with a recursive function is
// guaranteed 10,000 calls (LANGUAGE.md section 7); 1,000 levels leaves it room
// for helper calls at each level. It is also the default limit of Python's
// json module, so documents that Python handles are handled here.
inline constexpr size_t kMaxDepth = 1000;

// Parses `text` as one JSON value per RFC 8259 (strict: no comments, no
// trailing commas, no leading zeros or '+', no NaN/Infinity, no unescaped
// control characters, valid UTF-8 and paired surrogates only; surrounding
// whitespace allowed). Returns an owned value, or Value::exc() with ctx's
// error set to "json.parse: WHAT at line L, column C" (1-based; columns count
// characters).
rt::Value parse(rt::Ctx* ctx, std::string_view text);

// Compact JSON for `v` (borrowed), as an owned string; or Value::exc() with
// ctx's error set to "json.stringify: ..." for a value JSON cannot hold
// (function, cown, error, nan, inf, a string that is not UTF-8) or nesting
// deeper than kMaxDepth. Map keys that are ints, floats or bools become JSON
// strings ("1", "2.5", "true").
rt::Value stringify(rt::Ctx* ctx, rt::Value v);

}  // namespace boc::stdlib::json
