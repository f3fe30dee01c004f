// Private to codegen: the state shared by the expression and statement
// emitters while one unit is compiled.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "compiler/codegen/codegen.hpp"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "runtime/value.hpp"

namespace boc::codegen::detail {

// The compiled form of one script function.
struct FnCode {
  llvm::Function* direct = nullptr;   // V (ctx, self, a0.tag, a0.bits, ...)
  llvm::Function* uniform = nullptr;  // rt::FnEntry (a behavior's: rt::BehaviorEntry)
  llvm::GlobalVariable* proto = nullptr;  // null for a behavior
};

// A temporary: an owned value parked in the frame so that the cleanup block
// releases it if an error leaves the function before it is consumed.
struct Temp {
  unsigned depth;
};

// A value for a consumer that only reads it: owned in a temporary, or
// borrowed from a variable, or lent: borrowed, with a temporary that holds
// nil, or the reference when the read had to make one (emit_operands.cpp).
struct Operand {
  std::optional<Temp> temp;
  llvm::Value* borrowed = nullptr;
};

// Whether evaluating `e` may call a method, the one expression that can
// update a local variable (in place, through its receiver).
bool calls_method(const ast::Expr& e);

// Per LLVM function being emitted.
struct Frame {
  llvm::Function* fn = nullptr;
  const ast::FunctionInfo* info = nullptr;
  const char* name = nullptr;  // for stack traces
  llvm::Value* ctx = nullptr;
  llvm::Value* self = nullptr;      // rt::Function*, or null (a behavior)
  llvm::Value* captures = nullptr;  // the captured values (rt::Value[])
  // Address of each slot: an alloca, or for a behavior's entries the cown
  // content (or group list) that the runtime passed in.
  std::vector<llvm::Value*> slots;
  std::vector<llvm::AllocaInst*> owned_slots;  // released by cleanup
  unsigned entry_slots = 0;  // a behavior's entries: slots 0..entry_slots-1
  std::vector<llvm::AllocaInst*> temps;  // pooled by depth
  // Holds a local's value while a runtime helper updates it through a
  // pointer (see lend_place); empty between calls.
  llvm::AllocaInst* lent_cell = nullptr;
  unsigned temp_depth = 0;
  std::vector<std::pair<llvm::AllocaInst*, unsigned>> arrays;  // argument arrays
  llvm::AllocaInst* result = nullptr;
  llvm::BasicBlock* cleanup = nullptr;
  llvm::BasicBlock* unwind = nullptr;
  struct Loop {
    llvm::BasicBlock* exit;
    llvm::BasicBlock* next;
  };
  std::vector<Loop> loops;
  // Globals a top-level loop keeps in slots while it runs
  // (emit_loop_globals.cpp): index -> slot.
  std::unordered_map<uint32_t, llvm::AllocaInst*> loop_globals;
  bool in_checked_loop = false;  // emitting a loop's copy for behaviors started
  struct Handler {
    llvm::BasicBlock* landing;
    unsigned temp_depth;
  };
  std::vector<Handler> handlers;
};

// The runtime helper behind a binary operator (boc_rt_add...).
const char* binary_op_helper(ast::BinaryOp op);

// A compile error found during codegen (only features not compiled yet).
struct CodegenError {
  Diagnostic diagnostic;
};

class Emitter {
 public:
  Emitter(const ast::Program& program, const resolve::GlobalScope& globals, UnitData& data,
          const Options& options, llvm::LLVMContext& context, llvm::Module& module);

  // Emits the whole unit; returns the entry symbol. Throws CodegenError.
  std::string emit_unit();
  // The host addresses the unit's code names (pointer_constant).
  std::vector<NamedAddress> take_addresses() { return std::move(addresses_); }

