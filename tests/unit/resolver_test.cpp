// Unit tests of the resolver stage: slots, globals, captures, Self, when
// entries, constant detection and every scoping error, from Boc source.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/parse/parser.hpp"
#include "compiler/resolve/resolver.hpp"

namespace boc::resolve {
namespace {

using ast::VarKind;

// Every annotated node of a program, in source (pre-)order.
struct Nodes {
  std::vector<ast::NameExpr*> names;
  std::vector<ast::LetStmt*> lets;
  std::vector<ast::FnExpr*> fns;
  std::vector<ast::FnDeclStmt*> fn_decls;
  std::vector<ast::WhenExpr*> whens;
  std::vector<ast::ForStmt*> fors;
  std::vector<ast::TryStmt*> trys;

  ast::NameExpr* name(std::string_view n, size_t k = 0) const {
    for (ast::NameExpr* e : names)
      if (e->name == n && k-- == 0) return e;
    ADD_FAILURE() << "no occurrence " << k << " of name " << n;
    static ast::NameExpr none("", {});
    return &none;
  }
  ast::LetStmt* let(std::string_view n, size_t k = 0) const {
    for (ast::LetStmt* s : lets)
      if (s->name == n && k-- == 0) return s;
    ADD_FAILURE() << "no let " << n;
    static ast::LetStmt none("", nullptr, {});
    return &none;
  }

