// boc::Value: the host's view of script values (see boc.hpp).
#include <string>

#include "compiler/driver/errors.hpp"
#include "compiler/driver/value_access.hpp"
#include "runtime/format.hpp"
#include "runtime/list.hpp"
#include "runtime/map.hpp"
#include "runtime/ops.hpp"
#include "runtime/string.hpp"

namespace boc {

using detail::ValueAccess;

namespace {

rt::Tag tag_of(const Value& v) { return ValueAccess::raw(v).tag; }

[[noreturn]] void wrong_type(const char* expected, const Value& got) {
  throw driver::usage_error(std::string("expected ") + expected + ", got " + got.type_name());
}

}  // namespace

Value::Value(int64_t i) : Value(ValueAccess::adopt(rt::Value::integer(i))) {}
Value::Value(double d) : Value(ValueAccess::adopt(rt::Value::real(d))) {}
Value::Value(bool b) : Value(ValueAccess::adopt(rt::Value::boolean(b))) {}
Value::Value(std::string_view s) : Value(ValueAccess::adopt(rt::make_string(s))) {}
Value::Value(const std::string& s) : Value(std::string_view(s)) {}
Value::Value(const char* s) : Value(std::string_view(s ? s : "")) {}

Value Value::list(std::vector<Value> items) {
  rt::List* l = rt::list_new(items.size());
  for (const Value& v : items) rt::list_push(l, ValueAccess::retained(v));
  return ValueAccess::adopt(rt::list_value(l));
}

Value Value::map(std::vector<std::pair<std::string, Value>> entries) {
  rt::Map* m = rt::map_new(entries.size());
  for (const auto& [key, value] : entries) {
    rt::Value k = rt::make_string(key);
    rt::map_set(m, k, ValueAccess::retained(value));
    rt::release(k);
  }
  return ValueAccess::adopt(rt::map_value(m));
}

Value::Value(const Value& other) noexcept : tag_(other.tag_), bits_(other.bits_) {
  rt::retain(ValueAccess::raw(*this));
}

Value& Value::operator=(const Value& other) noexcept {
  rt::Value old = ValueAccess::raw(*this);
  rt::retain(ValueAccess::raw(other));
  tag_ = other.tag_;
  bits_ = other.bits_;
  rt::release(old);
  return *this;
}

Value& Value::operator=(Value&& other) noexcept {
  if (this != &other) {
    rt::release(ValueAccess::raw(*this));
    tag_ = std::exchange(other.tag_, 0);
    bits_ = std::exchange(other.bits_, 0);
  }
  return *this;
}

Value::~Value() { rt::release(ValueAccess::raw(*this)); }

bool Value::is_bool() const { return tag_of(*this) == rt::Tag::Bool; }
bool Value::is_int() const { return tag_of(*this) == rt::Tag::Int; }
bool Value::is_float() const { return tag_of(*this) == rt::Tag::Float; }
bool Value::is_string() const { return tag_of(*this) == rt::Tag::String; }
bool Value::is_list() const { return tag_of(*this) == rt::Tag::List; }
bool Value::is_map() const { return tag_of(*this) == rt::Tag::Map; }
bool Value::is_function() const { return tag_of(*this) == rt::Tag::Function; }
bool Value::is_cown() const { return tag_of(*this) == rt::Tag::Cown; }
bool Value::is_error() const { return tag_of(*this) == rt::Tag::Error; }

int64_t Value::as_int() const {
  if (!is_int()) wrong_type("int", *this);
  return ValueAccess::raw(*this).as_int();
}

double Value::as_float() const {
  if (is_int()) return static_cast<double>(ValueAccess::raw(*this).as_int());
  if (!is_float()) wrong_type("float", *this);
  return ValueAccess::raw(*this).as_float();
}

bool Value::as_bool() const {
  if (!is_bool()) wrong_type("bool", *this);
  return ValueAccess::raw(*this).as_bool();
}

std::string Value::as_string() const {
  if (!is_string()) wrong_type("string", *this);
  return std::string(rt::string_view_of(ValueAccess::raw(*this)));
}

bool Value::truthy() const { return ValueAccess::raw(*this).truthy(); }

size_t Value::size() const {
  rt::Value v = ValueAccess::raw(*this);
  switch (v.tag) {
    case rt::Tag::List: return rt::as_list(v)->items.size();
    case rt::Tag::Map: return rt::map_size(rt::as_map(v));
    case rt::Tag::String: return rt::as_string(v)->size;
    default: wrong_type("list, map or string", *this);
  }
}

Value Value::at(int64_t index) const {
  if (!is_list()) wrong_type("list", *this);
  const rt::List* l = rt::as_list(ValueAccess::raw(*this));
  auto i = rt::normalize_index(index, l->items.size());
  if (!i)
    throw driver::usage_error("index " + std::to_string(index) + " out of range for list of length " +
                              std::to_string(l->items.size()));
  return ValueAccess::share(l->items[*i]);
}

namespace {

const rt::Value* find_key(const Value& map, std::string_view key) {
  rt::Value k = rt::make_string(key);
  const rt::Value* slot = rt::map_find(rt::as_map(ValueAccess::raw(map)), k);
  rt::release(k);
  return slot;
}

}  // namespace

Value Value::operator[](std::string_view key) const {
  if (!is_map()) wrong_type("map", *this);
  const rt::Value* slot = find_key(*this, key);
  if (!slot) throw driver::usage_error("key '" + std::string(key) + "' not found");
  return ValueAccess::share(*slot);
}

bool Value::contains(std::string_view key) const {
  if (!is_map()) wrong_type("map", *this);
  return find_key(*this, key) != nullptr;
}

std::vector<Value> Value::keys() const {
  if (!is_map()) wrong_type("map", *this);
  const rt::Map* m = rt::as_map(ValueAccess::raw(*this));
  std::vector<Value> out;
  out.reserve(rt::map_size(m));
  int64_t state = 0;
  while (const rt::MapEntry* e = rt::map_next(m, &state)) out.push_back(ValueAccess::share(e->key));
  return out;
}

std::string Value::type_name() const { return rt::type_name(ValueAccess::raw(*this)); }

std::string Value::to_string() const { return rt::to_display(ValueAccess::raw(*this)); }

bool operator==(const Value& a, const Value& b) {
  return rt::values_equal(ValueAccess::raw(a), ValueAccess::raw(b));
}

namespace detail {

void throw_argument_error(const std::string& function, size_t index, const char* expected,
                          const Value& got) {
  throw driver::usage_error(function + "() expects argument " + std::to_string(index + 1) +
                            " to be " + expected + ", got " + got.type_name());
}

}  // namespace detail
}  // namespace boc
