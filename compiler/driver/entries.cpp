// REPL-style entries: the optional final ';' and Engine::is_complete.
#include "compiler/driver/entries.hpp"

#include <algorithm>

#include "compiler/driver/engine_impl.hpp"
#include "compiler/driver/errors.hpp"

namespace boc {
namespace driver {

namespace {

bool ended_early(const std::string& message) { return message.starts_with("unexpected end of file"); }

// The 1-based number of the last line holding anything but whitespace.
uint32_t last_content_line(std::string_view source) {
  size_t end = source.find_last_not_of(" \t\r\n");
  if (end == std::string_view::npos) return 1;
  return 1 + static_cast<uint32_t>(std::count(source.begin(), source.begin() + end, '\n'));
}

}  // namespace

parse::ParseResult parse_entry(std::string_view source, const std::string& name) {
  parse::ParseResult parsed = parse::parse(source, name);
  if (!parsed.error || !ended_early(parsed.error->message)) return parsed;
  std::string completed(source);
  completed += "\n;";
  parse::ParseResult retry = parse::parse(completed, name);
  return retry.error ? std::move(parsed) : std::move(retry);
}

// Input "ended early" when the parser wanted more tokens at the end
// ("unexpected end of file, expected ')'") even with a final ';' supplied, or
// a block comment is open, or a string opened on the last line runs to the
// end. A string never spans lines (a raw newline in it is an error), so an
// unterminated string on an earlier line is a real error that more input
// cannot fix.
bool entry_is_complete(std::string_view source) {
  parse::ParseResult parsed = parse_entry(source, "<input>");
  if (!parsed.error) return true;
  const std::string& message = parsed.error->message;
  if (ended_early(message)) return false;
  if (message == "unterminated comment") return false;
  if (message == "unterminated string") return parsed.error->loc.line != last_content_line(source);
  return true;
}

}  // namespace driver

bool Engine::is_complete(std::string_view source) {
  return driver::guarded([&] { return driver::entry_is_complete(source); });
}

}  // namespace boc