  void block(ast::Block& b) {
    for (auto& s : b) stmt(*s);
  }
  void stmt(ast::Stmt& s) {
    using K = ast::StmtKind;
    switch (s.kind) {
      case K::Let: lets.push_back(static_cast<ast::LetStmt*>(&s)); expr(*static_cast<ast::LetStmt&>(s).init); break;
      case K::Assign: {
        auto& a = static_cast<ast::AssignStmt&>(s);
        expr(*a.target);
        expr(*a.value);
        break;
      }
      case K::Expr: expr(*static_cast<ast::ExprStmt&>(s).expr); break;
      case K::If: {
        auto& i = static_cast<ast::IfStmt&>(s);
        expr(*i.cond);
        block(i.then_block);
        block(i.else_block);
        break;
      }
      case K::While: expr(*static_cast<ast::WhileStmt&>(s).cond); block(static_cast<ast::WhileStmt&>(s).body); break;
      case K::For: {
        auto& f = static_cast<ast::ForStmt&>(s);
        fors.push_back(&f);
        expr(*f.iterable);
        block(f.body);
        break;
      }
      case K::Return:
        if (auto& v = static_cast<ast::ReturnStmt&>(s).value) expr(*v);
        break;
      case K::FnDecl:
        fn_decls.push_back(static_cast<ast::FnDeclStmt*>(&s));
        expr(*static_cast<ast::FnDeclStmt&>(s).fn);
        break;
      case K::Try: {
        auto& t = static_cast<ast::TryStmt&>(s);
        trys.push_back(&t);
        block(t.body);
        block(t.handler);
        break;
      }
      case K::Block: block(static_cast<ast::BlockStmt&>(s).body); break;
      case K::Break:
      case K::Continue: break;
    }
  }
  void expr(ast::Expr& e) {
    using K = ast::ExprKind;
    switch (e.kind) {
      case K::Interp: for (auto& p : static_cast<ast::InterpExpr&>(e).parts) expr(*p); break;
      case K::List: for (auto& p : static_cast<ast::ListExpr&>(e).items) expr(*p); break;
      case K::Map:
        for (auto& p : static_cast<ast::MapExpr&>(e).entries) {
          expr(*p.key);
          expr(*p.value);
        }
        break;
      case K::Name: names.push_back(static_cast<ast::NameExpr*>(&e)); break;
      case K::Unary: expr(*static_cast<ast::UnaryExpr&>(e).operand); break;
      case K::Binary: expr(*static_cast<ast::BinaryExpr&>(e).lhs); expr(*static_cast<ast::BinaryExpr&>(e).rhs); break;
      case K::And:
      case K::Or:
      case K::Range: expr(*static_cast<ast::LogicalExpr&>(e).lhs); expr(*static_cast<ast::LogicalExpr&>(e).rhs); break;
      case K::Call: {
        auto& c = static_cast<ast::CallExpr&>(e);
        expr(*c.callee);
        for (auto& a : c.args) expr(*a);
        break;
      }
      case K::Index: expr(*static_cast<ast::IndexExpr&>(e).object); expr(*static_cast<ast::IndexExpr&>(e).index); break;
      case K::Field: expr(*static_cast<ast::FieldExpr&>(e).object); break;
      case K::Method: {
        auto& m = static_cast<ast::MethodExpr&>(e);
        expr(*m.object);
        for (auto& a : m.args) expr(*a);
        break;
      }
      case K::Fn: {
        auto& f = static_cast<ast::FnExpr&>(e);
        fns.push_back(&f);
        block(f.body);
        break;
      }
      case K::When: {
        auto& w = static_cast<ast::WhenExpr&>(e);
        whens.push_back(&w);
        for (auto& entry : w.entries)
          if (entry.init) expr(*entry.init);
        block(w.body);
        break;
      }
      default: break;
    }
  }
};

// A GlobalScope as the engine hands it over: a few builtins already there.
GlobalScope with_builtins() {
  GlobalScope g;
  for (const char* name : {"print", "cown", "len", "args"}) {
    GlobalInfo& info = g.info(g.declare(name));
    info.builtin = info.constant = info.defined = true;
  }
  return g;
}

struct Unit {
  std::unique_ptr<ast::Program> program;
  std::optional<Diagnostic> error;
  Nodes nodes;
};

Unit compile(std::string_view source, GlobalScope& globals) {
  Unit u;
  parse::ParseResult parsed = parse::parse(source, "t.boc");
  EXPECT_FALSE(parsed.error) << "parse error in test source: " << parsed.error->message;
  if (!parsed.program) return u;
  u.program = std::move(parsed.program);
  u.error = resolve(*u.program, globals);
  u.nodes.block(u.program->body);
  return u;
}

// Resolves a unit that must succeed.
Unit ok(std::string_view source, GlobalScope& globals) {
  Unit u = compile(source, globals);
  EXPECT_FALSE(u.error) << u.error->loc.line << ":" << u.error->loc.col << ": " << u.error->message;
  return u;
}

// "line:col: message" of the first error, or "" when there is none.
std::string error_of(std::string_view source) {
  GlobalScope g = with_builtins();
  Unit u = compile(source, g);
  if (!u.error) return "";
  EXPECT_EQ(u.error->file, "t.boc");
  return std::to_string(u.error->loc.line) + ":" + std::to_string(u.error->loc.col) + ": " + u.error->message;
}

void expect_ref(const ast::VarRef& r, VarKind kind, uint32_t index) {
  EXPECT_EQ(r.kind, kind);
  EXPECT_EQ(r.index, index);
}

void expect_capture(const ast::CaptureSource& c, VarKind from, uint32_t index, std::string_view name) {
  EXPECT_EQ(c.from, from);
  EXPECT_EQ(c.index, index);
  EXPECT_EQ(c.name, name);
}

const GlobalInfo& global(const GlobalScope& g, std::string_view name) {
  std::optional<uint32_t> i = g.find(name);
  EXPECT_TRUE(i) << name;
  static GlobalInfo none;
  return i ? g.info(*i) : none;
}

// ---------------------------------------------------------------- slots

TEST(Resolver, SlotsParamsFirstThenEveryBindingGetsANewSlot) {
  GlobalScope g = with_builtins();
  Unit u = ok(R"(fn f(a, b) {
  let c = a;
  for (i in 0..3) { let d = i; }
  try { let e = b; } catch (err) { let h = err; }
  fn inner() {}
  return c;
}
)",
              g);
  ast::FnExpr& f = *u.nodes.fns[0];
  EXPECT_EQ(f.info.num_slots, 9u);
  EXPECT_TRUE(f.info.captures.empty());
  EXPECT_FALSE(f.info.is_behavior);
  expect_ref(u.nodes.let("c")->target, VarKind::Local, 2);
  EXPECT_EQ(u.nodes.fors[0]->var_slot, 3u);
  expect_ref(u.nodes.let("d")->target, VarKind::Local, 4);
  expect_ref(u.nodes.let("e")->target, VarKind::Local, 5);
  EXPECT_EQ(u.nodes.trys[0]->catch_slot, 6u);
  expect_ref(u.nodes.let("h")->target, VarKind::Local, 7);
  expect_ref(u.nodes.fn_decls[1]->target, VarKind::Local, 8);
  expect_ref(u.nodes.name("a")->ref, VarKind::Local, 0);
  expect_ref(u.nodes.name("b")->ref, VarKind::Local, 1);
  expect_ref(u.nodes.name("i")->ref, VarKind::Local, 3);
  expect_ref(u.nodes.name("err")->ref, VarKind::Local, 6);
  expect_ref(u.nodes.name("c")->ref, VarKind::Local, 2);
  EXPECT_EQ(u.program->info.num_slots, 0u);
}

