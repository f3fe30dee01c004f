// The resolver pass: binds every name of a Program to a frame slot, a capture,
// Self or a global, and reports the scoping errors, so codegen never sees names.
//
// Semantics (LANGUAGE.md sections 4 and 5, as decided for this implementation):
// 1. Frames. The top-level code (Program.info), every FnExpr (FnExpr.info)
//    and every when body (WhenExpr.info, is_behavior) is a frame with slots
//    numbered from 0: parameters (or when entries) take 0..n-1 in order, then
//    every `let`, nested `fn`, for-loop variable and catch variable gets a NEW
//    slot in visiting order. Slots are never reused: simple and always correct.
// 2. Globals. Only `let` and `fn` statements DIRECTLY in Program.body declare
//    globals; lets in top-level blocks (if/while/for/try/{}) are locals of the
//    top-level frame. Top-level fns are hoisted (visible everywhere in the
//    unit). A top-level `let` is visible to top-level code after its statement;
//    inside fn and when bodies any top-level name of the unit is visible,
//    whatever its position. Globals of earlier units and builtins (GlobalInfo
//    defined) are visible everywhere. Globals are captured only by when
//    bodies that name them directly (from = Global), never by functions.
// 3. Constants. A global stops being constant when it is declared twice (in
//    this unit, or here and in an earlier unit) or is the root of any
//    assignment (x = e, x += e, x[i] = e, x.f.g -= e) or of a mutating method
//    call (x.push(1), x[0].push(1): rt::method_mutates). A non-constant global
//    has function == nullptr: codegen calls only constant functions directly.
//    These facts (and `defined`) are written to the GlobalScope only when the
//    unit resolves without error, so a failed REPL entry changes nothing
//    (it may leave a new, undefined and therefore invisible entry).
// 4. Block scoping. A `let` is visible from the next statement to the end of
//    its block and may shadow any outer name or an earlier let of the same
//    block (new slot). `let x = x + 1;` reads the outer x: the initializer is
//    resolved before the name is declared. A for variable is visible in the
//    body only, a catch variable in the handler only.
// 5. Closures. A name found in an enclosing frame is a capture: it is added
//    once per variable to the current frame's captures (capture index = its
//    position), with `from` naming it as the immediately enclosing frame sees
//    it; each intermediate frame captures it too. When bodies capture the same
//    way. Top-level-frame locals are captured like any local.
// 6. Self. A fn declared anywhere but directly at top level is a Local of the
//    enclosing frame, declared before its body is resolved; inside its own
//    body its name is {Self, 0}, so it recurses without a reference cycle.
//    A named fn literal in expression position also sees itself as Self;
//    anonymous literals have none.
// 7. Errors (first one wins, located at the offending node; for assignments
//    that is the root name): undeclared name, assignment (plain, compound,
//    place or mutating method) to a captured variable or Self, to a built-in,
//    to a global directly inside a when body (LANGUAGE.md 5: the body's names
//    are captured by value, so this reads "cannot assign to captured
//    variable"), or to a `read` entry directly in its body; break/continue
//    outside a loop (loops stop at fn and when bodies); return at top level
//    (allowed in when bodies); duplicate parameter; duplicate when name;
//    redefining a built-in at top level.
// 8. When entries are resolved in the enclosing frame, before the body's
//    frame exists: the bare form's variable into WhenEntry.source, the
//    `name = expr` form's expression in place. WhenEntry.slot is the entry's
//    slot in the body frame.
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "compiler/resolve/resolver.hpp"
#include "runtime/methods.hpp"