 private:
  // --- values (emit_values.cpp)
  llvm::Value* tag_of(llvm::Value* v);
  llvm::Value* bits_of(llvm::Value* v);
  llvm::Value* make_value(rt::Tag tag, llvm::Value* bits);
  llvm::Value* make_value(llvm::Value* tag, llvm::Value* bits);
  llvm::Value* const_value(rt::Value v);
  llvm::Value* nil();
  llvm::Value* is_tag(llvm::Value* v, rt::Tag tag);
  llvm::Value* truthy(llvm::Value* v);
  void retain(llvm::Value* v);
  void release(llvm::Value* v);
  void store_replacing(llvm::Value* place, llvm::Value* v);  // release old
  llvm::Value* load_value(llvm::Value* place);
  llvm::Constant* pointer_constant(const void* p);
  llvm::FunctionCallee runtime(const std::string& name);
  llvm::Value* call_runtime(const std::string& name, std::vector<llvm::Value*> args);

  // --- frames, temporaries and errors (emit_frame.cpp)
  // A behavior's first `external` slots are pointers read from `contents`.
  void begin_frame(Frame& frame, llvm::Function* fn, const ast::FunctionInfo& info,
                   const char* name, llvm::Value* contents = nullptr, unsigned external = 0);
  void finish_frame();
  Temp push_temp(llvm::Value* owned);
  llvm::Value* peek(Temp t);
  llvm::Value* take(Temp t);     // ownership back to the caller
  void drop(Temp t);             // release
  void forget(Temp t);           // the value needs no release (known non-heap)
  // A variable of the function's entry block, which SROA can promote; one in
  // a loop body would take new stack on every iteration.
  llvm::AllocaInst* entry_alloca(llvm::Type* type, const char* name);
  llvm::AllocaInst* args_array(unsigned n);
  // Values evaluated left to right into an argument array (owned).
  struct Arguments {
    llvm::AllocaInst* storage = nullptr;  // null when there are none
    unsigned count = 0;
    llvm::Value* pointer = nullptr;       // storage, or a null pointer
  };
  Arguments emit_arguments(const std::vector<const ast::Expr*>& items);
  Arguments emit_arguments(const std::vector<ast::ExprPtr>& items);
  void release_arguments(const Arguments& args);
  void release_array(llvm::AllocaInst* array, unsigned n);
  void check(llvm::Value* v, ast::Loc loc);  // branch to the error path on exc
  void check_pointer(llvm::Value* p, ast::Loc loc);
  void raise_here(ast::Loc loc);  // error already pending: trace and branch
  llvm::BasicBlock* error_target();
  llvm::BasicBlock* new_block(const char* name);
  bool block_open();
  // The stack check and interrupt poll, at function entries and loop
  // back-edges; an interrupt is traced at loc.
  void stack_guard(ast::Loc loc, bool at_entry);

  // Runtime helpers that update a variable in place take its address. A
  // frame slot's address must not escape, or LLVM keeps the variable in
  // memory for the whole function; so a slot's value is lent to a cell for
  // the call and taken back right after it (before any error check).
  llvm::Value* lend_place(llvm::Value* address);  // the address to pass
  void take_back(llvm::Value* address, llvm::Value* lent);

  // --- fast paths (emit_fast_path.cpp)
  // `fast` runs when `guard` holds and may leave for the slow side with
  // bail_if(bad, slow); `slow` emits the runtime fallback. Returns the join
  // of both sides' results (null when `fast` returns null).
  using FastSide = llvm::function_ref<llvm::Value*(llvm::BasicBlock* slow)>;
  using SlowSide = llvm::function_ref<llvm::Value*()>;
  llvm::Value* emit_fast_path(llvm::Value* guard, FastSide fast, SlowSide slow);
  void bail_if(llvm::Value* bad, llvm::BasicBlock* slow);

  // --- lists inline (emit_lists.cpp): the element array is read directly at
  // the offsets the runtime exports (list.hpp's kList*Offset).
  llvm::Value* list_field_address(llvm::Value* list, uint64_t offset);
  llvm::Value* list_field(llvm::Value* list, uint64_t offset);  // a pointer
  llvm::Value* list_length(llvm::Value* list);
  // The element at int `index` (negative from the end), borrowed; bails
  // when out of range.
  llvm::Value* list_element(llvm::Value* list, llvm::Value* index, llvm::BasicBlock* slow);
  llvm::Value* emit_index(const ast::IndexExpr& e);
  // `for (x in v)` over anything but a range: the next element (owned) of
  // `sequence`, with `position` the loop's cursor; branches to `done` at the
  // end.
  llvm::Value* emit_next_element(llvm::Value* sequence, llvm::AllocaInst* position,
                                 llvm::BasicBlock* done, ast::Loc loc);
  // xs.push(v) on a variable: appends inline to a uniquely owned list with
  // spare capacity. Null when the call is not of that form.
  llvm::Value* emit_push(const ast::MethodExpr& m);

