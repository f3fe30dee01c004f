// Map objects: the insertion-ordered hash table and the map literal entry point.
#include "runtime/map.hpp"

#include <bit>
#include <cmath>

#include "runtime/abi.hpp"
#include "runtime/heap.hpp"
#include "runtime/ops.hpp"
#include "runtime/string.hpp"

namespace boc::rt {
namespace {

constexpr size_t kMinIndexSize = 8;

// Where `key` is, or where it would go: the index slot and, if found, the
// entries position.
struct Probe {
  size_t slot;
  uint32_t entry;  // Map::kEmptySlot when missing
};

// values_equal for a stored key and a probe key of the same hash, with the
// common cases first: the same string object or scalar (fields and string
// keys are mostly constants), or two strings. Floats take the general way
// (NaN, and 0.0 against -0.0).
bool same_key(Value stored, Value key) {
  if (stored.tag == key.tag && stored.bits == key.bits && stored.tag != Tag::Float) return true;
  if (stored.tag == Tag::String && key.tag == Tag::String)
    return string_view_of(stored) == string_view_of(key);
  return values_equal(stored, key);
}

Probe probe(const Map* m, Value key, uint64_t hash) {
  size_t mask = m->index.size() - 1;
  size_t i = hash & mask;
  size_t first_removed = SIZE_MAX;
  // Triangular probing visits every slot of a power-of-two table, and the
  // table is never full (load <= 3/4), so the loop ends at an empty slot.
  for (size_t step = 1;; ++step) {
    uint32_t e = m->index[i];
    if (e == Map::kEmptySlot)
      return {first_removed != SIZE_MAX ? first_removed : i, Map::kEmptySlot};
    if (e == Map::kRemovedSlot) {
      if (first_removed == SIZE_MAX) first_removed = i;
    } else if (m->entries[e].hash == hash && same_key(m->entries[e].key, key)) {
      return {i, e};
    }
    i = (i + step) & mask;
  }
}

// Rebuilds the index for at least `capacity` live entries, squeezing the
// tombstones out of `entries` first.
void rebuild(Map* m, size_t capacity) {
  if (m->live != m->entries.size()) {
    size_t out = 0;
    for (size_t i = 0; i < m->entries.size(); ++i)
      if (!m->entries[i].removed()) m->entries[out++] = m->entries[i];
    m->entries.resize(out);
  }
  // Size so that `capacity` entries fill at most half the table: room to grow
  // before the next rebuild at 3/4.
  size_t size = std::bit_ceil(std::max(kMinIndexSize, capacity * 2));
  m->index.assign(size, Map::kEmptySlot);
  size_t mask = size - 1;
  for (uint32_t e = 0; e < m->entries.size(); ++e) {
    size_t i = m->entries[e].hash & mask;
    for (size_t step = 1; m->index[i] != Map::kEmptySlot; ++step) i = (i + step) & mask;
    m->index[i] = e;
  }
  m->used_slots = static_cast<uint32_t>(m->entries.size());
}

}  // namespace

Map* map_new(size_t reserve) {
  Map* m = new_object<Map>();
  m->entries.reserve(reserve);
  rebuild(m, reserve);
  return m;
}

Map* map_copy(const Map* m) {
  Map* copy = new_object<Map>();
  copy->entries.reserve(m->live);
  for (const MapEntry& e : m->entries) {
    if (e.removed()) continue;
    retain(e.key);
    retain(e.value);
    copy->entries.push_back(e);
  }
  copy->live = m->live;
  rebuild(copy, m->live);
  return copy;
}

std::optional<std::string> map_key_problem(Value key) {
  switch (key.tag) {
    case Tag::String:
    case Tag::Int:
    case Tag::Bool:
      return std::nullopt;
    case Tag::Float:
      if (std::isnan(key.as_float())) return std::string("map key cannot be nan");
      return std::nullopt;
    default:
      return "map key must be a string, int, float or bool, not " + std::string(type_name(key));
  }
}

Value* map_find(const Map* m, Value key) {
  Probe p = probe(m, key, key_hash(key));
  if (p.entry == Map::kEmptySlot) return nullptr;
  return const_cast<Value*>(&m->entries[p.entry].value);
}

Value* map_find_or_insert(Map* m, Value key, bool* inserted) {
  uint64_t hash = key_hash(key);
  Probe p = probe(m, key, hash);
  if (p.entry != Map::kEmptySlot) {
    if (inserted) *inserted = false;
    return &m->entries[p.entry].value;
  }
  if (m->entries.size() >= Map::kRemovedSlot - 1) {
    // 4 billion entries: unreachable in practice, but never corrupt the index.
    std::abort();
  }
  // Reusing a removed slot does not raise the load; a fresh one might.
  if (m->index[p.slot] == Map::kEmptySlot && (m->used_slots + 1) * 4 > m->index.size() * 3) {
    rebuild(m, m->live + 1);
    p = probe(m, key, hash);
  }
  if (m->index[p.slot] == Map::kEmptySlot) ++m->used_slots;
  m->index[p.slot] = static_cast<uint32_t>(m->entries.size());
  retain(key);
  m->entries.push_back({key, Value::nil(), hash});
  ++m->live;
  if (inserted) *inserted = true;
  return &m->entries.back().value;
}

void map_set(Map* m, Value key, Value value_move) {
  Value* slot = map_find_or_insert(m, key);
  Value old = *slot;
  *slot = value_move;
  release(old);
}

bool map_remove(Map* m, Value key, Value* out) {
  Probe p = probe(m, key, key_hash(key));
  if (p.entry == Map::kEmptySlot) return false;
  MapEntry& e = m->entries[p.entry];
  release(e.key);
  *out = e.value;
  e.key = Value::exc();
  e.value = Value::nil();
  m->index[p.slot] = Map::kRemovedSlot;
  --m->live;
  // Keep `entries` proportional to the live count under insert/remove churn.
  if (m->entries.size() > 2 * static_cast<size_t>(m->live) + kMinIndexSize) rebuild(m, m->live);
  return true;
}

const MapEntry* map_next(const Map* m, int64_t* state) {
  while (static_cast<size_t>(*state) < m->entries.size()) {
    const MapEntry& e = m->entries[static_cast<size_t>((*state)++)];
    if (!e.removed()) return &e;
  }
  return nullptr;
}

}  // namespace boc::rt

extern "C" Value boc_rt_map_new(Ctx* ctx, Value* pairs_move, uint32_t num_pairs) {
  using namespace boc::rt;
  Map* m = map_new(num_pairs);
  for (uint32_t i = 0; i < num_pairs; ++i) {
    Value key = pairs_move[2 * i];
    Value value = pairs_move[2 * i + 1];
    if (auto problem = map_key_problem(key)) {
      // We own every remaining pair: drop them before reporting.
      for (uint32_t j = 2 * i; j < 2 * num_pairs; ++j) release(pairs_move[j]);
      release(map_value(m));
      return raise(ctx, std::move(*problem));
    }
    map_set(m, key, value);  // a repeated key: the later value wins
    release(key);
  }
  return map_value(m);
}
