// Building module maps from their function tables, and the list of modules.
#include "stdlib/module_table.hpp"

#include <cstring>

#include "runtime/function.hpp"
#include "runtime/map.hpp"
#include "runtime/string.hpp"
#include "stdlib/modules.hpp"

namespace boc::stdlib {

rt::Value make_module_map(std::span<const rt::FnProto> protos,
                          std::span<const ModuleConstant> constants) {
  rt::Map* map = rt::map_new(protos.size() + constants.size());
  for (const rt::FnProto& proto : protos) {
    const char* dot = std::strrchr(proto.name, '.');
    rt::Value key = rt::make_string(dot != nullptr ? dot + 1 : proto.name);
    rt::map_set(map, key, rt::function_value(rt::function_new(&proto, 0)));
    rt::release(key);  // map_set retained its own reference
  }
  for (const ModuleConstant& c : constants) {
    rt::Value key = rt::make_string(c.key);
    rt::map_set(map, key, c.value);
    rt::release(key);
  }
  return rt::map_value(map);
}

// THE list of modules. The engine defines each as a constant global.
std::vector<std::pair<std::string, rt::Value>> make_modules() {
  std::vector<std::pair<std::string, rt::Value>> out;
  out.emplace_back("math", make_math_module());
  out.emplace_back("time", make_time_module());
  out.emplace_back("random", make_random_module());
  out.emplace_back("json", make_json_module());
  out.emplace_back("io", make_io_module());
  return out;
}

}  // namespace boc::stdlib
