// The running executable's build id, part of the object cache's key.
#pragma once

#include <string>

namespace boc::jit {

// The GNU build id note of the executable this process runs (the boc command,
// or a host program with Boc linked in), in hex; empty if it has none.
std::string executable_build_id();

}  // namespace boc::jit
