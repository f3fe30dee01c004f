/* The Boc grammar (LANGUAGE.md sections 1, 3, 4, 5) for Bison's C++ LALR(1) skeleton. */

/* Choices this grammar makes where LANGUAGE.md is silent:
 * - Node locations: a binary, logical or assignment node sits at its
 *   operator, a call at its '(', an index at its '[', a field or method at
 *   the name after '.', every other node at its first token. Runtime errors
 *   ("division by zero", "index 5 out of range") then point at the operator
 *   that failed, even inside a long chain.
 * - A statement that starts with '{' is a block and one that starts with
 *   `when` is a when statement (value unused). Expression statements are
 *   therefore built from `sexpr`, a copy of the expression rules whose first
 *   token is never '{' or `when` (the ECMAScript approach); a map literal
 *   can still start one if wrapped in parentheses: `({a: 1}).a;`.
 * - `;` alone is an empty statement, so `when (a) {...};` and `fn f() {};`
 *   are accepted.
 * - == != < <= > >= and .. are non-associative: `a < b < c` is an error
 *   instead of a surprise.
 * - Trailing commas are allowed in lists, maps, arguments, parameters and
 *   when entries.
 * - In a map, a key that is a lone identifier is the string of its name
 *   ({name: 1}); write (name) to use the variable. The rule `sprimary: NAME`
 *   has the lowest precedence so that, before ':', shifting the key wins.
 * - After '.', every word is a name (x.read, m.in): the lexer does that.
 * - a.m(x) is a MethodExpr; so is (a.m)(x), as in JavaScript.
 * - `fn name(...) {...}` at the start of a statement declares; elsewhere it
 *   is a named function literal.
 */

%require "3.8"
%language "c++"
%skeleton "lalr1.cc"
%header

%define api.namespace {boc::parse::detail}
%define api.parser.class {Parser}
%define api.value.type variant
%define api.value.automove
%define api.token.constructor
%define api.token.prefix {TOK_}
%define api.location.type {boc::parse::detail::Span}
%define parse.error custom
/* LAC makes the "expected ..." part of a message exact (without it, default
   reductions can hide or add tokens). */
%define parse.lac full
%locations
%expect 0

%param {Context& ctx}

%code requires {
#include <optional>
#include <string>

#include "compiler/ast/ast.hpp"
#include "compiler/lex/lexer.hpp"
#include "compiler/parse/builder.hpp"

namespace boc::parse::detail {
// Everything one parse needs: the builder (whose methods the actions call),
// the lexer, and the first error.
struct Context : Builder {
  explicit Context(std::string_view source) : lexer(source) {}
  lex::Lexer lexer;
  uint32_t open_brackets = 0;  // ( [ { ${ not yet closed
  std::optional<SyntaxError> error;
};
}  // namespace boc::parse::detail
}

%code {
namespace boc::parse::detail {
Parser::symbol_type yylex(Context& ctx);
}
using namespace boc::ast;
}

%token END 0 "end of file"
%token <std::string> NAME "identifier"
%token <int64_t> INT "integer"
%token <double> FLOAT "float"
%token STR_BEGIN "string"
%token <std::string> STR_TEXT "string text"
%token INTERP_BEGIN "'${'"
%token STR_END "end of string"
%token LET "'let'" FN "'fn'" RETURN "'return'" IF "'if'" ELSE "'else'"
       WHILE "'while'" FOR "'for'" IN "'in'" BREAK "'break'"
       CONTINUE "'continue'" WHEN "'when'" READ "'read'" TRUE "'true'"
       FALSE "'false'" NIL "'nil'" TRY "'try'" CATCH "'catch'"
       AND "'and'" OR "'or'" NOT "'not'"
%token LPAREN "'('" RPAREN "')'" LBRACKET "'['" RBRACKET "']'"
       LBRACE "'{'" RBRACE "'}'" COMMA "','" SEMI "';'" COLON "':'"
       DOT "'.'" DOTDOT "'..'"
       PLUS "'+'" MINUS "'-'" STAR "'*'" SLASH "'/'" PERCENT "'%'"
       ASSIGN "'='" PLUS_ASSIGN "'+='" MINUS_ASSIGN "'-='"
       STAR_ASSIGN "'*='" SLASH_ASSIGN "'/='" PERCENT_ASSIGN "'%='"
       EQ "'=='" NE "'!='" LT "'<'" LE "'<='" GT "'>'" GE "'>='"
       BANG "'!'" ANDAND "'&&'" OROR "'||'"

