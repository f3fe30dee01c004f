// Equality, map-key hashing, ordering and copy-on-write for all value types.
#include "runtime/ops.hpp"

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include "runtime/group.hpp"
#include "runtime/list.hpp"
#include "runtime/map.hpp"
#include "runtime/string.hpp"

namespace boc::rt {
namespace {

bool is_number(Value v) { return v.tag == Tag::Int || v.tag == Tag::Float; }

// Exact comparison of an int with a non-NaN double. Converting the int to a
// double would round above 2^53 and call 2^53 + 1 equal to 2^53.
Order compare_int_float(int64_t i, double d) {
  if (d >= 0x1p63) return Order::Less;
  if (d < -0x1p63) return Order::Greater;
  double t = std::trunc(d);  // now exactly representable as int64
  int64_t ti = static_cast<int64_t>(t);
  if (i != ti) return i < ti ? Order::Less : Order::Greater;
  double frac = d - t;
  return frac > 0 ? Order::Less : frac < 0 ? Order::Greater : Order::Equal;
}

Order flip(Order o) {
  return o == Order::Less ? Order::Greater : o == Order::Greater ? Order::Less : o;
}

Order compare_numbers(Value a, Value b) {
  if (a.tag == Tag::Int && b.tag == Tag::Int)
    return a.as_int() < b.as_int() ? Order::Less
           : a.as_int() > b.as_int() ? Order::Greater
                                     : Order::Equal;
  if (a.tag == Tag::Float && b.tag == Tag::Float) {
    double x = a.as_float(), y = b.as_float();
    return x < y ? Order::Less : x > y ? Order::Greater : x == y ? Order::Equal : Order::Unordered;
  }
  if (a.tag == Tag::Int) {
    double y = b.as_float();
    return std::isnan(y) ? Order::Unordered : compare_int_float(a.as_int(), y);
  }
  double x = a.as_float();
  return std::isnan(x) ? Order::Unordered : flip(compare_int_float(b.as_int(), x));
}

Order compare_strings(Value a, Value b) {
  int c = string_view_of(a).compare(string_view_of(b));  // bytewise (char_traits)
  return c < 0 ? Order::Less : c > 0 ? Order::Greater : Order::Equal;
}

using PairStack = std::vector<std::pair<Value, Value>>;

// Compares everything that needs no walk; containers of equal size are pushed
// on `pending` to be compared element by element (and count as equal here).
bool shallow_equal(Value a, Value b, PairStack& pending) {
  if (a.tag != b.tag) return is_number(a) && is_number(b) && compare_numbers(a, b) == Order::Equal;
  switch (a.tag) {
    case Tag::Nil:
      return true;
    case Tag::Bool:
    case Tag::Int:
      return a.bits == b.bits;
    case Tag::Float:
      return a.as_float() == b.as_float();
    case Tag::String:
      return a.bits == b.bits || string_view_of(a) == string_view_of(b);
    case Tag::List:
      if (a.bits == b.bits) return true;
      if (as_list(a)->items.size() != as_list(b)->items.size()) return false;
      pending.emplace_back(a, b);
      return true;
    case Tag::Map:
      if (a.bits == b.bits) return true;
      if (map_size(as_map(a)) != map_size(as_map(b))) return false;
      pending.emplace_back(a, b);
      return true;
    default:  // functions, cowns, errors: identity
      return a.bits == b.bits;
  }
}

uint64_t mix(uint64_t x) {  // splitmix64's finalizer
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ull;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebull;
  x ^= x >> 31;
  return x;
}

}  // namespace

const char* type_name(Value v) {
  switch (v.tag) {
    case Tag::Nil: return "nil";
    case Tag::Bool: return "bool";
    case Tag::Int: return "int";
    case Tag::Float: return "float";
    case Tag::String: return "string";
    case Tag::List:
    case Tag::Group: return "list";
    case Tag::Map: return "map";
    case Tag::Function: return "function";
    case Tag::Cown: return "cown";
    case Tag::Error: return "error";
    case Tag::Exc: break;
  }
  return "<exc>";
}

bool values_equal(Value a, Value b) {
  PairStack pending;  // allocates only when containers are compared
  if (!shallow_equal(a, b, pending)) return false;
  while (!pending.empty()) {
    auto [x, y] = pending.back();
    pending.pop_back();
    if (x.tag == Tag::List) {
      const auto& xs = as_list(x)->items;
      const auto& ys = as_list(y)->items;
      for (size_t i = 0; i < xs.size(); ++i)
        if (!shallow_equal(xs[i], ys[i], pending)) return false;
    } else {
      // Same size, so equal iff every key of x is in y with an equal value.
      const Map* ym = as_map(y);
      int64_t state = 0;
      while (const MapEntry* e = map_next(as_map(x), &state)) {
        const Value* other = map_find(ym, e->key);
        if (!other || !shallow_equal(e->value, *other, pending)) return false;
      }
    }
  }
  return true;
}

uint64_t key_hash(Value key) {
  switch (key.tag) {
    case Tag::String:
      return string_hash(as_string(key));
    case Tag::Float: {
      double d = key.as_float();
      // Integral and in range: hash as the equal int (1.0 is the key 1).
      if (d >= -0x1p63 && d < 0x1p63 && std::trunc(d) == d)
        return mix(static_cast<uint64_t>(static_cast<int64_t>(d)));
      return mix(key.bits ^ 0x7ff1234567890abcull);
    }
    case Tag::Bool:
      return mix(key.bits ^ 0xb001b001b001b001ull);
    default:
      return mix(key.bits);
  }
}

std::optional<Order> compare_values(Ctx* ctx, Value a, Value b) {
  // Lists compare lexicographically; nested lists push a frame instead of
  // recursing.
  struct Frame {
    const List* a;
    const List* b;
    size_t i;
  };
  std::vector<Frame> frames;
  for (;;) {
    if (a.tag == Tag::List && b.tag == Tag::List) {
      frames.push_back({as_list(a), as_list(b), 0});
    } else {
      Order o;
      if (is_number(a) && is_number(b)) {
        o = compare_numbers(a, b);
      } else if (a.tag == Tag::String && b.tag == Tag::String) {
        o = compare_strings(a, b);
      } else {
        raise(ctx, std::string("cannot compare ") + type_name(a) + " with " + type_name(b));
        return std::nullopt;
      }
      if (o != Order::Equal) return o;
    }
    // Find the next pair of elements, finishing exhausted lists on the way.
    for (;;) {
      if (frames.empty()) return Order::Equal;
      Frame& f = frames.back();
      size_t na = f.a->items.size(), nb = f.b->items.size();
      if (f.i < na && f.i < nb) {
        a = f.a->items[f.i];
        b = f.b->items[f.i];
        ++f.i;
        break;
      }
      if (na != nb) return na < nb ? Order::Less : Order::Greater;
      frames.pop_back();
    }
  }
}

Value* make_unique(Value* place) {
  Value v = *place;
  if (v.tag == Tag::Group) {  // the group itself changes: it becomes a list
    *place = group_to_list(v);
    release(v);
  } else if (v.tag == Tag::List && !is_unique(v)) {
    *place = list_value(list_copy(as_list(v)));
    release(v);
  } else if (v.tag == Tag::Map && !is_unique(v)) {
    *place = map_value(map_copy(as_map(v)));
    release(v);
  }
  return place;
}

}  // namespace boc::rt
