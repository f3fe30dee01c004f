// json.parse: strict RFC 8259 text to Boc values, without recursion.
//
// The parser keeps one explicit stack of the arrays and objects still open;
// after each complete value it stores that value in the innermost open
// container and closes as many containers as the text closes. Everything on
// the stack is owned by the Parser, so an error anywhere just returns and the
// destructor releases the half-built document.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "runtime/format.hpp"
#include "runtime/utf8.hpp"
#include "runtime/list.hpp"
#include "runtime/map.hpp"
#include "runtime/string.hpp"
#include "stdlib/json/json.hpp"
#include "stdlib/json/utf8.hpp"

namespace boc::stdlib::json {
namespace {

using rt::Ctx;
using rt::Tag;
using rt::Value;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The value of a valid JSON number that std::from_chars reported out of the
// double range: its decimal magnitude decides between +-inf and +-0.0.
double out_of_range_value(std::string_view num) {
  bool negative = num.front() == '-';
  size_t i = negative ? 1 : 0;
  int64_t magnitude = 0;  // decimal exponent of the first non-zero digit
  bool found = false;
  int64_t int_digits = 0;
  for (; i < num.size() && is_digit(num[i]); ++i, ++int_digits)
    if (!found && num[i] != '0') {
      found = true;
      magnitude = -int_digits;  // fixed up by the digit count below
    }
  if (found) magnitude += int_digits - 1;
  if (i < num.size() && num[i] == '.') {
    ++i;
    for (int64_t k = 1; i < num.size() && is_digit(num[i]); ++i, ++k)
      if (!found && num[i] != '0') {
        found = true;
        magnitude = -k;
      }
  }
  if (i < num.size() && (num[i] == 'e' || num[i] == 'E')) {
    ++i;
    bool negative_exp = num[i] == '-';
    if (num[i] == '-' || num[i] == '+') ++i;
    // Saturate: beyond a billion the answer is the same.
    int64_t e = 0;
    for (; i < num.size(); ++i) e = std::min<int64_t>(e * 10 + (num[i] - '0'), 1'000'000'000);
    magnitude += negative_exp ? -e : e;
  }
  double r = (found && magnitude > 0) ? HUGE_VAL : 0.0;
  return negative ? -r : r;
}

// A container still open, and for an object the name whose value comes next.
struct Open {
  Value container;            // owned list or map
  Value key = Value::nil();   // owned string between "name": and its value
};

class Parser {
 public:
  Parser(Ctx* ctx, std::string_view text) : ctx_(ctx), text_(text) {}
  ~Parser() {
    for (Open& open : stack_) {
      rt::release(open.container);
      rt::release(open.key);
    }
  }
  Parser(const Parser&) = delete;
  Parser& operator=(const Parser&) = delete;

  Value run();

 private:
  bool at_end() const { return pos_ >= text_.size(); }
  char peek() const { return text_[pos_]; }
  // RFC 8259 whitespace: space, tab, line feed, carriage return; nothing else.
  void skip_ws() {
    while (!at_end() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r')) ++pos_;
  }

  Value fail(std::string what, size_t at);
  Value unexpected(size_t at);
  std::string describe_char(size_t at) const;

  Value pop() {
    Value v = stack_.back().container;
    stack_.pop_back();
    return v;
  }
  bool begin_member();
  bool parse_scalar(Value* out);
  bool parse_string(std::string* out);
  bool parse_escape(std::string* out);
  bool parse_hex4(uint32_t* out);
  bool parse_number(Value* out);
  bool parse_literal(std::string_view word, Value v, Value* out);
  bool expect_digits();

  Ctx* ctx_;
  std::string_view text_;
  size_t pos_ = 0;
  std::vector<Open> stack_;
};

Value Parser::fail(std::string what, size_t at) {
  // Line and column of byte `at`, computed only on failure.
  size_t line = 1, column = 1;
  for (size_t i = 0; i < at && i < text_.size(); ++i) {
    if (text_[i] == '\n') {
      ++line;
      column = 1;
    } else if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) {
      ++column;  // continuation bytes belong to the previous character
    }
  }
  return rt::raise(ctx_, "json.parse: " + what + " at line " + std::to_string(line) + ", column " +
                             std::to_string(column));
}

// 'x' for a character (escaped when it is a control character), "byte 0xFF"
// for a byte that starts no valid UTF-8 sequence.
std::string Parser::describe_char(size_t at) const {
  size_t len = utf8_valid_length(text_, at);
  if (len == 0) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    auto b = static_cast<unsigned char>(text_[at]);
    return std::string("byte 0x") + kHex[b >> 4] + kHex[b & 15];
  }
  std::string quoted;
  rt::format_quoted(quoted, text_.substr(at, len));
  quoted.front() = '\'';
  quoted.back() = '\'';
  return quoted;
}

Value Parser::unexpected(size_t at) {
  if (at >= text_.size()) return fail("unexpected end of input", at);
  return fail("unexpected character " + describe_char(at), at);
}

// member = string name-separator value; called at the name, after '{' or ','.
bool Parser::begin_member() {
  if (at_end() || peek() != '"') {
    unexpected(pos_);
    return false;
  }
  std::string name;
  if (!parse_string(&name)) return false;
  skip_ws();
  if (at_end() || peek() != ':') {
    unexpected(pos_);
    return false;
  }
  ++pos_;
  skip_ws();
  stack_.back().key = rt::make_string(name);
  return true;
}

// JSON-text = ws value ws
// value = false / null / true / object / array / number / string
Value Parser::run() {
  skip_ws();
  for (;;) {
    // A value starts here (after skipped whitespace).
    Value value = Value::nil();
    if (at_end()) return unexpected(pos_);
    char c = peek();
    if (c == '[' || c == '{') {
      if (stack_.size() >= kMaxDepth)
        return fail("nesting deeper than " + std::to_string(kMaxDepth) + " levels", pos_);
      bool is_list = c == '[';
      stack_.push_back({is_list ? rt::list_value(rt::list_new()) : rt::map_value(rt::map_new())});
      ++pos_;
      skip_ws();
      if (at_end() || peek() != (is_list ? ']' : '}')) {
        if (!is_list && !begin_member()) return Value::exc();
        continue;  // on to the first element
      }
      ++pos_;
      value = pop();  // [] or {}
    } else if (!parse_scalar(&value)) {
      return Value::exc();
    }
    // `value` is complete: store it in the innermost open container, then
    // close every container that the text closes after it.
    for (;;) {
      if (stack_.empty()) {
        skip_ws();
        if (!at_end()) {
          rt::release(value);
          return unexpected(pos_);
        }
        return value;
      }
      Open& top = stack_.back();
      bool is_list = top.container.tag == Tag::List;
      if (is_list) {
        rt::list_push(rt::as_list(top.container), value);
      } else {
        rt::map_set(rt::as_map(top.container), top.key, value);  // the last repeat wins
        rt::release(top.key);
        top.key = Value::nil();
      }
      skip_ws();
      if (at_end()) return unexpected(pos_);
      char next = peek();
      if (next == ',') {
        ++pos_;
        skip_ws();
        if (!is_list && !begin_member()) return Value::exc();
        break;  // on to the next element
      }
      if (next != (is_list ? ']' : '}')) return unexpected(pos_);
      ++pos_;
      value = pop();
    }
  }
}

bool Parser::parse_scalar(Value* out) {
  switch (peek()) {
    case '"': {
      std::string s;
      if (!parse_string(&s)) return false;
      *out = rt::make_string(s);
      return true;
    }
    case 't':
      return parse_literal("true", Value::boolean(true), out);
    case 'f':
      return parse_literal("false", Value::boolean(false), out);
    case 'n':
      return parse_literal("null", Value::nil(), out);
    default:
      if (peek() == '-' || is_digit(peek())) return parse_number(out);
      unexpected(pos_);
      return false;
  }
}

bool Parser::parse_literal(std::string_view word, Value v, Value* out) {
  for (size_t k = 0; k < word.size(); ++k, ++pos_) {
    if (at_end() || peek() != word[k]) {
      unexpected(pos_);
      return false;
    }
  }
  *out = v;
  return true;
}

// One or more digits at pos_.
bool Parser::expect_digits() {
  if (at_end() || !is_digit(peek())) {
    unexpected(pos_);
    return false;
  }
  while (!at_end() && is_digit(peek())) ++pos_;
  return true;
}

// number = [ minus ] int [ frac ] [ exp ]
// int = zero / ( digit1-9 *DIGIT ); frac = "." 1*DIGIT;
// exp = ("e" / "E") [ "-" / "+" ] 1*DIGIT
bool Parser::parse_number(Value* out) {
  size_t start = pos_;
  if (peek() == '-') ++pos_;
  if (!at_end() && peek() == '0') {
    ++pos_;  // a leading zero stands alone: "01" fails at the '1' below
  } else if (!expect_digits()) {
    return false;
  }
  bool is_float = false;
  if (!at_end() && peek() == '.') {
    ++pos_;
    is_float = true;
    if (!expect_digits()) return false;
  }
  if (!at_end() && (peek() == 'e' || peek() == 'E')) {
    ++pos_;
    is_float = true;
    if (!at_end() && (peek() == '+' || peek() == '-')) ++pos_;
    if (!expect_digits()) return false;
  }
  std::string_view num = text_.substr(start, pos_ - start);
  const char* first = num.data();
  const char* last = num.data() + num.size();
  if (!is_float) {
    int64_t i = 0;
    auto [end, ec] = std::from_chars(first, last, i);
    if (ec == std::errc() && end == last) {
      *out = Value::integer(i);
      return true;
    }
    // Outside int64: read as a float, as JavaScript would.
  }
  double d = 0;
  auto [end, ec] = std::from_chars(first, last, d);
  if (ec == std::errc::result_out_of_range)
    d = out_of_range_value(num);
  else if (ec != std::errc() || end != last) {
    fail("invalid number", start);  // not reached: the grammar was checked above
    return false;
  }
  *out = Value::real(d);
  return true;
}

// string = quotation-mark *char quotation-mark
bool Parser::parse_string(std::string* out) {
  ++pos_;  // the opening quote
  for (;;) {
    // Copy runs of plain characters at once.
    size_t run = pos_;
    while (run < text_.size()) {
      auto b = static_cast<unsigned char>(text_[run]);
      if (b == '"' || b == '\\' || b < 0x20 || b >= 0x80) break;
      ++run;
    }
    out->append(text_.substr(pos_, run - pos_));
    pos_ = run;
    if (at_end()) {
      unexpected(pos_);
      return false;
    }
    auto b = static_cast<unsigned char>(peek());
    if (b == '"') {
      ++pos_;
      return true;
    }
    if (b == '\\') {
      if (!parse_escape(out)) return false;
      continue;
    }
    if (b < 0x20) {
      fail("unescaped control character " + describe_char(pos_) + " in string", pos_);
      return false;
    }
    size_t len = utf8_valid_length(text_, pos_);
    if (len == 0) {
      fail("invalid UTF-8 (" + describe_char(pos_) + ") in string", pos_);
      return false;
    }
    out->append(text_.substr(pos_, len));
    pos_ += len;
  }
}

// escape = "\" ( %x22 / %x5C / %x2F / %x62 / %x66 / %x6E / %x72 / %x74 / %x75 4HEXDIG )
bool Parser::parse_escape(std::string* out) {
  size_t start = pos_;
  ++pos_;  // the backslash
  if (at_end()) {
    unexpected(pos_);
    return false;
  }
  char c = peek();
  ++pos_;
  switch (c) {
    case '"': *out += '"'; return true;
    case '\\': *out += '\\'; return true;
    case '/': *out += '/'; return true;
    case 'b': *out += '\b'; return true;
    case 'f': *out += '\f'; return true;
    case 'n': *out += '\n'; return true;
    case 'r': *out += '\r'; return true;
    case 't': *out += '\t'; return true;
    case 'u': break;
    default:
      fail("invalid escape character " + describe_char(pos_ - 1) + " in string", start);
      return false;
  }
  uint32_t cp = 0;
  if (!parse_hex4(&cp)) return false;
  if (cp >= 0xD800 && cp <= 0xDBFF) {
    // A high surrogate must be followed by an escaped low one: together they
    // are one code point beyond the Basic Multilingual Plane.
    uint32_t low = 0;
    if (text_.substr(pos_, 2) != "\\u") {
      fail("unpaired surrogate in \\u escape", start);
      return false;
    }
    pos_ += 2;
    if (!parse_hex4(&low)) return false;
    if (low < 0xDC00 || low > 0xDFFF) {
      fail("unpaired surrogate in \\u escape", start);
      return false;
    }
    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
  } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
    fail("unpaired surrogate in \\u escape", start);
    return false;
  }
  rt::append_utf8(*out, cp);
  return true;
}

bool Parser::parse_hex4(uint32_t* out) {
  *out = 0;
  for (int k = 0; k < 4; ++k, ++pos_) {
    int h = at_end() ? -1 : hex_value(peek());
    if (h < 0) {
      if (at_end())
        unexpected(pos_);
      else
        fail("invalid \\u escape: " + describe_char(pos_) + " is not a hex digit", pos_);
      return false;
    }
    *out = *out * 16 + static_cast<uint32_t>(h);
  }
  return true;
}

}  // namespace

Value parse(Ctx* ctx, std::string_view text) {
  Parser parser(ctx, text);
  return parser.run();
}

}  // namespace boc::stdlib::json
