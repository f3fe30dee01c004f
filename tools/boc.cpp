// The `boc` command: run a script, a string or standard input (LANGUAGE.md
// section 9). Uses only the public API, include/boc/boc.hpp.
#include <pthread.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <iterator>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "boc/boc.hpp"
#include "tools/repl.hpp"

namespace {

constexpr const char* kVersion = "boc 0.1.0";
constexpr const char* kUsage =
    "usage: boc [options] [script.boc | -e CODE | -] [args...]\n"
    "  boc script.boc [args...]   run a script; `args` holds the arguments\n"
    "  boc -e 'print(1 + 2);'     run a string\n"
    "  boc -                      run standard input\n"
    "  boc                        REPL when stdin is a terminal, else run stdin\n"
    "options:\n"
    "  --workers N                worker threads (default: number of cores)\n"
    "  --dump-ast                 print the syntax tree instead of running\n"
    "  --dump-ir                  print the LLVM IR instead of running\n"
    "  --dump-optimized-ir        the same after the JIT's IR passes\n"
    "  --no-cache                 neither read nor write the compiled-code cache\n"
    "  --version, --help\n"
    "environment:\n"
    "  BOC_CACHE_DIR              compiled-code cache directory (default:\n"
    "                             $XDG_CACHE_HOME/boc, else $HOME/.cache/boc)\n"
    "  BOC_NO_CACHE=1             same as --no-cache\n";

// Script code runs on a thread with a large stack, so that deep recursion
// reaches the runtime's `stack overflow` check long before the OS limit.
constexpr size_t kMainStackBytes = 256u << 20;

// A finished script's process ends without destroying the engine and
// LLVM's globals: the kernel frees it all faster (0.3M instructions of a
// 4.5M-instruction empty run). Sanitizer builds tear down as usual, so
// LeakSanitizer still checks that the engine frees everything
// (tools/CMakeLists.txt sets BOC_SKIP_TEARDOWN from BOC_SANITIZE).
constexpr bool kSkipTeardown = BOC_SKIP_TEARDOWN;

[[noreturn]] void exit_now(int status) {
  std::cout.flush();
  std::fflush(nullptr);
  std::_Exit(status);
}

enum class Source { File, String, Stdin };
enum class Mode { Run, DumpAst, DumpIr, DumpOptimizedIr };

struct Command {
  Source source = Source::Stdin;
  Mode mode = Mode::Run;
  std::string text;  // the path or the -e code
  std::vector<std::string> args;
  unsigned workers = 0;
  bool repl = false;
  bool cache = true;
};

int usage_error(const std::string& message) {
  std::cerr << "boc: " << message << "\n" << kUsage;
  return 2;
}

// Returns the exit status to stop with, or nullopt to go on.
std::optional<int> parse_command_line(int argc, char** argv, Command& cmd) {
  int i = 1;
  for (; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    }
    if (arg == "--version") {
      std::cout << kVersion << "\n";
      return 0;
    }
    if (arg == "--dump-ast") {
      cmd.mode = Mode::DumpAst;
    } else if (arg == "--dump-ir") {
      cmd.mode = Mode::DumpIr;
    } else if (arg == "--dump-optimized-ir") {
      cmd.mode = Mode::DumpOptimizedIr;
    } else if (arg == "--no-cache") {
      cmd.cache = false;
    } else if (arg == "--workers") {
      if (i + 1 >= argc) return usage_error("--workers needs a number");
      std::string n = argv[++i];
      char* end = nullptr;
      unsigned long value = std::strtoul(n.c_str(), &end, 10);
      if (n.empty() || *end != '\0' || value == 0 || value > 1024)
        return usage_error("--workers needs a number from 1 to 1024, got '" + n + "'");
      cmd.workers = static_cast<unsigned>(value);
    } else if (arg == "-e") {
      if (i + 1 >= argc) return usage_error("-e needs code to run");
      cmd.source = Source::String;
      cmd.text = argv[++i];
      ++i;
      break;
    } else if (arg == "-") {
      cmd.source = Source::Stdin;
      ++i;
      break;
    } else if (arg.size() > 1 && arg[0] == '-') {
      return usage_error("unknown option '" + arg + "'");
    } else {
      cmd.source = Source::File;
      cmd.text = arg;
      ++i;
      break;
    }
  }
  // No script, no -e and no '-': a terminal gets the REPL.
  bool named_source = i > 1 && (cmd.source != Source::Stdin || std::string(argv[i - 1]) == "-");
  if (!named_source && isatty(0)) cmd.repl = true;
  for (; i < argc; ++i) cmd.args.push_back(argv[i]);
  return std::nullopt;
}

