// The concurrency builtins of LANGUAGE.md section 5: cown(v), wait() and
// wait(c). They reach the engine's scheduler through Ctx::runtime.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "runtime/value.hpp"

namespace boc::stdlib {

// Name and owned Function value of each concurrency builtin.
std::vector<std::pair<std::string, rt::Value>> make_concurrency_builtins();

}  // namespace boc::stdlib
