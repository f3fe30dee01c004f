// Compiling and running units of source on the host thread: run_string,
// run_file, eval, call, and the --dump-ast / --dump-ir aids.
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include "compiler/driver/engine_impl.hpp"
#include "compiler/driver/entries.hpp"
#include "compiler/driver/errors.hpp"
#include "compiler/driver/value_access.hpp"
#include "compiler/jit/optimize.hpp"
#include "compiler/parse/parser.hpp"
#include "llvm/IR/Module.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Support/raw_ostream.h"

namespace boc {

using detail::ValueAccess;

std::unique_ptr<ast::Program> Engine::Impl::front_end(std::string_view source,
                                                      const std::string& name, bool entry) {
  parse::ParseResult parsed = entry ? driver::parse_entry(source, name) : parse::parse(source, name);
  if (parsed.error) throw driver::compile_error(*parsed.error, source);
  if (auto error = resolve::resolve(*parsed.program, globals))
    throw driver::compile_error(*error, source);
  return std::move(parsed.program);
}

Engine::Impl::EntryFn Engine::Impl::compile(std::string_view source, const std::string& name,
                                            bool entry) {
  // An interrupt meant for an earlier call must not stop this one; one that
  // arrives while this unit compiles stops it at its first poll.
  ctx.interrupt.store(0, std::memory_order_relaxed);
  std::unique_ptr<ast::Program> program = front_end(source, name, entry);
  ensure_jit(name);
  auto data = std::make_unique<codegen::UnitData>();
  codegen::Options options;
  options.unit_name = "boc_unit" + std::to_string(units.size());
  options.global_address = [this](uint32_t index) { return global_address(index); };
  options.return_last_expression = entry;
  codegen::CompileResult compiled =
      codegen::compile(*program, globals, *data, options, jit->data_layout(), jit->target_triple());
  if (compiled.error) throw driver::compile_error(*compiled.error, source);
  programs.push_back(std::move(program));
  units.push_back(std::move(data));
  if (auto err = jit->add_module(std::move(compiled.compiled->module),
                                 compiled.compiled->addresses))
    throw driver::internal_error(name, llvm::toString(std::move(err)));
  auto address = jit->lookup(compiled.compiled->entry_symbol);
  if (!address) throw driver::internal_error(name, llvm::toString(address.takeError()));
  return reinterpret_cast<EntryFn>(*address);
}

rt::Value Engine::Impl::execute(EntryFn entry) {
  // The host may call from a different thread each time.
  rt::set_stack_limit_for_current_thread(&ctx);
  return entry(&ctx);
}

rt::Value Engine::Impl::execute_call(rt::Value callee, const rt::Value* args, uint32_t argc) {
  ctx.interrupt.store(0, std::memory_order_relaxed);
  rt::set_stack_limit_for_current_thread(&ctx);
  return boc_rt_call(&ctx, callee, args, argc);
}

void Engine::Impl::throw_pending(bool wait_for_behaviors_first) {
  rt::Value error = boc_rt_take_error(&ctx);
  if (ctx.exiting) {
    rt::release(error);
    ctx.exiting = false;
    throw Exit(ctx.exit_code);
  }
  // A script's behaviors already scheduled still run (LANGUAGE.md section 7).
  if (wait_for_behaviors_first) runtime->scheduler().wait_all();
  throw driver::runtime_error(error);
}

void Engine::Impl::run(std::string_view source, const std::string& name) {
  rt::Value result = execute(compile(source, name, false));
  if (result.is_exc()) throw_pending(true);
  rt::release(result);
  wait_for_behaviors();
}

void Engine::run_string(std::string_view source, const std::string& name) {
  driver::guarded([&] { impl_->run(source, name); });
}

void Engine::run_file(const std::string& path) {
  driver::guarded([&] {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      std::string text = "cannot open '" + path + "': " + std::strerror(errno);
      throw Error(Error::Kind::Io, text, path, 0, 0, text + "\n");
    }
    std::stringstream buffer;
    buffer << in.rdbuf();
    impl_->run(buffer.str(), path);
  });
}

Value Engine::eval(std::string_view source, const std::string& name) {
  return driver::guarded([&] {
    rt::Value result = impl_->execute(impl_->compile(source, name, true));
    if (result.is_exc()) impl_->throw_pending(false);
    return ValueAccess::adopt(result);
  });
}

Value Engine::call(const std::string& name, std::span<const Value> args) {
  return driver::guarded([&] {
    auto index = impl_->globals.find(name);
    if (!index || !impl_->globals.info(*index).defined)
      throw driver::usage_error("call: no global named '" + name + "'");
    Value callee = ValueAccess::share(*impl_->global_address(*index));
    if (!callee.is_function())
      throw driver::usage_error("call: global '" + name + "' is a " + callee.type_name() +
                                ", not a function");
    std::vector<rt::Value> raw;
    raw.reserve(args.size());
    for (const Value& a : args) raw.push_back(ValueAccess::raw(a));
    rt::Value result = impl_->execute_call(ValueAccess::raw(callee), raw.data(),
                                           static_cast<uint32_t>(raw.size()));
    if (result.is_exc()) impl_->throw_pending(false);
    return ValueAccess::adopt(result);
  });
}

Value Engine::call(const std::string& name, std::initializer_list<Value> args) {
  return call(name, std::span<const Value>(args.begin(), args.size()));
}

std::string Engine::dump_ast(std::string_view source, const std::string& name) {
  return driver::guarded([&] {
    parse::ParseResult parsed = parse::parse(source, name);
    if (parsed.error) throw driver::compile_error(*parsed.error, source);
    return parse::dump(*parsed.program);
  });
}

std::string Engine::dump_ir(std::string_view source, const std::string& name, bool optimized) {
  return driver::guarded([&] {
    std::unique_ptr<ast::Program> program = impl_->front_end(source, name);
    codegen::UnitData data;
    codegen::Options options;
    options.unit_name = "boc_dump";
    options.global_address = [this](uint32_t index) { return impl_->global_address(index); };
    jit::Jit& jit = impl_->ensure_jit(name);
    codegen::CompileResult compiled = codegen::compile(*program, impl_->globals, data, options,
                                                       jit.data_layout(), jit.target_triple());
    if (compiled.error) throw driver::compile_error(*compiled.error, source);
    std::string text;
    llvm::raw_string_ostream out(text);
    compiled.compiled->module.withModuleDo([&](llvm::Module& m) {
      if (optimized) {
        jit::optimize_module(m);
        std::string problems;
        llvm::raw_string_ostream why(problems);
        if (llvm::verifyModule(m, &why))
          throw std::logic_error("internal error: the optimized IR does not verify: " + problems);
      }
      m.print(out, nullptr);
    });
    return text;
  });
}

}  // namespace boc
