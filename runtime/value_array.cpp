// ValueArray growth: realloc, plus huge pages for large arrays on Linux.
#include "runtime/value_array.hpp"

#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace boc::rt {
namespace {

#if defined(MADV_HUGEPAGE)
// Transparent huge pages come in 2 MB on x86-64 and (with 4 KB base pages)
// on arm64; a smaller array would not fill one.
constexpr uintptr_t kHugePageBytes = uintptr_t{2} << 20;

// Filling a large array faults in every 4 KB page, and in a VM each fault
// costs microseconds (a 16 MB list spent most of its build time there).
// Asking for huge pages where the kernel leaves that to madvise makes it
// about one fault per 2 MB (bench/list_sum: 4552 -> ~2200 faults). The
// advice covers every page of the block: advising only its aligned 2 MB
// interior splits the mapping, glibc's mremap then fails and realloc falls
// back to copying (faults rose to ~5600). It is a hint; failure changes
// nothing.
void advise_huge_pages(void* block, size_t bytes) {
  if (bytes < kHugePageBytes) return;
  const uintptr_t kPage = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
  uintptr_t start = reinterpret_cast<uintptr_t>(block) & ~(kPage - 1);
  uintptr_t stop = (reinterpret_cast<uintptr_t>(block) + bytes + kPage - 1) & ~(kPage - 1);
  madvise(reinterpret_cast<void*>(start), stop - start, MADV_HUGEPAGE);
}
#else
void advise_huge_pages(void*, size_t) {}
#endif

}  // namespace

void ValueArray::reallocate(size_t n) {
  if (n > kMaxElements) throw std::bad_alloc();
  size_t count = size();
  void* moved = std::realloc(begin_, n * sizeof(Value));
  if (!moved) throw std::bad_alloc();  // the old block is still ours
  advise_huge_pages(moved, n * sizeof(Value));
  begin_ = static_cast<Value*>(moved);
  end_ = begin_ + count;
  capacity_end_ = begin_ + n;
}

}  // namespace boc::rt
