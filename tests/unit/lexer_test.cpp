// Lexer tests: token kinds, values, locations, escapes and lexical errors.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "compiler/lex/lexer.hpp"

namespace {

using boc::lex::Lexer;
using boc::lex::Token;
using boc::lex::TokenKind;
using namespace std::literals;

std::vector<Token> lex_all(std::string_view src) {
  Lexer lexer(src);
  std::vector<Token> out;
  for (;;) {
    out.push_back(lexer.next());
    if (out.back().kind == TokenKind::End || out.back().kind == TokenKind::Error) return out;
  }
}

// Kinds as spellings, space-separated: easy to read in a failure.
std::string kinds(std::string_view src) {
  std::string s;
  for (const Token& t : lex_all(src)) {
    if (!s.empty()) s += ' ';
    s += boc::lex::token_name(t.kind);
  }
  return s;
}

// The error of a source that fails to lex, as "line:col: message".
std::string lex_error(std::string_view src) {
  Token t = lex_all(src).back();
  if (t.kind != TokenKind::Error) return "no error";
  return std::to_string(t.loc.line) + ":" + std::to_string(t.loc.col) + ": " + t.text;
}

std::string string_value(std::string_view src) {
  auto toks = lex_all(src);
  EXPECT_EQ(toks.at(0).kind, TokenKind::StringBegin);
  if (toks.at(1).kind != TokenKind::StringText) return "";
  return toks.at(1).text;
}

TEST(Lexer, KeywordsNamesAndPunctuation) {
  EXPECT_EQ(kinds("let fn return if else while for in break continue when read"),
            "let fn return if else while for in break continue when read end of file");
  EXPECT_EQ(kinds("true false nil try catch and or not"),
            "true false nil try catch and or not end of file");
  EXPECT_EQ(kinds("x _y z9 letter"), "identifier identifier identifier identifier end of file");
  EXPECT_EQ(kinds("( ) [ ] { } , ; : . .. + - * / % = += -= *= /= %= == != < <= > >= ! && ||"),
            "( ) [ ] { } , ; : . .. + - * / % = += -= *= /= %= == != < <= > >= ! && || end of file");
  EXPECT_EQ(kinds("a..b"), "identifier .. identifier end of file");
}

TEST(Lexer, KeywordsAfterDotAreNames) {
  auto toks = lex_all("x.read m . in y.import");
  EXPECT_EQ(toks[2].kind, TokenKind::Name);
  EXPECT_EQ(toks[2].text, "read");
  EXPECT_EQ(toks[5].kind, TokenKind::Name);
  EXPECT_EQ(toks[5].text, "in");
  EXPECT_EQ(toks[8].kind, TokenKind::Name);
  EXPECT_EQ(toks[8].text, "import");
}

TEST(Lexer, Numbers) {
  auto toks = lex_all("42 1_000_000 0xff 0XFF_FF 1.5 2.0e-3 1e9 1_0.2_5E+1 9223372036854775807");
  EXPECT_EQ(toks[0].int_value, 42);
  EXPECT_EQ(toks[1].int_value, 1000000);
  EXPECT_EQ(toks[2].int_value, 255);
  EXPECT_EQ(toks[3].int_value, 0xFFFF);
  EXPECT_EQ(toks[4].kind, TokenKind::Float);
  EXPECT_DOUBLE_EQ(toks[4].float_value, 1.5);
  EXPECT_DOUBLE_EQ(toks[5].float_value, 2.0e-3);
  EXPECT_EQ(toks[6].kind, TokenKind::Float);
  EXPECT_DOUBLE_EQ(toks[6].float_value, 1e9);
  EXPECT_DOUBLE_EQ(toks[7].float_value, 102.5);
  EXPECT_EQ(toks[8].int_value, INT64_MAX);
  EXPECT_EQ(kinds("1..5"), "integer .. integer end of file");
}

TEST(Lexer, NumberErrors) {
  EXPECT_EQ(lex_error("x = 9223372036854775808"), "1:5: integer literal too large");
  EXPECT_EQ(lex_error("99999999999999999999999999"), "1:1: integer literal too large");
  EXPECT_EQ(lex_error("0x8000000000000000"), "1:1: integer literal too large");
  EXPECT_EQ(lex_error("12abc"), "1:1: invalid number literal '12abc'");
  EXPECT_EQ(lex_error("0x"), "1:1: invalid number literal '0x'");
  EXPECT_EQ(lex_error("1__0"), "1:1: invalid number literal '1__0'");
  EXPECT_EQ(lex_error("1_"), "1:1: invalid number literal '1_'");
  EXPECT_EQ(lex_error("1e999"), "1:1: float literal out of range");
}

TEST(Lexer, LocationsCommentsAndWhitespace) {
  auto toks = lex_all("let x // note\n  /* a\n b */ = 1;\r\n\t\"s\"");
  ASSERT_EQ(toks.size(), 9u);
  EXPECT_EQ(toks[0].loc.line, 1u);
  EXPECT_EQ(toks[0].loc.col, 1u);
  EXPECT_EQ(toks[1].loc.col, 5u);
  EXPECT_EQ(toks[2].kind, TokenKind::Assign);
  EXPECT_EQ(toks[2].loc.line, 3u);
  EXPECT_EQ(toks[2].loc.col, 7u);
  EXPECT_EQ(toks[3].loc.col, 9u);
  EXPECT_EQ(toks[5].kind, TokenKind::StringBegin);
  EXPECT_EQ(toks[5].loc.line, 4u);
  EXPECT_EQ(toks[5].loc.col, 2u);
  EXPECT_EQ(toks[6].loc.col, 3u);  // the text starts after the quote
  // Comments may hold any bytes, UTF-8 or not.
  EXPECT_EQ(kinds("/* \xff\x00 */ // \xc3\xa9\nx"sv), "identifier end of file");
}

TEST(Lexer, StringEscapes) {
  EXPECT_EQ(string_value(R"("a\nb\tc\rd\\e\"f\$g")"), "a\nb\tc\rd\\e\"f$g");
  EXPECT_EQ(string_value(R"("\0")"), std::string(1, '\0'));
  EXPECT_EQ(string_value(R"("\u{1F600}\u{e9}\u{41}")"), "\xF0\x9F\x98\x80\xC3\xA9" "A");
  EXPECT_EQ(string_value("\"caf\xC3\xA9 $ 5\""), "caf\xC3\xA9 $ 5");
  EXPECT_EQ(kinds(R"("")"), "string end of string end of file");
}

TEST(Lexer, StringErrors) {
  EXPECT_EQ(lex_error("x = \"abc"), "1:5: unterminated string");
  EXPECT_EQ(lex_error("\n  \"ab\ncd\""), "2:3: unterminated string");
  EXPECT_EQ(lex_error("\"ab\\"), "1:1: unterminated string");
  EXPECT_EQ(lex_error("\"ab\\\n\""), "1:1: unterminated string");
  EXPECT_EQ(lex_error(R"("ab\q")"), "1:4: invalid escape '\\q'");
  EXPECT_EQ(lex_error(R"("\u0041")"), "1:2: invalid escape '\\u' (write \\u{1F600})");
  EXPECT_EQ(lex_error(R"("x\u{110000}")"), "1:3: invalid code point in '\\u{110000}'");
  EXPECT_EQ(lex_error(R"("\u{D800}")"), "1:2: invalid code point in '\\u{D800}'");
  EXPECT_EQ(lex_error(R"("\u{0000001}")"), "1:2: invalid code point in '\\u{0000001}'");
  EXPECT_EQ(lex_error("\"ok \xC3\x28\""), "1:5: invalid UTF-8 in string");
  EXPECT_EQ(lex_error("\"\xED\xA0\x80\""), "1:2: invalid UTF-8 in string");  // a surrogate
  EXPECT_EQ(lex_error("\"${a"), "1:1: unterminated string");
  EXPECT_EQ(lex_error("\"x${ \"y${ 1 }"), "1:6: unterminated string");
}

TEST(Lexer, Interpolation) {
  EXPECT_EQ(kinds(R"("total: ${a + b}!")"),
            "string string text ${ identifier + identifier } string text end of string end of file");
  // Braces and strings nest inside ${}: only the matching '}' ends it.
  EXPECT_EQ(kinds(R"("${ {a:1}.a }")"),
            "string ${ { identifier : integer } . identifier } end of string end of file");
  EXPECT_EQ(kinds(R"("${m["k"]}")"),
            "string ${ identifier [ string string text end of string ] } end of string end of file");
  auto toks = lex_all("\"ab${x}\"");
  EXPECT_EQ(toks[1].kind, TokenKind::StringText);
  EXPECT_EQ(toks[1].loc.col, 2u);
  EXPECT_EQ(toks[2].kind, TokenKind::InterpBegin);
  EXPECT_EQ(toks[2].loc.col, 4u);
  EXPECT_EQ(toks[3].loc.col, 6u);
  EXPECT_EQ(toks[4].kind, TokenKind::InterpEnd);
  EXPECT_EQ(toks[4].loc.col, 7u);
}

TEST(Lexer, InvalidCharacters) {
  EXPECT_EQ(lex_error("x = \x01;"), "1:5: invalid character '\\x01'");
  EXPECT_EQ(lex_error("a & b"), "1:3: invalid character '&'");
  EXPECT_EQ(lex_error("\n\n  @"), "3:3: invalid character '@'");
  EXPECT_EQ(lex_error("x\0y"sv), "1:2: invalid character '\\x00'");
  EXPECT_EQ(lex_error("caf\xC3\xA9"), "1:4: invalid character '\\xc3'");  // names are ASCII
  EXPECT_EQ(lex_error("import x;"), "1:1: 'import' is reserved");
  EXPECT_EQ(lex_error("/* never closed\n\n"), "1:1: unterminated comment");
}

TEST(Lexer, EndAndErrorRepeat) {
  Lexer lexer("x @");
  EXPECT_EQ(lexer.next().kind, TokenKind::Name);
  EXPECT_EQ(lexer.next().kind, TokenKind::Error);
  EXPECT_EQ(lexer.next().kind, TokenKind::Error);
  Lexer empty("");
  Token end = empty.next();
  EXPECT_EQ(end.kind, TokenKind::End);
  EXPECT_EQ(end.loc.line, 1u);
  EXPECT_EQ(end.loc.col, 1u);
  EXPECT_EQ(empty.next().kind, TokenKind::End);
}

TEST(Lexer, LongTokensAreLinear) {
  std::string big = "\"" + std::string(10'000'000, 'a') + "\"";
  auto toks = lex_all(big);
  ASSERT_EQ(toks.size(), 4u);
  EXPECT_EQ(toks[1].text.size(), 10'000'000u);
  EXPECT_EQ(toks[2].loc.col, 10'000'002u);
}

}  // namespace
