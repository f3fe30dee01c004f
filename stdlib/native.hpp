// Helpers shared by the native functions and the built-in methods: type
// names, argument checks with uniform messages, and building limits.
//
// Design note: every native checks its own arguments and reports a wrong count
// or type as a runtime error naming the function (raise + Value::exc()), never
// by crashing or throwing, because natives run under JIT-compiled frames that
// exceptions must not unwind. The argument-count range lives in each table
// entry (builtins.cpp, methods_*.cpp) so it is written once and checked in one
// place (check_arity).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "runtime/context.hpp"
#include "runtime/value.hpp"

namespace boc::stdlib {

// Table value for "any number of arguments" (print).
inline constexpr uint32_t kVariadic = UINT32_MAX;

// Longest list range() builds and longest string repeat() or join() builds.
// Past these an allocation could throw std::bad_alloc (which must not escape
// into compiled code) or be killed by the OOM killer; 2^28 values are 4 GiB
// and 2^31 bytes 2 GiB, beyond any sensible script, so hitting the limit is a
// runtime error rather than an attempt.
inline constexpr uint64_t kMaxBuiltListLength = uint64_t{1} << 28;
inline constexpr uint64_t kMaxBuiltStringBytes = uint64_t{1} << 31;

// True when min <= argc <= max; otherwise raises
// "NAME() expects 1 argument, got 2" (or "1 to 2 arguments", "at least 1").
[[nodiscard]] bool check_arity(rt::Ctx* ctx, std::string_view name, uint32_t min, uint32_t max,
                               uint32_t argc);

// Raises "NAME() expects WHAT, got TYPE" and returns Value::exc(). `what`
// names the expected argument, e.g. "a string separator" or "an int".
rt::Value type_error(rt::Ctx* ctx, std::string_view name, std::string_view what, rt::Value got);

// How a value is quoted inside a message: strings in single quotes
// ("key 'x' not found"), everything else as str() shows it.
std::string describe(rt::Value v);

// The value of an int argument, or a type error naming `name`/`what`.
// Returns false (error raised) when `v` is not an int.
[[nodiscard]] bool int_arg(rt::Ctx* ctx, std::string_view name, std::string_view what, rt::Value v,
                           int64_t* out);

}  // namespace boc::stdlib
