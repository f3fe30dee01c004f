// The persistent object cache: keys, the file format, atomic writes.
#include "compiler/jit/object_cache.hpp"

#include <cstring>

#include "llvm/ADT/StringExtras.h"
#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"

namespace boc::jit {

namespace {
// Bump when the file layout changes. A compiler that makes other code from
// the same IR is a different executable, with another build id in the salt
// (jit.cpp, compiler_configuration).
constexpr const char kFormat[] = "boc-object-cache-6";

// File layout: header, then the object file's bytes.
struct Header {
  char magic[8];            // kMagic
  char key[32];             // the key, as in the file name
  uint64_t object_size;     // bytes after the header
  uint64_t object_hash;     // xxh3_64bits of those bytes
};
constexpr char kMagic[8] = {'B', 'O', 'C', 'O', 'B', 'J', '1', '\0'};
constexpr size_t kKeyChars = sizeof(Header::key);
constexpr const char kObjectSuffix[] = ".o";
constexpr const char kLayoutSuffix[] = ".layout";

std::string hex128(llvm::XXH128_hash_t h) {
  std::string text;
  llvm::raw_string_ostream out(text);
  out << llvm::format_hex_no_prefix(h.high64, 16) << llvm::format_hex_no_prefix(h.low64, 16);
  return text;
}
}  // namespace

std::unique_ptr<ObjectCache> ObjectCache::open(const std::string& dir, std::string salt) {
  if (dir.empty() || llvm::sys::fs::create_directories(dir)) return nullptr;
  return std::unique_ptr<ObjectCache>(new ObjectCache(dir, std::string(kFormat) + "\n" + salt));
}

std::string ObjectCache::key_of(const llvm::Module& module) const {
  // Bitcode, like the IR text, holds everything in the module, and writing it
  // costs a quarter of printing. Only the module and string table blocks: the
  // symbol table block that WriteBitcodeToFile adds is derived from them.
  llvm::SmallVector<char, 0> bytes;
  {
    llvm::BitcodeWriter writer(bytes);
    writer.writeModule(module);
    writer.writeStrtab();
  }
  bytes.append(salt_.begin(), salt_.end());
  return hex128(llvm::xxh3_128bits(
      llvm::ArrayRef(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size())));
}

std::string ObjectCache::path_of(const std::string& key, const char* suffix) const {
  llvm::SmallString<256> path(dir_);
  llvm::sys::path::append(path, key + suffix);
  return std::string(path);
}

std::unique_ptr<llvm::MemoryBuffer> ObjectCache::load(const std::string& key) const {
  return read(key, kObjectSuffix);
}

std::unique_ptr<llvm::MemoryBuffer> ObjectCache::read(const std::string& key,
                                                      const char* suffix) const {
  auto file = llvm::MemoryBuffer::getFile(path_of(key, suffix), /*IsText=*/false,
                                          /*RequiresNullTerminator=*/false);
  if (!file) return nullptr;
  llvm::StringRef bytes = (*file)->getBuffer();
  Header header;
  if (bytes.size() < sizeof header) return nullptr;
  std::memcpy(&header, bytes.data(), sizeof header);
  llvm::StringRef object = bytes.drop_front(sizeof header);
  if (std::memcmp(header.magic, kMagic, sizeof kMagic) != 0 || key.size() != kKeyChars ||
      std::memcmp(header.key, key.data(), kKeyChars) != 0 ||
      header.object_size != object.size() ||
      header.object_hash != llvm::xxh3_64bits(object))
    return nullptr;
  // A copy: the object parser wants an aligned buffer of its own.
  return llvm::MemoryBuffer::getMemBufferCopy(object, key);
}

// Stored like an object, under a key of its own: the same header checks.
std::string ObjectCache::data_layout_key() const {
  return hex128(llvm::xxh3_128bits(llvm::arrayRefFromStringRef(salt_ + "\ndata layout")));
}

std::optional<llvm::DataLayout> ObjectCache::load_data_layout() const {
  std::unique_ptr<llvm::MemoryBuffer> text = read(data_layout_key(), kLayoutSuffix);
  if (!text) return std::nullopt;
  auto layout = llvm::DataLayout::parse(text->getBuffer());
  if (!layout) {
    llvm::consumeError(layout.takeError());
    return std::nullopt;
  }
  return std::move(*layout);
}

void ObjectCache::store_data_layout(const llvm::DataLayout& layout) const {
  const std::string& text = layout.getStringRepresentation();
  write(data_layout_key(), kLayoutSuffix, llvm::MemoryBufferRef(text, "data layout"));
}

void ObjectCache::forget_data_layout() const {
  llvm::sys::fs::remove(path_of(data_layout_key(), kLayoutSuffix));
}

void ObjectCache::expect(const std::string& module_id, std::string key) {
  std::lock_guard<std::mutex> lock(mutex_);
  expected_[module_id] = std::move(key);
}

void ObjectCache::notifyObjectCompiled(const llvm::Module* module,
                                       llvm::MemoryBufferRef object) {
  std::string key;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = expected_.find(module->getModuleIdentifier());
    if (it == expected_.end()) return;
    key = std::move(it->second);
    expected_.erase(it);
  }
  write(key, kObjectSuffix, object);
}

// Failing to write is not an error: the next run compiles again.
void ObjectCache::write(const std::string& key, const char* suffix,
                        llvm::MemoryBufferRef object) const {
  if (key.size() != kKeyChars) return;
  Header header;
  std::memcpy(header.magic, kMagic, sizeof kMagic);
  std::memcpy(header.key, key.data(), kKeyChars);
  header.object_size = object.getBufferSize();
  header.object_hash = llvm::xxh3_64bits(object.getBuffer());
  int fd = -1;
  llvm::SmallString<256> temp;
  if (llvm::sys::fs::createUniqueFile(path_of(key, suffix) + ".tmp-%%%%%%%%", fd, temp)) return;
  bool written;
  {
    llvm::raw_fd_ostream out(fd, /*shouldClose=*/true);
    out.write(reinterpret_cast<const char*>(&header), sizeof header);
    out << object.getBuffer();
    out.close();
    written = !out.has_error();
    out.clear_error();
  }
  if (!written || llvm::sys::fs::rename(temp, path_of(key, suffix))) llvm::sys::fs::remove(temp);
}

}  // namespace boc::jit