/* Low to high, as in LANGUAGE.md section 3. */
%precedence BARE_NAME
%precedence COLON
%left OR OROR
%left AND ANDAND
%precedence NOT BANG
%nonassoc EQ NE
%nonassoc LT LE GT GE
%nonassoc DOTDOT
%left PLUS MINUS
%left STAR SLASH PERCENT
%precedence UNARY

%type <ast::ExprPtr> expr sexpr postfix spostfix primary sprimary string fn_literal when
%type <ExprList> args expr_list str_parts
%type <MapEntries> map_entries map_list
%type <ast::MapEntry> map_entry
%type <WhenEntries> when_entries when_list
%type <ast::WhenEntry> when_entry
%type <ParamList> params param_list
%type <StmtList> stmts block else_part
%type <ast::StmtPtr> stmt if_stmt
%type <ast::AssignOp> assign_op

%%

program
  : stmts                                   { ctx.program($1); }
  ;

stmts
  : %empty                                  { $$ = StmtList{}; }
  | stmts stmt                              { $$ = ctx.append($1, $2); }
  ;

block
  : LBRACE stmts RBRACE                     { $$ = $2; }
  ;

stmt
  : LET NAME ASSIGN expr SEMI               { $$ = ctx.let($2, $4, @1.begin); }
  | sexpr SEMI                              { $$ = ctx.expr_stmt($1, @1.begin); }
  | sexpr assign_op expr SEMI               { $$ = ctx.assign($2, $1, $3, @1.begin, @2.begin); }
  | when                                    { $$ = ctx.when_stmt($1); }
  | if_stmt                                 { $$ = $1; }
  | WHILE LPAREN expr RPAREN block          { $$ = ctx.while_stmt($3, $5, @1.begin); }
  | FOR LPAREN NAME IN expr RPAREN block    { $$ = ctx.for_stmt($3, @3.begin, $5, $7, @1.begin); }
  | BREAK SEMI                              { $$ = ctx.jump(StmtKind::Break, @1.begin); }
  | CONTINUE SEMI                           { $$ = ctx.jump(StmtKind::Continue, @1.begin); }
  | RETURN SEMI                             { $$ = ctx.return_stmt(nullptr, @1.begin); }
  | RETURN expr SEMI                        { $$ = ctx.return_stmt($2, @1.begin); }
  | FN NAME LPAREN params RPAREN block      { $$ = ctx.fn_decl($2, $4, $6, @1.begin); }
  | TRY block CATCH LPAREN NAME RPAREN block
                                            { $$ = ctx.try_stmt($2, $5, @5.begin, $7, @1.begin); }
  | block                                   { $$ = ctx.block($1, @1.begin); }
  | SEMI                                    { $$ = ctx.empty(); }
  ;

if_stmt
  : IF LPAREN expr RPAREN block else_part   { $$ = ctx.if_stmt($3, $5, $6, @1.begin); }
  ;

else_part
  : %empty                                  { $$ = StmtList{}; }
  | ELSE block                              { $$ = $2; }
  | ELSE if_stmt                            { $$ = ctx.single($2); }
  ;

assign_op
  : ASSIGN                                  { $$ = AssignOp::Set; }
  | PLUS_ASSIGN                             { $$ = AssignOp::Add; }
  | MINUS_ASSIGN                            { $$ = AssignOp::Sub; }
  | STAR_ASSIGN                             { $$ = AssignOp::Mul; }
  | SLASH_ASSIGN                            { $$ = AssignOp::Div; }
  | PERCENT_ASSIGN                          { $$ = AssignOp::Mod; }
  ;

/* Expressions. `or_op`-style helper nonterminals would hide the operator
   token from Bison's precedence rules, so `or` and `||` get a rule each. */
