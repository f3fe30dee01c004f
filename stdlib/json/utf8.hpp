// UTF-8 validation shared by json parse and stringify (RFC 3629).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace boc::stdlib::json {

// Length of the well-formed UTF-8 sequence starting at s[i] (1 to 4), or 0
// when it is ill-formed: a stray continuation byte, a truncated sequence, an
// overlong form, a surrogate (U+D800..U+DFFF) or a code point past U+10FFFF.
// Precondition: i < s.size().
inline size_t utf8_valid_length(std::string_view s, size_t i) {
  auto byte = [&](size_t k) { return static_cast<uint8_t>(s[k]); };
  uint8_t b0 = byte(i);
  if (b0 < 0x80) return 1;
  size_t len = 0;
  // The allowed range of the second byte narrows for E0, ED, F0 and F4:
  // that is what excludes overlong forms, surrogates and > U+10FFFF.
  uint8_t lo = 0x80, hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return 0;  // 80..C1 (continuation or overlong lead) and F5..FF
  }
  if (s.size() - i < len) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (size_t k = 2; k < len; ++k)
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  return len;
}

}  // namespace boc::stdlib::json
