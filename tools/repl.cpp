// The REPL loop: entries across lines, evaluation with value echo, errors,
// and the `:` commands. Terminal handling is in line_editor, signal routing
// in signals.
#include "tools/repl.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>

#include "tools/line_editor.hpp"
#include "tools/signals.hpp"

namespace boc::repl {
namespace {

constexpr const char* kPrompt = "boc> ";
constexpr const char* kContinuePrompt = "...> ";
// The file name in error reports; each entry's lines count from 1.
constexpr const char* kEntryName = "<repl>";
constexpr const char* kHistoryFile = ".boc_history";

constexpr const char* kHelp =
    "Type Boc code. The value of an expression is printed (nil prints nothing);\n"
    "the trailing `;` may be left out. Declarations stay for later entries.\n"
    "A line ending inside brackets, braces or a string continues on `...> `.\n"
    "  :help        this text\n"
    "  :load FILE   run a script file here; its declarations stay\n"
    "  :quit        leave (so does Ctrl-D on an empty line)\n"
    "Ctrl-C discards the input being typed, or interrupts running code.\n"
    "Behaviors run in the background: wait() or wait(c) waits for them.\n";

bool is_blank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

std::string_view trim(std::string_view text) {
  size_t begin = text.find_first_not_of(" \t");
  if (begin == std::string_view::npos) return {};
  size_t end = text.find_last_not_of(" \t");
  return text.substr(begin, end - begin + 1);
}

// $HOME/.boc_history, or "" (no file) without a home.
std::string history_path() {
  const char* home = std::getenv("HOME");
  if (!home || !*home) return "";
  return std::string(home) + "/" + kHistoryFile;
}

class Session {
 public:
  Session(LineEditor& editor, boc::Engine& engine, SignalRoute& route)
      : editor_(editor), engine_(engine), route_(route) {}

  // Reads and runs entries; returns the exit status.
  int loop() {
    std::string entry;
    for (;;) {
      std::string line;
      switch (editor_.read_line(entry.empty() ? kPrompt : kContinuePrompt, line)) {
        case LineEditor::Status::Interrupted:
          entry.clear();
          continue;
        case LineEditor::Status::End:
          return 0;
        case LineEditor::Status::Line:
          break;
      }
      if (!is_blank(line)) editor_.remember(line);
      // A statement never starts with ':', so a command cannot shadow code.
      if (entry.empty() && trim(line).starts_with(':')) {
        command(trim(line));
      } else {
        entry += line;
        entry += '\n';
        if (is_blank(entry)) {
          entry.clear();
        } else if (complete(entry)) {
          run_entry(entry);
          entry.clear();
        }
      }
      if (exit_code_) return *exit_code_;
    }
  }

 private:
  // The engine takes an entry's final expression without its `;` (`1 + 2`),
  // both here and in eval, so only open brackets, braces, strings and
  // comments ask for another line.
  bool complete(const std::string& entry) {
    try {
      return engine_.is_complete(entry);
    } catch (const std::exception&) {
      return true;  // let eval report whatever is wrong
    }
  }

  // Runs `source` as the main program; prints its value when `echo`.
  void run_code(const std::string& source, bool echo,
                const std::function<boc::Value(const std::string&)>& eval) {
    unsigned interrupts_before = route_.interrupts();
    route_.set_mode(SignalRoute::Mode::Running);
    try {
      boc::Value value = eval(source);
      route_.set_mode(SignalRoute::Mode::Editing);
      if (echo && !value.is_nil()) editor_.write(1, value.to_string() + "\n");
    } catch (const boc::Exit& e) {
      exit_code_ = e.code();
    } catch (const boc::Error& e) {
      // The terminal echoed `^C` without a newline: the report starts below.
      if (route_.interrupts() != interrupts_before) editor_.write(2, "\n");
      editor_.write(2, e.what());  // empty when already reported on the err sink
    } catch (const std::exception& e) {
      editor_.write(2, std::string("boc: internal error: ") + e.what() + "\n");
    }
    route_.set_mode(SignalRoute::Mode::Editing);
  }

  void run_entry(const std::string& entry) {
    run_code(entry, true, [this](const std::string& s) { return engine_.eval(s, kEntryName); });
  }

  void command(std::string_view line) {
    size_t space = line.find_first_of(" \t");
    std::string_view name = line.substr(0, space);
    std::string_view argument = space == std::string_view::npos ? "" : trim(line.substr(space));
    if (name == ":help" || name == ":h") {
      editor_.write(1, kHelp);
    } else if (name == ":quit" || name == ":q" || name == ":exit") {
      exit_code_ = 0;
    } else if (name == ":load" || name == ":l") {
      load(std::string(argument));
    } else {
      editor_.write(2, "boc: unknown command '" + std::string(name) + "'; :help lists them\n");
    }
  }

  // :load FILE — the file runs as one entry named by its path.
  void load(const std::string& path) {
    if (path.empty()) {
      editor_.write(2, "boc: :load needs a file name\n");
      return;
    }
    FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) {
      editor_.write(2, "boc: cannot open '" + path + "': " + std::strerror(errno) + "\n");
      return;
    }
    std::string source;
    char buffer[65536];
    size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0) source.append(buffer, n);
    bool failed = std::ferror(f);
    std::fclose(f);
    if (failed) {
      editor_.write(2, "boc: cannot read '" + path + "'\n");
      return;
    }
    run_code(source, false, [this, &path](const std::string& s) { return engine_.eval(s, path); });
  }

  LineEditor& editor_;
  boc::Engine& engine_;
  SignalRoute& route_;
  std::optional<int> exit_code_;  // set when the REPL should end
};

}  // namespace

int run(boc::Options options, std::vector<std::string> args) {
  std::unique_ptr<LineEditor> editor = LineEditor::create(history_path());
  if (!editor) {
    std::cerr << "boc: cannot set up the terminal for the REPL\n";
    return 1;
  }
  LineEditor* out = editor.get();
  options.out = [out](std::string_view text) { out->write(1, text); };
  options.err = [out](std::string_view text) { out->write(2, text); };
  try {
    // Declared after the editor its sinks write to, so destroyed before it.
    boc::Engine engine(std::move(options));
    engine.set_args(std::move(args));
    int status;
    {
      SignalRoute route(*editor, engine);
      status = Session(*editor, engine, route).loop();
      // Leaving waits for the behaviors still running, as the end of a
      // script does; a Ctrl-C meanwhile quits at once.
      route.set_mode(SignalRoute::Mode::Leaving);
      try {
        engine.wait();
      } catch (const boc::Exit& e) {
        status = e.code();  // a behavior called exit(code)
      } catch (const boc::Error&) {
        // Failed behaviors were reported when they failed; leaving is still
        // what the user asked for.
      }
    }
    return status;
  } catch (const std::exception& e) {
    editor->write(2, std::string("boc: ") + e.what() + "\n");
    return 1;
  }
}

}  // namespace boc::repl
