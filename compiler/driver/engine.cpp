// boc::Engine's life: setting up the sinks, the runtime and the builtins,
// the global table, and tearing it all down in order.
#include <utility>

#include "compiler/driver/engine_impl.hpp"
#include "compiler/driver/errors.hpp"
#include "runtime/function.hpp"
#include "runtime/list.hpp"
#include "runtime/string.hpp"
#include "stdlib/builtins.hpp"
#include "stdlib/concurrency.hpp"
#include "stdlib/modules.hpp"

namespace boc {

namespace {

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

}  // namespace

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
  host = std::make_unique<driver::EngineHost>(options.out, options.err, options.allow_io);
  cache_dir = options.cache_dir;
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
    auto created = jit::Jit::create(/*optimize=*/true, cache_dir);
    if (!created) throw driver::internal_error(name, llvm::toString(created.takeError()));
    jit = std::move(*created);
  }
  return *jit;
}

rt::Value* Engine::Impl::global_address(uint32_t index) { return &global_cell(index).value; }

rt::GlobalCell& Engine::Impl::global_cell(uint32_t index) {
  while (global_cells.size() <= index) {
    rt::GlobalCell& cell = global_cells.emplace_back();
    cell.name = globals.info(static_cast<uint32_t>(global_cells.size() - 1)).name;
  }
  return global_cells[index];
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

Engine::Engine(Options options)
    : impl_(driver::guarded([&] { return std::make_unique<Impl>(std::move(options)); })) {}
Engine::~Engine() = default;

void Engine::set_args(std::vector<std::string> args) {
  driver::guarded([&] {
    rt::List* list = rt::list_new(args.size());
    for (const std::string& a : args) rt::list_push(list, rt::make_string(a));
    impl_->define_global("args", rt::list_value(list), true);
  });
}

void Engine::flush() {
  driver::guarded([&] {
    if (impl_->stdout_buffer) impl_->stdout_buffer->flush();
  });
}

void Engine::interrupt() noexcept { rt::request_interrupt(&impl_->ctx); }

}  // namespace boc
