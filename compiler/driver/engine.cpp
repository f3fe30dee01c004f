// boc::Engine: the pipeline from source to running code, behind boc.hpp.
#include <deque>
#include <fstream>
#include <sstream>
#include <system_error>

#include "boc/boc.hpp"
#include "compiler/codegen/codegen.hpp"
#include "compiler/driver/output.hpp"
#include "compiler/jit/jit.hpp"
#include "compiler/parse/parser.hpp"
#include "compiler/resolve/resolver.hpp"
#include "llvm/IR/Module.h"
#include "llvm/Support/raw_ostream.h"
#include "runtime/abi.hpp"
#include "runtime/error.hpp"
#include "runtime/function.hpp"
#include "runtime/global_cell.hpp"
#include "runtime/script_runtime.hpp"
#include "runtime/list.hpp"
#include "runtime/string.hpp"
#include "stdlib/builtins.hpp"
#include "stdlib/concurrency.hpp"
#include "stdlib/modules.hpp"

namespace boc {

Error::Error(Kind kind, std::string message, std::string file, uint32_t line, uint32_t column,
             std::string report)
    : kind_(kind),
      message_(std::move(message)),
      file_(std::move(file)),
      line_(line),
      column_(column),
      report_(std::move(report)) {}

namespace {

using EntryFn = rt::Value (*)(rt::Ctx*);

// Routes script output to the host's sinks.
class EngineHost : public rt::Host {
 public:
  EngineHost(std::function<void(std::string_view)> out, std::function<void(std::string_view)> err,
             bool allow_io)
      : out_(std::move(out)), err_(std::move(err)), allow_io_(allow_io) {}
  void write_out(std::string_view text) override { out_(text); }
  void write_err(std::string_view text) override { err_(text); }
  bool allow_io() const override { return allow_io_; }

 private:
  std::function<void(std::string_view)> out_, err_;
  bool allow_io_;
};

// exit(code?): unwinds the whole program; see Ctx::exiting.
rt::Value native_exit(rt::Ctx* ctx, rt::Function*, const rt::Value* args, uint32_t argc) {
  int64_t code = 0;
  if (argc > 1) return rt::raise(ctx, "exit() expects 0 to 1 arguments, got " + std::to_string(argc));
  if (argc == 1) {
    if (args[0].tag != rt::Tag::Int) return rt::raise(ctx, "exit() expects an int status");
    code = args[0].as_int();
  }
  rt::Value e = rt::raise(ctx, "exit");
  ctx->exiting = true;
  ctx->exit_code = static_cast<int>(code & 0xff);
  return e;
}
const rt::FnProto kExitProto{native_exit, "exit", 1};

Error compile_error(const Diagnostic& d, std::string_view source) {
  return Error(Error::Kind::Compile, d.message, d.file, d.loc.line, d.loc.col,
               format_diagnostic(d, source));
}

Error internal_error(const std::string& file, llvm::Error err) {
  std::string text = "internal error: " + llvm::toString(std::move(err));
  return Error(Error::Kind::Compile, text, file, 0, 0, file + ": " + text + "\n");
}

}  // namespace

struct Engine::Impl {
  explicit Impl(Options options);
  ~Impl();

  std::unique_ptr<ast::Program> front_end(std::string_view source, const std::string& name);
  void run(std::string_view source, const std::string& name);
  // Waits for every behavior; reports behaviors that failed or called exit.
  void wait_for_behaviors();
  rt::Value* global_address(uint32_t index);
  jit::Jit& ensure_jit(const std::string& name);
  void define_global(const std::string& name, rt::Value value_move, bool builtin);

