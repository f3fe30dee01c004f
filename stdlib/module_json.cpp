// The json module: parse(s) and stringify(v), over stdlib/json/.
#include "runtime/string.hpp"
#include "stdlib/json/json.hpp"
#include "stdlib/module_table.hpp"
#include "stdlib/native.hpp"

namespace boc::stdlib {
namespace {

using rt::Ctx;
using rt::Tag;
using rt::Value;

Value parse(Ctx* ctx, const Value* args, uint32_t) {
  if (args[0].tag != Tag::String) return type_error(ctx, "json.parse", "a string", args[0]);
  return json::parse(ctx, rt::string_view_of(args[0]));
}

Value stringify(Ctx* ctx, const Value* args, uint32_t) { return json::stringify(ctx, args[0]); }

constexpr ModuleFn kJsonFns[] = {
    {"json.parse", 1, 1, parse},
    {"json.stringify", 1, 1, stringify},
};
constexpr auto kJsonProtos = module_protos<kJsonFns>();

}  // namespace

Value make_json_module() { return make_module_map(kJsonProtos); }

}  // namespace boc::stdlib
