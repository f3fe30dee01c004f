// Emitting functions, closures and calls.
#include <cstddef>

#include "compiler/codegen/emitter.hpp"
#include "runtime/abi.hpp"
#include "runtime/methods.hpp"

namespace boc::codegen::detail {

FnCode& Emitter::declare_function(const ast::FnExpr& fn) {
  auto [it, inserted] = functions_.try_emplace(&fn);
  FnCode& code = it->second;
  if (!inserted) return code;
  std::string base = options_.unit_name + "_fn" + std::to_string(next_symbol_++);
  if (!fn.name.empty()) base += "_" + fn.name;

  std::vector<llvm::Type*> params = {ptr_, ptr_};
  for (size_t i = 0; i < fn.params.size(); ++i) {
    params.push_back(i64_);
    params.push_back(i64_);
  }
  code.direct = llvm::Function::Create(llvm::FunctionType::get(value_type_, params, false),
                                       llvm::Function::ExternalLinkage, base, module_);
  code.uniform = llvm::Function::Create(
      llvm::FunctionType::get(value_type_, {ptr_, ptr_, ptr_, i32_}, false),
      llvm::Function::ExternalLinkage, base + "_entry", module_);

  // The FnProto lives in the module, so the JIT's linker fills in the entry.
  auto* proto_type = llvm::StructType::get(llvm_, {ptr_, ptr_, i32_});
  llvm::Constant* name = b_.CreateGlobalStringPtr(fn.name, base + "_name", 0, &module_);
  code.proto = new llvm::GlobalVariable(
      module_, proto_type, true, llvm::GlobalValue::InternalLinkage,
      llvm::ConstantStruct::get(proto_type, {code.uniform, name,
                                             b_.getInt32(static_cast<uint32_t>(fn.params.size()))}),
      base + "_proto");
  pending_bodies_.push_back(&fn);
  return code;
}

void Emitter::emit_function_body(const ast::FnExpr& fn) {
  FnCode& code = functions_.at(&fn);
  Frame frame;
  const char* name = data_.intern(fn.name.empty() ? "<fn>" : fn.name);
  begin_frame(frame, code.direct, fn.info, name);
  frame.self = code.direct->getArg(1);
  frame.captures = b_.CreateConstInBoundsGEP1_64(b_.getInt8Ty(), frame.self,
                                                 offsetof(rt::Function, captures));
  stack_guard(fn.loc, true);
  // The parameters are bound after the body is emitted, when it is known
  // which of them the body writes.
  llvm::BasicBlock* params = new_block("params");
  llvm::BasicBlock* body = new_block("start");
  b_.CreateBr(params);
  b_.SetInsertPoint(body);
  emit_block(fn.body);
  llvm::BasicBlock* end = b_.GetInsertBlock();
  b_.SetInsertPoint(params);
  bind_parameters(code.direct, fn.params.size());
  b_.CreateBr(body);
  b_.SetInsertPoint(end);
  finish_frame();

  // The uniform entry checks the count, then forwards to the direct entry.
  llvm::Function* entry = code.uniform;
  llvm::BasicBlock* start = llvm::BasicBlock::Create(llvm_, "entry", entry);
  llvm::BasicBlock* wrong = llvm::BasicBlock::Create(llvm_, "wrong_arity", entry);
  llvm::BasicBlock* call = llvm::BasicBlock::Create(llvm_, "call", entry);
  b_.SetInsertPoint(start);
  uint32_t arity = static_cast<uint32_t>(fn.params.size());
  b_.CreateCondBr(b_.CreateICmpEQ(entry->getArg(3), b_.getInt32(arity)), call, wrong);
  b_.SetInsertPoint(wrong);
  b_.CreateRet(call_runtime("boc_rt_arity_error", {entry->getArg(0), code.proto, entry->getArg(3)}));
  b_.SetInsertPoint(call);
  std::vector<llvm::Value*> args = {entry->getArg(0), entry->getArg(1)};
  for (uint32_t i = 0; i < arity; ++i) {
    llvm::Value* v = load_value(b_.CreateConstInBoundsGEP1_64(value_type_, entry->getArg(2), i));
    args.push_back(tag_of(v));
    args.push_back(bits_of(v));
  }
  llvm::CallInst* forward = b_.CreateCall(code.direct, args);
  forward->setTailCall();
  b_.CreateRet(forward);
  frame_ = nullptr;
}

namespace {
// Whether the emitted body writes a slot: every use of it other than its nil
// initialisation in the entry block is a load. A store, or the address going
// anywhere (a runtime call updating it in place, a select), counts as a write.
bool slot_written(llvm::AllocaInst* slot) {
  const llvm::BasicBlock* entry = &slot->getFunction()->getEntryBlock();
  for (const llvm::User* user : slot->users()) {
    if (llvm::isa<llvm::LoadInst>(user)) continue;
    auto* store = llvm::dyn_cast<llvm::StoreInst>(user);
    if (store && store->getParent() == entry && store->getPointerOperand() == slot) continue;
    return true;
  }
  return false;
}
}  // namespace

// Arguments are borrowed: the caller keeps each alive for the whole call (in
// a temporary, or in a variable that nothing can assign meanwhile). A
// parameter the body only reads borrows that reference too, so passing a
// cown or a list costs no atomic operations on entry or exit; one it writes
// (assignment, an update in place) takes a reference of its own, which the
// cleanup releases.
void Emitter::bind_parameters(llvm::Function* direct, size_t count) {
  Frame& f = *frame_;
  for (size_t i = 0; i < count; ++i) {
    auto* slot = llvm::cast<llvm::AllocaInst>(f.slots.at(i));
    llvm::Value* v = make_value(direct->getArg(2 + 2 * i), direct->getArg(3 + 2 * i));
    if (slot_written(slot)) {
      retain(v);
    } else {
      std::erase(f.owned_slots, slot);
    }
    b_.CreateStore(v, slot);
  }
}

// The variables `info` captures, read into a new argument array.
Emitter::Arguments Emitter::emit_captures(const ast::FunctionInfo& info, ast::Loc loc) {
  std::vector<ast::NameExpr> names;
  names.reserve(info.captures.size());
  std::vector<const ast::Expr*> items;
  for (const ast::CaptureSource& source : info.captures) {
    names.emplace_back(source.name, loc);
    names.back().ref = {source.from, source.index};
    items.push_back(&names.back());
  }
  return emit_arguments(items);
}

// The runtime took the values of an argument array: forget them.
void Emitter::forget_array(llvm::AllocaInst* array, unsigned n) {
  if (array) b_.CreateStore(llvm::ConstantAggregateZero::get(llvm::ArrayType::get(value_type_, n)), array);
}

llvm::Value* Emitter::emit_closure(const ast::FnExpr& fn) {
  FnCode& code = declare_function(fn);
  Arguments captures = emit_captures(fn.info, fn.loc);
  llvm::Value* v = call_runtime("boc_rt_closure_new", {frame_->ctx, code.proto, captures.pointer,
                                                       b_.getInt32(captures.count)});
  forget_array(captures.storage, captures.count);
  check(v, fn.loc);
  return v;
}

// A when body is an rt::BehaviorEntry: (ctx, captures, contents, n), where
// contents holds one Value* per entry (runtime/when.hpp).
FnCode& Emitter::declare_behavior(const ast::WhenExpr& when) {
  auto [it, inserted] = functions_.try_emplace(&when);
  FnCode& code = it->second;
  if (!inserted) return code;
  std::string base = options_.unit_name + "_when" + std::to_string(next_symbol_++);
  code.uniform = llvm::Function::Create(
      llvm::FunctionType::get(value_type_, {ptr_, ptr_, ptr_, i32_}, false),
      llvm::Function::ExternalLinkage, base, module_);
  code.uniform->addFnAttr(kBehaviorBodyAttribute);
  pending_bodies_.push_back(&when);
  return code;
}

void Emitter::emit_behavior_body(const ast::WhenExpr& when) {
  FnCode& code = functions_.at(&when);
  Frame frame;
  begin_frame(frame, code.uniform, when.info, data_.intern("<when>"), code.uniform->getArg(2),
              static_cast<unsigned>(when.entries.size()));
  frame.captures = code.uniform->getArg(1);
  stack_guard(when.loc, true);
  emit_block(when.body);
  finish_frame();
  frame_ = nullptr;
}

// Which entry, if any, reads the same variable as each capture: such a
// capture is written without a reference of its own (capture_entry[k] = that
// entry, see rt::WhenSite::capture_entry). Empty when no capture has one.
std::vector<uint32_t> Emitter::when_capture_entries(const ast::WhenExpr& when,
                                                    const std::vector<const ast::Expr*>& entries,
                                                    const std::vector<Operand>& values) {
  std::vector<uint32_t> capture_entry;
  const auto& sources = when.info.captures;
  for (size_t k = 0; k < sources.size(); ++k) {
    for (size_t i = 0; i < entries.size(); ++i) {
      if (values[i].temp) continue;
      const ast::VarRef& ref = static_cast<const ast::NameExpr*>(entries[i])->ref;
      if (ref.kind != sources[k].from || ref.index != sources[k].index) continue;
      if (capture_entry.empty()) capture_entry.assign(sources.size(), rt::WhenSite::kNoEntry);
      capture_entry[k] = static_cast<uint32_t>(i);
      break;
    }
  }
  return capture_entry;
}

// A plain `when` (1 to kPlainEntries entries, all cowns) hands the runtime
// its cowns ready to use as the scheduler's requests; any other, and one
// whose entries turn out not to be all cowns, goes through the call that
// checks every entry (runtime/when.hpp).
llvm::Value* Emitter::emit_when_begin(const ast::WhenExpr& when, const FnCode& code,
                                      const rt::WhenSite* site,
                                      const std::vector<Operand>& operands) {
  unsigned n = static_cast<unsigned>(operands.size());
  llvm::Value* want_result = b_.getInt32(when.value_used ? 1 : 0);
  auto checked = [&] {
    llvm::Value* values = llvm::ConstantPointerNull::get(ptr_);
    if (n) {
      // Not an argument array: it owns nothing, so error cleanup skips it.
      auto* type = llvm::ArrayType::get(value_type_, n);
      values = entry_alloca(type, "when_entries");
      for (unsigned i = 0; i < n; ++i)
        b_.CreateStore(value_of(operands[i]), b_.CreateConstInBoundsGEP2_32(type, values, 0, i));
    }
    return call_runtime("boc_rt_when_begin",
                        {frame_->ctx, pointer_constant(site), code.uniform, values, want_result});
  };
  if (n == 0 || n > rt::kPlainEntries) return checked();
  llvm::Value* all_cowns = b_.getTrue();
  for (const Operand& o : operands)
    all_cowns = b_.CreateAnd(all_cowns, is_tag(value_of(o), rt::Tag::Cown));
  return emit_fast_path(
      all_cowns,
      [&](llvm::BasicBlock*) {
        // rt::WhenCown {cown, read}: LLVM lays {ptr, i8} out the same way.
        static_assert(offsetof(rt::WhenCown, read) == sizeof(void*) &&
                      sizeof(rt::WhenCown) == 2 * sizeof(void*));
        auto* cown_type = llvm::StructType::get(llvm_, {ptr_, b_.getInt8Ty()});
        auto* type = llvm::ArrayType::get(cown_type, n);
        llvm::Value* cowns = entry_alloca(type, "when_cowns");
        for (unsigned i = 0; i < n; ++i) {
          llvm::Value* element = b_.CreateConstInBoundsGEP2_32(type, cowns, 0, i);
          b_.CreateStore(b_.CreateIntToPtr(bits_of(value_of(operands[i])), ptr_),
                         b_.CreateStructGEP(cown_type, element, 0));
          b_.CreateStore(b_.getInt8(when.entries[i].read ? 1 : 0),
                         b_.CreateStructGEP(cown_type, element, 1));
        }
        return call_runtime("boc_rt_when_begin_cowns",
                            {frame_->ctx, pointer_constant(site), code.uniform, cowns, want_result});
      },
      checked);
}

// Entries are evaluated left to right; the runtime checks them and prepares
// the behavior; the body's captures are written straight into it; then the
// runtime schedules it (runtime/when.hpp).
llvm::Value* Emitter::emit_when(const ast::WhenExpr& when) {
  FnCode& code = declare_behavior(when);
  // A bare entry `c` reads the variable c of the enclosing scope.
  std::vector<ast::NameExpr> bare;
  bare.reserve(when.entries.size());
  std::vector<const ast::Expr*> entries;
  for (const ast::WhenEntry& entry : when.entries) {
    if (entry.init) {
      entries.push_back(entry.init.get());
      continue;
    }
    bare.emplace_back(entry.name, entry.loc);
    bare.back().ref = entry.source;
    entries.push_back(&bare.back());
  }
  // Left to right, the owned ones in temporaries (released if a later one
  // fails). The runtime only reads its entries, so those naming variables
  // are borrowed.
  std::vector<Operand> operands = emit_operands(entries);
  std::vector<uint32_t> capture_entry = when_capture_entries(when, entries, operands);
  auto borrowed = [&](size_t k) {
    return !capture_entry.empty() && capture_entry[k] != rt::WhenSite::kNoEntry;
  };
  const rt::WhenSite* site = data_.when_site(when, frame_->name, capture_entry);
  llvm::Value* captures = emit_when_begin(when, code, site, operands);
  check_pointer(captures, when.loc);
  // Reading a variable cannot fail or schedule, so nothing comes between
  // these stores and the submit.
  const auto& sources = when.info.captures;
  for (size_t k = 0; k < sources.size(); ++k) {
    llvm::Value* v;
    if (borrowed(k)) {
      v = operands[capture_entry[k]].borrowed;
    } else {
      ast::NameExpr name(sources[k].name, when.loc);
      name.ref = {sources[k].from, sources[k].index};
      v = emit_expr(name);
    }
    b_.CreateStore(v, b_.CreateConstInBoundsGEP1_64(value_type_, captures, k));
  }
  llvm::Value* r = call_runtime("boc_rt_when_submit", {frame_->ctx});
  for (auto it = operands.rbegin(); it != operands.rend(); ++it) drop(*it);
  return r;
}

// A constant top-level function of this unit is called directly.
const FnCode* Emitter::direct_target(const ast::Expr& callee) {
  if (callee.kind != ast::ExprKind::Name) return nullptr;
  const ast::VarRef& ref = static_cast<const ast::NameExpr&>(callee).ref;
  if (ref.kind != ast::VarKind::Global) return nullptr;
  const resolve::GlobalInfo& info = globals_.info(ref.index);
  if (!info.constant || !info.function) return nullptr;
  auto it = functions_.find(info.function);
  return it == functions_.end() ? nullptr : &it->second;
}

llvm::Value* Emitter::emit_call(const ast::CallExpr& call) {
  unsigned n = static_cast<unsigned>(call.args.size());
  const FnCode* target = direct_target(*call.callee);
  if (target && target->direct->arg_size() == 2 + 2 * n) {
    std::vector<const ast::Expr*> items;
    for (const ast::ExprPtr& arg : call.args) items.push_back(arg.get());
    std::vector<Operand> operands = emit_operands(items);
    std::vector<llvm::Value*> args = {frame_->ctx, llvm::ConstantPointerNull::get(ptr_)};
    for (const Operand& o : operands) {
      llvm::Value* v = value_of(o);
      args.push_back(tag_of(v));
      args.push_back(bits_of(v));
    }
    llvm::Value* r = b_.CreateCall(target->direct, args);
    for (auto it = operands.rbegin(); it != operands.rend(); ++it) drop(*it);
    check(r, call.loc);
    return r;
  }

  Temp callee = push_temp(emit_expr(*call.callee));
  Arguments args = emit_arguments(call.args);
  llvm::Value* r =
      call_runtime("boc_rt_call", {frame_->ctx, peek(callee), args.pointer, b_.getInt32(n)});
  release_arguments(args);
  drop(callee);
  check(r, call.loc);
  return r;
}

namespace {
// A method receiver that can be updated in place: a variable, or an index or
// field chain rooted at one.
bool is_place(const ast::Expr& e) {
  switch (e.kind) {
    case ast::ExprKind::Name: {
      auto kind = static_cast<const ast::NameExpr&>(e).ref.kind;
      return kind == ast::VarKind::Local || kind == ast::VarKind::Global;
    }
    case ast::ExprKind::Index:
      return is_place(*static_cast<const ast::IndexExpr&>(e).object);
    case ast::ExprKind::Field:
      return is_place(*static_cast<const ast::FieldExpr&>(e).object);
    default:
      return false;
  }
}
}  // namespace

// Mutating methods get the receiver's place so they act on the variable
// itself; the others get a temporary holding its value.
llvm::Value* Emitter::emit_method(const ast::MethodExpr& m) {
  if (llvm::Value* pushed = emit_push(m)) return pushed;
  bool in_place = rt::method_mutates(m.name) && is_place(*m.object);
  std::vector<Temp> keys;
  Temp receiver{0};
  if (in_place) {
    collect_place_keys(*m.object, keys);
  } else {
    receiver = push_temp(emit_expr(*m.object));
  }
  Arguments args = emit_arguments(m.args);
  llvm::Value* place = nullptr;
  GlobalWrite write;
  if (in_place) {
    place = walk_place(*m.object, keys, false, begin_write(place_root(*m.object).ref, write));
  } else {
    place = frame_->temps[receiver.depth];
  }
  llvm::Value* r = call_method(place, m.name, args.pointer, args.count);
  release_arguments(args);
  if (in_place) {
    for (auto it = keys.rbegin(); it != keys.rend(); ++it) drop(*it);
  } else {
    drop(receiver);
  }
  check(r, m.loc);
  if (in_place) end_write(write, m.loc);
  return r;
}

llvm::Value* Emitter::call_method(llvm::Value* receiver_place, const std::string& name,
                                  llvm::Value* args, uint32_t count) {
  llvm::Value* name_value = const_value(data_.string_constant(name));
  llvm::Value* lent = lend_place(receiver_place);
  llvm::Value* r = call_runtime("boc_rt_call_method",
                                {frame_->ctx, lent, b_.getInt32(rt::method_id(name)), name_value,
                                 args, b_.getInt32(count)});
  take_back(receiver_place, lent);
  return r;
}

}  // namespace boc::codegen::detail
