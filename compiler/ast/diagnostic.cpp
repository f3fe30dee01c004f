// Formatting of compile-time diagnostics with the offending source line.
#include "compiler/ast/diagnostic.hpp"

namespace boc {

namespace {
// Long lines (a 10 MB one-liner) are cut around the column so a diagnostic
// stays readable.
constexpr size_t kMaxShownLine = 200;

std::string_view source_line(std::string_view source, uint32_t line) {
  size_t start = 0;
  for (uint32_t l = 1; l < line; ++l) {
    size_t nl = source.find('\n', start);
    if (nl == std::string_view::npos) return {};
    start = nl + 1;
  }
  size_t end = source.find('\n', start);
  if (end == std::string_view::npos) end = source.size();
  return source.substr(start, end - start);
}
}  // namespace

std::string format_diagnostic(const Diagnostic& d, std::string_view source) {
  std::string out = d.file + ":" + std::to_string(d.loc.line) + ":" + std::to_string(d.loc.col) +
                    ": error: " + d.message + "\n";
  if (d.loc.line == 0) return out;
  std::string_view text = source_line(source, d.loc.line);
  if (text.empty() && d.loc.col > 1) return out;
  size_t col = d.loc.col ? d.loc.col - 1 : 0;
  size_t from = 0;
  if (text.size() > kMaxShownLine) {
    from = col > kMaxShownLine / 2 ? col - kMaxShownLine / 2 : 0;
    text = text.substr(from, kMaxShownLine);
  }
  std::string shown;
  for (char c : text) shown += (c == '\t' ? ' ' : (static_cast<unsigned char>(c) < 0x20 ? '?' : c));
  out += "  " + shown + "\n";
  out += "  " + std::string(col >= from ? col - from : 0, ' ') + "^\n";
  return out;
}

}  // namespace boc
