// REPL-style entries for Engine::eval and Engine::is_complete: a unit whose
// final expression statement may omit its ';' (`twice(21)`, `1 + 2`).
#pragma once

#include <string>
#include <string_view>

#include "compiler/parse/parser.hpp"

namespace boc::driver {

// Parses `source`; when that fails only because the input ended early, tries
// once more with a ';' supplied on a new line (after any line comment). The
// error reported is always the one for `source` as written.
parse::ParseResult parse_entry(std::string_view source, const std::string& name);

// False when the input ended early in a way more lines can fix.
bool entry_is_complete(std::string_view source);

}  // namespace boc::driver
