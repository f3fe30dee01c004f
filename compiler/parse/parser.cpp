// parse(): runs the Bison parser over the Flex tokens, maps tokens between
// the two, and words syntax errors.
#include "compiler/parse/parser.hpp"

#include <algorithm>
#include <new>

#include "compiler/lex/lexer.hpp"
#include "grammar.hpp"

namespace boc::parse {

namespace detail {

namespace {

using Kind = Parser::symbol_kind;
using K = lex::TokenKind;

// Longest identifier quoted in a message.
constexpr size_t kMaxQuotedName = 32;

void open_bracket(Context& ctx, ast::Loc at) {
  if (++ctx.open_brackets > kMaxNesting) throw SyntaxError{at, "nesting too deep"};
}

void close_bracket(Context& ctx) {
  if (ctx.open_brackets > 0) --ctx.open_brackets;
}

// Tokens that can start an expression, or (beyond those) a statement; and
// tokens that continue an expression already complete. Used only to word
// the "expected ..." part of messages.
bool starts_expression(Parser::symbol_kind_type k) {
  switch (k) {
    case Kind::S_NAME: case Kind::S_INT: case Kind::S_FLOAT: case Kind::S_STR_BEGIN:
    case Kind::S_TRUE: case Kind::S_FALSE: case Kind::S_NIL: case Kind::S_LPAREN:
    case Kind::S_LBRACKET: case Kind::S_LBRACE: case Kind::S_FN: case Kind::S_WHEN:
    case Kind::S_NOT: case Kind::S_BANG: case Kind::S_MINUS:
      return true;
    default:
      return false;
  }
}

bool starts_statement(Parser::symbol_kind_type k) {
  switch (k) {
    case Kind::S_LET: case Kind::S_IF: case Kind::S_WHILE: case Kind::S_FOR:
    case Kind::S_BREAK: case Kind::S_CONTINUE: case Kind::S_RETURN: case Kind::S_TRY:
    case Kind::S_SEMI:
      return true;
    default:
      return starts_expression(k);
  }
}

bool continues_expression(Parser::symbol_kind_type k) {
  switch (k) {
    case Kind::S_OR: case Kind::S_OROR: case Kind::S_AND: case Kind::S_ANDAND:
    case Kind::S_EQ: case Kind::S_NE: case Kind::S_LT: case Kind::S_LE: case Kind::S_GT:
    case Kind::S_GE: case Kind::S_DOTDOT: case Kind::S_PLUS: case Kind::S_MINUS:
    case Kind::S_STAR: case Kind::S_SLASH: case Kind::S_PERCENT: case Kind::S_LPAREN:
    case Kind::S_LBRACKET: case Kind::S_DOT: case Kind::S_ASSIGN: case Kind::S_PLUS_ASSIGN:
    case Kind::S_MINUS_ASSIGN: case Kind::S_STAR_ASSIGN: case Kind::S_SLASH_ASSIGN:
    case Kind::S_PERCENT_ASSIGN:
      return true;
    default:
      return false;
  }
}

bool is_non_associative(Parser::symbol_kind_type k) {
  switch (k) {
    case Kind::S_EQ: case Kind::S_NE: case Kind::S_LT: case Kind::S_LE: case Kind::S_GT:
    case Kind::S_GE: case Kind::S_DOTDOT:
      return true;
    default:
      return false;
  }
}

std::string describe(const Parser::symbol_type& la) {
  if (la.kind() == Kind::S_NAME) {
    std::string name = la.value.as<std::string>();
    if (name.size() > kMaxQuotedName) name = name.substr(0, kMaxQuotedName) + "...";
    return "identifier '" + name + "'";
  }
  return Parser::symbol_name(la.kind());
}

}  // namespace

// The one place lexer tokens become Bison symbols. Lexical errors and the
// bracket-depth limit become SyntaxError here.
Parser::symbol_type yylex(Context& ctx) {
  lex::Token t = ctx.lexer.next();
  Span at{t.loc, t.end};
  switch (t.kind) {
    case K::End: return Parser::make_END(at);
    case K::Error: throw SyntaxError{t.loc, std::move(t.text)};
    case K::Name: return Parser::make_NAME(std::move(t.text), at);
    case K::Int: return Parser::make_INT(t.int_value, at);
    case K::Float: return Parser::make_FLOAT(t.float_value, at);
    case K::StringBegin: return Parser::make_STR_BEGIN(at);
    case K::StringText: return Parser::make_STR_TEXT(std::move(t.text), at);
    case K::InterpBegin: open_bracket(ctx, t.loc); return Parser::make_INTERP_BEGIN(at);
    // The parser needs no separate token for the '}' that ends ${...}.
    case K::InterpEnd: close_bracket(ctx); return Parser::make_RBRACE(at);
    case K::StringEnd: return Parser::make_STR_END(at);
    case K::LParen: open_bracket(ctx, t.loc); return Parser::make_LPAREN(at);
    case K::RParen: close_bracket(ctx); return Parser::make_RPAREN(at);
    case K::LBracket: open_bracket(ctx, t.loc); return Parser::make_LBRACKET(at);
    case K::RBracket: close_bracket(ctx); return Parser::make_RBRACKET(at);
    case K::LBrace: open_bracket(ctx, t.loc); return Parser::make_LBRACE(at);
    case K::RBrace: close_bracket(ctx); return Parser::make_RBRACE(at);
    case K::Comma: return Parser::make_COMMA(at);
    case K::Semicolon: return Parser::make_SEMI(at);
    case K::Colon: return Parser::make_COLON(at);
    case K::Dot: return Parser::make_DOT(at);
    case K::DotDot: return Parser::make_DOTDOT(at);
    case K::Plus: return Parser::make_PLUS(at);
    case K::Minus: return Parser::make_MINUS(at);
    case K::Star: return Parser::make_STAR(at);
    case K::Slash: return Parser::make_SLASH(at);
    case K::Percent: return Parser::make_PERCENT(at);
    case K::Assign: return Parser::make_ASSIGN(at);
    case K::PlusAssign: return Parser::make_PLUS_ASSIGN(at);
    case K::MinusAssign: return Parser::make_MINUS_ASSIGN(at);
    case K::StarAssign: return Parser::make_STAR_ASSIGN(at);
    case K::SlashAssign: return Parser::make_SLASH_ASSIGN(at);
    case K::PercentAssign: return Parser::make_PERCENT_ASSIGN(at);
    case K::Eq: return Parser::make_EQ(at);
    case K::Ne: return Parser::make_NE(at);
    case K::Lt: return Parser::make_LT(at);
    case K::Le: return Parser::make_LE(at);
    case K::Gt: return Parser::make_GT(at);
    case K::Ge: return Parser::make_GE(at);
    case K::Bang: return Parser::make_BANG(at);
    case K::AndAnd: return Parser::make_ANDAND(at);
    case K::OrOr: return Parser::make_OROR(at);
    case K::Let: return Parser::make_LET(at);
    case K::Fn: return Parser::make_FN(at);
    case K::Return: return Parser::make_RETURN(at);
    case K::If: return Parser::make_IF(at);
    case K::Else: return Parser::make_ELSE(at);
    case K::While: return Parser::make_WHILE(at);
    case K::For: return Parser::make_FOR(at);
    case K::In: return Parser::make_IN(at);
    case K::Break: return Parser::make_BREAK(at);
    case K::Continue: return Parser::make_CONTINUE(at);
    case K::When: return Parser::make_WHEN(at);
    case K::Read: return Parser::make_READ(at);
    case K::True: return Parser::make_TRUE(at);
    case K::False: return Parser::make_FALSE(at);
    case K::Nil: return Parser::make_NIL(at);
    case K::Try: return Parser::make_TRY(at);
    case K::Catch: return Parser::make_CATCH(at);
    case K::And: return Parser::make_AND(at);
    case K::Or: return Parser::make_OR(at);
    case K::Not: return Parser::make_NOT(at);
  }
  throw SyntaxError{t.loc, "unknown token"};  // unreachable: the switch is exhaustive
}

// "unexpected X, expected Y": the expected tokens are summarised as
// "statement" or "expression" when those can come next, and operators that
// could continue a complete expression are left out, so `f(1 2)` reads
// "expected ',' or ')'" rather than a list of twenty operators.
void Parser::report_syntax_error(const context& c) const {
  symbol_kind_type la = c.token();
  symbol_kind_type expected[YYNTOKENS];
  int n = c.expected_tokens(expected, YYNTOKENS);
  auto has = [&](symbol_kind_type k) { return std::find(expected, expected + n, k) != expected + n; };
  bool statement = has(Kind::S_LET);
  bool expression = has(Kind::S_INT);
  bool operators = has(Kind::S_PLUS);
  std::string message;

  if (operators && is_non_associative(la) && !has(la)) {
    message = "cannot chain " + std::string(symbol_name(la)) +
              (la == Kind::S_DOTDOT ? " after another range" : " after another comparison") +
              "; use parentheses";
    ctx.error = SyntaxError{c.location().begin, std::move(message)};
    return;
  }

  message = "unexpected " + describe(c.lookahead());
  std::vector<std::string> terms;
  // At the end of input "expected statement" is never the useful part.
  if (statement && la != Kind::S_YYEOF) terms.push_back("statement");
  else if (expression && !statement) terms.push_back("expression");
  for (int i = 0; i < n; ++i) {
    symbol_kind_type k = expected[i];
    if (statement && (starts_statement(k) || k == Kind::S_YYEOF)) continue;
    if (expression && starts_expression(k)) continue;
    if (operators && continues_expression(k)) continue;
    terms.push_back(symbol_name(k));
  }
  // A long list helps nobody; only short ones are spelled out.
  if (!terms.empty() && terms.size() <= 4) {
    message += ", expected ";
    for (size_t i = 0; i < terms.size(); ++i) {
      if (i > 0) message += i + 1 == terms.size() ? " or " : ", ";
      message += terms[i];
    }
  }
  ctx.error = SyntaxError{c.location().begin, std::move(message)};
}

// Bison reports its own failures (stack exhaustion) here.
void Parser::error(const Span& at, const std::string& message) {
  if (!ctx.error) ctx.error = SyntaxError{at.begin, message};
}

}  // namespace detail

ParseResult parse(std::string_view source, std::string file) {
  ParseResult result;
  auto fail = [&](ast::Loc at, std::string message) {
    // Every diagnostic has a line, even one with no better place to point.
    if (at.line == 0) at = {1, 1};
    result.program.reset();
    result.error = Diagnostic{file, at, std::move(message)};
  };
  try {
    detail::Context ctx(source);
    detail::Parser parser(ctx);
    int status = parser.parse();
    if (status == 0 && !ctx.error) {
      result.program = ctx.take_program();
      result.program->file = file;
    } else if (ctx.error) {
      fail(ctx.error->loc, std::move(ctx.error->message));
    } else {
      fail({1, 1}, "syntax error");
    }
  } catch (const detail::SyntaxError& e) {
    fail(e.loc, e.message);
  } catch (const std::bad_alloc&) {
    fail({1, 1}, "out of memory while parsing");
  } catch (const std::exception& e) {
    fail({1, 1}, std::string("internal parser error: ") + e.what());
  }
  return result;
}

}  // namespace boc::parse