namespace boc::resolve {
namespace {

using ast::Expr;
using ast::ExprKind;
using ast::Loc;
using ast::Stmt;
using ast::StmtKind;
using ast::VarKind;
using ast::VarRef;

// Thrown at the first error and caught in resolve(): it crosses hundreds of
// recursive calls in one step and never leaves this file.
struct ResolveFailure {
  Loc loc;
  std::string message;
};

[[noreturn]] void fail(Loc loc, std::string message) {
  throw ResolveFailure{loc, std::move(message)};
}

std::string quoted(const std::string& name) { return "'" + name + "'"; }

// A name as one frame sees it. Global appears only in the top-level frame's
// outermost scope (the unit's own top-level declarations).
struct Binding {
  VarKind kind;
  uint32_t index;
  bool read_only = false;  // a `read` when entry, inside its own body
};

using Scope = std::unordered_map<std::string, Binding>;

struct Frame {
  ast::FunctionInfo* info;
  std::vector<Scope> scopes;  // innermost last
  uint32_t loop_depth = 0;    // loops of THIS frame around the current point
};

// The result of a lookup, seen from the frame that asked.
struct Found {
  VarRef ref;
  bool read_only = false;
};

class Resolver {
 public:
  Resolver(ast::Program& program, GlobalScope& globals) : program_(program), globals_(globals) {}

  void run() {
    push_frame(program_.info, false);
    hoist();
    for (auto& stmt : program_.body) {
      if (stmt->kind == StmtKind::Let)
        global_let(static_cast<ast::LetStmt&>(*stmt));
      else if (stmt->kind == StmtKind::FnDecl)
        global_fn(static_cast<ast::FnDeclStmt&>(*stmt));
      else
        statement(*stmt);
    }
  }

  // Writes defined/constant/function to the GlobalScope; only after success.
  void commit() {
    for (const auto& [name, count] : declarations_) {
      GlobalInfo& g = globals_.info(globals_.declare(name));
      if (g.defined || count > 1) g.constant = false;
      g.defined = true;
    }
    for (const auto& [index, fn] : functions_) globals_.info(index).function = fn;
    for (uint32_t index : assigned_) globals_.info(index).constant = false;
    for (uint32_t index : touched()) {
      GlobalInfo& g = globals_.info(index);
      if (!g.constant) g.function = nullptr;
    }
  }

 private:
  // ------------------------------------------------------------ frames, scopes

  Frame& current() { return frames_.back(); }
  bool at_top_frame() const { return frames_.size() == 1; }

  void push_frame(ast::FunctionInfo& info, bool behavior) {
    info = ast::FunctionInfo{};
    info.is_behavior = behavior;
    frames_.push_back(Frame{&info, {}, 0});
    frames_.back().scopes.emplace_back();
  }
  void pop_frame() { frames_.pop_back(); }

  uint32_t new_slot() { return current().info->num_slots++; }

  // Declares a fresh local slot for `name` in the innermost scope.
  uint32_t bind_local(const std::string& name, bool read_only = false) {
    uint32_t slot = new_slot();
    current().scopes.back()[name] = Binding{VarKind::Local, slot, read_only};
    return slot;
  }

  // Finds `name` in frame `fi` or, capturing through every frame in between,
  // in an enclosing one. Does not consult the global fallbacks.
  std::optional<Found> lookup(size_t fi, const std::string& name) {
    Frame& frame = frames_[fi];
    for (auto scope = frame.scopes.rbegin(); scope != frame.scopes.rend(); ++scope) {
      auto it = scope->find(name);
      if (it != scope->end()) return Found{{it->second.kind, it->second.index}, it->second.read_only};
    }
    if (fi == 0) return std::nullopt;
    std::optional<Found> outer = lookup(fi - 1, name);
    if (!outer || outer->ref.kind == VarKind::Global) return outer;
    return Found{{VarKind::Capture, capture(*frame.info, outer->ref, name)}};
  }

  // Index of the capture of `from` (as the enclosing frame names it).
  static uint32_t capture(ast::FunctionInfo& info, VarRef from, const std::string& name) {
    for (uint32_t i = 0; i < info.captures.size(); ++i)
      if (info.captures[i].from == from.kind && info.captures[i].index == from.index) return i;
    info.captures.push_back(ast::CaptureSource{from.kind, from.index, name});
    return static_cast<uint32_t>(info.captures.size() - 1);
  }

  Found resolve_name(const std::string& name, Loc loc) {
    return capture_global_in_behavior(find_name(name, loc), name);
  }

