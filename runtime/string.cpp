// String objects: creation, in-place append, hashing, UTF-8 stepping.
#include "runtime/string.hpp"

#include <algorithm>
#include <new>

#include "runtime/abi.hpp"
#include "runtime/heap.hpp"

namespace boc::rt {
namespace {

String* allocate(uint64_t capacity, uint32_t rc) {
  void* storage = alloc_storage(sizeof(String) + capacity + 1);
  String* s = static_cast<String*>(storage);
  new (&s->header) Obj(ObjType::String, rc);
  s->size = 0;
  s->capacity = capacity;
  new (&s->hash) std::atomic<uint64_t>(0);
  s->data[0] = '\0';
  return s;
}

String* create(std::string_view text, uint64_t capacity, uint32_t rc) {
  String* s = allocate(std::max<uint64_t>(capacity, text.size()), rc);
  if (!text.empty()) std::memcpy(s->data, text.data(), text.size());
  s->size = text.size();
  s->data[s->size] = '\0';
  return s;
}

}  // namespace

String* string_new(std::string_view text, uint64_t capacity) { return create(text, capacity, 1); }

Value make_string(std::string_view text) { return string_value(string_new(text)); }

Value make_immortal_string(std::string_view text) {
  return string_value(create(text, 0, kImmortal));
}

void string_append(Value* place, std::string_view text) {
  String* s = as_string(*place);
  uint64_t needed = s->size + text.size();
  if (is_unique(*place) && needed <= s->capacity) {
    // memmove: `text` may be this very string (s += s), though it cannot
    // overlap the spare capacity it is copied into.
    std::memmove(s->data + s->size, text.data(), text.size());
    s->size = needed;
    s->data[needed] = '\0';
    s->hash.store(0, std::memory_order_relaxed);
    return;
  }
  // Doubling keeps a loop of appends linear overall. A shared string gets the
  // same headroom, since the copy is about to become the unique one.
  uint64_t capacity = std::max<uint64_t>(needed, 2 * s->capacity);
  capacity = std::max<uint64_t>(capacity, 16);
  String* grown = create(s->view(), capacity, 1);
  std::memcpy(grown->data + grown->size, text.data(), text.size());
  grown->size = needed;
  grown->data[needed] = '\0';
  // Only now drop the old string: `text` may have pointed into it.
  release(*place);
  *place = string_value(grown);
}

uint64_t string_hash(const String* s) {
  uint64_t h = s->hash.load(std::memory_order_relaxed);
  if (h != 0) return h;
  // FNV-1a: simple, and cached per string, so its speed matters little.
  h = 0xcbf29ce484222325ull;
  for (uint64_t i = 0; i < s->size; ++i) {
    h ^= static_cast<unsigned char>(s->data[i]);
    h *= 0x100000001b3ull;
  }
  if (h == 0) h = 1;
  // Relaxed: racing threads store the same value.
  const_cast<String*>(s)->hash.store(h, std::memory_order_relaxed);
  return h;
}

size_t utf8_sequence_length(std::string_view s, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char b = byte(i);
  size_t n = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 1;
  if (i + n > s.size()) return 1;
  for (size_t k = 1; k < n; ++k)
    if ((byte(i + k) & 0xC0) != 0x80) return 1;
  return n;
}

}  // namespace boc::rt

extern "C" Value boc_rt_string_constant(const char* data, uint64_t size) {
  return boc::rt::make_immortal_string(std::string_view(data, size));
}
