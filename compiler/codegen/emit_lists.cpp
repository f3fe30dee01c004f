// Lists inline: indexing, push and iteration read the element vector
// directly in the common case and fall back to the runtime otherwise.
#include "compiler/codegen/emitter.hpp"
#include "runtime/list.hpp"

namespace boc::codegen::detail {

}  // namespace boc::codegen::detail
