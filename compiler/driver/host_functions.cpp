// Engine::define: host C++ functions callable from scripts.
//
// Design note: a host function is a native rt::Function whose entry is one
// trampoline; its single capture is the address of the engine's
// HostFunction record. The trampoline is the boundary between compiled code
// and host C++: no exception crosses it (STYLE.md section 4). A host
// exception becomes a script error, so try/catch in the script sees it.
#include <cstdint>
#include <vector>

#include "compiler/driver/engine_impl.hpp"
#include "compiler/driver/errors.hpp"
#include "compiler/driver/value_access.hpp"
#include "runtime/function.hpp"
#include "stdlib/native.hpp"

namespace boc {

using detail::ValueAccess;

namespace {

rt::Value raise_host(rt::Ctx* ctx, const driver::HostFunction& hf, std::string message) {
  if (message.empty()) message = hf.name + "() failed";
  return rt::raise(ctx, std::move(message));
}

rt::Value host_entry(rt::Ctx* ctx, rt::Function* self, const rt::Value* args, uint32_t argc) {
  const auto& hf = *reinterpret_cast<const driver::HostFunction*>(self->captures[0].bits);
  if (hf.arity >= 0) {
    auto n = static_cast<uint32_t>(hf.arity);
    if (!stdlib::check_arity(ctx, hf.name, n, n, argc)) return rt::Value::exc();
  }
  try {
    std::vector<Value> in;
    in.reserve(argc);
    for (uint32_t i = 0; i < argc; ++i) in.push_back(ValueAccess::share(args[i]));
    Value out = hf.fn(std::span<const Value>(in));
    return ValueAccess::retained(out);
  } catch (const Exit& e) {
    // As the exit() builtin: unwinds the program, no catch takes it.
    rt::Value exc = rt::raise(ctx, "exit");
    ctx->exiting = true;
    ctx->exit_code = e.code() & 0xff;
    return exc;
  } catch (const Error& e) {
    return raise_host(ctx, hf, e.message());
  } catch (const std::exception& e) {
    return raise_host(ctx, hf, e.what());
  } catch (...) {
    return raise_host(ctx, hf, hf.name + "() threw a C++ exception");
  }
}

}  // namespace

void Engine::define_native(const std::string& name, int arity, NativeFunction fn) {
  driver::guarded([&] {
    if (!fn) throw driver::usage_error("define: empty function for '" + name + "'");
    if (auto index = impl_->globals.find(name)) {
      const resolve::GlobalInfo& info = impl_->globals.info(*index);
      if (info.defined && !info.builtin)
        throw driver::usage_error("define: '" + name + "' is already a script global");
      // Behaviors read builtins without a lock: none may run while it changes.
      impl_->runtime->scheduler().wait_all();
    }
    driver::HostFunction& hf = impl_->host_functions.emplace_back();
    hf.name = name;
    hf.arity = arity < 0 ? -1 : arity;
    hf.fn = std::move(fn);
    hf.proto = rt::FnProto{host_entry, hf.name.c_str(), static_cast<uint32_t>(arity < 0 ? 0 : arity)};
    rt::Function* f = rt::function_new(&hf.proto, 1);
    f->captures[0] = rt::Value::integer(static_cast<int64_t>(reinterpret_cast<intptr_t>(&hf)));
    impl_->define_global(name, rt::function_value(f), true);
  });
}

}  // namespace boc
