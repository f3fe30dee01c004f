// Reading and writing inside values: indexing, fields, element places and
// iteration (a[i], m[k], s[i], a.f, a[i] = v, for (x in v)).
//
// Strings index by byte, like len and slice: s[i] is the one-byte string at
// byte offset i (a whole character for ASCII text). Iteration, in contrast,
// yields whole UTF-8 characters.
#include <string>

#include "runtime/abi.hpp"
#include "runtime/error.hpp"
#include "runtime/format.hpp"
#include "runtime/group.hpp"
#include "runtime/list.hpp"
#include "runtime/map.hpp"
#include "runtime/ops.hpp"
#include "runtime/string.hpp"

namespace boc::rt {
namespace {

// "key 'x' not found" for strings, "key 5 not found" otherwise.
Value key_not_found(Ctx* ctx, Value key) {
  std::string text = "key ";
  if (key.tag == Tag::String) {
    text += '\'';
    text += string_view_of(key);
    text += '\'';
  } else {
    format_value(text, key);
  }
  return raise(ctx, text + " not found");
}

// The position of integer index `key` in a `kind` of `length`, or nullopt
// after raising.
std::optional<size_t> sequence_position(Ctx* ctx, const char* kind, size_t length, Value key) {
  if (key.tag != Tag::Int) {
    raise(ctx, std::string(kind) + " index must be an int, not " + type_name(key));
    return std::nullopt;
  }
  std::optional<size_t> i = normalize_index(key.as_int(), length);
  if (!i)
    raise(ctx, "index " + std::to_string(key.as_int()) + " out of range for " + kind +
                   " of length " + std::to_string(length));
  return i;
}

Value error_field(Ctx* ctx, const Error* e, std::string_view name) {
  if (name == "message") return make_string(e->message);
  if (name == "file") return e->located ? make_string(e->file) : Value::nil();
  if (name == "line") return e->located ? Value::integer(e->line) : Value::nil();
  if (name == "col") return e->located ? Value::integer(e->col) : Value::nil();
  return raise(ctx, "error has no field '" + std::string(name) + "'");
}

}  // namespace
}  // namespace boc::rt

extern "C" {

Value boc_rt_index(Ctx* ctx, Value object, Value key) {
  using namespace boc::rt;
  switch (object.tag) {
    case Tag::List: {
      const List* l = as_list(object);
      std::optional<size_t> i = sequence_position(ctx, "list", l->items.size(), key);
      if (!i) return Value::exc();
      Value v = l->items[*i];
      retain(v);
      return v;
    }
    case Tag::Map: {
      if (auto problem = map_key_problem(key)) return raise(ctx, std::move(*problem));
      const Value* slot = map_find(as_map(object), key);
      if (!slot) return key_not_found(ctx, key);
      retain(*slot);
      return *slot;
    }
    case Tag::String: {
      std::string_view s = string_view_of(object);
      std::optional<size_t> i = sequence_position(ctx, "string", s.size(), key);
      if (!i) return Value::exc();
      return make_string(s.substr(*i, 1));
    }
    default:
      return raise(ctx, std::string("cannot index ") + type_name(object));
  }
}

Value boc_rt_field(Ctx* ctx, Value object, Value name) {
  using namespace boc::rt;
  if (name.tag != Tag::String) return boc_rt_index(ctx, object, name);  // codegen passes strings
  if (object.tag == Tag::Map) {
    const Value* slot = map_find(as_map(object), name);
    if (!slot) return key_not_found(ctx, name);
    retain(*slot);
    return *slot;
  }
  if (object.tag == Tag::Error) return error_field(ctx, as_error(object), string_view_of(name));
  return raise(ctx, "cannot read field '" + std::string(string_view_of(name)) + "' of " +
                        type_name(object));
}

Value* boc_rt_index_place(Ctx* ctx, Value* place, Value key, uint32_t create) {
  using namespace boc::rt;
  switch (place->tag) {
    case Tag::List: {
      // Check before copying: the length is the same either way.
      std::optional<size_t> i = sequence_position(ctx, "list", as_list(*place)->items.size(), key);
      if (!i) return nullptr;
      return &as_list(*make_unique(place))->items[*i];
    }
    case Tag::Map: {
      // The common `m.field = v` / `m.field += 1`: a string key already in a
      // map nobody shares needs one probe, and no key check or copy.
      if (key.tag == Tag::String && is_unique(*place)) {
        if (Value* found = map_find(as_map(*place), key)) return found;
      }
      if (auto problem = map_key_problem(key)) {
        raise(ctx, std::move(*problem));
        return nullptr;
      }
      if (!create && !map_find(as_map(*place), key)) {
        key_not_found(ctx, key);
        return nullptr;
      }
      return map_find_or_insert(as_map(*make_unique(place)), key);
    }
    case Tag::Group: {
      // xs[i] in a behavior: the i-th cown's content itself.
      std::vector<Value*>& contents = as_group(*place)->contents;
      std::optional<size_t> i = sequence_position(ctx, "list", contents.size(), key);
      if (!i) return nullptr;
      return contents[*i];
    }
    case Tag::String:
      raise(ctx, "cannot assign into a string: strings are immutable");
      return nullptr;
    default:
      raise(ctx, std::string("cannot assign into an index of ") + type_name(*place));
      return nullptr;
  }
}

int32_t boc_rt_iter_next(Ctx* ctx, Value v, int64_t* state, Value* out) {
  using namespace boc::rt;
  switch (v.tag) {
    case Tag::List: {
      const auto& items = as_list(v)->items;
      if (static_cast<size_t>(*state) >= items.size()) return 0;
      *out = items[static_cast<size_t>((*state)++)];
      retain(*out);
      return 1;
    }
    case Tag::Map: {
      const MapEntry* e = map_next(as_map(v), state);
      if (!e) return 0;
      *out = e->key;
      retain(*out);
      return 1;
    }
    case Tag::String: {
      std::string_view s = string_view_of(v);
      size_t i = static_cast<size_t>(*state);
      if (i >= s.size()) return 0;
      size_t n = utf8_sequence_length(s, i);
      *out = make_string(s.substr(i, n));
      *state += static_cast<int64_t>(n);
      return 1;
    }
    default:
      raise(ctx, std::string("cannot iterate over ") + type_name(v));
      return -1;
  }
}

}  // extern "C"