expr
  : expr OR expr                            { $$ = ctx.logical(ExprKind::Or, $1, $3, @2.begin); }
  | expr OROR expr                          { $$ = ctx.logical(ExprKind::Or, $1, $3, @2.begin); }
  | expr AND expr                           { $$ = ctx.logical(ExprKind::And, $1, $3, @2.begin); }
  | expr ANDAND expr                        { $$ = ctx.logical(ExprKind::And, $1, $3, @2.begin); }
  | NOT expr                                { $$ = ctx.unary(UnaryOp::Not, $2, @1.begin); }
  | BANG expr                               { $$ = ctx.unary(UnaryOp::Not, $2, @1.begin); }
  | expr EQ expr                            { $$ = ctx.binary(BinaryOp::Eq, $1, $3, @2.begin); }
  | expr NE expr                            { $$ = ctx.binary(BinaryOp::Ne, $1, $3, @2.begin); }
  | expr LT expr                            { $$ = ctx.binary(BinaryOp::Lt, $1, $3, @2.begin); }
  | expr LE expr                            { $$ = ctx.binary(BinaryOp::Le, $1, $3, @2.begin); }
  | expr GT expr                            { $$ = ctx.binary(BinaryOp::Gt, $1, $3, @2.begin); }
  | expr GE expr                            { $$ = ctx.binary(BinaryOp::Ge, $1, $3, @2.begin); }
  | expr DOTDOT expr                        { $$ = ctx.logical(ExprKind::Range, $1, $3, @2.begin); }
  | expr PLUS expr                          { $$ = ctx.binary(BinaryOp::Add, $1, $3, @2.begin); }
  | expr MINUS expr                         { $$ = ctx.binary(BinaryOp::Sub, $1, $3, @2.begin); }
  | expr STAR expr                          { $$ = ctx.binary(BinaryOp::Mul, $1, $3, @2.begin); }
  | expr SLASH expr                         { $$ = ctx.binary(BinaryOp::Div, $1, $3, @2.begin); }
  | expr PERCENT expr                       { $$ = ctx.binary(BinaryOp::Mod, $1, $3, @2.begin); }
  | MINUS expr %prec UNARY                  { $$ = ctx.unary(UnaryOp::Neg, $2, @1.begin); }
  | postfix                                 { $$ = $1; }
  ;

postfix
  : primary                                 { $$ = $1; }
  | postfix LPAREN args RPAREN              { $$ = ctx.call($1, $3, @2.begin); }
  | postfix LBRACKET expr RBRACKET          { $$ = ctx.index($1, $3, @2.begin); }
  | postfix DOT NAME                        { $$ = ctx.field($1, $3, @3.begin); }
  ;

primary
  : sprimary                                { $$ = $1; }
  | LBRACE map_entries RBRACE               { $$ = ctx.map($2, @1.begin); }
  | when                                    { $$ = $1; }
  | FN NAME LPAREN params RPAREN block      { $$ = ctx.function($2, $4, $6, @1.begin); }
  ;

/* The statement-start copies of expr/postfix/primary (see the note at the
   top): the same rules and builder calls, minus a leading '{' or `when`. */
sexpr
  : sexpr OR expr                           { $$ = ctx.logical(ExprKind::Or, $1, $3, @2.begin); }
  | sexpr OROR expr                         { $$ = ctx.logical(ExprKind::Or, $1, $3, @2.begin); }
  | sexpr AND expr                          { $$ = ctx.logical(ExprKind::And, $1, $3, @2.begin); }
  | sexpr ANDAND expr                       { $$ = ctx.logical(ExprKind::And, $1, $3, @2.begin); }
  | NOT expr                                { $$ = ctx.unary(UnaryOp::Not, $2, @1.begin); }
  | BANG expr                               { $$ = ctx.unary(UnaryOp::Not, $2, @1.begin); }
  | sexpr EQ expr                           { $$ = ctx.binary(BinaryOp::Eq, $1, $3, @2.begin); }
  | sexpr NE expr                           { $$ = ctx.binary(BinaryOp::Ne, $1, $3, @2.begin); }
  | sexpr LT expr                           { $$ = ctx.binary(BinaryOp::Lt, $1, $3, @2.begin); }
  | sexpr LE expr                           { $$ = ctx.binary(BinaryOp::Le, $1, $3, @2.begin); }
  | sexpr GT expr                           { $$ = ctx.binary(BinaryOp::Gt, $1, $3, @2.begin); }
  | sexpr GE expr                           { $$ = ctx.binary(BinaryOp::Ge, $1, $3, @2.begin); }
  | sexpr DOTDOT expr                       { $$ = ctx.logical(ExprKind::Range, $1, $3, @2.begin); }
  | sexpr PLUS expr                         { $$ = ctx.binary(BinaryOp::Add, $1, $3, @2.begin); }
  | sexpr MINUS expr                        { $$ = ctx.binary(BinaryOp::Sub, $1, $3, @2.begin); }
  | sexpr STAR expr                         { $$ = ctx.binary(BinaryOp::Mul, $1, $3, @2.begin); }
  | sexpr SLASH expr                        { $$ = ctx.binary(BinaryOp::Div, $1, $3, @2.begin); }
  | sexpr PERCENT expr                      { $$ = ctx.binary(BinaryOp::Mod, $1, $3, @2.begin); }
  | MINUS expr %prec UNARY                  { $$ = ctx.unary(UnaryOp::Neg, $2, @1.begin); }
  | spostfix                                { $$ = $1; }
  ;