TEST(Resolver, TopLevelLetsAreGlobalsButBlockLetsAreTopFrameLocals) {
  GlobalScope g = with_builtins();
  Unit u = ok(R"(let g1 = 1;
if (true) { let h = 2; print(h); } else { let h = 3; }
{ let k = g1; }
while (false) { let w = 0; }
print(g1);
)",
              g);
  ASSERT_TRUE(g.find("g1"));
  expect_ref(u.nodes.let("g1")->target, VarKind::Global, *g.find("g1"));
  expect_ref(u.nodes.let("h")->target, VarKind::Local, 0);
  expect_ref(u.nodes.let("h", 1)->target, VarKind::Local, 1);
  expect_ref(u.nodes.let("k")->target, VarKind::Local, 2);
  expect_ref(u.nodes.let("w")->target, VarKind::Local, 3);
  EXPECT_EQ(u.program->info.num_slots, 4u);
  EXPECT_FALSE(g.find("h"));
  expect_ref(u.nodes.name("print")->ref, VarKind::Global, *g.find("print"));
  expect_ref(u.nodes.name("h")->ref, VarKind::Local, 0);
  expect_ref(u.nodes.name("g1", 1)->ref, VarKind::Global, *g.find("g1"));
  EXPECT_TRUE(global(g, "g1").defined);
  EXPECT_TRUE(global(g, "g1").constant);
}

// ---------------------------------------------------------------- globals

TEST(Resolver, TopLevelFunctionsAreHoisted) {
  GlobalScope g = with_builtins();
  Unit u = ok(R"(print(even(4));
fn even(n) { if (n == 0) { return true; } return odd(n - 1); }
fn odd(n) { if (n == 0) { return false; } return even(n - 1); }
)",
              g);
  uint32_t even = *g.find("even"), odd = *g.find("odd");
  expect_ref(u.nodes.name("even")->ref, VarKind::Global, even);  // before its declaration
  expect_ref(u.nodes.name("odd")->ref, VarKind::Global, odd);    // inside even, declared later
  expect_ref(u.nodes.name("even", 1)->ref, VarKind::Global, even);  // inside odd
  expect_ref(u.nodes.fn_decls[0]->target, VarKind::Global, even);
  EXPECT_EQ(g.info(even).function, u.nodes.fns[0]);
  EXPECT_EQ(g.info(odd).function, u.nodes.fns[1]);
  EXPECT_TRUE(g.info(even).constant && g.info(even).defined);
  EXPECT_TRUE(u.nodes.fns[0]->info.captures.empty());
}

TEST(Resolver, BodiesSeeLaterTopLevelLetsButStraightLineCodeDoesNot) {
  GlobalScope g = with_builtins();
  Unit u = ok("fn f() { return y; }\nlet k = fn () { return y; };\nlet y = 2;\n", g);
  expect_ref(u.nodes.name("y")->ref, VarKind::Global, *g.find("y"));
  expect_ref(u.nodes.name("y", 1)->ref, VarKind::Global, *g.find("y"));
  EXPECT_EQ(error_of("print(x);\nlet x = 1;\n"), "1:7: undeclared name 'x'");
  EXPECT_EQ(error_of("if (true) { print(x); }\nlet x = 1;\n"), "1:19: undeclared name 'x'");
  // A recursive anonymous function at top level works through its global.
  EXPECT_EQ(error_of("let f = fn (n) { return f(n); };"), "");
  // ...but not as a local: its initializer cannot see the name yet.
  EXPECT_EQ(error_of("fn o() {\n  let f = fn () { return f; };\n}\n"), "2:26: undeclared name 'f'");
}

