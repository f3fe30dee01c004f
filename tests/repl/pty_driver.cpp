// Drives `boc` through a pseudo-terminal as a user at a keyboard would,
// following a case file (tests/repl/cases/*.repl), and fails on the first
// expectation that is not met. Every wait has a deadline and the child is
// killed at the end, so a hanging REPL fails the test instead of hanging it.
//
// usage: boc_repl_driver BOC CASE_FILE
//
// A case file holds one command a line; `#` starts a comment line. TEXT runs
// to the end of the line and understands \n \r \t \e (escape) \s (space)
// \\ and \xHH. Output is matched after dropping terminal escape sequences,
// carriage returns and other control characters, so "\n" is a line end.
//   args A B ...     boc's command-line arguments (before the start)
//   home none        HOME names a directory that does not exist (unwritable);
//                    by default HOME is the case's fresh work directory
//   file NAME TEXT   write TEXT and a newline to NAME in the work directory
//   pipe             stdin and output are pipes, not a terminal
//   start            start boc (implicit at the first command that needs it)
//   send TEXT        once the line editor reads, type TEXT and Enter
//   type TEXT        once the line editor reads, type TEXT
//   key NAME         once the line editor reads, press ctrl-c, ctrl-d, up,
//                    down or enter (in pipe mode ctrl-d closes stdin)
//   key-now NAME     press it at once (Ctrl-C for running code)
//   expect TEXT      wait for TEXT in the output after the previous match
//   interrupt-until TEXT
//                    press Ctrl-C at once and every half second until TEXT
//                    appears (consumed as by expect): a press that lands
//                    while the entry still compiles is not meant for it
//   absent TEXT      TEXT is not in the output the last expect consumed
//   sleep SECONDS
//   timeout SECONDS  deadline of each later wait (default 10)
//   exit N           wait for boc to exit with status N
//   restart          start boc again, same home and directory
//   history TEXT     $HOME/.boc_history contains TEXT
//
// "Once the line editor reads" is when the terminal is out of canonical
// mode, which only libedit does and only while it waits for a key; typing
// earlier would be echoed twice. After a send, `expect` the next prompt
// before typing again: the terminal stays raw until the entry is read.
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Failure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string unescape(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\' || i + 1 == text.size()) {
      out += text[i];
      continue;
    }
    char c = text[++i];
    switch (c) {
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'e':
        out += '\x1b';
        break;
      case 's':
        out += ' ';
        break;
      case 'x':
        if (i + 2 < text.size()) {
          out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
          i += 2;
        }
        break;
      default:
        out += c;
    }
  }
  return out;
}

// For failure messages: control characters made visible.
std::string visible(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\n')
      out += "\\n\n";
    else if (static_cast<unsigned char>(c) < 0x20) {
      char buffer[8];
      std::snprintf(buffer, sizeof buffer, "\\x%02x", static_cast<unsigned char>(c));
      out += buffer;
    } else
      out += c;
  }
  return out;
}

// Turns terminal output into plain text: escape sequences (CSI, OSC, and
// two-byte ones) and control characters other than \n and \t are dropped.
// Fed byte by byte, so a sequence split across reads is handled.
class Screen {
 public:
  void feed(std::string_view bytes) {
    for (char ch : bytes) {
      auto c = static_cast<unsigned char>(ch);
      switch (state_) {
        case State::Text:
          if (c == 0x1b)
            state_ = State::Escape;
          else if (c == '\n' || c == '\t' || c >= 0x20)
            text_ += ch;
          break;
        case State::Escape:
          state_ = c == '[' ? State::Csi : c == ']' ? State::Osc : State::Text;
          break;
        case State::Csi:
          if (c >= 0x40 && c <= 0x7e) state_ = State::Text;
          break;
        case State::Osc:
          if (c == 0x07)
            state_ = State::Text;
          else if (c == 0x1b)
            state_ = State::Escape;  // ESC \ ends it
          break;
      }
    }
  }
  const std::string& text() const { return text_; }

 private:
  enum class State { Text, Escape, Csi, Osc };
  State state_ = State::Text;
  std::string text_;
};

class Driver {
 public:
  Driver(std::string boc, std::string case_path)
      : boc_(std::move(boc)), case_path_(std::move(case_path)) {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/boc-repl-XXXXXX";
    if (!mkdtemp(pattern.data())) throw Failure("cannot make a work directory");
    work_ = pattern;
    home_ = work_;
  }

  ~Driver() {
    stop();
    std::error_code ignored;
    std::filesystem::remove_all(work_, ignored);
  }

  int run() {
    std::ifstream in(case_path_);
    if (!in) {
      std::cerr << "cannot read " << case_path_ << "\n";
      return 2;
    }
    std::string line;
    int number = 0;
    try {
      while (std::getline(in, line)) {
        ++number;
        if (line.empty() || line[0] == '#') continue;
        execute(line);
      }
      stop();
      return 0;
    } catch (const Failure& f) {
      std::cerr << case_path_ << ":" << number << ": FAILED: " << line << "\n  " << f.what()
                << "\n";
      std::cerr << "--- output after the last match ---\n"
                << visible(screen_.text().substr(cursor_)) << "\n--- whole output ---\n"
                << visible(screen_.text()) << "\n";
      return 1;
    }
  }

