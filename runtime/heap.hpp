// Heap object allocation: the only place the runtime calls new and delete.
//
// Design note: fixed-layout objects (List, Map, Error) are ordinary C++ types
// built with new_object; objects ending in a flexible array (String, Function)
// get raw storage from alloc_storage and construct their header in place.
// Objects are freed only through free_object (value.hpp's release), which
// walks nested containers with an explicit worklist so that freeing a list
// nested 100k deep cannot overflow the C++ stack.
#pragma once

#include <cstddef>
#include <new>
#include <utility>

#include "runtime/value.hpp"

namespace boc::rt {

template <class T, class... Args>
T* new_object(Args&&... args) {
  return new T(std::forward<Args>(args)...);
}

template <class T>
void delete_object(T* p) {
  delete p;
}

// Raw storage for flexible-array objects; `bytes` includes the header.
inline void* alloc_storage(size_t bytes) { return ::operator new(bytes); }
inline void free_storage(void* p) { ::operator delete(p); }

}  // namespace boc::rt