spostfix
  : sprimary                                { $$ = $1; }
  | spostfix LPAREN args RPAREN             { $$ = ctx.call($1, $3, @2.begin); }
  | spostfix LBRACKET expr RBRACKET         { $$ = ctx.index($1, $3, @2.begin); }
  | spostfix DOT NAME                       { $$ = ctx.field($1, $3, @3.begin); }
  ;

sprimary
  : NAME %prec BARE_NAME                    { $$ = ctx.name($1, @1.begin); }
  | INT                                     { $$ = ctx.integer($1, @1.begin); }
  | FLOAT                                   { $$ = ctx.floating($1, @1.begin); }
  | TRUE                                    { $$ = ctx.boolean(true, @1.begin); }
  | FALSE                                   { $$ = ctx.boolean(false, @1.begin); }
  | NIL                                     { $$ = ctx.nil(@1.begin); }
  | string                                  { $$ = $1; }
  | LPAREN expr RPAREN                      { $$ = $2; }
  | LBRACKET RBRACKET                       { $$ = ctx.list(ExprList{}, @1.begin); }
  | LBRACKET expr_list opt_comma RBRACKET   { $$ = ctx.list($2, @1.begin); }
  | fn_literal                              { $$ = $1; }
  ;

fn_literal
  : FN LPAREN params RPAREN block           { $$ = ctx.function(std::string(), $3, $5, @1.begin); }
  ;

string
  : STR_BEGIN str_parts STR_END             { $$ = ctx.string($2, @1.begin); }
  ;

str_parts
  : %empty                                  { $$ = ExprList{}; }
  | str_parts STR_TEXT                      { $$ = ctx.append($1, ctx.text($2, @2.begin)); }
  | str_parts INTERP_BEGIN expr RBRACE      { $$ = ctx.append($1, $3); }
  ;

when
  : WHEN LPAREN when_entries RPAREN block   { $$ = ctx.when($3, $5, @1.begin); }
  ;

when_entries
  : %empty                                  { $$ = WhenEntries{}; }
  | when_list opt_comma                     { $$ = $1; }
  ;

when_list
  : when_entry                              { $$ = ctx.first($1); }
  | when_list COMMA when_entry              { $$ = ctx.append($1, $3); }
  ;

when_entry
  : NAME                                    { $$ = ctx.when_entry(false, $1, nullptr, @1.begin); }
  | NAME ASSIGN expr                        { $$ = ctx.when_entry(false, $1, $3, @1.begin); }
  | READ NAME                               { $$ = ctx.when_entry(true, $2, nullptr, @2.begin); }
  | READ NAME ASSIGN expr                   { $$ = ctx.when_entry(true, $2, $4, @2.begin); }
  ;

map_entries
  : %empty                                  { $$ = MapEntries{}; }
  | map_list opt_comma                      { $$ = $1; }
  ;

map_list
  : map_entry                               { $$ = ctx.first($1); }
  | map_list COMMA map_entry                { $$ = ctx.append($1, $3); }
  ;

map_entry
  : NAME COLON expr                         { $$ = ctx.entry(ctx.text($1, @1.begin), $3); }
  | expr COLON expr                         { $$ = ctx.entry($1, $3); }
  ;

args
  : %empty                                  { $$ = ExprList{}; }
  | expr_list opt_comma                     { $$ = $1; }
  ;

expr_list
  : expr                                    { $$ = ctx.first($1); }
  | expr_list COMMA expr                    { $$ = ctx.append($1, $3); }
  ;

params
  : %empty                                  { $$ = ParamList{}; }
  | param_list opt_comma                    { $$ = $1; }
  ;

param_list
  : NAME                                    { $$ = ctx.first($1, @1.begin); }
  | param_list COMMA NAME                   { $$ = ctx.append($1, $3, @3.begin); }
  ;

opt_comma
  : %empty
  | COMMA
  ;

%%
