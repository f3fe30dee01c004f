// Per-scan state and token builders used by the Flex actions in scanner.l.
//
// Design note: Flex actions stay one call each; everything with logic
// (positions, keyword lookup, number and escape decoding, the stack of open
// strings and interpolations) lives here in plain C++ where it is testable
// and readable. One ScanState belongs to one Lexer: there is no global state.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/lex/lexer.hpp"

namespace boc::lex::detail {

// A string or a ${...} inside one that is still open, innermost last.
struct Frame {
  bool interp = false;  // false: inside "..." text; true: inside ${...}
  ast::Loc quote;       // the opening quote of the (enclosing) string
  uint32_t braces = 0;  // interp only: '{' opened inside it and not yet closed
};

struct ScanState {
  ast::Loc pos{1, 1};  // where the next byte is
  ast::Loc begin;      // start of the current match
  ast::Loc comment_start;
  std::vector<Frame> frames;
  std::string text;  // string text decoded since the last flush
  ast::Loc text_begin;
  std::optional<Token> pending;  // a token to return after a flushed StringText
  bool after_dot = false;        // previous token was '.': words are names

  // YY_USER_ACTION: record the match start and move past it.
  void advance(const char* s, size_t n);

  Token make(TokenKind kind) const;
  Token error(ast::Loc at, std::string message) const;
  Token invalid_char(unsigned char c) const;

  Token word(std::string_view s) const;
  Token integer(std::string_view s, int base) const;
  Token floating(std::string_view s) const;
  Token bad_number(std::string_view s) const;

  // Braces and quotes: they move between INITIAL and STR, so each returns
  // the token and tells the caller whether to switch.
  Token open_brace();
  Token close_brace(bool& to_string);
  Token open_string();
  // At `${` or the closing quote: emit pending text first, queue `kind`.
  Token close_text(TokenKind kind);

  // Inside a string. Each returns an Error token on failure, else nullopt.
  std::optional<Token> append_text(std::string_view s);
  void append_escape(char c);
  std::optional<Token> append_code_point(std::string_view hex);
  Token bad_escape(std::string_view s) const;
  Token unterminated_string() const;

  Token end_of_input() const;
};

// "'x'" for printable ASCII, else "'\xHH'"; long text is cut short.
std::string quote_bytes(std::string_view s);

}  // namespace boc::lex::detail
