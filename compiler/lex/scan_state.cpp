// Token building for the scanner: positions, keywords, numbers, string
// escapes and the token-name table.
#include "compiler/lex/scan_state.hpp"

#include <array>
#include <charconv>
#include <cstring>
#include <limits>

#include "runtime/utf8.hpp"

namespace boc::lex {

namespace {

struct Spelling {
  TokenKind kind;
  std::string_view text;
};

constexpr Spelling kTokens[] = {
#define BOC_LEX_ROW(kind, spelling) {TokenKind::kind, spelling},
    BOC_LEX_OTHER_TOKENS(BOC_LEX_ROW) BOC_LEX_KEYWORDS(BOC_LEX_ROW)
#undef BOC_LEX_ROW
};

constexpr Spelling kKeywords[] = {
#define BOC_LEX_ROW(kind, spelling) {TokenKind::kind, spelling},
    BOC_LEX_KEYWORDS(BOC_LEX_ROW)
#undef BOC_LEX_ROW
};

// Longest excerpt of a token quoted in a message: a 10 MB literal must not
// make a 10 MB diagnostic.
constexpr size_t kMaxQuoted = 32;

bool is_digit(char c, int base) {
  if (c >= '0' && c <= '9') return true;
  return base == 16 && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'));
}

// '_' separates digits: never first, last, doubled or next to '.', 'e', 'x'.
// Returns the digits with the separators removed, or nullopt.
std::optional<std::string> strip_separators(std::string_view s, int base) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '_') {
      out += s[i];
      continue;
    }
    if (i == 0 || i + 1 == s.size() || !is_digit(s[i - 1], base) || !is_digit(s[i + 1], base))
      return std::nullopt;
  }
  return out;
}

// Length of the valid UTF-8 prefix of s (overlongs and surrogates rejected).
size_t valid_utf8_prefix(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t n;
    uint32_t cp, min;
    if ((c & 0xE0) == 0xC0) n = 2, cp = c & 0x1F, min = 0x80;
    else if ((c & 0xF0) == 0xE0) n = 3, cp = c & 0x0F, min = 0x800;
    else if ((c & 0xF8) == 0xF0) n = 4, cp = c & 0x07, min = 0x10000;
    else return i;
    if (i + n > s.size()) return i;
    for (size_t k = 1; k < n; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += n;
  }
  return i;
}

}  // namespace

std::string_view token_name(TokenKind kind) {
  for (const Spelling& s : kTokens)
    if (s.kind == kind) return s.text;
  return "token";
}

