// The executable's build id (compiler/jit/build_id.cpp), which salts the
// object cache's keys. The linker gives this test binary one, as it gives
// the boc command.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "compiler/jit/build_id.hpp"

namespace {

TEST(BuildId, IsTheHexOfThisExecutablesNote) {
  std::string id = boc::jit::executable_build_id();
  ASSERT_FALSE(id.empty());
  EXPECT_EQ(id.size() % 2, 0u);
  EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos) << id;
  // The note's bytes are in the file itself.
  std::ifstream file("/proc/self/exe", std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  std::string raw;
  for (size_t i = 0; i < id.size(); i += 2)
    raw += static_cast<char>(std::stoi(id.substr(i, 2), nullptr, 16));
  EXPECT_NE(bytes.find(raw), std::string::npos);
  EXPECT_EQ(boc::jit::executable_build_id(), id);
}

}  // namespace
