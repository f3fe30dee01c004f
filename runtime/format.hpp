// Turning values into text for print, str and string interpolation.
//
// Rules (LANGUAGE.md section 2, "Printing"): ints in decimal; floats in the
// shortest form that reads back to the same double, always with a '.' or an
// exponent (1.0, 0.30000000000000004, 1e+20, 1.5e-07, inf, -inf, nan); true,
// false, nil; strings raw at top level but quoted with escapes inside
// containers; lists [1, "a", [2]]; maps {"name": "Al", "n": 1}; <cown>;
// <fn name> or <fn>; errors as str(e). Nesting of any depth is printed in
// full: containers are walked with an explicit stack, not recursion.
#pragma once

#include <string>
#include <string_view>

#include "runtime/value.hpp"

namespace boc::rt {

// Appends str(v) (strings raw) to out.
void format_value(std::string& out, Value v);
// str(v) as a new std::string.
std::string to_display(Value v);
// Appends v as it appears inside a container (strings quoted).
void format_repr(std::string& out, Value v);

// The float rule above, on its own.
void format_float(std::string& out, double d);
// Appends `s` in double quotes with escapes: \" \\ \n \t \r \0, and \u{XX}
// for other control bytes. Other bytes (UTF-8 included) pass through.
void format_quoted(std::string& out, std::string_view s);

}  // namespace boc::rt