  std::unique_ptr<driver::BufferedFd> stdout_buffer;
  std::unique_ptr<driver::BufferedFd> stderr_buffer;
  std::unique_ptr<EngineHost> host;
  rt::Ctx ctx;
  resolve::GlobalScope globals;
  std::deque<rt::GlobalCell> global_cells;  // stable addresses, indexed like globals
  std::unique_ptr<jit::Jit> jit;
  // Kept for the engine's life: compiled code points into both.
  std::vector<std::unique_ptr<ast::Program>> programs;
  std::vector<std::unique_ptr<codegen::UnitData>> units;
  // Behaviors run compiled code and read globals: stopped first (~Impl).
  std::unique_ptr<rt::ScriptRuntime> runtime;
};

Engine::Impl::Impl(Options options) {
  unsigned workers = options.workers;
  if (!options.out) {
    stdout_buffer = std::make_unique<driver::BufferedFd>(1);
    options.out = [this](std::string_view s) { stdout_buffer->write(s); };
  }
  if (!options.err) {
    stderr_buffer = std::make_unique<driver::BufferedFd>(2);
    // Whatever the script printed comes first, then the error.
    options.err = [this](std::string_view s) {
      if (stdout_buffer) stdout_buffer->flush();
      stderr_buffer->write(s);
      stderr_buffer->flush();
    };
  }
  host = std::make_unique<EngineHost>(options.out, options.err, options.allow_io);
  ctx.host = host.get();
  ctx.engine = this;
  runtime = std::make_unique<rt::ScriptRuntime>(host.get(), this, workers);
  ctx.runtime = runtime.get();
  for (auto& [name, value] : stdlib::make_core_builtins()) define_global(name, value, true);
  for (auto& [name, value] : stdlib::make_modules()) define_global(name, value, true);
  for (auto& [name, value] : stdlib::make_concurrency_builtins()) define_global(name, value, true);
  rt::Function* exit_fn = rt::function_new(&kExitProto, 0);
  define_global("exit", rt::function_value(exit_fn), true);
  define_global("args", rt::list_value(rt::list_new()), true);
}

Engine::Impl::~Impl() {
  runtime.reset();
  // Globals may hold closures and constants of compiled units: release them
  // before the units' data goes.
  for (rt::GlobalCell& cell : global_cells) {
    rt::release(cell.value);
    cell.value = rt::Value::nil();
  }
  rt::release(ctx.error);
  units.clear();
  if (stdout_buffer) stdout_buffer->flush();
}

// LLVM is set up on first use, so an engine that only parses stays cheap.
jit::Jit& Engine::Impl::ensure_jit(const std::string& name) {
  if (!jit) {
    auto created = jit::Jit::create();
    if (!created) throw internal_error(name, created.takeError());
    jit = std::move(*created);
  }
  return *jit;
}

rt::Value* Engine::Impl::global_address(uint32_t index) {
  while (global_cells.size() <= index) {
    rt::GlobalCell& cell = global_cells.emplace_back();
    cell.name = globals.info(static_cast<uint32_t>(global_cells.size() - 1)).name;
  }
  return &global_cells[index].value;
}

void Engine::Impl::define_global(const std::string& name, rt::Value value_move, bool builtin) {
  uint32_t index = globals.declare(name);
  resolve::GlobalInfo& info = globals.info(index);
  info.builtin = builtin;
  info.defined = true;
  rt::Value* slot = global_address(index);
  rt::release(*slot);
  *slot = value_move;
}

std::unique_ptr<ast::Program> Engine::Impl::front_end(std::string_view source,
                                                      const std::string& name) {
  parse::ParseResult parsed = parse::parse(source, name);
  if (parsed.error) throw compile_error(*parsed.error, source);
  if (auto error = resolve::resolve(*parsed.program, globals)) throw compile_error(*error, source);
  return std::move(parsed.program);
}

void Engine::Impl::run(std::string_view source, const std::string& name) {
  std::unique_ptr<ast::Program> program = front_end(source, name);
  ensure_jit(name);
  auto data = std::make_unique<codegen::UnitData>();
  codegen::Options options;
  options.unit_name = "boc_unit" + std::to_string(units.size());
  options.global_address = [this](uint32_t index) { return global_address(index); };
  codegen::CompileResult compiled =
      codegen::compile(*program, globals, *data, options, jit->data_layout(), jit->target_triple());
  if (compiled.error) throw compile_error(*compiled.error, source);
  programs.push_back(std::move(program));
  units.push_back(std::move(data));
  if (auto err = jit->add_module(std::move(compiled.compiled->module)))
    throw internal_error(name, std::move(err));
  auto entry = jit->lookup(compiled.compiled->entry_symbol);
  if (!entry) throw internal_error(name, entry.takeError());

  rt::set_stack_limit_for_current_thread(&ctx);
  rt::Value result = reinterpret_cast<EntryFn>(*entry)(&ctx);
  if (!result.is_exc()) {
    rt::release(result);
    wait_for_behaviors();
    return;
  }
  rt::Value error = boc_rt_take_error(&ctx);
  if (ctx.exiting) {
    rt::release(error);
    ctx.exiting = false;
    throw Exit(ctx.exit_code);
  }
  // Behaviors already scheduled still run (LANGUAGE.md section 7).
  runtime->scheduler().wait_all();
  std::string report = rt::format_runtime_error(error);
  std::string message, file;
  uint32_t line = 0, col = 0;
  if (error.tag == rt::Tag::Error) {
    const rt::Error* e = rt::as_error(error);
    message = e->message;
    file = e->file;
    line = e->line;
    col = e->col;
  }
  rt::release(error);
  throw Error(Error::Kind::Runtime, message, file, line, col, report);
}

void Engine::Impl::wait_for_behaviors() {
  runtime->scheduler().wait_all();
  int code = 0;
  if (runtime->exit_requested(&code)) throw Exit(code);
  // Each failure was reported on the error sink when it happened.
  if (uint64_t failed = runtime->take_failure_count())
    throw Error(Error::Kind::Runtime, std::to_string(failed) + " behavior(s) failed", "", 0, 0, "");
}

Engine::Engine(Options options) : impl_(std::make_unique<Impl>(std::move(options))) {}
Engine::~Engine() = default;

void Engine::run_string(std::string_view source, const std::string& name) { impl_->run(source, name); }

void Engine::run_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::system_error(errno, std::generic_category(), path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  impl_->run(buffer.str(), path);
}

void Engine::set_args(std::vector<std::string> args) {
  rt::List* list = rt::list_new(args.size());
  for (const std::string& a : args) rt::list_push(list, rt::make_string(a));
  impl_->define_global("args", rt::list_value(list), true);
}

void Engine::flush() {
  if (impl_->stdout_buffer) impl_->stdout_buffer->flush();
}

std::string Engine::dump_ast(std::string_view source, const std::string& name) {
  parse::ParseResult parsed = parse::parse(source, name);
  if (parsed.error) throw compile_error(*parsed.error, source);
  return parse::dump(*parsed.program);
}

std::string Engine::dump_ir(std::string_view source, const std::string& name) {
  std::unique_ptr<ast::Program> program = impl_->front_end(source, name);
  codegen::UnitData data;
  codegen::Options options;
  options.unit_name = "boc_dump";
  options.global_address = [this](uint32_t index) { return impl_->global_address(index); };
  jit::Jit& jit = impl_->ensure_jit(name);
  codegen::CompileResult compiled = codegen::compile(*program, impl_->globals, data, options,
                                                     jit.data_layout(), jit.target_triple());
  if (compiled.error) throw compile_error(*compiled.error, source);
  std::string text;
  llvm::raw_string_ostream out(text);
  compiled.compiled->module.withModuleDo([&](llvm::Module& m) { m.print(out, nullptr); });
  return text;
}

}  // namespace boc