 private:
  void execute(const std::string& line) {
    size_t space = line.find(' ');
    std::string command = line.substr(0, space);
    std::string rest = space == std::string::npos ? "" : line.substr(space + 1);
    if (command == "args") {
      std::istringstream words(rest);
      for (std::string w; words >> w;) args_.push_back(w);
    } else if (command == "home") {
      if (rest != "none") throw Failure("home takes `none`");
      home_ = work_ + "/no/such/home";
    } else if (command == "file") {
      size_t split = rest.find(' ');
      std::ofstream(work_ + "/" + rest.substr(0, split))
          << (split == std::string::npos ? "" : unescape(rest.substr(split + 1))) << "\n";
    } else if (command == "pipe") {
      pipe_mode_ = true;
    } else if (command == "start") {
      start();
    } else if (command == "send" || command == "type") {
      ensure_started();
      wait_for_editor();
      put(unescape(rest) + (command == "send" ? "\r" : ""));
    } else if (command == "key" || command == "key-now") {
      ensure_started();
      if (pipe_mode_ && rest == "ctrl-d") {
        close_input();
        return;
      }
      if (command == "key") wait_for_editor();
      put(key(rest));
    } else if (command == "expect") {
      ensure_started();
      expect(unescape(rest));
    } else if (command == "interrupt-until") {
      ensure_started();
      expect(unescape(rest), key("ctrl-c"));
    } else if (command == "absent") {
      std::string text = unescape(rest);
      std::string span = screen_.text().substr(span_begin_, cursor_ - span_begin_);
      if (span.find(text) != std::string::npos)
        throw Failure("found \"" + visible(text) + "\" in:\n" + visible(span));
    } else if (command == "sleep") {
      // Reading meanwhile, so that boc never blocks on a full terminal.
      auto until = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                      std::chrono::duration<double>(std::stod(rest)));
      while (Clock::now() < until) pump(until);
    } else if (command == "timeout") {
      timeout_ = std::chrono::duration<double>(std::stod(rest));
    } else if (command == "exit") {
      ensure_started();
      wait_exit(std::stoi(rest));
    } else if (command == "restart") {
      if (pid_ > 0) throw Failure("restart: boc is still running");
      start();
    } else if (command == "history") {
      std::ifstream file(home_ + "/.boc_history");
      std::stringstream all;
      all << file.rdbuf();
      if (all.str().find(unescape(rest)) == std::string::npos)
        throw Failure("history file holds:\n" + visible(all.str()));
    } else {
      throw Failure("unknown command `" + command + "`");
    }
  }

  static std::string key(const std::string& name) {
    if (name == "ctrl-c") return "\x03";
    if (name == "ctrl-d") return "\x04";
    if (name == "up") return "\x1b[A";
    if (name == "down") return "\x1b[B";
    if (name == "enter") return "\r";
    throw Failure("unknown key `" + name + "`");
  }

  Clock::time_point deadline() const {
    return Clock::now() + std::chrono::duration_cast<Clock::duration>(timeout_);
  }

  void ensure_started() {
    if (!started_) start();
  }

  void start() {
    close_fds();
    started_ = true;
    exited_ = false;
    std::vector<std::string> argv_text{boc_};
    argv_text.insert(argv_text.end(), args_.begin(), args_.end());
    std::vector<char*> argv;
    for (auto& a : argv_text) argv.push_back(a.data());
    argv.push_back(nullptr);
    if (pipe_mode_) {
      int in[2], out[2];
      if (pipe(in) != 0 || pipe(out) != 0) throw Failure("pipe failed");
      pid_ = fork();
      if (pid_ == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        dup2(out[1], 2);
        close(in[0]);
        close(in[1]);
        close(out[0]);
        close(out[1]);
        exec_child(argv);
      }
      close(in[0]);
      close(out[1]);
      input_ = in[1];
      output_ = out[0];
    } else {
      // Wide enough that no test line wraps (wrapping adds redraws).
      winsize size{};
      size.ws_row = 50;
      size.ws_col = 200;
      int master = -1;
      pid_ = forkpty(&master, nullptr, nullptr, &size);
      if (pid_ == 0) exec_child(argv);
      input_ = output_ = master_ = master;
    }
    if (pid_ < 0) throw Failure("cannot start boc");
  }

  [[noreturn]] void exec_child(std::vector<char*>& argv) {
    if (chdir(work_.c_str()) != 0) _exit(126);
    setenv("HOME", home_.c_str(), 1);
    setenv("TERM", "xterm", 1);
    unsetenv("EDITRC");
    execv(boc_.c_str(), argv.data());
    _exit(127);
  }

  // Reads what is available until `until`; false once the output has ended.
  bool pump(Clock::time_point until) {
    if (output_ < 0) {
      std::this_thread::sleep_until(until);  // callers poll in short steps
      return false;
    }
    for (;;) {
      auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()).count();
      pollfd fd{output_, POLLIN, 0};
      int ready = poll(&fd, 1, static_cast<int>(left > 0 ? left : 0));
      if (ready < 0 && errno == EINTR) continue;
      if (ready <= 0) return true;
      char buffer[4096];
      ssize_t n = read(output_, buffer, sizeof buffer);
      if (n > 0) {
        screen_.feed(std::string_view(buffer, static_cast<size_t>(n)));
        continue;  // more may be there already
      }
      if (n < 0 && errno == EINTR) continue;
      // EOF, or EIO: the pty's other side closed, boc is gone.
      if (output_ != master_) close(output_);
      output_ = -1;
      return false;
    }
  }

  void wait_for_editor() {
    if (pipe_mode_) return;
    auto end = deadline();
    for (;;) {
      termios mode{};
      // On Linux the master reports the slave's mode: the child's terminal.
      if (tcgetattr(input_, &mode) == 0 && !(mode.c_lflag & ICANON)) return;
      if (Clock::now() > end) throw Failure("the line editor never started reading");
      if (!pump(Clock::now() + std::chrono::milliseconds(10)) || reap())
        throw Failure("boc ended while waiting for the line editor");
    }
  }

  void put(const std::string& bytes) {
    if (input_ < 0) throw Failure("boc's input is closed");
    std::string_view left = bytes;
    while (!left.empty()) {
      ssize_t n = write(input_, left.data(), left.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        throw Failure("cannot type into boc: " + std::string(std::strerror(errno)));
      }
      left.remove_prefix(static_cast<size_t>(n));
    }
  }

  void close_input() {
    if (input_ >= 0 && input_ != master_) close(input_);
    input_ = -1;
  }

  void close_fds() {
    close_input();
    if (output_ >= 0 && output_ != master_) close(output_);
    if (master_ >= 0) close(master_);
    output_ = master_ = -1;
  }

  // Waits for `text`; meanwhile types `repeat`, if any, every half second.
  void expect(const std::string& text, const std::string& repeat = "") {
    auto end = deadline();
    auto next_repeat = Clock::now();
    for (;;) {
      if (!repeat.empty() && Clock::now() >= next_repeat) {
        put(repeat);
        next_repeat = Clock::now() + std::chrono::milliseconds(500);
      }
      size_t at = screen_.text().find(text, cursor_);
      if (at != std::string::npos) {
        span_begin_ = cursor_;
        cursor_ = at + text.size();
        return;
      }
      if (Clock::now() > end) throw Failure("timed out waiting for \"" + visible(text) + "\"");
      if (!pump(std::min(end, Clock::now() + std::chrono::milliseconds(50))) && exited_)
        throw Failure("boc exited without printing \"" + visible(text) + "\"");
      reap();
    }
  }

  // True once the child has been reaped (status_ holds how it ended).
  bool reap() {
    if (pid_ <= 0) return exited_;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      status_ = status;
      pid_ = -1;
      exited_ = true;
    }
    return exited_;
  }

  void wait_exit(int expected) {
    auto end = deadline();
    while (!reap()) {
      if (Clock::now() > end) throw Failure("boc did not exit");
      pump(std::min(end, Clock::now() + std::chrono::milliseconds(20)));
    }
    // What it wrote last is still in the pipe or pty: read up to the end.
    while (pump(Clock::now() + std::chrono::milliseconds(50)) && Clock::now() < end) {
    }
    if (!WIFEXITED(status_))
      throw Failure("boc was killed by signal " + std::to_string(WTERMSIG(status_)));
    if (WEXITSTATUS(status_) != expected)
      throw Failure("boc exited with status " + std::to_string(WEXITSTATUS(status_)) +
                    ", expected " + std::to_string(expected));
  }

  // Kills a child still running: a test never leaves a process behind.
  void stop() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
      pid_ = -1;
    }
    close_fds();
  }

  std::string boc_, case_path_, work_, home_;
  std::vector<std::string> args_;
  bool pipe_mode_ = false;
  bool started_ = false;
  bool exited_ = false;
  pid_t pid_ = -1;
  int status_ = 0;
  int master_ = -1;               // the pty, or -1 in pipe mode
  int input_ = -1, output_ = -1;  // both master_, or two pipes; -1 once closed
  Screen screen_;
  size_t cursor_ = 0;      // the end of the last match
  size_t span_begin_ = 0;  // where the last expect started looking
  std::chrono::duration<double> timeout_{10.0};
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: boc_repl_driver BOC CASE_FILE\n";
    return 2;
  }
  // A write to a pty whose child died must fail with EPIPE/EIO, not kill us.
  signal(SIGPIPE, SIG_IGN);
  try {
    Driver driver(argv[1], argv[2]);
    return driver.run();
  } catch (const std::exception& e) {
    std::cerr << "boc_repl_driver: " << e.what() << "\n";
    return 2;
  }
}
