// The compiled-object cache: jit::ObjectCache directly (keys, the file
// checks), and engines sharing a cache directory, as a host opts in to it.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "boc/boc.hpp"
#include "compiler/jit/object_cache.hpp"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"

namespace {

namespace fs = std::filesystem;

// A fresh directory per test, removed afterwards.
class ObjectCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("boc-object-cache-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Stores `bytes` as the object of a module named `id`; returns its key.
  std::string store(boc::jit::ObjectCache& cache, const std::string& id, llvm::StringRef bytes) {
    llvm::Module module(id, context_);
    std::string key = cache.key_of(module);
    cache.expect(id, key);
    cache.notifyObjectCompiled(&module, llvm::MemoryBufferRef(bytes, id));
    return key;
  }

  fs::path dir_;
  llvm::LLVMContext context_;
};

TEST_F(ObjectCacheTest, StoredObjectLoadsBack) {
  auto cache = boc::jit::ObjectCache::open(dir_.string(), "config");
  ASSERT_NE(cache, nullptr);
  std::string key = store(*cache, "unit", "object bytes");
  auto object = cache->load(key);
  ASSERT_NE(object, nullptr);
  EXPECT_EQ(object->getBuffer(), "object bytes");
}

TEST_F(ObjectCacheTest, KeyDependsOnIrAndConfiguration) {
  auto a = boc::jit::ObjectCache::open(dir_.string(), "config a");
  auto b = boc::jit::ObjectCache::open(dir_.string(), "config b");
  llvm::Module m1("one", context_), m2("two", context_);
  EXPECT_EQ(a->key_of(m1), a->key_of(m1));
  EXPECT_NE(a->key_of(m1), a->key_of(m2));
  EXPECT_NE(a->key_of(m1), b->key_of(m1));
}

TEST_F(ObjectCacheTest, OnlyExpectedModulesAreStored) {
  auto cache = boc::jit::ObjectCache::open(dir_.string(), "config");
  llvm::Module module("unexpected", context_);
  cache->notifyObjectCompiled(&module, llvm::MemoryBufferRef("bytes", "unexpected"));
  EXPECT_EQ(cache->load(cache->key_of(module)), nullptr);
}

TEST_F(ObjectCacheTest, ChangedByteIsAMiss) {
  auto cache = boc::jit::ObjectCache::open(dir_.string(), "config");
  std::string key = store(*cache, "unit", "object bytes");
  fs::path file = dir_ / (key + ".o");
  std::string bytes;
  {
    std::ifstream in(file, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  bytes.back() ^= 1;
  std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;
  EXPECT_EQ(cache->load(key), nullptr);
  bytes.pop_back();  // and cut short
  std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;
  EXPECT_EQ(cache->load(key), nullptr);
}

TEST_F(ObjectCacheTest, DirectoryThatCannotBeCreatedMeansNoCache) {
  EXPECT_EQ(boc::jit::ObjectCache::open("/dev/null/boc-cache", "config"), nullptr);
  EXPECT_EQ(boc::jit::ObjectCache::open("", "config"), nullptr);
}

// Two engines, as two processes would: the second loads the first's object,
// and its code must use the second engine's own globals and constants.
TEST_F(ObjectCacheTest, SecondEngineRunsTheCachedObject) {
  const char* source =
      "let greeting = \"hello\";\n"
      "fn twice(s) { return s + s; }\n"
      "print(twice(greeting));\n";
  for (int run = 0; run < 2; ++run) {
    std::string out;
    boc::Options options;
    options.workers = 1;
    options.cache_dir = dir_.string();
    options.out = [&](std::string_view s) { out += s; };
    boc::Engine engine(options);
    engine.run_string(source, "cached.boc");
    EXPECT_EQ(out, "hellohello\n") << "run " << run;
    EXPECT_EQ(engine.global("greeting").as_string(), "hello");
  }
  // One object and the data layout.
  int objects = 0, layouts = 0;
  for (const fs::directory_entry& e : fs::directory_iterator(dir_)) {
    objects += e.path().extension() == ".o";
    layouts += e.path().extension() == ".layout";
  }
  EXPECT_EQ(objects, 1);
  EXPECT_EQ(layouts, 1);
}

TEST_F(ObjectCacheTest, DataLayoutLoadsBackPerConfiguration) {
  auto a = boc::jit::ObjectCache::open(dir_.string(), "config a");
  auto b = boc::jit::ObjectCache::open(dir_.string(), "config b");
  EXPECT_EQ(a->load_data_layout(), std::nullopt);
  llvm::DataLayout layout("e-m:e-i64:64-n8:16:32:64-S128");
  a->store_data_layout(layout);
  EXPECT_EQ(a->load_data_layout(), layout);
  EXPECT_EQ(b->load_data_layout(), std::nullopt);
  a->forget_data_layout();
  EXPECT_EQ(a->load_data_layout(), std::nullopt);
}

TEST_F(ObjectCacheTest, InvalidDataLayoutIsAMiss) {
  auto cache = boc::jit::ObjectCache::open(dir_.string(), "config");
  cache->store_data_layout(llvm::DataLayout("e-m:e-i64:64-n8:16:32:64-S128"));
  fs::path file;
  for (const fs::directory_entry& e : fs::directory_iterator(dir_)) file = e.path();
  std::string bytes;
  {
    std::ifstream in(file, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  bytes.back() ^= 1;
  std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;
  EXPECT_EQ(cache->load_data_layout(), std::nullopt);
}

}  // namespace
