// The public embedding API of Boc: the only header a host program (and the
// boc command itself) includes. It names nothing of LLVM, Flex or the runtime.
//
// Thread-safety: an Engine is used from one host thread at a time. Output
// sinks may be called from several threads (script behaviors run on worker
// threads), one whole line per call.
#pragma once

#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace boc {

// What compiling or running a script can throw. what() is the full text a
// user should see: for a compile error "file:line:col: error: message" plus
// the source line and a caret; for a runtime error
// "file:line:col: runtime error: message" plus the script stack trace.
class Error : public std::exception {
 public:
  enum class Kind { Compile, Runtime };
  Error(Kind kind, std::string message, std::string file, uint32_t line, uint32_t column,
        std::string report);
  const char* what() const noexcept override { return report_.c_str(); }
  Kind kind() const { return kind_; }
  const std::string& message() const { return message_; }
  const std::string& file() const { return file_; }
  uint32_t line() const { return line_; }
  uint32_t column() const { return column_; }

 private:
  Kind kind_;
  std::string message_, file_;
  uint32_t line_, column_;
  std::string report_;
};

// Thrown when a script calls exit(code); everything it printed is flushed.
class Exit : public std::exception {
 public:
  explicit Exit(int code) : code_(code) {}
  const char* what() const noexcept override { return "exit"; }
  int code() const { return code_; }

 private:
  int code_;
};

struct Options {
  unsigned workers = 0;  // behavior worker threads; 0 = one per core
  bool allow_io = true;  // false makes every io function a runtime error
  // Where print and error reports go. Defaults: buffered stdout, stderr.
  std::function<void(std::string_view)> out;
  std::function<void(std::string_view)> err;
};

class Engine {
 public:
  explicit Engine(Options options = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Compile and run a script; throw boc::Error or boc::Exit. A file that
  // cannot be read throws std::system_error.
  void run_file(const std::string& path);
  void run_string(std::string_view source, const std::string& name = "<string>");

  // The `args` global seen by scripts run after this call.
  void set_args(std::vector<std::string> args);

  // Writes pending buffered output to the sink.
  void flush();

  // Debugging aids for `boc --dump-ast` / `--dump-ir`; throw boc::Error.
  std::string dump_ast(std::string_view source, const std::string& name);
  std::string dump_ir(std::string_view source, const std::string& name);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace boc
