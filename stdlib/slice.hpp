// Python-style slice bounds, shared by string and list slice().
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>

namespace boc::stdlib {

// The half-open range [i, j) of a sequence of `length` that slice(i, j)
// selects: negative bounds count from the end, then both are clamped into
// [0, length], and j < i gives an empty range. Clamping (as Python does, not
// an error) lets `s.slice(0, 3)` take "at most three" without a length check.
inline std::pair<size_t, size_t> slice_bounds(int64_t i, int64_t j, size_t length) {
  const int64_t n = static_cast<int64_t>(length);
  auto clamp = [n](int64_t k) { return std::clamp<int64_t>(k < 0 ? k + n : k, 0, n); };
  // k + n cannot overflow: k < 0 and n >= 0.
  int64_t b = clamp(i);
  int64_t e = std::max(b, clamp(j));
  return {static_cast<size_t>(b), static_cast<size_t>(e)};
}

}  // namespace boc::stdlib
