// Freeing heap objects when their reference count reaches zero.
#include "runtime/heap.hpp"
#include "runtime/group.hpp"

#include <vector>

#include "runtime/abi.hpp"
#include "runtime/error.hpp"
#include "runtime/function.hpp"
#include "runtime/list.hpp"
#include "runtime/map.hpp"
#include "runtime/string.hpp"

#if __has_include("runtime/sched/cown.hpp")
#include "runtime/sched/cown.hpp"
#else
// The scheduler (runtime/sched/) owns cowns; until its header exists, its
// destructor is declared here with the same signature.
namespace boc::rt {
struct Cown;
void cown_destroy(Cown* c);
}  // namespace boc::rt
#endif

namespace boc::rt {
namespace {

// Drops one reference held by a dying container. Objects reaching zero are
// queued rather than freed recursively (nesting depth must not cost C++
// stack), except strings, which own nothing and are freed at once.
void release_child(Value v, std::vector<Obj*>& pending) {
  if (!v.is_heap()) return;
  Obj* o = v.obj();
  if (o->rc.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
  if (o->type == ObjType::String)
    free_storage(o);
  else
    pending.push_back(o);
}

// Frees one object whose count reached zero, queueing its children.
void destroy_one(Obj* o, std::vector<Obj*>& pending) {
  switch (o->type) {
    case ObjType::String:
      // Trivially destructible apart from the header's atomic.
      free_storage(o);
      return;
    case ObjType::List: {
      List* l = reinterpret_cast<List*>(o);
      for (Value v : l->items) release_child(v, pending);
      delete_object(l);
      return;
    }
    case ObjType::Map: {
      Map* m = reinterpret_cast<Map*>(o);
      for (const MapEntry& e : m->entries) {
        if (e.removed()) continue;
        release_child(e.key, pending);
        release_child(e.value, pending);
      }
      delete_object(m);
      return;
    }
    case ObjType::Function: {
      Function* f = reinterpret_cast<Function*>(o);
      for (uint32_t i = 0; i < f->num_captures; ++i) release_child(f->captures[i], pending);
      free_storage(f);
      return;
    }
    case ObjType::Error:
      delete_object(reinterpret_cast<Error*>(o));
      return;
    case ObjType::Group:
      delete_object(reinterpret_cast<GroupView*>(o));
      return;
    case ObjType::Cown:
      // Cowns begin with an Obj header; the scheduler releases the content.
      // That may recurse through nested cowns, which only a script building
      // a cown chain 10^5 deep would notice.
      cown_destroy(reinterpret_cast<Cown*>(o));
      return;
  }
}

}  // namespace

void free_object(Obj* o) {
  // Fast path: a string owns nothing, and needs no worklist.
  if (o->type == ObjType::String) {
    free_storage(o);
    return;
  }
  std::vector<Obj*> pending;  // allocates only if a nested container dies too
  destroy_one(o, pending);
  while (!pending.empty()) {
    Obj* next = pending.back();
    pending.pop_back();
    destroy_one(next, pending);
  }
}

}  // namespace boc::rt

extern "C" void boc_rt_free(boc::rt::Obj* o) { boc::rt::free_object(o); }

extern "C" void boc_rt_release(boc::rt::Obj* o) {
  if (o->rc.fetch_sub(1, std::memory_order_acq_rel) == 1) boc::rt::free_object(o);
}
