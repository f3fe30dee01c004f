// Reading the executable's build id from its program headers, which the
// loader (or, in a static executable, libc itself) lists for
// dl_iterate_phdr.
#include "compiler/jit/build_id.hpp"

#include <elf.h>
#include <link.h>

#include <cstring>

namespace boc::jit {

namespace {
size_t align4(size_t n) { return (n + 3) & ~size_t{3}; }

// The build id in one PT_NOTE segment, or empty.
std::string build_id_in(const char* notes, size_t size) {
  const char* end = notes + size;
  for (const char* p = notes; p + sizeof(ElfW(Nhdr)) <= end;) {
    const auto* note = reinterpret_cast<const ElfW(Nhdr)*>(p);
    const char* name = p + sizeof(ElfW(Nhdr));
    const char* desc = name + align4(note->n_namesz);
    if (desc + note->n_descsz > end) break;
    if (note->n_type == NT_GNU_BUILD_ID && note->n_namesz == 4 && std::memcmp(name, "GNU", 4) == 0) {
      static const char kHex[] = "0123456789abcdef";
      std::string id;
      for (size_t i = 0; i < note->n_descsz; ++i) {
        auto byte = static_cast<unsigned char>(desc[i]);
        id += kHex[byte >> 4];
        id += kHex[byte & 15];
      }
      return id;
    }
    p = desc + align4(note->n_descsz);
  }
  return {};
}
}  // namespace

std::string executable_build_id() {
  std::string id;
  dl_iterate_phdr(
      [](dl_phdr_info* info, size_t, void* out) -> int {
        for (ElfW(Half) i = 0; i < info->dlpi_phnum; ++i) {
          const ElfW(Phdr)& segment = info->dlpi_phdr[i];
          if (segment.p_type != PT_NOTE) continue;
          std::string found = build_id_in(
              reinterpret_cast<const char*>(info->dlpi_addr + segment.p_vaddr), segment.p_memsz);
          if (!found.empty()) {
            *static_cast<std::string*>(out) = std::move(found);
            break;
          }
        }
        return 1;  // the first object listed is the executable: stop there
      },
      &id);
  return id;
}

}  // namespace boc::jit
