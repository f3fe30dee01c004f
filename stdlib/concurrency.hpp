// The concurrency builtins of LANGUAGE.md sections 5 and 6: cown(v), wait()
// and wait(c), send and receive, and the notice module. They reach the
// engine's scheduler, mailbox and noticeboard through Ctx::runtime.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "runtime/value.hpp"

namespace boc::stdlib {

// Name and owned value of each concurrency builtin: cown, wait, then the
// messaging functions and the notice module.
std::vector<std::pair<std::string, rt::Value>> make_concurrency_builtins();

// send and receive (messaging.cpp).
std::vector<std::pair<std::string, rt::Value>> make_messaging_builtins();
// The notice module's map, owned (module_notice.cpp).
rt::Value make_notice_module();

}  // namespace boc::stdlib