// The compiled-code cache directory (LANGUAGE.md section 9), or "" for none.
std::string cache_dir(const Command& cmd) {
  const char* off = std::getenv("BOC_NO_CACHE");
  if (!cmd.cache || (off && *off && std::string(off) != "0")) return "";
  if (const char* dir = std::getenv("BOC_CACHE_DIR"); dir && *dir) return dir;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) return std::string(xdg) + "/boc";
  if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/.cache/boc";
  return "";
}

int run(const Command& cmd) {
  // The dump modes read a terminal like any other stdin, up to Ctrl-D.
  if (cmd.repl && cmd.mode == Mode::Run) {
    boc::Options options;
    options.workers = cmd.workers;
    return boc::repl::run(options, cmd.args);
  }
  std::string source;
  std::string name;
  switch (cmd.source) {
    case Source::File: {
      FILE* f = std::fopen(cmd.text.c_str(), "rb");
      if (!f) {
        std::cerr << "boc: cannot open '" << cmd.text << "': " << std::strerror(errno) << "\n";
        return 2;
      }
      char buffer[65536];
      size_t n;
      while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0) source.append(buffer, n);
      bool failed = std::ferror(f);
      std::fclose(f);
      if (failed) {
        std::cerr << "boc: cannot read '" << cmd.text << "'\n";
        return 2;
      }
      name = cmd.text;
      break;
    }
    case Source::String:
      source = cmd.text;
      name = "<string>";
      break;
    case Source::Stdin:
      source.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
      name = "<stdin>";
      break;
  }

  boc::Options options;
  options.workers = cmd.workers;
  options.cache_dir = cache_dir(cmd);
  boc::Engine engine(options);
  try {
    if (cmd.mode == Mode::DumpAst) {
      std::cout << engine.dump_ast(source, name);
      return 0;
    }
    if (cmd.mode == Mode::DumpIr || cmd.mode == Mode::DumpOptimizedIr) {
      std::cout << engine.dump_ir(source, name, cmd.mode == Mode::DumpOptimizedIr);
      return 0;
    }
    engine.set_args(cmd.args);
    engine.run_string(source, name);
    engine.flush();
    // run_string returned: the behaviors have finished, the output is
    // flushed and the object cache files are written.
    if (kSkipTeardown) exit_now(0);
    return 0;
  } catch (const boc::Exit& e) {
    engine.flush();
    return e.code();
  } catch (const boc::Error& e) {
    engine.flush();
    std::cerr << e.what();  // empty when already reported (failed behaviors)
    return 1;
  }
}

struct ThreadCall {
  const Command* cmd;
  int status;
};

}  // namespace

int main(int argc, char** argv) {
  Command cmd;
  if (auto status = parse_command_line(argc, argv, cmd)) return *status;
  ThreadCall call{&cmd, 1};
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, kMainStackBytes);
  pthread_t thread;
  auto body = [](void* p) -> void* {
    auto* c = static_cast<ThreadCall*>(p);
    c->status = run(*c->cmd);
    return nullptr;
  };
  if (pthread_create(&thread, &attr, body, &call) != 0) {
    call.status = run(cmd);  // no big stack available: run here
  } else {
    pthread_join(thread, nullptr);
  }
  pthread_attr_destroy(&attr);
  std::cout.flush();
  return call.status;
}
