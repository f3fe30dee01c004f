// Maps: insertion-ordered hash maps with value semantics by copy-on-write.
//
// Design note (the layout CPython and V8 use): `entries` keeps the pairs in
// insertion order, so iteration and printing follow it; `index` is an
// open-addressing table (power-of-two size, triangular probing) of positions
// in `entries`. Removal leaves a tombstone in both; tombstones are squeezed
// out when the table is rebuilt, which happens when it grows past 3/4 full or
// when tombstones outnumber live entries. Keys are strings, ints, floats or
// bools; equal keys are one key (1 and 1.0 hash and compare equal, see
// key_hash in ops.hpp); a NaN key is an error.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "runtime/value.hpp"

namespace boc::rt {

struct MapEntry {
  Value key;    // owned; Tag::Exc marks a removed entry (tombstone)
  Value value;  // owned
  uint64_t hash;

  bool removed() const { return key.tag == Tag::Exc; }
};

struct Map {
  Obj header{ObjType::Map};
  std::vector<MapEntry> entries;  // insertion order, with tombstones
  std::vector<uint32_t> index;    // kEmptySlot, kRemovedSlot or an entries position
  uint32_t live = 0;              // entries not removed
  uint32_t used_slots = 0;        // index slots not kEmptySlot

  static constexpr uint32_t kEmptySlot = UINT32_MAX;
  static constexpr uint32_t kRemovedSlot = UINT32_MAX - 1;
};

inline Map* as_map(Value v) { return reinterpret_cast<Map*>(v.obj()); }
inline Value map_value(Map* m) { return Value::object(Tag::Map, &m->header); }

// A new empty map (rc 1) with room for `reserve` entries before rehashing.
Map* map_new(size_t reserve = 0);
// A new map (rc 1) with the same entries (retained), tombstones dropped.
Map* map_copy(const Map* m);
inline size_t map_size(const Map* m) { return m->live; }

// nullopt when `key` may be a map key, else the message of the error to raise
// ("map key must be a string, int, float or bool, not list", "map key cannot
// be nan").
std::optional<std::string> map_key_problem(Value key);

// The value slot for `key`, or nullptr when missing. `key` borrowed and
// assumed valid (map_key_problem). Valid until the map is next changed.
Value* map_find(const Map* m, Value key);
// The value slot for `key`, inserting (key retained, value nil) when missing.
Value* map_find_or_insert(Map* m, Value key, bool* inserted = nullptr);
// Sets m[key] = value_move (key borrowed, value owned by the map).
void map_set(Map* m, Value key, Value value_move);
// Removes `key`; returns true and moves the value to *out (owned) if found.
bool map_remove(Map* m, Value key, Value* out);

// Iteration in insertion order: *state starts at 0; returns the next live
// entry or nullptr at the end.
const MapEntry* map_next(const Map* m, int64_t* state);

}  // namespace boc::rt