// ---------------------------------------------------------------- scopes

TEST(Resolver, InnerAndSameBlockLetsShadow) {
  GlobalScope g = with_builtins();
  Unit u = ok(R"(fn f() {
  let x = 1;
  { let x = 2; print(x); }
  print(x);
  let x = 3;
  print(x);
}
)",
              g);
  expect_ref(u.nodes.name("x", 0)->ref, VarKind::Local, 1);
  expect_ref(u.nodes.name("x", 1)->ref, VarKind::Local, 0);
  expect_ref(u.nodes.name("x", 2)->ref, VarKind::Local, 2);
  EXPECT_EQ(u.nodes.fns[0]->info.num_slots, 3u);
}

TEST(Resolver, LetInitializerSeesTheOuterName) {
  GlobalScope g = with_builtins();
  Unit u = ok("fn f(x) { let x = x + 1; return x; }\nlet y = 1;\nlet y = y + 1;\n", g);
  expect_ref(u.nodes.name("x", 0)->ref, VarKind::Local, 0);
  expect_ref(u.nodes.let("x")->target, VarKind::Local, 1);
  expect_ref(u.nodes.name("x", 1)->ref, VarKind::Local, 1);
  expect_ref(u.nodes.name("y")->ref, VarKind::Global, *g.find("y"));
  EXPECT_FALSE(global(g, "y").constant);  // declared twice: a re-assignment
  EXPECT_EQ(error_of("fn f() { let z = z; }"), "1:18: undeclared name 'z'");
}

TEST(Resolver, LoopAndCatchVariablesAreScopedToTheirBlock) {
  EXPECT_EQ(error_of("for (i in [1]) {}\nprint(i);\n"), "2:7: undeclared name 'i'");
  EXPECT_EQ(error_of("for (i in i) {}\n"), "1:11: undeclared name 'i'");
  EXPECT_EQ(error_of("try {} catch (e) {}\nprint(e);\n"), "2:7: undeclared name 'e'");
  EXPECT_EQ(error_of("try { print(e); } catch (e) {}\n"), "1:13: undeclared name 'e'");
  EXPECT_EQ(error_of("{ let b = 1; }\nprint(b);\n"), "2:7: undeclared name 'b'");
}

// ---------------------------------------------------------------- closures

TEST(Resolver, CapturesChainThroughEveryFrameAndAreDeduplicated) {
  GlobalScope g = with_builtins();
  Unit u = ok(R"(let glob = 0;
fn outer() {
  let a = 1;
  let b = 2;
  return fn () {
    return fn () { return a + b + a + glob; };
  };
}
)",
              g);
  ast::FnExpr& middle = *u.nodes.fns[1];
  ast::FnExpr& inner = *u.nodes.fns[2];
  ASSERT_EQ(middle.info.captures.size(), 2u);
  expect_capture(middle.info.captures[0], VarKind::Local, 0, "a");
  expect_capture(middle.info.captures[1], VarKind::Local, 1, "b");
  ASSERT_EQ(inner.info.captures.size(), 2u);  // `a` twice, captured once; globals never
  expect_capture(inner.info.captures[0], VarKind::Capture, 0, "a");
  expect_capture(inner.info.captures[1], VarKind::Capture, 1, "b");
  expect_ref(u.nodes.name("a", 0)->ref, VarKind::Capture, 0);
  expect_ref(u.nodes.name("b", 0)->ref, VarKind::Capture, 1);
  expect_ref(u.nodes.name("a", 1)->ref, VarKind::Capture, 0);
  expect_ref(u.nodes.name("glob")->ref, VarKind::Global, *g.find("glob"));
}