  Found find_name(const std::string& name, Loc loc) {
    if (std::optional<Found> found = lookup(frames_.size() - 1, name)) return *found;
    // Function and when bodies run later, so they may name a top-level let of
    // this unit that straight-line code has not reached yet.
    if (!at_top_frame() && unit_lets_.contains(name))
      return Found{{VarKind::Global, globals_.declare(name)}};
    if (std::optional<uint32_t> index = globals_.find(name); index && globals_.info(*index).defined)
      return Found{{VarKind::Global, *index}};
    fail(loc, "undeclared name " + quoted(name));
  }

  // LANGUAGE.md 5: the variables a when body names directly, globals too, are
  // captured by value when the `when` runs. Builtins and top-level functions
  // are constants, so the body reads them directly instead.
  Found capture_global_in_behavior(Found found, const std::string& name) {
    if (found.ref.kind != VarKind::Global || !current().info->is_behavior) return found;
    const GlobalInfo& info = globals_.info(found.ref.index);
    if (info.builtin || info.function || functions_.contains(found.ref.index)) return found;
    return Found{{VarKind::Capture, capture(*current().info, found.ref, name)}};
  }

  // ------------------------------------------------------------ top level

  // Collects the unit's top-level names before anything is resolved.
  void hoist() {
    for (auto& stmt : program_.body) {
      if (stmt->kind == StmtKind::FnDecl) {
        auto& decl = static_cast<ast::FnDeclStmt&>(*stmt);
        uint32_t index = globals_.declare(decl.fn->name);
        decl.target = {VarKind::Global, index};
        frames_[0].scopes[0][decl.fn->name] = Binding{VarKind::Global, index};
        ++declarations_[decl.fn->name];
        functions_[index] = decl.fn.get();
      } else if (stmt->kind == StmtKind::Let) {
        auto& let = static_cast<ast::LetStmt&>(*stmt);
        unit_lets_.insert(let.name);
        ++declarations_[let.name];
      }
    }
  }

  void check_not_builtin(uint32_t index, const std::string& name, Loc loc) {
    if (globals_.info(index).builtin) fail(loc, "cannot redefine built-in " + quoted(name));
  }

  // let_stmt: LET NAME '=' expr ';'   (directly in Program.body)
  void global_let(ast::LetStmt& let) {
    uint32_t index = globals_.declare(let.name);
    check_not_builtin(index, let.name, let.loc);
    expression(*let.init);  // before the binding: `let x = x + 1;`
    let.target = {VarKind::Global, index};
    frames_[0].scopes[0][let.name] = Binding{VarKind::Global, index};
  }

  // fn_decl: FN NAME '(' params ')' block   (directly in Program.body)
  void global_fn(ast::FnDeclStmt& decl) {
    check_not_builtin(decl.target.index, decl.fn->name, decl.loc);
    function(*decl.fn, false);  // a top-level fn sees itself as its global
  }

  // ------------------------------------------------------------ statements

  void statements(ast::Block& block) {
    for (auto& stmt : block) statement(*stmt);
  }
  void scoped_block(ast::Block& block) {
    current().scopes.emplace_back();
    statements(block);
    current().scopes.pop_back();
  }
  void loop_body(ast::Block& block) {
    ++current().loop_depth;
    statements(block);
    --current().loop_depth;
  }

