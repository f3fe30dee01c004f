// The REPL's terminal: libedit line editing, history, Ctrl-C and output from
// other threads while a line is being edited (see line_editor.hpp).
#include "tools/line_editor.hpp"

#include <fcntl.h>
#include <histedit.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <clocale>
#include <cstdio>
#include <cstdlib>
#include <cwchar>
#include <mutex>
#include <utility>
#include <vector>

namespace boc::repl {
namespace {

// Large enough for a long session, small enough that saving the whole file
// after every entry stays instant.
constexpr int kHistorySize = 1000;

// Bytes a signal handler or an output thread posts to the wake pipe.
constexpr char kWakeInterrupt = 'i';
constexpr char kWakeResize = 'w';
constexpr char kWakeOutput = 'o';

void write_all(int fd, std::string_view text) {
  while (!text.empty()) {
    ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return;  // a closed terminal: nothing sensible left to do with output
    }
    text.remove_prefix(static_cast<size_t>(n));
  }
}

}  // namespace

struct LineEditor::Impl {
  EditLine* el = nullptr;
  History* hist = nullptr;
  HistEvent event{};
  std::string history_path;
  std::string prompt;
  int wake[2] = {-1, -1};  // [0] polled by read_char, [1] written by post_*
  // The terminal, opened again non-blocking for read_char. Between poll
  // saying it is readable and the read, a Ctrl-C can flush the typed input
  // (the tty discards its queue on INTR); a blocking read would then hang
  // until the next key. A descriptor of our own, not stdin's flags, which
  // the parent shell shares. stdin itself when it cannot be reopened.
  int keys = STDIN_FILENO;
  std::mbstate_t decode_state{};
  bool interrupted = false;  // read_char saw Ctrl-C during this read_line

  // Guards `editing` and `pending`. Invariant: while `editing`, only the
  // REPL thread draws on the terminal; other threads queue their text in
  // `pending` and post kWakeOutput.
  std::mutex mutex;
  bool editing = false;
  std::vector<std::pair<int, std::string>> pending;

  ~Impl() {
    if (el) el_end(el);  // also puts the terminal back as it was
    if (hist) history_end(hist);
    for (int fd : wake)
      if (fd >= 0) close(fd);
    if (keys != STDIN_FILENO) close(keys);
  }

  void post(char what) noexcept {
    // Nonblocking: a full pipe already holds a wake-up, so dropping is fine.
    ssize_t ignored = ::write(wake[1], &what, 1);
    (void)ignored;
  }

  // Writes the queued output above the line being edited. True if anything
  // was written (the prompt then needs drawing again).
  bool show_pending() {
    std::vector<std::pair<int, std::string>> items;
    {
      std::lock_guard lock(mutex);
      items.swap(pending);
    }
    if (items.empty()) return false;
    write_all(1, "\r\033[K");  // the prompt line goes; the text takes its place
    for (auto& [fd, text] : items) {
      write_all(fd, text);
      if (!text.empty() && text.back() != '\n') write_all(fd, "\n");
    }
    return true;
  }

  // libedit's read function (EL_GETCFN): one wide character from the
  // terminal, 0 at end of input, -1 (errno EINTR) for Ctrl-C. Runs on the
  // REPL thread inside el_gets, so drawing here is safe.
  static int read_char(EditLine* el, wchar_t* out) {
    void* data = nullptr;
    el_get(el, EL_CLIENTDATA, &data);
    Impl* self = static_cast<Impl*>(data);
    for (;;) {
      pollfd fds[2] = {{self->keys, POLLIN, 0}, {self->wake[0], POLLIN, 0}};
      if (poll(fds, 2, -1) < 0) {
        if (errno == EINTR) continue;  // our own SIGINT/SIGWINCH landed here
        return -1;
      }
      if (fds[1].revents & POLLIN) {
        bool interrupt = false, resize = false;
        char buffer[64];
        ssize_t n;
        while ((n = ::read(self->wake[0], buffer, sizeof buffer)) > 0)
          for (ssize_t i = 0; i < n; ++i) {
            interrupt |= buffer[i] == kWakeInterrupt;
            resize |= buffer[i] == kWakeResize;
          }
        bool redraw = self->show_pending();
        if (resize) el_resize(el);
        if (interrupt) {
          self->interrupted = true;
          errno = EINTR;
          return -1;
        }
        if (redraw || resize) el_set(el, EL_REFRESH);
        continue;
      }
      if (fds[0].revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL)) {
        char byte;
        ssize_t n = ::read(self->keys, &byte, 1);
        if (n == 0) return 0;
        if (n < 0) {
          if (errno == EINTR || errno == EAGAIN) continue;
          return -1;  // EIO: the terminal is gone
        }
        size_t r = std::mbrtowc(out, &byte, 1, &self->decode_state);
        if (r == static_cast<size_t>(-2)) continue;  // inside a UTF-8 sequence
        if (r == static_cast<size_t>(-1)) {          // invalid byte: drop it
          self->decode_state = std::mbstate_t{};
          continue;
        }
        return 1;
      }
    }
  }

  static char* prompt_text(EditLine* el) {
    void* data = nullptr;
    el_get(el, EL_CLIENTDATA, &data);
    Impl* self = static_cast<Impl*>(data);
    return self->prompt.data();
  }
};

