// Cowns: creation and destruction.
#include "runtime/sched/cown.hpp"

namespace boc::rt {

Cown* cown_new(Value content_move) { return new Cown(content_move); }

void cown_destroy(Cown* c) {
  Value content = c->content;
  delete c;
  // After the delete: releasing may destroy nested cowns, and a long chain of
  // them then recurses without this frame's cown still allocated.
  release(content);
}

}  // namespace boc::rt
