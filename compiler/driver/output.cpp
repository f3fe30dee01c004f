// Buffered output for the engine's default sinks.
#include "compiler/driver/output.hpp"

#include <unistd.h>

#include <cerrno>

namespace boc::driver {

namespace {
constexpr size_t kFlushThreshold = 64 * 1024;
}

BufferedFd::BufferedFd(int fd) : fd_(fd), terminal_(isatty(fd) != 0) {}

BufferedFd::~BufferedFd() { flush(); }

void BufferedFd::write(std::string_view text) {
  std::lock_guard lock(mutex_);
  buffer_.append(text);
  if (terminal_ || buffer_.size() >= kFlushThreshold) flush_locked();
}

void BufferedFd::flush() {
  std::lock_guard lock(mutex_);
  flush_locked();
}

void BufferedFd::flush_locked() {
  size_t done = 0;
  while (done < buffer_.size()) {
    ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // a closed pipe: output is lost, the script goes on
    done += static_cast<size_t>(n);
  }
  buffer_.clear();
}

}  // namespace boc::driver
