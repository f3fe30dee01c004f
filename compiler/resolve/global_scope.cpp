// The global table shared by every compile unit of one engine (GlobalScope).
#include <string>

#include "compiler/resolve/resolver.hpp"

namespace boc::resolve {

std::optional<uint32_t> GlobalScope::find(std::string_view name) const {
  // The header's map has no transparent hash, so the lookup builds a string;
  // globals are looked up once per name occurrence at compile time only.
  auto it = index_.find(std::string(name));
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

uint32_t GlobalScope::declare(std::string_view name) {
  if (auto found = find(name)) return *found;
  // A fresh entry is not yet `defined`: the resolver marks it so only when
  // the unit that declares it compiles without error, so a failed REPL entry
  // leaves at most an inert name behind.
  auto index = static_cast<uint32_t>(globals_.size());
  GlobalInfo info;
  info.name = std::string(name);
  globals_.push_back(std::move(info));
  index_.emplace(std::string(name), index);
  return index;
}

}  // namespace boc::resolve