  void statement(Stmt& stmt) {
    switch (stmt.kind) {
      case StmtKind::Let: {
        auto& let = static_cast<ast::LetStmt&>(stmt);
        expression(*let.init);
        let.target = {VarKind::Local, bind_local(let.name)};
        break;
      }
      case StmtKind::Assign: {
        auto& assign = static_cast<ast::AssignStmt&>(stmt);
        place(*assign.target);
        expression(*assign.value);
        break;
      }
      case StmtKind::Expr:
        expression(*static_cast<ast::ExprStmt&>(stmt).expr);
        break;
      case StmtKind::If: {
        auto& s = static_cast<ast::IfStmt&>(stmt);
        expression(*s.cond);
        scoped_block(s.then_block);
        scoped_block(s.else_block);
        break;
      }
      case StmtKind::While: {
        auto& s = static_cast<ast::WhileStmt&>(stmt);
        expression(*s.cond);
        current().scopes.emplace_back();
        loop_body(s.body);
        current().scopes.pop_back();
        break;
      }
      case StmtKind::For: {
        auto& s = static_cast<ast::ForStmt&>(stmt);
        expression(*s.iterable);  // outside the loop variable's scope
        current().scopes.emplace_back();
        s.var_slot = bind_local(s.var);
        loop_body(s.body);
        current().scopes.pop_back();
        break;
      }
      case StmtKind::Break:
        if (current().loop_depth == 0) fail(stmt.loc, "'break' outside a loop");
        break;
      case StmtKind::Continue:
        if (current().loop_depth == 0) fail(stmt.loc, "'continue' outside a loop");
        break;
      case StmtKind::Return: {
        auto& s = static_cast<ast::ReturnStmt&>(stmt);
        if (at_top_frame()) fail(stmt.loc, "'return' outside a function");
        if (s.value) expression(*s.value);
        break;
      }
      case StmtKind::FnDecl: {
        // A nested fn is bound where it appears, before its body, which sees
        // itself as Self.
        auto& decl = static_cast<ast::FnDeclStmt&>(stmt);
        decl.target = {VarKind::Local, bind_local(decl.fn->name)};
        function(*decl.fn, true);
        break;
      }
      case StmtKind::Try: {
        auto& s = static_cast<ast::TryStmt&>(stmt);
        scoped_block(s.body);
        current().scopes.emplace_back();
        // The slot exists even without a name so codegen always has a place
        // to store the caught error.
        s.catch_slot = s.catch_var.empty() ? new_slot() : bind_local(s.catch_var);
        statements(s.handler);
        current().scopes.pop_back();
        break;
      }
      case StmtKind::Block:
        scoped_block(static_cast<ast::BlockStmt&>(stmt).body);
        break;
    }
  }

  // ------------------------------------------------------------ assignment

  // Resolves an assignment place (x, x[i], x.f, nested) root first, so the
  // first error is the leftmost, and checks that its root may be assigned.
  // A place without a named root (f()[0]) assigns a temporary: nothing to check.
  void place(Expr& target) {
    switch (target.kind) {
      case ExprKind::Name: {
        auto& name = static_cast<ast::NameExpr&>(target);
        Found found = resolve_name(name.name, name.loc);
        name.ref = found.ref;
        check_assignable(name, found);
        break;
      }
      case ExprKind::Index: {
        auto& index = static_cast<ast::IndexExpr&>(target);
        place(*index.object);
        expression(*index.index);
        break;
      }
      case ExprKind::Field:
        place(*static_cast<ast::FieldExpr&>(target).object);
        break;
      default:
        expression(target);
        break;
    }
  }

  void check_assignable(const ast::NameExpr& name, const Found& found) {
    switch (found.ref.kind) {
      case VarKind::Capture:
      case VarKind::Self:
        fail(name.loc, "cannot assign to captured variable " + quoted(name.name));
      case VarKind::Global:
        if (globals_.info(found.ref.index).builtin)
          fail(name.loc, "cannot assign to built-in " + quoted(name.name));
        if (current().info->is_behavior)
          fail(name.loc, "cannot assign to captured variable " + quoted(name.name));
        assigned_.insert(found.ref.index);
        break;
      case VarKind::Local:
        if (found.read_only) fail(name.loc, "cannot modify read-only cown " + quoted(name.name));
        break;
      case VarKind::Unresolved:
        break;
    }
  }

  // ------------------------------------------------------------ expressions

