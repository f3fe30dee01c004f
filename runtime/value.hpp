// The value representation shared by the runtime and JIT-compiled code.
//
// Design note: a Value is two machine words, {tag, bits}, passed and returned
// in registers by the C ABI (RAX:RDX on x86-64), so compiled code and runtime
// helpers exchange values without memory traffic. Ints and floats are unboxed
// (full 64-bit ints, as the contract requires). Heap values start with an Obj
// header holding an atomic reference count, because values cross threads.
// Every tag >= Tag::FirstHeap points at an Obj; compiled code tests that with
// one compare before touching a reference count.
#pragma once

#include <atomic>
#include <cstdint>
#include <cstring>

namespace boc::rt {

enum class Tag : uint64_t {
  Nil = 0,
  Bool = 1,   // bits: 0 or 1
  Int = 2,    // bits: int64_t
  Float = 3,  // bits: the double's bit pattern
  // Not a value: a function returning a Value with this tag reports that an
  // error is pending in its Ctx (see context.hpp). Never stored anywhere.
  Exc = 7,
  FirstHeap = 8,
  String = 8,
  List = 9,
  Map = 10,
  Function = 11,  // script closures and native functions alike
  Cown = 12,
  Error = 13,
  // A behavior's view of a group entry (runtime/group.hpp): never stored in
  // a variable, container or cown; reading it gives a list of the contents.
  Group = 14,
};

enum class ObjType : uint8_t { String, List, Map, Function, Cown, Error, Group };

// Header of every heap object. Reference count protocol: retain is a relaxed
// increment; release is an acq_rel decrement and whoever brings it to zero
// frees the object (the acquire side pairs with every other owner's release).
// Compiled code emits the same two operations inline on offset 0.
// Immortal objects (compile-time constants) start at kImmortal and are freed by
// whoever created them, never by a release.
struct Obj {
  std::atomic<uint32_t> rc;
  ObjType type;
  uint8_t flags = 0;
  uint16_t spare = 0;
  Obj(ObjType t, uint32_t initial_rc = 1) : rc(initial_rc), type(t) {}
};
static_assert(sizeof(Obj) == 8);
inline constexpr uint32_t kImmortal = 1u << 30;

struct Value {
  Tag tag;
  uint64_t bits;

  static Value nil() { return {Tag::Nil, 0}; }
  static Value boolean(bool b) { return {Tag::Bool, b ? 1u : 0u}; }
  static Value integer(int64_t i) { return {Tag::Int, static_cast<uint64_t>(i)}; }
  static Value real(double d) {
    uint64_t b;
    std::memcpy(&b, &d, sizeof b);
    return {Tag::Float, b};
  }
  static Value exc() { return {Tag::Exc, 0}; }
  static Value object(Tag t, Obj* o) { return {t, reinterpret_cast<uint64_t>(o)}; }

  bool is_heap() const { return tag >= Tag::FirstHeap; }
  bool is_exc() const { return tag == Tag::Exc; }
  bool is_nil() const { return tag == Tag::Nil; }
  int64_t as_int() const { return static_cast<int64_t>(bits); }
  double as_float() const {
    double d;
    std::memcpy(&d, &bits, sizeof d);
    return d;
  }
  bool as_bool() const { return bits != 0; }
  Obj* obj() const { return reinterpret_cast<Obj*>(bits); }
  // Only nil and false are falsy.
  bool truthy() const { return !(tag == Tag::Nil || (tag == Tag::Bool && bits == 0)); }
};
static_assert(sizeof(Value) == 16);

void free_object(Obj* o);  // defined in runtime/heap.cpp

inline void retain(Value v) {
  if (v.is_heap()) v.obj()->rc.fetch_add(1, std::memory_order_relaxed);
}
inline void release(Value v) {
  if (v.is_heap() && v.obj()->rc.fetch_sub(1, std::memory_order_acq_rel) == 1)
    free_object(v.obj());
}
// True when the caller holds the only reference, so mutation in place cannot
// be observed by anyone else (copy-on-write check). Acquire pairs with the
// release decrement of the owner that dropped the count to one.
inline bool is_unique(Value v) {
  return v.obj()->rc.load(std::memory_order_acquire) == 1;
}

}  // namespace boc::rt