TEST(Resolver, TopLevelBlockLocalsAreCaptured) {
  GlobalScope g = with_builtins();
  Unit u = ok("{ let n = 1; let f = fn () { return n; }; }\n", g);
  ASSERT_EQ(u.nodes.fns[0]->info.captures.size(), 1u);
  expect_capture(u.nodes.fns[0]->info.captures[0], VarKind::Local, 0, "n");
  expect_ref(u.nodes.name("n")->ref, VarKind::Capture, 0);
}

TEST(Resolver, NestedNamedFunctionSeesItselfAsSelf) {
  GlobalScope g = with_builtins();
  Unit u = ok(R"(fn outer() {
  fn fact(n) {
    let h = fn () { return fact; };
    if (n < 2) { return 1; }
    return n * fact(n - 1);
  }
  let k = fn () { return fact(3); };
  return fact;
}
)",
              g);
  expect_ref(u.nodes.fn_decls[1]->target, VarKind::Local, 0);
  ast::FnExpr& h = *u.nodes.fns[2];
  ASSERT_EQ(h.info.captures.size(), 1u);
  expect_capture(h.info.captures[0], VarKind::Self, 0, "fact");
  expect_ref(u.nodes.name("fact", 0)->ref, VarKind::Capture, 0);  // in h
  expect_ref(u.nodes.name("fact", 1)->ref, VarKind::Self, 0);     // recursion
  ast::FnExpr& k = *u.nodes.fns[3];
  ASSERT_EQ(k.info.captures.size(), 1u);
  expect_capture(k.info.captures[0], VarKind::Local, 0, "fact");
  expect_ref(u.nodes.name("fact", 3)->ref, VarKind::Local, 0);  // return fact
  EXPECT_FALSE(g.find("fact"));
}

TEST(Resolver, FunctionInTopLevelBlockIsALocalWithSelf) {
  GlobalScope g = with_builtins();
  Unit u = ok("{ fn loop(n) { return loop(n); } loop(1); }\n", g);
  expect_ref(u.nodes.fn_decls[0]->target, VarKind::Local, 0);
  expect_ref(u.nodes.name("loop", 0)->ref, VarKind::Self, 0);
  expect_ref(u.nodes.name("loop", 1)->ref, VarKind::Local, 0);
  EXPECT_FALSE(g.find("loop"));
}

// ---------------------------------------------------------------- when

TEST(Resolver, WhenEntriesAreResolvedOutsideAndBoundInside) {
  GlobalScope g = with_builtins();
  Unit u = ok(R"(fn run(acct, amount) {
  let log = [];
  when (acct, read r = log, x = cown(amount)) {
    acct.balance -= amount;
    print(r, x, log, amount);
  }
}
)",
              g);
  ast::WhenExpr& w = *u.nodes.whens[0];
  EXPECT_TRUE(w.info.is_behavior);
  ASSERT_EQ(w.entries.size(), 3u);
  expect_ref(w.entries[0].source, VarKind::Local, 0);
  EXPECT_EQ(w.entries[0].slot, 0u);
  EXPECT_EQ(w.entries[1].slot, 1u);
  EXPECT_EQ(w.entries[2].slot, 2u);
  expect_ref(u.nodes.name("log", 0)->ref, VarKind::Local, 2);     // entry initializer: run's frame
  expect_ref(u.nodes.name("amount", 0)->ref, VarKind::Local, 1);  // ditto
  expect_ref(u.nodes.name("acct", 0)->ref, VarKind::Local, 0);    // the content, in the body
  expect_ref(u.nodes.name("amount", 1)->ref, VarKind::Capture, 0);
  expect_ref(u.nodes.name("r")->ref, VarKind::Local, 1);
  expect_ref(u.nodes.name("x")->ref, VarKind::Local, 2);
  expect_ref(u.nodes.name("log", 1)->ref, VarKind::Capture, 1);
  expect_ref(u.nodes.name("amount", 2)->ref, VarKind::Capture, 0);
  ASSERT_EQ(w.info.captures.size(), 2u);
  expect_capture(w.info.captures[0], VarKind::Local, 1, "amount");
  expect_capture(w.info.captures[1], VarKind::Local, 2, "log");
  EXPECT_EQ(w.info.num_slots, 3u);
}

