// The codegen entry point: one unit (script, -e string or REPL entry) to one
// LLVM module, plus the data its code points at.
#include "compiler/codegen/codegen.hpp"

#include "compiler/codegen/emitter.hpp"
#include "runtime/abi.hpp"

namespace boc::codegen {

UnitData::~UnitData() {
  for (auto& [text, v] : constants_) rt::free_object(v.obj());
}

const char* UnitData::intern(std::string text) { return strings_.emplace_back(std::move(text)).c_str(); }

const rt::SiteInfo* UnitData::site(const char* function, ast::Loc loc) {
  if (file_name_ == nullptr) file_name_ = intern(file);
  return &sites_.emplace_back(rt::SiteInfo{function, file_name_, loc.line, loc.col});
}

// One object per distinct text: a field name and the same map key written
// elsewhere in the unit are then the same string, which map lookups compare
// by address before comparing bytes.
rt::Value UnitData::string_constant(const std::string& text) {
  auto [it, inserted] = constants_.try_emplace(text);
  if (inserted) it->second = boc_rt_string_constant(text.data(), text.size());
  return it->second;
}

const rt::WhenSite* UnitData::when_site(const ast::WhenExpr& when, const char* function,
                                        std::vector<uint32_t> capture_entry) {
  std::vector<uint8_t>& read = read_flags_.emplace_back();
  std::vector<const char*>& names = entry_names_.emplace_back();
  for (const ast::WhenEntry& e : when.entries) {
    read.push_back(e.read ? 1 : 0);
    names.push_back(intern(e.name));
  }
  auto num_captures = static_cast<uint32_t>(when.info.captures.size());
  std::vector<uint32_t>& unaliased = capture_lists_.emplace_back();
  for (uint32_t i = 0; i < num_captures; ++i)
    if (capture_entry.empty() || capture_entry[i] == rt::WhenSite::kNoEntry) unaliased.push_back(i);
  const uint32_t* aliases = nullptr;
  if (!capture_entry.empty()) aliases = capture_lists_.emplace_back(std::move(capture_entry)).data();
  return &when_sites_.emplace_back(rt::WhenSite{
      num_captures, static_cast<uint32_t>(when.entries.size()), read.data(), names.data(),
      site(function, when.loc), aliases, unaliased.data(), static_cast<uint32_t>(unaliased.size())});
}

namespace detail {

namespace {
// Whether a block (not counting nested function and when bodies, which are
// separate LLVM functions) contains a loop.
bool has_loop(const ast::Block& block) {
  for (const ast::StmtPtr& s : block) {
    switch (s->kind) {
      case ast::StmtKind::While:
      case ast::StmtKind::For:
        return true;
      case ast::StmtKind::If: {
        auto& i = static_cast<const ast::IfStmt&>(*s);
        if (has_loop(i.then_block) || has_loop(i.else_block)) return true;
        break;
      }
      case ast::StmtKind::Try: {
        auto& t = static_cast<const ast::TryStmt&>(*s);
        if (has_loop(t.body) || has_loop(t.handler)) return true;
        break;
      }
      case ast::StmtKind::Block:
        if (has_loop(static_cast<const ast::BlockStmt&>(*s).body)) return true;
        break;
      default:
        break;
    }
  }
  return false;
}
}  // namespace

Emitter::Emitter(const ast::Program& program, const resolve::GlobalScope& globals, UnitData& data,
                 const Options& options, llvm::LLVMContext& context, llvm::Module& module)
    : program_(program),
      globals_(globals),
      data_(data),
      options_(options),
      llvm_(context),
      module_(module),
      b_(context) {
  i64_ = b_.getInt64Ty();
  i32_ = b_.getInt32Ty();
  i1_ = b_.getInt1Ty();
  ptr_ = b_.getPtrTy();
  value_type_ = llvm::StructType::get(context, {i64_, i64_});
}

void Emitter::unsupported(ast::Loc loc, const std::string& what) {
  throw CodegenError{Diagnostic{program_.file, loc, what}};
}

std::string Emitter::emit_unit() {
  std::string entry_name = options_.unit_name + "_main";
  auto* main = llvm::Function::Create(llvm::FunctionType::get(value_type_, {ptr_}, false),
                                      llvm::Function::ExternalLinkage, entry_name, module_);
  Frame frame;
  begin_frame(frame, main, program_.info, data_.intern("<main>"));
  // An interrupt that came while the unit compiled stops it here.
  stack_guard(program_.body.empty() ? ast::Loc{1, 1} : program_.body.front()->loc, true);
  // Hoisting: every top-level fn is bound before the first statement runs.
  for (const ast::StmtPtr& s : program_.body) {
    if (s->kind != ast::StmtKind::FnDecl) continue;
    auto& decl = static_cast<const ast::FnDeclStmt&>(*s);
    if (decl.target.kind == ast::VarKind::Global)
      store_variable(decl.target, emit_closure(*decl.fn), decl.loc);
  }
  const ast::Block& body = program_.body;
  bool returns_value = options_.return_last_expression && !body.empty() &&
                       body.back()->kind == ast::StmtKind::Expr;
  for (size_t i = 0; i + (returns_value ? 1 : 0) < body.size(); ++i) emit_stmt(*body[i]);
  if (returns_value) {
    if (!block_open()) b_.SetInsertPoint(new_block("unreachable"));
    b_.CreateStore(emit_expr(*static_cast<const ast::ExprStmt&>(*body.back()).expr), frame.result);
  }
  finish_frame();
  // Straight-line top-level code runs once: compiling it fast (no IR passes,
  // fast instruction selection) beats optimizing it. Loops get the full O2.
  if (!has_loop(program_.body)) {
    main->addFnAttr(llvm::Attribute::OptimizeNone);
    main->addFnAttr(llvm::Attribute::NoInline);
  }
  while (!pending_bodies_.empty()) {
    const ast::Expr* body = pending_bodies_.back();
    pending_bodies_.pop_back();
    if (body->kind == ast::ExprKind::When)
      emit_behavior_body(static_cast<const ast::WhenExpr&>(*body));
    else
      emit_function_body(static_cast<const ast::FnExpr&>(*body));
  }
  return entry_name;
}

}  // namespace detail

CompileResult compile(const ast::Program& program, const resolve::GlobalScope& globals,
                      UnitData& data, const Options& options, const llvm::DataLayout& layout,
                      const llvm::Triple& triple) {
  data.file = program.file;
  auto context = std::make_unique<llvm::LLVMContext>();
  auto module = std::make_unique<llvm::Module>(options.unit_name, *context);
  module->setDataLayout(layout);
  module->setTargetTriple(triple.str());
  CompileResult result;
  try {
    detail::Emitter emitter(program, globals, data, options, *context, *module);
    // Not verified here: the JIT verifies the modules it compiles and skips
    // those it finds in its object cache (jit.hpp).
    std::string entry = emitter.emit_unit();
    result.compiled = CompiledModule{
        llvm::orc::ThreadSafeModule(std::move(module), std::move(context)), entry,
        emitter.take_addresses()};
  } catch (const detail::CodegenError& e) {
    result.error = e.diagnostic;
  }
  return result;
}

}  // namespace boc::codegen
