// The lexer stage: source bytes in, tokens with locations out.
//
// Design note: a reentrant Flex scanner (scanner.l) does the matching; this
// header wraps it in a small class so the parser and the tests see plain
// tokens and never a Flex type. Strings are split into tokens (StringBegin,
// StringText, InterpBegin ... InterpEnd, StringEnd) so an interpolated
// expression is lexed in place and its tokens carry their true line:col; the
// cost is that the scanner tracks open strings and braces itself. Lexical
// errors come back as one Error token; after End or Error, next() repeats it.
//
// Choices where LANGUAGE.md is silent:
// - `_` in numbers only between two digits (1_000, not 1_ or 1__0); digits
//   glued to letters (12abc, 0x, 1e) are one "invalid number literal".
// - Hex literals have the decimal range: 0xffffffffffffffff is "integer
//   literal too large", not -1. The most negative int has no literal
//   (-9223372036854775808 is minus a too-large literal), as in C.
// - A float literal that overflows or underflows a double is an error.
// - `\$` escapes a dollar so "\${x}" is literal text; `\u{...}` takes 1 to 6
//   hex digits naming a Unicode scalar value (no surrogates).
// - String text must be valid UTF-8; a raw line break (LF or CR) in a string
//   is "unterminated string" at its opening quote, as is end of input inside
//   a string or its ${...}. Line breaks inside ${...} are ordinary
//   whitespace.
// - After '.', every word is a name, so keywords work as field and method
//   names (x.read, m.in) and `import` is reserved only elsewhere.
// - Columns count bytes; only LF starts a new line.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "compiler/ast/ast.hpp"

namespace boc::lex {

// Every token kind with its spelling, written once: the enum, token_name()
// and the keyword lookup are all generated from these two lists.
#define BOC_LEX_KEYWORDS(X)                                                   \
  X(Let, "let") X(Fn, "fn") X(Return, "return") X(If, "if") X(Else, "else")   \
  X(While, "while") X(For, "for") X(In, "in") X(Break, "break")               \
  X(Continue, "continue") X(When, "when") X(Read, "read") X(True, "true")     \
  X(False, "false") X(Nil, "nil") X(Try, "try") X(Catch, "catch")             \
  X(And, "and") X(Or, "or") X(Not, "not")

#define BOC_LEX_OTHER_TOKENS(X)                                               \
  X(End, "end of file") X(Error, "error") X(Name, "identifier")               \
  X(Int, "integer") X(Float, "float")                                         \
  X(StringBegin, "string") X(StringText, "string text")                       \
  X(InterpBegin, "${") X(InterpEnd, "}") X(StringEnd, "end of string")        \
  X(LParen, "(") X(RParen, ")") X(LBracket, "[") X(RBracket, "]")             \
  X(LBrace, "{") X(RBrace, "}") X(Comma, ",") X(Semicolon, ";")               \
  X(Colon, ":") X(Dot, ".") X(DotDot, "..")                                   \
  X(Plus, "+") X(Minus, "-") X(Star, "*") X(Slash, "/") X(Percent, "%")       \
  X(Assign, "=") X(PlusAssign, "+=") X(MinusAssign, "-=")                     \
  X(StarAssign, "*=") X(SlashAssign, "/=") X(PercentAssign, "%=")             \
  X(Eq, "==") X(Ne, "!=") X(Lt, "<") X(Le, "<=") X(Gt, ">") X(Ge, ">=")       \
  X(Bang, "!") X(AndAnd, "&&") X(OrOr, "||")

enum class TokenKind : uint8_t {
#define BOC_LEX_ENUM(kind, spelling) kind,
  BOC_LEX_OTHER_TOKENS(BOC_LEX_ENUM) BOC_LEX_KEYWORDS(BOC_LEX_ENUM)
#undef BOC_LEX_ENUM
};

// The spelling of a kind: "let", "+=", "identifier", "end of file".
std::string_view token_name(TokenKind kind);

struct Token {
  TokenKind kind = TokenKind::End;
  ast::Loc loc;  // first byte
  ast::Loc end;  // one past the last byte
  // Name: the identifier. StringText: the decoded bytes (UTF-8). Error: the
  // message, whose location is `loc`.
  std::string text;
  int64_t int_value = 0;
  double float_value = 0;
};

namespace detail {
struct ScanState;
}

class Lexer {
 public:
  explicit Lexer(std::string_view source);
  ~Lexer();
  Lexer(const Lexer&) = delete;
  Lexer& operator=(const Lexer&) = delete;

  Token next();

 private:
  std::unique_ptr<detail::ScanState> state_;
  void* scanner_ = nullptr;  // yyscan_t; void* keeps Flex out of this header
  bool done_ = false;
  Token last_;  // the End or Error token repeated once done_
};

}  // namespace boc::lex
