// The abstract syntax tree: what the parser builds and the resolver annotates.
//
// Design note: nodes are plain structs owned through std::unique_ptr, tagged
// with a kind so that later passes switch on it (codegen is its own pass, not a
// virtual on the nodes). Every node carries its source location. The fields
// under "resolver annotations" are empty after parsing and filled in by
// boc::resolve; codegen reads only those, never names.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace boc::ast {

struct Loc {
  uint32_t line = 0;  // 1-based; 0 means "unknown"
  uint32_t col = 0;   // 1-based, in bytes
};

struct Stmt;
struct Expr;
struct FunctionInfo;
using ExprPtr = std::unique_ptr<Expr>;
using StmtPtr = std::unique_ptr<Stmt>;
using Block = std::vector<StmtPtr>;

// Where a name lives at run time; set by the resolver.
enum class VarKind : uint8_t {
  Unresolved,
  Local,    // index = frame slot of the current function
  Capture,  // index = position in the current closure's capture array
  Global,   // index = engine global table index
  Self,     // the function currently running (a nested fn naming itself)
};

struct VarRef {
  VarKind kind = VarKind::Unresolved;
  uint32_t index = 0;
};

// ---------------------------------------------------------------- expressions

enum class ExprKind : uint8_t {
  Nil, Bool, Int, Float, String,
  Interp,  // "a ${e} b": parts alternate literal text and expressions
  List, Map,
  Name,
  Unary,   // - not
  Binary,  // + - * / % == != < <= > >=
  And, Or, // short-circuit, value of the deciding operand
  Range,   // a..b
  Call,    // callee(args)
  Index,   // object[index]
  Field,   // object.name   (== object["name"] on maps)
  Method,  // object.name(args)
  Fn,      // fn (params) { body }   (anonymous or named function literal)
  When,    // when (entries) { body }
};

enum class UnaryOp : uint8_t { Neg, Not };
enum class BinaryOp : uint8_t { Add, Sub, Mul, Div, Mod, Eq, Ne, Lt, Le, Gt, Ge };

struct Expr {
  ExprKind kind;
  Loc loc;
  explicit Expr(ExprKind k, Loc l) : kind(k), loc(l) {}
  virtual ~Expr() = default;
};

struct NilExpr : Expr { explicit NilExpr(Loc l) : Expr(ExprKind::Nil, l) {} };
struct BoolExpr : Expr {
  bool value;
  BoolExpr(bool v, Loc l) : Expr(ExprKind::Bool, l), value(v) {}
};
struct IntExpr : Expr {
  int64_t value;
  IntExpr(int64_t v, Loc l) : Expr(ExprKind::Int, l), value(v) {}
};
struct FloatExpr : Expr {
  double value;
  FloatExpr(double v, Loc l) : Expr(ExprKind::Float, l), value(v) {}
};
struct StringExpr : Expr {
  std::string value;  // escapes already decoded; UTF-8
  StringExpr(std::string v, Loc l) : Expr(ExprKind::String, l), value(std::move(v)) {}
};
// "a${x}b${y}": literal text and embedded expressions in source order.
// Each part is either a StringExpr (literal text) or any other expression.
struct InterpExpr : Expr {
  std::vector<ExprPtr> parts;
  explicit InterpExpr(Loc l) : Expr(ExprKind::Interp, l) {}
};
struct ListExpr : Expr {
  std::vector<ExprPtr> items;
  explicit ListExpr(Loc l) : Expr(ExprKind::List, l) {}
};
struct MapEntry {
  ExprPtr key;  // a bare identifier key is parsed as a StringExpr
  ExprPtr value;
};
struct MapExpr : Expr {
  std::vector<MapEntry> entries;
  explicit MapExpr(Loc l) : Expr(ExprKind::Map, l) {}
};
struct NameExpr : Expr {
  std::string name;
  VarRef ref;  // resolver annotation
  NameExpr(std::string n, Loc l) : Expr(ExprKind::Name, l), name(std::move(n)) {}
};
struct UnaryExpr : Expr {
  UnaryOp op;
  ExprPtr operand;
  UnaryExpr(UnaryOp o, ExprPtr e, Loc l) : Expr(ExprKind::Unary, l), op(o), operand(std::move(e)) {}
};
struct BinaryExpr : Expr {
  BinaryOp op;
  ExprPtr lhs, rhs;
  BinaryExpr(BinaryOp o, ExprPtr a, ExprPtr b, Loc l)
      : Expr(ExprKind::Binary, l), op(o), lhs(std::move(a)), rhs(std::move(b)) {}
};
// And, Or and Range share this shape.
struct LogicalExpr : Expr {
  ExprPtr lhs, rhs;
  LogicalExpr(ExprKind k, ExprPtr a, ExprPtr b, Loc l)
      : Expr(k, l), lhs(std::move(a)), rhs(std::move(b)) {}
};
struct CallExpr : Expr {
  ExprPtr callee;
  std::vector<ExprPtr> args;
  CallExpr(ExprPtr c, Loc l) : Expr(ExprKind::Call, l), callee(std::move(c)) {}
};
struct IndexExpr : Expr {
  ExprPtr object, index;
  IndexExpr(ExprPtr o, ExprPtr i, Loc l)
      : Expr(ExprKind::Index, l), object(std::move(o)), index(std::move(i)) {}
};
struct FieldExpr : Expr {
  ExprPtr object;
  std::string name;
  FieldExpr(ExprPtr o, std::string n, Loc l)
      : Expr(ExprKind::Field, l), object(std::move(o)), name(std::move(n)) {}
};
struct MethodExpr : Expr {
  ExprPtr object;
  std::string name;
  std::vector<ExprPtr> args;
  MethodExpr(ExprPtr o, std::string n, Loc l)
      : Expr(ExprKind::Method, l), object(std::move(o)), name(std::move(n)) {}
};