namespace detail {

std::string quote_bytes(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "'";
  for (size_t i = 0; i < s.size() && i < kMaxQuoted; ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7F) {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  if (s.size() > kMaxQuoted) out += "...";
  return out + "'";
}

void ScanState::advance(const char* s, size_t n) {
  begin = pos;
  // Columns count bytes; only '\n' starts a line (a CR of CRLF is a byte).
  const char* end = s + n;
  for (const char* nl; (nl = static_cast<const char*>(std::memchr(s, '\n', end - s)));) {
    ++pos.line;
    pos.col = 1;
    s = nl + 1;
  }
  pos.col += static_cast<uint32_t>(end - s);
}

Token ScanState::make(TokenKind kind) const {
  Token t;
  t.kind = kind;
  t.loc = begin;
  t.end = pos;
  return t;
}

Token ScanState::error(ast::Loc at, std::string message) const {
  Token t;
  t.kind = TokenKind::Error;
  t.loc = at;
  t.end = at;
  t.text = std::move(message);
  return t;
}

Token ScanState::invalid_char(unsigned char c) const {
  char ch = static_cast<char>(c);
  return error(begin, "invalid character " + quote_bytes({&ch, 1}));
}

Token ScanState::word(std::string_view s) const {
  Token t = make(TokenKind::Name);
  // After '.', keywords are ordinary field and method names: x.read, m.in.
  if (!after_dot) {
    if (s == "import") return error(begin, "'import' is reserved");
    for (const Spelling& k : kKeywords)
      if (k.text == s) return make(k.kind);
  }
  t.text = s;
  return t;
}

Token ScanState::integer(std::string_view s, int base) const {
  auto digits = strip_separators(base == 16 ? s.substr(2) : s, base);
  if (!digits) return bad_number(s);
  // Hex literals obey the same range as decimal ones: 0xffffffffffffffff
  // does not silently become -1.
  uint64_t value = 0;
  constexpr uint64_t kMax = std::numeric_limits<int64_t>::max();
  for (char c : *digits) {
    uint64_t d = (c >= '0' && c <= '9') ? c - '0' : (c | 0x20) - 'a' + 10;
    if (value > (kMax - d) / base) return error(begin, "integer literal too large");
    value = value * base + d;
  }
  Token t = make(TokenKind::Int);
  t.int_value = static_cast<int64_t>(value);
  return t;
}

Token ScanState::floating(std::string_view s) const {
  auto digits = strip_separators(s, 10);
  if (!digits) return bad_number(s);
  double value = 0;
  auto [end, ec] = std::from_chars(digits->data(), digits->data() + digits->size(), value);
  if (ec != std::errc() || end != digits->data() + digits->size())
    return error(begin, "float literal out of range");
  Token t = make(TokenKind::Float);
  t.float_value = value;
  return t;
}

Token ScanState::bad_number(std::string_view s) const {
  return error(begin, "invalid number literal " + quote_bytes(s));
}

Token ScanState::open_brace() {
  if (!frames.empty() && frames.back().interp) ++frames.back().braces;
  return make(TokenKind::LBrace);
}

Token ScanState::close_brace(bool& to_string) {
  if (!frames.empty() && frames.back().interp) {
    if (frames.back().braces == 0) {
      frames.pop_back();
      to_string = true;
      return make(TokenKind::InterpEnd);
    }
    --frames.back().braces;
  }
  return make(TokenKind::RBrace);
}

Token ScanState::open_string() {
  frames.push_back({false, begin, 0});
  text.clear();
  return make(TokenKind::StringBegin);
}

Token ScanState::close_text(TokenKind kind) {
  Token closing = make(kind);
  if (kind == TokenKind::InterpBegin) {
    frames.push_back({true, frames.back().quote, 0});
  } else {
    frames.pop_back();
  }
  if (text.empty()) return closing;
  Token t;
  t.kind = TokenKind::StringText;
  t.loc = text_begin;
  t.end = begin;
  t.text = std::move(text);
  text.clear();
  pending = std::move(closing);
  return t;
}

std::optional<Token> ScanState::append_text(std::string_view s) {
  size_t ok = valid_utf8_prefix(s);
  if (ok != s.size())
    return error({begin.line, begin.col + static_cast<uint32_t>(ok)}, "invalid UTF-8 in string");
  if (text.empty()) text_begin = begin;
  text += s;
  return std::nullopt;
}

void ScanState::append_escape(char c) {
  if (text.empty()) text_begin = begin;
  switch (c) {
    case 'n': text += '\n'; break;
    case 't': text += '\t'; break;
    case 'r': text += '\r'; break;
    case '0': text += '\0'; break;
    default: text += c; break;  // \\ \" \$
  }
}

std::optional<Token> ScanState::append_code_point(std::string_view hex) {
  uint32_t cp = 0;
  // More than 6 digits is out of range whatever they are; stop before overflow.
  if (hex.size() > 6) return error(begin, "invalid code point in " + quote_bytes("\\u{" + std::string(hex) + "}"));
  for (char c : hex) cp = cp * 16 + ((c >= '0' && c <= '9') ? c - '0' : (c | 0x20) - 'a' + 10);
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    return error(begin, "invalid code point in " + quote_bytes("\\u{" + std::string(hex) + "}"));
  if (text.empty()) text_begin = begin;
  rt::append_utf8(text, cp);
  return std::nullopt;
}

Token ScanState::bad_escape(std::string_view s) const {
  if (s == "\\u") return error(begin, "invalid escape '\\u' (write \\u{1F600})");
  return error(begin, "invalid escape " + quote_bytes(s));
}

Token ScanState::unterminated_string() const {
  return error(frames.back().quote, "unterminated string");
}

Token ScanState::end_of_input() const {
  // Inside ${...}: the string around it was never closed.
  if (!frames.empty()) return unterminated_string();
  Token t = make(TokenKind::End);
  t.loc = pos;
  return t;
}

}  // namespace detail
}  // namespace boc::lex
