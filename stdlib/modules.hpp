// The library modules that scripts see as constant globals: math, time,
// random, json and io (LANGUAGE.md section 6).
//
// Design note: a module is a map of native functions (see module_table.hpp),
// so the engine needs nothing beyond defining one global per module, exactly
// as it does for the core builtins. The module maps are immutable once made
// and hold no per-engine state, so behaviors on any thread may share them; the
// only mutable state behind them is random's per-thread generator.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "runtime/value.hpp"

namespace boc::stdlib {

// Name and value of every library module, in a fixed order ("math", "time",
// "random", "json", "io"). Each Value is an owned (+1) map; the caller (the
// engine, defining them as constant globals) releases them when done.
std::vector<std::pair<std::string, rt::Value>> make_modules();

}  // namespace boc::stdlib