TEST(Resolver, NestedWhenRebindsTheCownFromTheEnclosingBody) {
  GlobalScope g = with_builtins();
  Unit u = ok("fn f(c) { when (x = c) { x += 1; let y = 2; when (c) { c += y; } } }\n", g);
  ast::WhenExpr& outer = *u.nodes.whens[0];
  ast::WhenExpr& inner = *u.nodes.whens[1];
  ASSERT_EQ(outer.info.captures.size(), 1u);
  expect_capture(outer.info.captures[0], VarKind::Local, 0, "c");
  expect_ref(inner.entries[0].source, VarKind::Capture, 0);
  ASSERT_EQ(inner.info.captures.size(), 1u);
  expect_capture(inner.info.captures[0], VarKind::Local, 1, "y");
  expect_ref(u.nodes.name("c", 1)->ref, VarKind::Local, 0);  // c += y: the inner content
  EXPECT_EQ(outer.info.num_slots, 2u);
}

TEST(Resolver, WhenAtTopLevelUsesGlobalsAndBlockLocals) {
  GlobalScope g = with_builtins();
  Unit u = ok("let c = cown(1);\nwhen (c) { print(c); }\n{ let d = cown(2); let n = 3; when (d) { print(n); } }\n"
              "let r = when () { return 1; };\n",
              g);
  expect_ref(u.nodes.whens[0]->entries[0].source, VarKind::Global, *g.find("c"));
  expect_ref(u.nodes.whens[1]->entries[0].source, VarKind::Local, 0);
  ASSERT_EQ(u.nodes.whens[1]->info.captures.size(), 1u);
  expect_capture(u.nodes.whens[1]->info.captures[0], VarKind::Local, 1, "n");
  EXPECT_TRUE(u.nodes.whens[2]->entries.empty());
}

// ---------------------------------------------------------------- constants

TEST(Resolver, EveryAssignmentFormMakesAGlobalNonConstant) {
  GlobalScope g = with_builtins();
  ok(R"(let a = []; a.push(1);
let b = 1; b = 2;
let c = 1; c += 1;
let d = [[1]]; d[0] = 1;
let e = {f: {g: 1}}; e.f.g -= 1;
let h = [[1]]; h[0].push(2);
let k = 1; let k = 2;
let z = 0; fn bump() { z *= 2; }
let m = [1]; print(m.len(), m[0], m.contains(1));
let s = {}; fn later() { s.remove("x"); }
)",
     g);
  for (const char* name : {"a", "b", "c", "d", "e", "h", "k", "z", "s"})
    EXPECT_FALSE(global(g, name).constant) << name;
  EXPECT_TRUE(global(g, "m").constant);
  EXPECT_TRUE(global(g, "bump").constant);
}

TEST(Resolver, AFunctionThatStopsBeingConstantLosesItsFunction) {
  GlobalScope g = with_builtins();
  Unit u = ok("fn p() {}\np = 1;\nfn q() {}\nfn twice() {}\nfn twice() {}\n", g);
  EXPECT_FALSE(global(g, "p").constant);
  EXPECT_EQ(global(g, "p").function, nullptr);
  EXPECT_TRUE(global(g, "q").constant);
  EXPECT_EQ(global(g, "q").function, u.nodes.fns[1]);
  EXPECT_FALSE(global(g, "twice").constant);
  EXPECT_EQ(global(g, "twice").function, nullptr);
}

TEST(Resolver, BuiltinsCanBeReadAndShadowedButNotAssignedOrRedefined) {
  GlobalScope g = with_builtins();
  Unit u = ok("fn f(len) { let print = 1; return print + len; }\nprint(args);\n", g);
  expect_ref(u.nodes.name("print")->ref, VarKind::Local, 1);
  expect_ref(u.nodes.name("print", 1)->ref, VarKind::Global, *g.find("print"));
  EXPECT_TRUE(global(g, "print").constant);
  EXPECT_EQ(error_of("print = 1;"), "1:1: cannot assign to built-in 'print'");
  EXPECT_EQ(error_of("fn f() { print += 1; }"), "1:10: cannot assign to built-in 'print'");
  EXPECT_EQ(error_of("args.push(1);"), "1:1: cannot assign to built-in 'args'");
  EXPECT_EQ(error_of("args[0] = 1;"), "1:1: cannot assign to built-in 'args'");
  EXPECT_EQ(error_of("let x = 1;\nlet print = 1;"), "2:1: cannot redefine built-in 'print'");
  EXPECT_EQ(error_of("let x = 1;\n  fn len() {}"), "2:3: cannot redefine built-in 'len'");
}