std::unique_ptr<LineEditor> LineEditor::create(std::string history_path) {
  // libedit decodes and draws characters by LC_CTYPE. Under the C locale
  // (common in containers and CI) typed UTF-8 would be dropped, and Boc
  // source is UTF-8, so fall back to C.UTF-8. Done before the engine starts
  // its worker threads, as setlocale is not thread-safe.
  std::setlocale(LC_CTYPE, "");
  if (MB_CUR_MAX == 1) std::setlocale(LC_CTYPE, "C.UTF-8");

  auto impl = std::make_unique<Impl>();
  if (pipe2(impl->wake, O_CLOEXEC | O_NONBLOCK) != 0) return nullptr;
  int keys = ::open("/proc/self/fd/0", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (keys >= 0) impl->keys = keys;
  impl->hist = history_init();
  if (!impl->hist) return nullptr;
  history(impl->hist, &impl->event, H_SETSIZE, kHistorySize);
  history(impl->hist, &impl->event, H_SETUNIQUE, 1);
  impl->history_path = std::move(history_path);
  if (!impl->history_path.empty())  // a missing or unreadable file: start empty
    history(impl->hist, &impl->event, H_LOAD, impl->history_path.c_str());

  impl->el = el_init("boc", stdin, stdout, stderr);
  if (!impl->el) return nullptr;
  el_set(impl->el, EL_CLIENTDATA, impl.get());
  el_set(impl->el, EL_EDITOR, "emacs");
  el_set(impl->el, EL_PROMPT, &Impl::prompt_text);
  el_set(impl->el, EL_HIST, history, impl->hist);
  el_set(impl->el, EL_GETCFN, &Impl::read_char);
  // Our own handlers route the signals (interrupt.hpp); libedit's would
  // re-raise them to the whole process group.
  el_set(impl->el, EL_SIGNAL, 0);
  el_source(impl->el, nullptr);  // the user's ~/.editrc, if any
  return std::unique_ptr<LineEditor>(new LineEditor(std::move(impl)));
}

LineEditor::LineEditor(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
LineEditor::~LineEditor() = default;

LineEditor::Status LineEditor::read_line(const std::string& prompt, std::string& line) {
  Impl& d = *impl_;
  d.prompt = prompt;
  d.interrupted = false;
  d.decode_state = std::mbstate_t{};
  {
    std::lock_guard lock(d.mutex);
    d.editing = true;
  }
  int count = 0;
  const char* text = el_gets(d.el, &count);
  // Under the lock until the queued output is out, so that a behavior's
  // line cannot land in the middle of it.
  std::lock_guard lock(d.mutex);
  d.editing = false;
  Status status = Status::Line;
  if (!text) {
    status = d.interrupted ? Status::Interrupted : Status::End;
    // libedit leaves the cursor on the abandoned line: end it.
    write_all(1, d.interrupted ? "^C\n" : "\n");
  } else {
    line = text;  // `count` counts characters, not the bytes of UTF-8
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  }
  for (auto& [fd, out] : d.pending) write_all(fd, out);
  d.pending.clear();
  return status;
}

void LineEditor::remember(const std::string& line) {
  Impl& d = *impl_;
  history(d.hist, &d.event, H_ENTER, line.c_str());
  // Saved after every entry so a killed session keeps its history; an
  // unwritable home just means no file.
  if (!d.history_path.empty()) history(d.hist, &d.event, H_SAVE, d.history_path.c_str());
}

void LineEditor::write(int fd, std::string_view text) {
  Impl& d = *impl_;
  std::lock_guard lock(d.mutex);
  if (d.editing) {
    d.pending.emplace_back(fd, std::string(text));
    d.post(kWakeOutput);
    return;
  }
  write_all(fd, text);
}

void LineEditor::post_interrupt() noexcept { impl_->post(kWakeInterrupt); }
void LineEditor::post_resize() noexcept { impl_->post(kWakeResize); }

}  // namespace boc::repl
