// Strings: immutable UTF-8 byte sequences with a cached hash.
//
// Design note: the bytes live inline after the header (one allocation per
// string) and are always followed by a NUL so that C APIs can read them. A
// string is immutable to scripts; the single exception is string_append,
// which grows a *uniquely owned* string in place (capacity doubles), so that
// `s += x` in a loop is amortized O(1) per byte. Because growing may move the
// object, append helpers take the place (`Value*`) holding the string.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include "runtime/value.hpp"

namespace boc::rt {

struct String {
  Obj header;
  uint64_t size;      // bytes, excluding the terminating NUL
  uint64_t capacity;  // bytes available for data, excluding the NUL
  // 0 until first computed. Relaxed: every thread computes the same value, so
  // a racing store is benign; reset only by string_append on a unique string.
  std::atomic<uint64_t> hash;
  char data[];  // size bytes, then NUL, then spare capacity

  std::string_view view() const { return {data, size}; }
};

inline String* as_string(Value v) { return reinterpret_cast<String*>(v.obj()); }
inline std::string_view string_view_of(Value v) { return as_string(v)->view(); }
inline Value string_value(String* s) { return Value::object(Tag::String, &s->header); }

// A new string (rc 1) holding `text`, with room for at least `capacity` bytes.
String* string_new(std::string_view text, uint64_t capacity = 0);
// Owned Value holding a copy of `text`.
Value make_string(std::string_view text);
// An immortal string (rc kImmortal): for constants owned by their creator,
// which frees it with free_object (or boc_rt_free).
Value make_immortal_string(std::string_view text);

// Appends `text` to the string in *place (which must hold a String). Grows in
// place when *place is the only reference, otherwise replaces *place with a
// new string (releasing the old reference). `text` may point into *place.
void string_append(Value* place, std::string_view text);

// The string's hash (computed once, then cached). Never 0.
uint64_t string_hash(const String* s);

// Byte length of the UTF-8 sequence starting at s[i] (1 for invalid bytes, so
// iteration always makes progress). Precondition: i < s.size().
size_t utf8_sequence_length(std::string_view s, size_t i);

}  // namespace boc::rt
