// Parser tests: every statement and expression form, precedence, locations,
// syntax errors with exact line:col, nesting limits and a robustness sweep.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "compiler/parse/parser.hpp"

namespace {

using namespace boc;

// The dump without its "Program" line, or "error l:c: message".
std::string tree(std::string_view src) {
  auto r = parse::parse(src, "t.boc");
  if (!r.program) return "error " + std::to_string(r.error->loc.line) + ":" +
                          std::to_string(r.error->loc.col) + ": " + r.error->message;
  std::string d = parse::dump(*r.program);
  return d.substr(d.find('\n') + 1);
}

// "l:c: message" for a source that must fail.
std::string error(std::string_view src) {
  auto r = parse::parse(src, "t.boc");
  if (r.program) return "no error";
  EXPECT_EQ(r.error->file, "t.boc");
  return std::to_string(r.error->loc.line) + ":" + std::to_string(r.error->loc.col) + ": " +
         r.error->message;
}

TEST(Parser, LetAndPrecedence) {
  EXPECT_EQ(tree("let x = 1 + 2 * -3;"),
            "  Let x @1:1\n"
            "    Binary + @1:11\n"
            "      Int 1 @1:9\n"
            "      Binary * @1:15\n"
            "        Int 2 @1:13\n"
            "        Unary - @1:17\n"
            "          Int 3 @1:18\n");
  // or < and < not < == < comparison < .. < + < * < unary -
  EXPECT_EQ(tree("x = a or b and not c == d < e .. f + g * -h;"),
            "  Assign = @1:3\n"
            "    Name x @1:1\n"
            "    Or @1:7\n"
            "      Name a @1:5\n"
            "      And @1:12\n"
            "        Name b @1:10\n"
            "        Unary not @1:16\n"
            "          Binary == @1:22\n"
            "            Name c @1:20\n"
            "            Binary < @1:27\n"
            "              Name d @1:25\n"
            "              Range @1:31\n"
            "                Name e @1:29\n"
            "                Binary + @1:36\n"
            "                  Name f @1:34\n"
            "                  Binary * @1:40\n"
            "                    Name g @1:38\n"
            "                    Unary - @1:42\n"
            "                      Name h @1:43\n");
  EXPECT_EQ(tree("x = a || b && !c;"),
            "  Assign = @1:3\n    Name x @1:1\n    Or @1:7\n      Name a @1:5\n"
            "      And @1:12\n        Name b @1:10\n        Unary not @1:15\n          Name c @1:16\n");
  // Left associativity and parentheses.
  EXPECT_EQ(tree("x = 1 - 2 - 3;"),
            "  Assign = @1:3\n    Name x @1:1\n    Binary - @1:11\n      Binary - @1:7\n"
            "        Int 1 @1:5\n        Int 2 @1:9\n      Int 3 @1:13\n");
  EXPECT_EQ(tree("x = 1 - (2 - 3);"),
            "  Assign = @1:3\n    Name x @1:1\n    Binary - @1:7\n      Int 1 @1:5\n"
            "      Binary - @1:12\n        Int 2 @1:10\n        Int 3 @1:14\n");
  // Unary minus binds tighter than '*' but looser than a call.
  EXPECT_EQ(tree("-f(x) * 2;"),
            "  ExprStmt @1:1\n    Binary * @1:7\n      Unary - @1:1\n        Call @1:3\n"
            "          Name f @1:2\n          Name x @1:4\n      Int 2 @1:9\n");
}

TEST(Parser, Literals) {
  EXPECT_EQ(tree("nil; true; false; 42; 1.5; \"s\\n\";"),
            "  ExprStmt @1:1\n    Nil @1:1\n  ExprStmt @1:6\n    Bool true @1:6\n"
            "  ExprStmt @1:12\n    Bool false @1:12\n  ExprStmt @1:19\n    Int 42 @1:19\n"
            "  ExprStmt @1:23\n    Float 1.5 @1:23\n  ExprStmt @1:28\n    String \"s\\n\" @1:28\n");
  EXPECT_EQ(tree("x = [];"), "  Assign = @1:3\n    Name x @1:1\n    List @1:5\n");
  EXPECT_EQ(tree("x = [1, [2],];"),
            "  Assign = @1:3\n    Name x @1:1\n    List @1:5\n      Int 1 @1:6\n"
            "      List @1:9\n        Int 2 @1:10\n");
  EXPECT_EQ(tree("x = {};"), "  Assign = @1:3\n    Name x @1:1\n    Map @1:5\n");
  EXPECT_EQ(tree("x = {name: \"Al\", 1: 2, \"k\": 3, (v): 4, true: 5,};"),
            "  Assign = @1:3\n    Name x @1:1\n    Map @1:5\n"
            "      Entry\n        String \"name\" @1:6\n        String \"Al\" @1:12\n"
            "      Entry\n        Int 1 @1:18\n        Int 2 @1:21\n"
            "      Entry\n        String \"k\" @1:24\n        Int 3 @1:29\n"
            "      Entry\n        Name v @1:33\n        Int 4 @1:37\n"
            "      Entry\n        Bool true @1:40\n        Int 5 @1:46\n");
}

TEST(Parser, Postfix) {
  EXPECT_EQ(tree("a.b[1](2).m(3, 4,);"),
            "  ExprStmt @1:1\n"
            "    Method m @1:11\n"
            "      Call @1:7\n"
            "        Index @1:4\n"
            "          Field b @1:3\n"
            "            Name a @1:1\n"
            "          Int 1 @1:5\n"
            "        Int 2 @1:8\n"
            "      Int 3 @1:13\n"
            "      Int 4 @1:16\n");
  EXPECT_EQ(tree("f();"), "  ExprStmt @1:1\n    Call @1:2\n      Name f @1:1\n");
  // Keywords are field and method names after '.'.
  EXPECT_EQ(tree("x.read.in(1);"),
            "  ExprStmt @1:1\n    Method in @1:8\n      Field read @1:3\n        Name x @1:1\n"
            "      Int 1 @1:11\n");
}

TEST(Parser, Interpolation) {
  EXPECT_EQ(tree("x = \"total: ${a + b}!\";"),
            "  Assign = @1:3\n    Name x @1:1\n    Interp @1:5\n"
            "      String \"total: \" @1:6\n"
            "      Binary + @1:17\n        Name a @1:15\n        Name b @1:19\n"
            "      String \"!\" @1:21\n");
  // No empty literal parts; nested strings, maps and braces; inner locations.
  EXPECT_EQ(tree("x = \"${m[\"k\"]}${ {a: 1}.a }\";"),
            "  Assign = @1:3\n    Name x @1:1\n    Interp @1:5\n"
            "      Index @1:9\n        Name m @1:8\n        String \"k\" @1:10\n"
            "      Field a @1:25\n        Map @1:18\n          Entry\n"
            "            String \"a\" @1:19\n            Int 1 @1:22\n");
  EXPECT_EQ(tree("\n  print(\"a\n\");"), "error 2:9: unterminated string");
  EXPECT_EQ(tree("x = \"\n${y}\";"), "error 1:5: unterminated string");
  EXPECT_EQ(tree("x = \"a\\${y}\";"), "  Assign = @1:3\n    Name x @1:1\n    String \"a${y}\" @1:5\n");
  EXPECT_EQ(tree("x = \"${\"in${y}\"}\";"),
            "  Assign = @1:3\n    Name x @1:1\n    Interp @1:5\n      Interp @1:8\n"
            "        String \"in\" @1:9\n        Name y @1:13\n");
}

TEST(Parser, Statements) {
  EXPECT_EQ(tree("if (a) { b; } else if (c) { d; } else { e; }"),
            "  If @1:1\n    Name a @1:5\n    Then\n      ExprStmt @1:10\n        Name b @1:10\n"
            "    Else\n      If @1:20\n        Name c @1:24\n        Then\n"
            "          ExprStmt @1:29\n            Name d @1:29\n        Else\n"
            "          ExprStmt @1:41\n            Name e @1:41\n");
  EXPECT_EQ(tree("while (x) { break; continue; }"),
            "  While @1:1\n    Name x @1:8\n    Body\n      Break @1:13\n      Continue @1:20\n");
  EXPECT_EQ(tree("for (i in 0..10) { }"),
            "  For i@1:6 @1:1\n    Range @1:12\n      Int 0 @1:11\n      Int 10 @1:14\n    Body\n");
  EXPECT_EQ(tree("fn f(a, b,) { return a; return; }"),
            "  FnDecl @1:1\n    Fn f (a@1:6, b@1:9) @1:1\n      Return @1:15\n"
            "        Name a @1:22\n      Return @1:25\n");
  EXPECT_EQ(tree("try { x; } catch (e) { y; }"),
            "  Try @1:1\n    Body\n      ExprStmt @1:7\n        Name x @1:7\n"
            "    Catch e @1:19\n      ExprStmt @1:24\n        Name y @1:24\n");
  EXPECT_EQ(tree("{ let x = 1; { } }"),
            "  Block @1:1\n    Let x @1:3\n      Int 1 @1:11\n    Block @1:14\n");
  EXPECT_EQ(tree(";;"), "");
}

TEST(Parser, Assignments) {
  EXPECT_EQ(tree("a[i].f += 1;"),
            "  Assign += @1:8\n    Field f @1:6\n      Index @1:2\n        Name a @1:1\n"
            "        Name i @1:3\n    Int 1 @1:11\n");
  EXPECT_EQ(tree("x -= 1; x *= 2; x /= 3; x %= 4; m.k = 5;"),
            "  Assign -= @1:3\n    Name x @1:1\n    Int 1 @1:6\n"
            "  Assign *= @1:11\n    Name x @1:9\n    Int 2 @1:14\n"
            "  Assign /= @1:19\n    Name x @1:17\n    Int 3 @1:22\n"
            "  Assign %= @1:27\n    Name x @1:25\n    Int 4 @1:30\n"
            "  Assign = @1:37\n    Field k @1:35\n      Name m @1:33\n    Int 5 @1:39\n");
  EXPECT_EQ(error("f() = 1;"), "1:1: cannot assign to this expression");
  EXPECT_EQ(error("x;\n  1 = 2;"), "2:3: cannot assign to this expression");
  EXPECT_EQ(error("a + b = c;"), "1:1: cannot assign to this expression");
  EXPECT_EQ(error("a.m() += 1;"), "1:1: cannot assign to this expression");
  EXPECT_EQ(error("(a) = 1;"), "no error");  // parentheses make no node
  EXPECT_EQ(error("let x = y = 1;"), "1:11: unexpected '=', expected ';'");
}

TEST(Parser, Functions) {
  EXPECT_EQ(tree("let f = fn (x) { return x * 2; };"),
            "  Let f @1:1\n    Fn (x@1:13) @1:9\n      Return @1:18\n"
            "        Binary * @1:27\n          Name x @1:25\n          Int 2 @1:29\n");
  EXPECT_EQ(tree("let g = fn h() { };"), "  Let g @1:1\n    Fn h () @1:9\n");
  EXPECT_EQ(tree("fn () { }();"), "  ExprStmt @1:1\n    Call @1:10\n      Fn () @1:1\n");
  EXPECT_EQ(error("fn f(a, b, a) { }"), "1:12: duplicate parameter 'a'");
}

TEST(Parser, When) {
  EXPECT_EQ(tree("when (a, b = c, read d, read e = f,) { a.n -= 1; }"),
            "  ExprStmt @1:1\n    When (statement) @1:1\n"
            "      Entry a @1:7\n      Entry b @1:10\n        Name c @1:14\n"
            "      Entry read d @1:22\n      Entry read e @1:30\n        Name f @1:34\n"
            "      Body\n        Assign -= @1:44\n          Field n @1:42\n"
            "            Name a @1:40\n          Int 1 @1:47\n");
  EXPECT_EQ(tree("when () { }"), "  ExprStmt @1:1\n    When (statement) @1:1\n      Body\n");
  // A stray ';' after a when statement is an empty statement.
  EXPECT_EQ(tree("when () { };"), tree("when () { }"));
  EXPECT_EQ(tree("let r = when (a) { return a * 2; };"),
            "  Let r @1:1\n    When @1:9\n      Entry a @1:15\n      Body\n        Return @1:20\n"
            "          Binary * @1:29\n            Name a @1:27\n            Int 2 @1:31\n");
  EXPECT_EQ(tree("f(when () { });"),
            "  ExprStmt @1:1\n    Call @1:2\n      Name f @1:1\n      When @1:3\n        Body\n");
  EXPECT_EQ(error("when (a.b) { }"), "1:8: unexpected '.', expected ')', ',' or '='");
  EXPECT_EQ(error("when (a) { } + 1;"), "1:14: unexpected '+', expected statement");
}

TEST(Parser, BlockStartsAStatement) {
  // `{` at the start of a statement opens a block, so a map literal cannot
  // start an expression statement unless parenthesized.
  EXPECT_EQ(error("{a: 1};"), "1:3: unexpected ':', expected ';'");
  EXPECT_EQ(tree("({a: 1}).a;"),
            "  ExprStmt @1:1\n    Field a @1:10\n      Map @1:2\n        Entry\n"
            "          String \"a\" @1:3\n          Int 1 @1:6\n");
}

TEST(Parser, SyntaxErrors) {
  EXPECT_EQ(error("let x = ;"), "1:9: unexpected ';', expected expression");
  EXPECT_EQ(error("let = 1;"), "1:5: unexpected '=', expected identifier");
  EXPECT_EQ(error("if x { }"), "1:4: unexpected identifier 'x', expected '('");
  EXPECT_EQ(error("f(1 2);"), "1:5: unexpected integer, expected ')' or ','");
  EXPECT_EQ(error("let x = 1\nlet y = 2;"), "2:1: unexpected 'let', expected ';'");
  EXPECT_EQ(error("fn f() {\n  let x = 1;\n"), "3:1: unexpected end of file, expected '}'");
  EXPECT_EQ(error("x = (1 + 2;"), "1:11: unexpected ';', expected ')'");
  EXPECT_EQ(error("x = [1, 2"), "1:10: unexpected end of file, expected ']' or ','");
  EXPECT_EQ(error(")"), "1:1: unexpected ')', expected statement");
  EXPECT_EQ(error("} x;"), "1:1: unexpected '}', expected statement");
  EXPECT_EQ(error("if (a) { } else x;"), "1:17: unexpected identifier 'x', expected 'if' or '{'");
  EXPECT_EQ(error("if (a) x;"), "1:8: unexpected identifier 'x', expected '{'");
  EXPECT_EQ(error("a < b < c;"), "1:7: cannot chain '<' after another comparison; use parentheses");
  EXPECT_EQ(error("a == b != c;"), "1:8: cannot chain '!=' after another comparison; use parentheses");
  EXPECT_EQ(error("x = 1..2..3;"), "1:9: cannot chain '..' after another range; use parentheses");
  EXPECT_EQ(error("x = \"${}\";"), "1:8: unexpected '}', expected expression");
  EXPECT_EQ(error("x = \"${a b}\";"), "1:10: unexpected identifier 'b', expected '}'");
  EXPECT_EQ(error("let let = 1;"), "1:5: unexpected 'let', expected identifier");
  EXPECT_EQ(error("x"), "1:2: unexpected end of file, expected ';'");
  EXPECT_EQ(error("try { } x;"), "1:9: unexpected identifier 'x', expected 'catch'");
}

TEST(Parser, LexicalErrorsAreReported) {
  EXPECT_EQ(error("let s = \"abc;\nx;"), "1:9: unterminated string");
  EXPECT_EQ(error("x;\n/* open"), "2:1: unterminated comment");
  EXPECT_EQ(error("x = \x01;"), "1:5: invalid character '\\x01'");
  EXPECT_EQ(error("import math;"), "1:1: 'import' is reserved");
  EXPECT_EQ(error("x = 18446744073709551616;"), "1:5: integer literal too large");
  EXPECT_EQ(error("x = \"\\u{110000}\";"), "1:6: invalid code point in '\\u{110000}'");
  EXPECT_EQ(error("x = \"\\x41\";"), "1:6: invalid escape '\\x'");
}

TEST(Parser, NestingLimit) {
  // Nesting at the limit parses (these trees are ~1000 levels deep, within
  // the bound the later recursive passes rely on).
  const int kOk = 990;
  EXPECT_EQ(error("x = " + std::string(kOk, '(') + "1" + std::string(kOk, ')') + ";"), "no error");
  std::string minus = "x = " + std::string(kOk, '-') + "1;";
  EXPECT_EQ(error(minus), "no error");
  // 100,000 of anything fails cleanly with a located error.
  const int kDeep = 100'000;
  EXPECT_EQ(error("x = " + std::string(kDeep, '(') + "1" + std::string(kDeep, ')') + ";"),
            "1:1005: nesting too deep");
  EXPECT_EQ(error("x = " + std::string(kDeep, '[') + std::string(kDeep, ']') + ";"),
            "1:1005: nesting too deep");
  EXPECT_EQ(error(std::string(kDeep, '{')), "1:1001: nesting too deep");
  EXPECT_NE(error("x = " + std::string(kDeep, '-') + "1;").find("nesting too deep"), std::string::npos);
  EXPECT_NE(error("x = " + std::string(kDeep, '!') + "1;").find("nesting too deep"), std::string::npos);
  std::string chain = "x = 1";
  for (int i = 0; i < kDeep; ++i) chain += " + 1";
  EXPECT_NE(error(chain + ";").find("nesting too deep"), std::string::npos);
  std::string calls = "f";
  for (int i = 0; i < kDeep; ++i) calls += "(1)";
  EXPECT_NE(error(calls + ";").find("nesting too deep"), std::string::npos);
  std::string elifs = "if (a) { }";
  for (int i = 0; i < kDeep / 10; ++i) elifs += " else if (a) { }";
  EXPECT_NE(error(elifs).find("nesting too deep"), std::string::npos);
  std::string interp;
  for (int i = 0; i < kDeep; ++i) interp += "\"${";
  EXPECT_EQ(error("x = " + interp), "1:3006: nesting too deep");
}

TEST(Parser, HugeInputs) {
  // A 1 MB line of statements (10 MB works too, but takes ~30 s in a Debug
  // build), a 10 MB string and a 10 MB number.
  std::string line;
  while (line.size() < 1'000'000) line += "x = x + 1; ";
  auto r = parse::parse(line, "big.boc");
  ASSERT_TRUE(r.program);
  EXPECT_EQ(r.program->body.size(), line.size() / 11);
  std::string str = "x = \"" + std::string(10'000'000, 'z') + "\";";
  EXPECT_EQ(error(str), "no error");
  EXPECT_EQ(error("x = " + std::string(10'000'000, '9') + ";"), "1:5: integer literal too large");
}

// 3,000 random and mutated sources: parse() must return (no crash, hang or
// exception), and every result is a program or an error with a line.
TEST(Parser, RobustnessSweep) {
  const std::vector<std::string> seeds = {
      "let x = 1 + 2 * 3;",
      "fn f(a, b) { if (a < b) { return a; } else { return b; } }",
      "when (a, read b = c) { a.n -= b.n; }\nlet r = when () { return 1; };",
      "let s = \"total: ${a + b} and ${m[\"k\"]} ${ {a: 1}.a }\\n\\u{1F600}\";",
      "for (i in 0..10) { while (true) { break; } continue; }",
      "try { error(\"x\"); } catch (e) { print(e.message); } /* c */ // d",
      "let m = {name: \"Al\", 1: [1, 2,], \"k\": fn (x) { return x; }};",
      "a[i].f += 1; x.push(3); y = -z.w(1)(2)[3];",
  };
  std::mt19937 rng(12345);
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  const std::string alphabet = "(){}[]\"$\\;:.,=+-*/%<>!&|'_ \n\tazAZ09\x01\x80\xff";
  for (int i = 0; i < 3000; ++i) {
    std::string src;
    if (i % 4 == 0) {
      size_t len = pick(200);
      for (size_t k = 0; k < len; ++k) src += static_cast<char>(rng() & 0xFF);
    } else {
      src = seeds[pick(seeds.size())];
      int edits = 1 + static_cast<int>(pick(6));
      for (int e = 0; e < edits; ++e) {
        size_t at = src.empty() ? 0 : pick(src.size());
        char c = (rng() & 1) ? alphabet[pick(alphabet.size())] : static_cast<char>(rng() & 0xFF);
        switch (pick(3)) {
          case 0: src.insert(at, 1, c); break;
          case 1: if (!src.empty()) src.erase(at, 1); break;
          default: if (!src.empty()) src[at] = c; break;
        }
      }
    }
    auto r = parse::parse(src, "fuzz.boc");
    ASSERT_TRUE(r.program || r.error) << "case " << i;
    ASSERT_FALSE(r.program && r.error) << "case " << i;
    if (r.error) {
      ASSERT_GE(r.error->loc.line, 1u) << "case " << i << ": " << r.error->message;
      ASSERT_GE(r.error->loc.col, 1u) << "case " << i;
      ASSERT_FALSE(r.error->message.empty());
    } else {
      (void)parse::dump(*r.program);
    }
  }
}

}  // namespace
