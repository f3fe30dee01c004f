// The runtime entry points bound into every JIT (runtime/abi.hpp).
#include "compiler/jit/runtime_symbols.hpp"

#include <cstring>

#include "runtime/abi.hpp"
#include "runtime/global_cell.hpp"
#include "runtime/group.hpp"
#include "runtime/when.hpp"

namespace boc::jit {

namespace {
#define BOC_SYMBOL(fn) RuntimeSymbol{#fn, reinterpret_cast<void*>(&fn)}
const RuntimeSymbol kSymbols[] = {
    BOC_SYMBOL(boc_rt_free),         BOC_SYMBOL(boc_rt_release),         BOC_SYMBOL(boc_rt_trace),
    BOC_SYMBOL(boc_rt_stack_guard),  BOC_SYMBOL(boc_rt_arity_error),
    BOC_SYMBOL(boc_rt_take_error),   BOC_SYMBOL(boc_rt_add),
    BOC_SYMBOL(boc_rt_sub),          BOC_SYMBOL(boc_rt_mul),
    BOC_SYMBOL(boc_rt_div),          BOC_SYMBOL(boc_rt_mod),
    BOC_SYMBOL(boc_rt_neg),          BOC_SYMBOL(boc_rt_eq),
    BOC_SYMBOL(boc_rt_ne),           BOC_SYMBOL(boc_rt_lt),
    BOC_SYMBOL(boc_rt_le),           BOC_SYMBOL(boc_rt_gt),
    BOC_SYMBOL(boc_rt_ge),           BOC_SYMBOL(boc_rt_range),
    BOC_SYMBOL(boc_rt_compound_assign), BOC_SYMBOL(boc_rt_list_new),
    BOC_SYMBOL(boc_rt_map_new),      BOC_SYMBOL(boc_rt_interp),
    BOC_SYMBOL(boc_rt_closure_new),  BOC_SYMBOL(boc_rt_index),
    BOC_SYMBOL(boc_rt_field),        BOC_SYMBOL(boc_rt_index_place),
    BOC_SYMBOL(boc_rt_call),         BOC_SYMBOL(boc_rt_call_method),
    BOC_SYMBOL(boc_rt_iter_next),    BOC_SYMBOL(boc_rt_when_begin),
    BOC_SYMBOL(boc_rt_when_begin_cowns), BOC_SYMBOL(boc_rt_when_submit),
    BOC_SYMBOL(boc_rt_entry_read),
    BOC_SYMBOL(boc_rt_global_read),  BOC_SYMBOL(boc_rt_global_lend),
    BOC_SYMBOL(boc_rt_global_store),
    // What LLVM lowers llvm.memset and friends to (zeroing argument arrays).
    BOC_SYMBOL(memset),              BOC_SYMBOL(memcpy),                 BOC_SYMBOL(memmove),
};
#undef BOC_SYMBOL
}  // namespace

std::span<const RuntimeSymbol> runtime_symbols() { return kSymbols; }

}  // namespace boc::jit