  // --- functions (emit_functions.cpp)
  FnCode& declare_function(const ast::FnExpr& fn);
  FnCode& declare_behavior(const ast::WhenExpr& when);
  void emit_function_body(const ast::FnExpr& fn);
  void bind_parameters(llvm::Function* direct, size_t count);
  void emit_behavior_body(const ast::WhenExpr& when);
  Arguments emit_captures(const ast::FunctionInfo& info, ast::Loc loc);
  void forget_array(llvm::AllocaInst* array, unsigned n);
  llvm::Value* emit_closure(const ast::FnExpr& fn);
  llvm::Value* emit_when(const ast::WhenExpr& when);
  std::vector<uint32_t> when_capture_entries(const ast::WhenExpr& when,
                                             const std::vector<const ast::Expr*>& entries,
                                             const std::vector<Operand>& values);
  llvm::Value* emit_when_begin(const ast::WhenExpr& when, const FnCode& code,
                               const rt::WhenSite* site, const std::vector<Operand>& operands);
  llvm::Value* emit_call(const ast::CallExpr& call);
  llvm::Value* emit_method(const ast::MethodExpr& call);
  // `receiver.name(args)` through the runtime, the receiver lent for the call.
  llvm::Value* call_method(llvm::Value* receiver_place, const std::string& name,
                           llvm::Value* args, uint32_t count);
  const FnCode* direct_target(const ast::Expr& callee);

  // --- operands (emit_operands.cpp)
  // Whether `e` names a variable that can be read without a reference.
  bool can_borrow(const ast::Expr& e);
  llvm::Value* borrowed_value(const ast::Expr& e);  // for can_borrow(e)
  // Borrowed when may_borrow and can_borrow(e), lent when may_borrow and e
  // names a behavior's entry or a shared global, else in a temporary.
  Operand emit_operand(const ast::Expr& e, bool may_borrow);
  Operand entry_operand(const ast::VarRef& ref);
  Operand shared_global_operand(const ast::VarRef& ref);  // emit_variables.cpp
  // Left to right; those naming variables are borrowed unless one of the
  // expressions calls a method, which could update such a variable.
  std::vector<Operand> emit_operands(const std::vector<const ast::Expr*>& items);
  llvm::Value* value_of(const Operand& o);
  void drop(const Operand& o);  // releases the temporary, if any

