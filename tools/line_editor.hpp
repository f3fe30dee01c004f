// The REPL's terminal: lines read with libedit (editing, history in a file),
// and output from any thread printed without tearing the line being edited.
//
// Design note. libedit is single-threaded and blocks in read(), but a REPL
// must react to three things that happen elsewhere: Ctrl-C (a signal, on any
// thread), a terminal resize (a signal) and output from behaviors running on
// worker threads. All three go through one self-pipe that the editor polls
// next to the terminal (a custom libedit read function), so the reacting is
// done on the editor's own thread: a signal handler only writes one byte, and
// only the editor's thread ever draws while a line is being edited. The cost
// is decoding input bytes to wide characters here instead of in libedit.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace boc::repl {

class LineEditor {
 public:
  enum class Status {
    Line,         // `line` holds what was typed, without the newline
    Interrupted,  // Ctrl-C: the input was discarded
    End,          // Ctrl-D on an empty line, or the terminal went away
  };

  // Null when the terminal cannot be set up. `history_path` empty: history is
  // kept for this session only. A history file that cannot be read or
  // written is not an error.
  static std::unique_ptr<LineEditor> create(std::string history_path);
  ~LineEditor();
  LineEditor(const LineEditor&) = delete;
  LineEditor& operator=(const LineEditor&) = delete;

  // Shows `prompt` and lets the user edit one line. Only the REPL thread
  // calls this.
  [[nodiscard]] Status read_line(const std::string& prompt, std::string& line);

  // Adds a line to the history and saves the history file.
  void remember(const std::string& line);

  // Writes `text` to `fd` (1 or 2), from any thread. While a line is being
  // edited the text appears above the prompt, which is then drawn again.
  void write(int fd, std::string_view text);

  // Async-signal-safe: wake read_line to discard the input (Ctrl-C) or to
  // learn the new terminal size (SIGWINCH).
  void post_interrupt() noexcept;
  void post_resize() noexcept;

 private:
  struct Impl;
  explicit LineEditor(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace boc::repl
