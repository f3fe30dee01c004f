// The engine's default output sinks: stdout buffered for speed, stderr direct.
#pragma once

#include <mutex>
#include <string>
#include <string_view>

namespace boc::driver {

// Buffers writes to a file descriptor and flushes when the buffer is large,
// when the descriptor is a terminal (line by line), and on flush(). Each
// write is one unit: concurrent writers never interleave inside a write.
class BufferedFd {
 public:
  explicit BufferedFd(int fd);
  ~BufferedFd();
  void write(std::string_view text);
  void flush();

 private:
  void flush_locked();
  int fd_;
  bool terminal_;
  std::mutex mutex_;
  std::string buffer_;
};

}  // namespace boc::driver
