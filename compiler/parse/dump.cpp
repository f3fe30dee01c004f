// dump(): the AST as indented text, one node per line with its line:col.
//
// Format: `Kind details @line:col`, children indented two spaces. Blocks
// that are not the obvious single child are introduced by a label line
// (Then, Else, Body, Catch) so the shape is unambiguous. Recursion is safe:
// the parser bounds tree depth by kMaxNesting.
#include <charconv>
#include <string>

#include "compiler/parse/parser.hpp"

namespace boc::parse {

namespace {

using namespace ast;

class Dumper {
 public:
  std::string out;

  void block(const Block& b, int depth) {
    for (const StmtPtr& s : b) stmt(*s, depth);
  }

 private:
  void line(int depth, const std::string& text, Loc at) {
    out.append(static_cast<size_t>(depth) * 2, ' ');
    out += text;
    out += " @" + std::to_string(at.line) + ":" + std::to_string(at.col) + "\n";
  }
  void label(int depth, const char* text) {
    out.append(static_cast<size_t>(depth) * 2, ' ');
    out += text;
    out += "\n";
  }

  static std::string quoted(const std::string& s) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string q = "\"";
    for (char ch : s) {
      auto c = static_cast<unsigned char>(ch);
      switch (c) {
        case '"': q += "\\\""; break;
        case '\\': q += "\\\\"; break;
        case '\n': q += "\\n"; break;
        case '\t': q += "\\t"; break;
        case '\r': q += "\\r"; break;
        default:
          if (c < 0x20 || c == 0x7F) {
            q += "\\x";
            q += kHex[c >> 4];
            q += kHex[c & 0xF];
          } else {
            q += ch;  // UTF-8 passes through
          }
      }
    }
    return q + "\"";
  }

  static std::string number(double v) {
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    return ec == std::errc() ? std::string(buf, end) : "?";
  }

  static const char* op_name(BinaryOp op) {
    switch (op) {
      case BinaryOp::Add: return "+";
      case BinaryOp::Sub: return "-";
      case BinaryOp::Mul: return "*";
      case BinaryOp::Div: return "/";
      case BinaryOp::Mod: return "%";
      case BinaryOp::Eq: return "==";
      case BinaryOp::Ne: return "!=";
      case BinaryOp::Lt: return "<";
      case BinaryOp::Le: return "<=";
      case BinaryOp::Gt: return ">";
      case BinaryOp::Ge: return ">=";
    }
    return "?";
  }

  static const char* op_name(AssignOp op) {
    switch (op) {
      case AssignOp::Set: return "=";
      case AssignOp::Add: return "+=";
      case AssignOp::Sub: return "-=";
      case AssignOp::Mul: return "*=";
      case AssignOp::Div: return "/=";
      case AssignOp::Mod: return "%=";
    }
    return "?";
  }

  void function(const FnExpr& f, int depth) {
    std::string params;
    for (const Param& p : f.params) {
      if (!params.empty()) params += ", ";
      params += p.name + "@" + std::to_string(p.loc.line) + ":" + std::to_string(p.loc.col);
    }
    line(depth, "Fn" + (f.name.empty() ? std::string() : " " + f.name) + " (" + params + ")", f.loc);
    block(f.body, depth + 1);
  }