  // --- expressions (emit_expr.cpp)
  llvm::Value* emit_expr(const ast::Expr& e);  // owned result
  llvm::Value* emit_condition(const ast::Expr& e);  // i1
  llvm::Value* emit_name(const ast::NameExpr& e);
  llvm::Value* emit_binary(const ast::BinaryExpr& e);
  llvm::Value* emit_binary(const ast::BinaryExpr& e, bool as_condition);  // i1 if so
  llvm::Value* emit_logical(const ast::LogicalExpr& e);
  llvm::Value* emit_unary(const ast::UnaryExpr& e);
  // Inline int `x op y` (Int or Bool result); overflow and bad divisors bail.
  llvm::Value* emit_int_op(ast::BinaryOp op, llvm::Value* x, llvm::Value* y,
                           llvm::BasicBlock* slow);
  llvm::Value* both_ints(llvm::Value* a, llvm::Value* b);
  llvm::Value* emit_array_call(const char* helper, const std::vector<const ast::Expr*>& items,
                               ast::Loc loc, bool moves);
  llvm::Value* variable_address(const ast::VarRef& ref);  // Local slot, capture or global
  llvm::Value* ctx_flag_set(uint64_t offset);  // i1: a Ctx flag is non-zero
  llvm::Value* behaviors_started();  // i1: ctx->concurrent, globals are checked
  // A non-constant global accessed through its cell (not kept in a slot by
  // the loop being emitted): reads and writes take the frozen-global checks.
  bool shared_global(const ast::VarRef& ref);
  // Reading a global: behaviors freeze non-constant ones (global_cell.hpp).
  llvm::Value* emit_global_read(uint32_t index);
  // Writes to a non-constant global once behaviors may run go through a
  // shadow copy stored back by boc_rt_global_store; before that, in place.
  struct GlobalWrite {
    llvm::Value* cell = nullptr;
    llvm::Value* concurrent = nullptr;  // i1, null for a direct write
    llvm::AllocaInst* shadow = nullptr;
  };
  llvm::Value* begin_write(const ast::VarRef& ref, GlobalWrite& w);  // address to write
  void end_write(const GlobalWrite& w, ast::Loc loc);
  // `g op= rhs` on a non-constant global named directly.
  void emit_global_compound(uint32_t index, uint32_t op, llvm::Value* rhs, ast::Loc loc);
  // `variable = v` (v owned) for a Local or Global.
  void store_variable(const ast::VarRef& ref, llvm::Value* v, ast::Loc loc);
  const ast::NameExpr& place_root(const ast::Expr& target);

  // --- statements and places (emit_stmt.cpp)
  void emit_block(const ast::Block& block);
  void emit_stmt(const ast::Stmt& s);
  void emit_let(const ast::LetStmt& s);
  void emit_assign(const ast::AssignStmt& s);
  // The new value of `current op= rhs` (op 0 add .. 4 mod); consumes current.
  llvm::Value* emit_compound_value(uint32_t op, llvm::Value* current, llvm::Value* rhs,
                                   ast::Loc loc);
  void emit_if(const ast::IfStmt& s);
  void emit_while(const ast::WhileStmt& s);
  void loop_back(llvm::BasicBlock* header);  // the back edge of a loop
  void emit_for(const ast::ForStmt& s);
  // --- top-level loops keeping globals in slots (emit_loop_globals.cpp)
  void emit_loop(const ast::Stmt& loop);  // a While or For statement
  void emit_loop_as_written(const ast::Stmt& loop);
  // The globals a top-level loop may keep in slots; empty when it may not.
  std::vector<uint32_t> loop_globals(const ast::Stmt& loop);
  bool collect_assigned_globals(const ast::Block& block, unsigned loops, std::vector<uint32_t>& out);
  bool collect_assigned_globals(const ast::Stmt& s, unsigned loops, std::vector<uint32_t>& out);
  void emit_try(const ast::TryStmt& s);
  void emit_return(const ast::ReturnStmt& s);
  // Places (Name, Index, Field chains): first the keys are evaluated, left
  // to right, into temporaries; later the chain is walked to the address of
  // the element, making each container uniquely owned on the way. The last
  // level inserts a missing map key when `create`.
  void collect_place_keys(const ast::Expr& target, std::vector<Temp>& keys);
  llvm::Value* walk_place(const ast::Expr& target, const std::vector<Temp>& keys, bool create,
                          llvm::Value* root);
  [[noreturn]] void unsupported(ast::Loc loc, const std::string& what);

  const ast::Program& program_;
  const resolve::GlobalScope& globals_;
  UnitData& data_;
  const Options& options_;
  llvm::LLVMContext& llvm_;
  llvm::Module& module_;
  llvm::IRBuilder<> b_;
  llvm::StructType* value_type_;
  llvm::Type* i64_;
  llvm::Type* i32_;
  llvm::Type* i1_;
  llvm::PointerType* ptr_;
  std::unordered_map<const ast::Expr*, FnCode> functions_;  // FnExpr and WhenExpr
  std::vector<const ast::Expr*> pending_bodies_;
  Frame* frame_ = nullptr;
  unsigned next_symbol_ = 0;
  std::unordered_map<const void*, llvm::GlobalVariable*> address_globals_;
  std::vector<NamedAddress> addresses_;
};

}  // namespace boc::codegen::detail
