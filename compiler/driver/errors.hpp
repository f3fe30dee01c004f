// Turning compile diagnostics, runtime error values and stray C++ exceptions
// into boc::Error at the edge of the public API.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "boc/boc.hpp"
#include "compiler/ast/diagnostic.hpp"
#include "runtime/value.hpp"

namespace boc::driver {

Error compile_error(const Diagnostic& d, std::string_view source);
// An internal failure (LLVM could not set up or link a unit).
Error internal_error(const std::string& file, std::string text);
// An uncaught script error; takes over error_move (an rt Error value).
Error runtime_error(rt::Value error_move);
Error usage_error(std::string message);

// Runs f(), letting only boc::Error and boc::Exit out: every public Engine
// call goes through this (STYLE.md section 4, "a protected boundary").
template <class F>
decltype(auto) guarded(F&& f) {
  try {
    return std::forward<F>(f)();
  } catch (const Error&) {
    throw;
  } catch (const Exit&) {
    throw;
  } catch (const std::bad_alloc&) {
    throw Error(Error::Kind::Runtime, "out of memory");
  } catch (const std::exception& e) {
    throw usage_error(e.what());
  } catch (...) {
    throw usage_error("unknown C++ exception");
  }
}

}  // namespace boc::driver