  void expr(const Expr& e, int depth) {
    switch (e.kind) {
      case ExprKind::Nil: line(depth, "Nil", e.loc); break;
      case ExprKind::Bool:
        line(depth, static_cast<const BoolExpr&>(e).value ? "Bool true" : "Bool false", e.loc);
        break;
      case ExprKind::Int:
        line(depth, "Int " + std::to_string(static_cast<const IntExpr&>(e).value), e.loc);
        break;
      case ExprKind::Float:
        line(depth, "Float " + number(static_cast<const FloatExpr&>(e).value), e.loc);
        break;
      case ExprKind::String:
        line(depth, "String " + quoted(static_cast<const StringExpr&>(e).value), e.loc);
        break;
      case ExprKind::Interp:
        line(depth, "Interp", e.loc);
        for (const ExprPtr& p : static_cast<const InterpExpr&>(e).parts) expr(*p, depth + 1);
        break;
      case ExprKind::List:
        line(depth, "List", e.loc);
        for (const ExprPtr& p : static_cast<const ListExpr&>(e).items) expr(*p, depth + 1);
        break;
      case ExprKind::Map:
        line(depth, "Map", e.loc);
        for (const MapEntry& m : static_cast<const MapExpr&>(e).entries) {
          label(depth + 1, "Entry");
          expr(*m.key, depth + 2);
          expr(*m.value, depth + 2);
        }
        break;
      case ExprKind::Name: line(depth, "Name " + static_cast<const NameExpr&>(e).name, e.loc); break;
      case ExprKind::Unary: {
        auto& u = static_cast<const UnaryExpr&>(e);
        line(depth, u.op == UnaryOp::Neg ? "Unary -" : "Unary not", e.loc);
        expr(*u.operand, depth + 1);
        break;
      }
      case ExprKind::Binary: {
        auto& b = static_cast<const BinaryExpr&>(e);
        line(depth, std::string("Binary ") + op_name(b.op), e.loc);
        expr(*b.lhs, depth + 1);
        expr(*b.rhs, depth + 1);
        break;
      }
      case ExprKind::And:
      case ExprKind::Or:
      case ExprKind::Range: {
        auto& l = static_cast<const LogicalExpr&>(e);
        line(depth, e.kind == ExprKind::And ? "And" : e.kind == ExprKind::Or ? "Or" : "Range", e.loc);
        expr(*l.lhs, depth + 1);
        expr(*l.rhs, depth + 1);
        break;
      }
      case ExprKind::Call: {
        auto& c = static_cast<const CallExpr&>(e);
        line(depth, "Call", e.loc);
        expr(*c.callee, depth + 1);
        for (const ExprPtr& a : c.args) expr(*a, depth + 1);
        break;
      }
      case ExprKind::Index: {
        auto& i = static_cast<const IndexExpr&>(e);
        line(depth, "Index", e.loc);
        expr(*i.object, depth + 1);
        expr(*i.index, depth + 1);
        break;
      }
      case ExprKind::Field: {
        auto& f = static_cast<const FieldExpr&>(e);
        line(depth, "Field " + f.name, e.loc);
        expr(*f.object, depth + 1);
        break;
      }
      case ExprKind::Method: {
        auto& m = static_cast<const MethodExpr&>(e);
        line(depth, "Method " + m.name, e.loc);
        expr(*m.object, depth + 1);
        for (const ExprPtr& a : m.args) expr(*a, depth + 1);
        break;
      }
      case ExprKind::Fn: function(static_cast<const FnExpr&>(e), depth); break;
      case ExprKind::When: {
        auto& w = static_cast<const WhenExpr&>(e);
        line(depth, w.value_used ? "When" : "When (statement)", e.loc);
        for (const WhenEntry& we : w.entries) {
          line(depth + 1, std::string("Entry ") + (we.read ? "read " : "") + we.name, we.loc);
          if (we.init) expr(*we.init, depth + 2);
        }
        label(depth + 1, "Body");
        block(w.body, depth + 2);
        break;
      }
    }
  }

  void stmt(const Stmt& s, int depth) {
    switch (s.kind) {
      case StmtKind::Let: {
        auto& l = static_cast<const LetStmt&>(s);
        line(depth, "Let " + l.name, s.loc);
        expr(*l.init, depth + 1);
        break;
      }
      case StmtKind::Assign: {
        auto& a = static_cast<const AssignStmt&>(s);
        line(depth, std::string("Assign ") + op_name(a.op), s.loc);
        expr(*a.target, depth + 1);
        expr(*a.value, depth + 1);
        break;
      }
      case StmtKind::Expr:
        line(depth, "ExprStmt", s.loc);
        expr(*static_cast<const ExprStmt&>(s).expr, depth + 1);
        break;
      case StmtKind::If: {
        auto& i = static_cast<const IfStmt&>(s);
        line(depth, "If", s.loc);
        expr(*i.cond, depth + 1);
        label(depth + 1, "Then");
        block(i.then_block, depth + 2);
        if (!i.else_block.empty()) {
          label(depth + 1, "Else");
          block(i.else_block, depth + 2);
        }
        break;
      }
      case StmtKind::While: {
        auto& w = static_cast<const WhileStmt&>(s);
        line(depth, "While", s.loc);
        expr(*w.cond, depth + 1);
        label(depth + 1, "Body");
        block(w.body, depth + 2);
        break;
      }
      case StmtKind::For: {
        auto& f = static_cast<const ForStmt&>(s);
        line(depth, "For " + f.var + "@" + std::to_string(f.var_loc.line) + ":" +
                        std::to_string(f.var_loc.col), s.loc);
        expr(*f.iterable, depth + 1);
        label(depth + 1, "Body");
        block(f.body, depth + 2);
        break;
      }
      case StmtKind::Break: line(depth, "Break", s.loc); break;
      case StmtKind::Continue: line(depth, "Continue", s.loc); break;
      case StmtKind::Return: {
        auto& r = static_cast<const ReturnStmt&>(s);
        line(depth, "Return", s.loc);
        if (r.value) expr(*r.value, depth + 1);
        break;
      }
      case StmtKind::FnDecl:
        line(depth, "FnDecl", s.loc);
        function(*static_cast<const FnDeclStmt&>(s).fn, depth + 1);
        break;
      case StmtKind::Try: {
        auto& t = static_cast<const TryStmt&>(s);
        line(depth, "Try", s.loc);
        label(depth + 1, "Body");
        block(t.body, depth + 2);
        line(depth + 1, "Catch " + t.catch_var, t.catch_loc);
        block(t.handler, depth + 2);
        break;
      }
      case StmtKind::Block:
        line(depth, "Block", s.loc);
        block(static_cast<const BlockStmt&>(s).body, depth + 1);
        break;
    }
  }
};

}  // namespace

std::string dump(const ast::Program& program) {
  Dumper d;
  d.out = "Program " + program.file + "\n";
  d.block(program.body, 1);
  return d.out;
}

}  // namespace boc::parse
