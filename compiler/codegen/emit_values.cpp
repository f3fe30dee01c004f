// Emitting value operations: tags, reference counts, truthiness, runtime calls.
#include <unordered_map>

#include "compiler/codegen/emitter.hpp"
#include "runtime/abi.hpp"

namespace boc::codegen::detail {

namespace {
// Signatures of the runtime entry points (runtime/abi.hpp), written once:
// return kind, then parameter kinds. V = a Value (two i64 registers),
// P = a pointer (Ctx* included), I = i32, v = void.
const std::unordered_map<std::string, std::string_view> kRuntimeSignatures = {
    {"boc_rt_release", "v:P"},
    {"boc_rt_trace", "v:PP"},
    {"boc_rt_stack_guard", "V:PPP"},
    {"boc_rt_arity_error", "V:PPI"},
    {"boc_rt_take_error", "V:P"},
    {"boc_rt_add", "V:PVV"},
    {"boc_rt_sub", "V:PVV"},
    {"boc_rt_mul", "V:PVV"},
    {"boc_rt_div", "V:PVV"},
    {"boc_rt_mod", "V:PVV"},
    {"boc_rt_neg", "V:PV"},
    {"boc_rt_eq", "V:PVV"},
    {"boc_rt_ne", "V:PVV"},
    {"boc_rt_lt", "V:PVV"},
    {"boc_rt_le", "V:PVV"},
    {"boc_rt_gt", "V:PVV"},
    {"boc_rt_ge", "V:PVV"},
    {"boc_rt_range", "V:PVV"},
    {"boc_rt_compound_assign", "V:PVIV"},
    {"boc_rt_list_new", "V:PPI"},
    {"boc_rt_map_new", "V:PPI"},
    {"boc_rt_interp", "V:PPI"},
    {"boc_rt_closure_new", "V:PPPI"},
    {"boc_rt_index", "V:PVV"},
    {"boc_rt_field", "V:PVV"},
    {"boc_rt_index_place", "P:PPVI"},
    {"boc_rt_call", "V:PVPI"},
    {"boc_rt_call_method", "V:PPIVPI"},
    {"boc_rt_iter_next", "I:PVPP"},
    {"boc_rt_when_begin", "P:PPPPI"},
    {"boc_rt_when_begin_cowns", "P:PPPPI"},
    {"boc_rt_when_submit", "V:P"},
    {"boc_rt_entry_read", "V:V"},
    {"boc_rt_global_read", "V:PP"},
    {"boc_rt_global_lend", "V:PP"},
    {"boc_rt_global_store", "V:PPV"},
};
}  // namespace

llvm::Value* Emitter::tag_of(llvm::Value* v) { return b_.CreateExtractValue(v, 0); }
llvm::Value* Emitter::bits_of(llvm::Value* v) { return b_.CreateExtractValue(v, 1); }

llvm::Value* Emitter::make_value(llvm::Value* tag, llvm::Value* bits) {
  llvm::Value* v = llvm::UndefValue::get(value_type_);
  v = b_.CreateInsertValue(v, tag, 0);
  return b_.CreateInsertValue(v, bits, 1);
}

llvm::Value* Emitter::make_value(rt::Tag tag, llvm::Value* bits) {
  return make_value(b_.getInt64(static_cast<uint64_t>(tag)), bits);
}

llvm::Value* Emitter::const_value(rt::Value v) {
  // A heap constant (an immortal string) is an address: named, like the rest.
  llvm::Constant* bits = v.is_heap()
                             ? llvm::ConstantExpr::getPtrToInt(pointer_constant(v.obj()), i64_)
                             : b_.getInt64(v.bits);
  return llvm::ConstantStruct::get(value_type_,
                                   {b_.getInt64(static_cast<uint64_t>(v.tag)), bits});
}

llvm::Value* Emitter::nil() { return const_value(rt::Value::nil()); }

llvm::Value* Emitter::is_tag(llvm::Value* v, rt::Tag tag) {
  return b_.CreateICmpEQ(tag_of(v), b_.getInt64(static_cast<uint64_t>(tag)));
}

// Only nil and false are falsy: tag > Bool, or tag == Bool with bits set.
llvm::Value* Emitter::truthy(llvm::Value* v) {
  llvm::Value* tag = tag_of(v);
  llvm::Value* not_nil_or_bool = b_.CreateICmpUGT(tag, b_.getInt64(uint64_t(rt::Tag::Bool)));
  llvm::Value* true_bool = b_.CreateAnd(is_tag(v, rt::Tag::Bool),
                                        b_.CreateICmpNE(bits_of(v), b_.getInt64(0)));
  return b_.CreateOr(not_nil_or_bool, true_bool);
}

// Same protocol as rt::retain: relaxed increment of the count at offset 0.
void Emitter::retain(llvm::Value* v) {
  llvm::Value* heap = b_.CreateICmpUGE(tag_of(v), b_.getInt64(uint64_t(rt::Tag::FirstHeap)));
  llvm::BasicBlock* inc = new_block("retain");
  llvm::BasicBlock* done = new_block("retained");
  b_.CreateCondBr(heap, inc, done);
  b_.SetInsertPoint(inc);
  llvm::Value* counter = b_.CreateIntToPtr(bits_of(v), ptr_);
  b_.CreateAtomicRMW(llvm::AtomicRMWInst::Add, counter, b_.getInt32(1), llvm::MaybeAlign(4),
                     llvm::AtomicOrdering::Monotonic);
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
}

// Same protocol as rt::release, out of line: releases are everywhere
// (every cleanup block), and one call instead of the inline decrement and
// free keeps the IR, and so the JIT's compile time, small.
void Emitter::release(llvm::Value* v) {
  llvm::Value* heap = b_.CreateICmpUGE(tag_of(v), b_.getInt64(uint64_t(rt::Tag::FirstHeap)));
  llvm::BasicBlock* dec = new_block("release");
  llvm::BasicBlock* done = new_block("released");
  b_.CreateCondBr(heap, dec, done);
  b_.SetInsertPoint(dec);
  call_runtime("boc_rt_release", {b_.CreateIntToPtr(bits_of(v), ptr_)});
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
}

llvm::Value* Emitter::load_value(llvm::Value* place) { return b_.CreateLoad(value_type_, place); }

void Emitter::store_replacing(llvm::Value* place, llvm::Value* v) {
  llvm::Value* old = load_value(place);
  b_.CreateStore(v, place);
  release(old);
}

// Declared, not defined: the JIT binds each name to its address per run
// (jit.hpp), and the code reaches it through the GOT, since the address may
// be far from the JIT's code. Names are numbered in emission order, so the
// same source gives the same IR in every process.
llvm::Constant* Emitter::pointer_constant(const void* p) {
  if (p == nullptr) return llvm::ConstantPointerNull::get(ptr_);
  auto [it, fresh] = address_globals_.try_emplace(p, nullptr);
  if (fresh) {
    std::string name = options_.unit_name + "_addr" + std::to_string(addresses_.size());
    it->second = new llvm::GlobalVariable(module_, b_.getInt8Ty(), /*isConstant=*/false,
                                          llvm::GlobalValue::ExternalLinkage, nullptr, name);
    addresses_.push_back({name, p});
  }
  return it->second;
}

llvm::FunctionCallee Emitter::runtime(const std::string& name) {
  std::string_view sig = kRuntimeSignatures.at(name);
  auto kind_type = [&](char k) -> llvm::Type* {
    switch (k) {
      case 'V': return value_type_;
      case 'P': return ptr_;
      case 'I': return i32_;
      default: return b_.getVoidTy();
    }
  };
  std::vector<llvm::Type*> params;
  for (char k : sig.substr(2)) {
    if (k == 'V') {
      params.push_back(i64_);
      params.push_back(i64_);
    } else {
      params.push_back(kind_type(k));
    }
  }
  auto* type = llvm::FunctionType::get(kind_type(sig[0]), params, false);
  return module_.getOrInsertFunction(name, type);
}

// Value arguments are split into their two words, as the C ABI passes them.
llvm::Value* Emitter::call_runtime(const std::string& name, std::vector<llvm::Value*> args) {
  std::vector<llvm::Value*> flat;
  for (llvm::Value* a : args) {
    if (a->getType() == value_type_) {
      flat.push_back(tag_of(a));
      flat.push_back(bits_of(a));
    } else {
      flat.push_back(a);
    }
  }
  return b_.CreateCall(runtime(name), flat);
}

}  // namespace boc::codegen::detail
