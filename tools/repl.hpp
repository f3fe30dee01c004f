// The read-eval-print loop that `boc` runs when stdin is a terminal and no
// script is given (LANGUAGE.md section 9; behaviour in docs/language.md, REPL).
#pragma once

#include <string>
#include <vector>

#include "boc/boc.hpp"

namespace boc::repl {

// Runs the REPL on the calling thread until Ctrl-D, :quit or exit(code), and
// returns the process exit status. `options` chooses the workers; the REPL
// sets the output sinks itself. `args` becomes the `args` global. Call it on
// a thread with a large stack, as for scripts (tools/boc.cpp).
int run(boc::Options options, std::vector<std::string> args);

}  // namespace boc::repl
