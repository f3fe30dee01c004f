// The table of built-in method names: the single place that says which
// methods exist and which of them mutate their receiver.
//
// The resolver uses `mutates` to see in-place assignments (g.push(x) assigns
// g); the stdlib dispatches on the index of a name in this table, which is
// also the method id that compiled code passes to boc_rt_call_method.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace boc::rt {

struct MethodName {
  std::string_view name;
  bool mutates;  // changes the receiver in place (list or map methods)
};

inline constexpr MethodName kMethods[] = {
    // strings
    {"upper", false}, {"lower", false}, {"trim", false}, {"split", false},
    {"contains", false}, {"starts_with", false}, {"ends_with", false},
    {"find", false}, {"replace", false}, {"slice", false}, {"repeat", false},
    {"join", false},
    // lists (contains, slice and len are shared with strings and maps)
    {"push", true}, {"pop", true}, {"insert", true}, {"remove", true},
    {"sort", true}, {"reverse", true}, {"index", false}, {"map", false},
    {"filter", false}, {"reduce", false}, {"len", false},
    // maps (remove is shared with lists)
    {"keys", false}, {"values", false}, {"has", false}, {"get", false},
};

inline constexpr uint32_t kNoMethod = UINT32_MAX;

// Index of `name` in kMethods, or kNoMethod (then only a map field holding a
// function can answer the call).
constexpr uint32_t method_id(std::string_view name) {
  for (uint32_t i = 0; i < std::size(kMethods); ++i)
    if (kMethods[i].name == name) return i;
  return kNoMethod;
}

constexpr bool method_mutates(std::string_view name) {
  uint32_t id = method_id(name);
  return id != kNoMethod && kMethods[id].mutates;
}

}  // namespace boc::rt
