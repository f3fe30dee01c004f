// Globals seen from the host: set_global, global, has_global.
//
// Assignments follow the script rules (LANGUAGE.md section 4): builtins and
// top-level fns are constants, and a global a behavior has read is frozen.
// The store goes through the same locked path as a script assignment made
// while behaviors may run (runtime/global_cell.hpp).
#include "compiler/driver/engine_impl.hpp"
#include "compiler/driver/errors.hpp"
#include "compiler/driver/value_access.hpp"
#include "runtime/error.hpp"

namespace boc {

using detail::ValueAccess;

void Engine::set_global(const std::string& name, const Value& value) {
  driver::guarded([&] {
    auto index = impl_->globals.find(name);
    if (!index || !impl_->globals.info(*index).defined) {
      // A new global: nothing compiled reads it yet.
      uint32_t i = impl_->globals.declare(name);
      impl_->globals.info(i).defined = true;
      rt::Value* slot = impl_->global_address(i);
      rt::release(*slot);
      *slot = ValueAccess::retained(value);
      return;
    }
    resolve::GlobalInfo& info = impl_->globals.info(*index);
    if (info.builtin) throw driver::usage_error("cannot assign to builtin '" + name + "'");
    if (info.function)
      throw driver::usage_error("cannot assign to function '" + name + "' declared by a script");
    // Units compiled from now on treat it as assigned (no longer a constant).
    info.constant = false;
    rt::Value r = boc_rt_global_store(&impl_->ctx, &impl_->global_cell(*index),
                                      ValueAccess::retained(value));
    if (r.is_exc()) {
      rt::Value error = boc_rt_take_error(&impl_->ctx);
      std::string message = rt::as_error(error)->message;
      rt::release(error);
      throw driver::usage_error(message);
    }
  });
}

Value Engine::global(const std::string& name) {
  return driver::guarded([&] {
    auto index = impl_->globals.find(name);
    if (!index || !impl_->globals.info(*index).defined)
      throw driver::usage_error("no global named '" + name + "'");
    // Only the host thread assigns globals, so reading here needs no lock.
    return ValueAccess::share(*impl_->global_address(*index));
  });
}

bool Engine::has_global(const std::string& name) {
  return driver::guarded([&] {
    auto index = impl_->globals.find(name);
    return index && impl_->globals.info(*index).defined;
  });
}

}  // namespace boc