// ---------------------------------------------------------------- REPL

TEST(Resolver, UnitsShareOneGlobalScope) {
  GlobalScope g = with_builtins();
  Unit u1 = ok("let x = 1;\nfn f() { return x; }\n", g);
  uint32_t x = *g.find("x"), f = *g.find("f");
  EXPECT_TRUE(g.info(x).constant && g.info(x).defined);
  EXPECT_EQ(g.info(f).function, u1.nodes.fns[0]);

  Unit u2 = ok("print(x, f());\nfn h() { return f() + x; }\n", g);
  expect_ref(u2.nodes.name("x")->ref, VarKind::Global, x);
  expect_ref(u2.nodes.name("f", 1)->ref, VarKind::Global, f);
  EXPECT_TRUE(g.info(x).constant);

  ok("x = 2;\n", g);
  EXPECT_FALSE(g.info(x).constant);

  ok("fn f() { return 2; }\n", g);  // a second declaration of f
  EXPECT_FALSE(g.info(f).constant);
  EXPECT_EQ(g.info(f).function, nullptr);

  ok("let fresh = 1;\n", g);
  EXPECT_TRUE(global(g, "fresh").constant);
  ok("let fresh = 2;\n", g);  // declared again by a later unit
  EXPECT_FALSE(global(g, "fresh").constant);
}

TEST(Resolver, AFailedUnitChangesNoGlobal) {
  GlobalScope g = with_builtins();
  ok("let kept = 1;\n", g);
  Unit bad = compile("let lost = 1;\nkept = 2;\nfn gone() {}\nprint(nope);\n", g);
  ASSERT_TRUE(bad.error);
  EXPECT_EQ(bad.error->message, "undeclared name 'nope'");
  EXPECT_TRUE(global(g, "kept").constant);
  Unit after = compile("print(lost);\n", g);
  ASSERT_TRUE(after.error);
  EXPECT_EQ(after.error->message, "undeclared name 'lost'");
  EXPECT_TRUE(compile("gone();\n", g).error);
  // A later unit may declare the name the failed one left behind, once.
  ok("let lost = 3;\n", g);
  EXPECT_TRUE(global(g, "lost").constant);
  EXPECT_TRUE(global(g, "lost").defined);
}

// ---------------------------------------------------------------- errors

TEST(Resolver, AssigningACapturedVariableIsAnError) {
  const char* prefix = "fn f() {\n  let x = [1];\n  let g = fn () { ";
  for (const char* stmt : {"x = 2;", "x += 1;", "x[0] = 1;", "x.f.g = 1;", "x.push(1);", "x[0].push(1);"})
    EXPECT_EQ(error_of(std::string(prefix) + stmt + " };\n}\n"), "3:19: cannot assign to captured variable 'x'") << stmt;
  // Reading a capture, or calling a non-mutating method on it, is fine.
  EXPECT_EQ(error_of(std::string(prefix) + "print(x[0], x.len()); };\n}\n"), "");
  // Self counts as captured.
  EXPECT_EQ(error_of("fn o() { fn r() { r = 1; } }"), "1:19: cannot assign to captured variable 'r'");
  // A when body captures its enclosing locals the same way.
  EXPECT_EQ(error_of("fn f(c) { let n = 0; when (c) { n = 1; } }"), "1:33: cannot assign to captured variable 'n'");
  // Globals named directly in a when body are captured by value (LANGUAGE.md 5).
  EXPECT_EQ(error_of("let g = [0]; when () { g.push(1); }"), "1:24: cannot assign to captured variable 'g'");
  // ...but a function may assign a global (a runtime check inside behaviors).
  EXPECT_EQ(error_of("let g = 0; fn set() { g = 1; }"), "");
}