struct Param {
  std::string name;
  Loc loc;
};

// Where a closure's capture comes from, in the enclosing function.
struct CaptureSource {
  VarKind from;  // Local, Capture or Self of the enclosing function
  uint32_t index;
  std::string name;  // for error messages and dumps
};

// Per-function facts computed by the resolver. The top-level program, every
// fn and every when body has one.
struct FunctionInfo {
  uint32_t num_slots = 0;       // frame slots: params first, then lets, loop vars, catch vars
  std::vector<CaptureSource> captures;  // in capture-array order
  bool is_behavior = false;     // a when body
};

struct FnExpr : Expr {
  std::string name;  // empty for anonymous functions
  std::vector<Param> params;
  Block body;
  FunctionInfo info;  // resolver annotation; params occupy slots 0..n-1
  FnExpr(Loc l) : Expr(ExprKind::Fn, l) {}
};

// when entry forms: `name`, `name = expr`, `read name`, `read name = expr`.
struct WhenEntry {
  bool read = false;
  std::string name;
  ExprPtr init;  // null for the bare form, which evaluates the variable `name`
  Loc loc;
  VarRef source;  // resolver annotation for the bare form: the variable read
  uint32_t slot = 0;  // resolver annotation: slot of `name` inside the body
};

struct WhenExpr : Expr {
  std::vector<WhenEntry> entries;
  Block body;
  FunctionInfo info;  // resolver annotation; entries occupy slots 0..n-1
  bool value_used = true;  // false when the when is an expression statement
  WhenExpr(Loc l) : Expr(ExprKind::When, l) {}
};

// ----------------------------------------------------------------- statements

enum class StmtKind : uint8_t {
  Let, Assign, Expr, If, While, For, Break, Continue, Return, FnDecl, Try, Block,
};

enum class AssignOp : uint8_t { Set, Add, Sub, Mul, Div, Mod };

struct Stmt {
  StmtKind kind;
  Loc loc;
  explicit Stmt(StmtKind k, Loc l) : kind(k), loc(l) {}
  virtual ~Stmt() = default;
};

struct LetStmt : Stmt {
  std::string name;
  ExprPtr init;  // never null: `let x;` is not in the grammar
  VarRef target;  // resolver annotation: Local slot, or Global at top level
  LetStmt(std::string n, ExprPtr e, Loc l) : Stmt(StmtKind::Let, l), name(std::move(n)), init(std::move(e)) {}
};
// target is a NameExpr, IndexExpr or FieldExpr (the parser rejects others).
struct AssignStmt : Stmt {
  AssignOp op;
  ExprPtr target, value;
  AssignStmt(AssignOp o, ExprPtr t, ExprPtr v, Loc l)
      : Stmt(StmtKind::Assign, l), op(o), target(std::move(t)), value(std::move(v)) {}
};
struct ExprStmt : Stmt {
  ExprPtr expr;
  ExprStmt(ExprPtr e, Loc l) : Stmt(StmtKind::Expr, l), expr(std::move(e)) {}
};
struct IfStmt : Stmt {
  ExprPtr cond;
  Block then_block;
  Block else_block;  // `else if` is an else block holding one IfStmt
  IfStmt(ExprPtr c, Loc l) : Stmt(StmtKind::If, l), cond(std::move(c)) {}
};
struct WhileStmt : Stmt {
  ExprPtr cond;
  Block body;
  WhileStmt(ExprPtr c, Loc l) : Stmt(StmtKind::While, l), cond(std::move(c)) {}
};
struct ForStmt : Stmt {
  std::string var;
  Loc var_loc;
  ExprPtr iterable;  // a LogicalExpr of kind Range is iterated without a list
  Block body;
  uint32_t var_slot = 0;  // resolver annotation
  ForStmt(std::string v, ExprPtr it, Loc l) : Stmt(StmtKind::For, l), var(std::move(v)), iterable(std::move(it)) {}
};
struct JumpStmt : Stmt {  // Break and Continue
  explicit JumpStmt(StmtKind k, Loc l) : Stmt(k, l) {}
};
struct ReturnStmt : Stmt {
  ExprPtr value;  // null for `return;`
  ReturnStmt(ExprPtr v, Loc l) : Stmt(StmtKind::Return, l), value(std::move(v)) {}
};
struct FnDeclStmt : Stmt {
  std::unique_ptr<FnExpr> fn;  // fn->name is the declared name
  VarRef target;  // resolver annotation: Global at top level (hoisted), else Local slot
  FnDeclStmt(std::unique_ptr<FnExpr> f, Loc l) : Stmt(StmtKind::FnDecl, l), fn(std::move(f)) {}
};
struct TryStmt : Stmt {
  Block body;
  std::string catch_var;
  Loc catch_loc;
  Block handler;
  uint32_t catch_slot = 0;  // resolver annotation
  TryStmt(Loc l) : Stmt(StmtKind::Try, l) {}
};
struct BlockStmt : Stmt {
  Block body;
  BlockStmt(Loc l) : Stmt(StmtKind::Block, l) {}
};

// A whole source unit: a script file, a -e string or one REPL entry.
struct Program {
  std::string file;  // name used in diagnostics
  Block body;
  FunctionInfo info;  // resolver annotation for the top-level code
};

}  // namespace boc::ast