  void expression(Expr& expr) {
    switch (expr.kind) {
      case ExprKind::Nil:
      case ExprKind::Bool:
      case ExprKind::Int:
      case ExprKind::Float:
      case ExprKind::String:
        break;
      case ExprKind::Interp:
        for (auto& part : static_cast<ast::InterpExpr&>(expr).parts) expression(*part);
        break;
      case ExprKind::List:
        for (auto& item : static_cast<ast::ListExpr&>(expr).items) expression(*item);
        break;
      case ExprKind::Map:
        for (auto& entry : static_cast<ast::MapExpr&>(expr).entries) {
          expression(*entry.key);
          expression(*entry.value);
        }
        break;
      case ExprKind::Name: {
        auto& name = static_cast<ast::NameExpr&>(expr);
        name.ref = resolve_name(name.name, name.loc).ref;
        break;
      }
      case ExprKind::Unary:
        expression(*static_cast<ast::UnaryExpr&>(expr).operand);
        break;
      case ExprKind::Binary: {
        auto& e = static_cast<ast::BinaryExpr&>(expr);
        expression(*e.lhs);
        expression(*e.rhs);
        break;
      }
      case ExprKind::And:
      case ExprKind::Or:
      case ExprKind::Range: {
        auto& e = static_cast<ast::LogicalExpr&>(expr);
        expression(*e.lhs);
        expression(*e.rhs);
        break;
      }
      case ExprKind::Call: {
        auto& e = static_cast<ast::CallExpr&>(expr);
        expression(*e.callee);
        for (auto& arg : e.args) expression(*arg);
        break;
      }
      case ExprKind::Index: {
        auto& e = static_cast<ast::IndexExpr&>(expr);
        expression(*e.object);
        expression(*e.index);
        break;
      }
      case ExprKind::Field:
        expression(*static_cast<ast::FieldExpr&>(expr).object);
        break;
      case ExprKind::Method: {
        // A mutating method assigns its receiver's root (g.push(x) assigns g).
        auto& e = static_cast<ast::MethodExpr&>(expr);
        if (rt::method_mutates(e.name))
          place(*e.object);
        else
          expression(*e.object);
        for (auto& arg : e.args) expression(*arg);
        break;
      }
      case ExprKind::Fn: {
        auto& fn = static_cast<ast::FnExpr&>(expr);
        function(fn, !fn.name.empty());
        break;
      }
      case ExprKind::When:
        when(static_cast<ast::WhenExpr&>(expr));
        break;
    }
  }

  // fn_expr: FN NAME? '(' params ')' block
  void function(ast::FnExpr& fn, bool sees_self) {
    push_frame(fn.info, false);
    if (sees_self) current().scopes[0][fn.name] = Binding{VarKind::Self, 0};
    current().scopes.emplace_back();  // parameters and the body's own lets
    for (const ast::Param& param : fn.params) {
      if (current().scopes.back().contains(param.name))
        fail(param.loc, "duplicate parameter " + quoted(param.name));
      bind_local(param.name);
    }
    statements(fn.body);
    pop_frame();
  }

  // when_expr: WHEN '(' entries ')' block
  void when(ast::WhenExpr& w) {
    // Entries are evaluated by the scheduling code, in the enclosing frame.
    std::unordered_set<std::string> names;
    for (ast::WhenEntry& entry : w.entries) {
      if (!names.insert(entry.name).second) fail(entry.loc, "duplicate name " + quoted(entry.name) + " in when");
      if (entry.init)
        expression(*entry.init);
      else
        entry.source = resolve_name(entry.name, entry.loc).ref;
    }
    push_frame(w.info, true);
    for (ast::WhenEntry& entry : w.entries) entry.slot = bind_local(entry.name, entry.read);
    statements(w.body);
    pop_frame();
  }

  // Every global whose facts this unit may change.
  std::vector<uint32_t> touched() {
    std::vector<uint32_t> out(assigned_.begin(), assigned_.end());
    for (const auto& [name, count] : declarations_) out.push_back(globals_.declare(name));
    return out;
  }

  ast::Program& program_;
  GlobalScope& globals_;
  std::vector<Frame> frames_;  // frames_[0] is the top-level code
  std::unordered_set<std::string> unit_lets_;  // names of the unit's top-level lets
  // Facts for commit(): top-level declarations per name, top-level fns by
  // global index, and globals that are the root of an assignment.
  std::unordered_map<std::string, uint32_t> declarations_;
  std::unordered_map<uint32_t, const ast::FnExpr*> functions_;
  std::unordered_set<uint32_t> assigned_;
};

}  // namespace

std::optional<Diagnostic> resolve(ast::Program& program, GlobalScope& globals) {
  Resolver resolver(program, globals);
  try {
    resolver.run();
  } catch (const ResolveFailure& failure) {
    return Diagnostic{program.file, failure.loc, failure.message};
  }
  resolver.commit();
  return std::nullopt;
}

}  // namespace boc::resolve