TEST(Resolver, ReadOnlyCownsCannotBeModified) {
  const char* prefix = "let c = cown([1]); when (read c) { ";
  for (const char* stmt : {"c = 2;", "c += [1];", "c[0] = 2;", "c.f = 1;", "c.push(2);", "c[0].pop();"})
    EXPECT_EQ(error_of(std::string(prefix) + stmt + " }"), "1:36: cannot modify read-only cown 'c'") << stmt;
  EXPECT_EQ(error_of(std::string(prefix) + "print(c[0], c.len()); }"), "");
  EXPECT_EQ(error_of(std::string(prefix) + "let c = 1; c = 2; }"), "");  // a new variable
  EXPECT_EQ(error_of("let c = cown([1]); when (read r = c, w = c) { w.push(1); }"), "");
}

TEST(Resolver, JumpsOutsideLoops) {
  EXPECT_EQ(error_of("break;"), "1:1: 'break' outside a loop");
  EXPECT_EQ(error_of("if (true) {\n  continue;\n}"), "2:3: 'continue' outside a loop");
  EXPECT_EQ(error_of("while (true) { fn f() { break; } }"), "1:25: 'break' outside a loop");
  EXPECT_EQ(error_of("for (i in [1]) { when () { continue; } }"), "1:28: 'continue' outside a loop");
  EXPECT_EQ(error_of("while (true) { if (true) { break; } for (i in [1]) { continue; } break; }"), "");
  EXPECT_EQ(error_of("fn f() { while (true) { let g = fn () { return 1; }; break; } }"), "");
}

TEST(Resolver, ReturnOutsideAFunction) {
  EXPECT_EQ(error_of("return;"), "1:1: 'return' outside a function");
  EXPECT_EQ(error_of("if (true) { return 1; }"), "1:13: 'return' outside a function");
  EXPECT_EQ(error_of("let r = when () { return 1; };\nfn f() { return; }"), "");
}

TEST(Resolver, DuplicateParametersAndWhenNames) {
  // The parser already rejects duplicate parameters; the resolver checks
  // again for hand-built trees, so rename a parameter after parsing.
  parse::ParseResult parsed = parse::parse("fn f(a, b, c) {}", "t.boc");
  ASSERT_TRUE(parsed.program);
  Nodes nodes;
  nodes.block(parsed.program->body);
  nodes.fns[0]->params[2].name = "a";
  GlobalScope g = with_builtins();
  std::optional<Diagnostic> error = resolve(*parsed.program, g);
  ASSERT_TRUE(error);
  EXPECT_EQ(error->message, "duplicate parameter 'a'");
  EXPECT_EQ(error->loc.line, 1u);
  EXPECT_EQ(error->loc.col, 12u);
  EXPECT_EQ(error_of("fn f(f) { return f; }"), "");
  EXPECT_EQ(error_of("let c = cown(1); when (c, x = c, c) {}"), "1:34: duplicate name 'c' in when");
  EXPECT_EQ(error_of("let c = cown(1); when (x = c, y = c) {}"), "");
}

TEST(Resolver, FirstErrorWins) {
  EXPECT_EQ(error_of("print(a);\nprint(b);\nbreak;"), "1:7: undeclared name 'a'");
  EXPECT_EQ(error_of("fn f() { break; }\nprint(zz);"), "1:10: 'break' outside a loop");
}

TEST(Resolver, DeepNestingResolves) {
  std::string source;
  for (int i = 0; i < 400; ++i) source += "{ let v = 1; ";
  for (int i = 0; i < 400; ++i) source += "}";
  std::string fns = "let y = 1;";
  for (int i = 0; i < 200; ++i) fns += "fn f() { ";
  fns += "return y;";
  for (int i = 0; i < 200; ++i) fns += "}";
  EXPECT_EQ(error_of(source), "");
  EXPECT_EQ(error_of(fns), "");
}

}  // namespace
}  // namespace boc::resolve
