// The table of runtime entry points (and the C library functions compiled
// code calls) bound into every JIT: name and address.
#pragma once

#include <span>
#include <string_view>

namespace boc::jit {

struct RuntimeSymbol {
  std::string_view name;
  void* address;
};

std::span<const RuntimeSymbol> runtime_symbols();

}  // namespace boc::jit
