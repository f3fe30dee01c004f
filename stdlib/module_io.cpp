// The io module: read_file(path), write_file(path, s), read_line().
//
// Every function first asks the host (Host::allow_io, context.hpp): an
// embedding that sandboxes scripts turns all of io into one catchable runtime
// error, "io is disabled by the host". A context with no host is treated as
// sandboxed, the safe default. Failures carry the operating system's reason
// ("io.read_file: cannot open 'x': No such file or directory") and are
// ordinary runtime errors, so `try`/`catch` handles a missing file.
//
// POSIX calls rather than iostreams: they report errno exactly (fstream
// reports only "failed"), they see EISDIR when a directory is read, and
// getline(3) locks stdin for the whole line, so lines read by concurrent
// behaviors never mix.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "runtime/string.hpp"
#include "stdlib/module_table.hpp"
#include "stdlib/native.hpp"

namespace boc::stdlib {
namespace {

using rt::Ctx;
using rt::Tag;
using rt::Value;

// GNU strerror_r returns the message, the XSI one fills the buffer and returns
// a status; overload resolution picks whichever this C library declares.
// (strerror itself may share one buffer between threads.)
[[maybe_unused]] const char* strerror_result(int status, const char* buf) {
  return status == 0 ? buf : "unknown error";
}
[[maybe_unused]] const char* strerror_result(const char* message, const char*) { return message; }

std::string os_reason(int err) {
  char buf[256] = {};
  return strerror_result(strerror_r(err, buf, sizeof buf), buf);
}

// "io.read_file: cannot open 'x': No such file or directory"
Value os_error(Ctx* ctx, std::string_view fn, std::string_view doing, Value path, int err) {
  return rt::raise(ctx, std::string(fn) + ": cannot " + std::string(doing) + " " + describe(path) +
                            ": " + os_reason(err));
}

// Closes a file descriptor when the function returns, whichever way.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  // Closes now, so that a failed close (NFS reports write errors there) can
  // be reported; returns 0 or -1 with errno set.
  int close() { return ::close(std::exchange(fd_, -1)); }

 private:
  int fd_;
};

bool io_allowed(Ctx* ctx, Value* error) {
  if (ctx->host != nullptr && ctx->host->allow_io()) return true;
  *error = rt::raise(ctx, "io is disabled by the host");
  return false;
}

// The path argument as a C string: a string without NUL bytes (the OS would
// silently cut the path at the first one).
bool path_arg(Ctx* ctx, std::string_view fn, Value v, const char** out) {
  if (v.tag != Tag::String) {
    type_error(ctx, fn, "a string path", v);
    return false;
  }
  std::string_view path = rt::string_view_of(v);
  if (path.find('\0') != std::string_view::npos) {
    rt::raise(ctx, std::string(fn) + ": path contains a NUL byte");
    return false;
  }
  *out = rt::as_string(v)->data;  // strings are always NUL-terminated
  return true;
}

Value read_file(Ctx* ctx, const Value* args, uint32_t) {
  Value err = Value::nil();
  const char* path = nullptr;
  if (!io_allowed(ctx, &err)) return err;
  if (!path_arg(ctx, "io.read_file", args[0], &path)) return Value::exc();
  Fd fd(::open(path, O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) return os_error(ctx, "io.read_file", "open", args[0], errno);
  std::string text;
  char buf[64 * 1024];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return os_error(ctx, "io.read_file", "read", args[0], errno);
    if (n == 0) break;
    if (text.size() + static_cast<size_t>(n) > kMaxBuiltStringBytes)
      return rt::raise(ctx, "io.read_file: " + describe(args[0]) + " is larger than " +
                                std::to_string(kMaxBuiltStringBytes) + " bytes");
    text.append(buf, static_cast<size_t>(n));
  }
  return rt::make_string(text);
}

Value write_file(Ctx* ctx, const Value* args, uint32_t) {
  Value err = Value::nil();
  const char* path = nullptr;
  if (!io_allowed(ctx, &err)) return err;
  if (!path_arg(ctx, "io.write_file", args[0], &path)) return Value::exc();
  // Only strings: writing str(x) silently would hide a mistake; the script
  // can call str() itself.
  if (args[1].tag != Tag::String) return type_error(ctx, "io.write_file", "a string to write", args[1]);
  std::string_view text = rt::string_view_of(args[1]);
  Fd fd(::open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666));
  if (fd.get() < 0) return os_error(ctx, "io.write_file", "open", args[0], errno);
  while (!text.empty()) {
    ssize_t n = ::write(fd.get(), text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return os_error(ctx, "io.write_file", "write", args[0], errno);
    text.remove_prefix(static_cast<size_t>(n));
  }
  if (fd.close() != 0) return os_error(ctx, "io.write_file", "write", args[0], errno);
  return Value::nil();
}

// read_line(): the next line of standard input without its "\n" (nor a "\r"
// before it, so files edited on Windows read the same), or nil at the end.
// A last line without a newline is still returned.
Value read_line(Ctx* ctx, const Value*, uint32_t) {
  Value err = Value::nil();
  if (!io_allowed(ctx, &err)) return err;
  char* raw = nullptr;
  size_t capacity = 0;
  errno = 0;
  ssize_t n = ::getline(&raw, &capacity, stdin);
  std::unique_ptr<char, decltype(&std::free)> line(raw, &std::free);  // getline mallocs
  if (n < 0) {
    if (std::ferror(stdin) == 0) return Value::nil();
    int e = errno;
    std::clearerr(stdin);  // let a later call try again
    return rt::raise(ctx, "io.read_line: cannot read standard input: " + os_reason(e));
  }
  std::string_view text(raw, static_cast<size_t>(n));
  if (!text.empty() && text.back() == '\n') {
    text.remove_suffix(1);
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  }
  return rt::make_string(text);
}

constexpr ModuleFn kIoFns[] = {
    {"io.read_file", 1, 1, read_file},
    {"io.write_file", 2, 2, write_file},
    {"io.read_line", 0, 0, read_line},
};
constexpr auto kIoProtos = module_protos<kIoFns>();

}  // namespace

Value make_io_module() { return make_module_map(kIoProtos); }

}  // namespace boc::stdlib
