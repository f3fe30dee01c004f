// SIGINT/SIGWINCH routing for the REPL (see signals.hpp).
#include "tools/signals.hpp"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>

namespace boc::repl {
namespace {

// Set by SignalRoute's constructor before the handlers are installed and
// cleared after they are removed, so a handler never sees a dangling editor
// or engine. Lock-free atomics: the only shared state a handler may touch.
std::atomic<LineEditor*> g_editor{nullptr};
std::atomic<boc::Engine*> g_engine{nullptr};
std::atomic<int> g_mode{static_cast<int>(SignalRoute::Mode::Editing)};
std::atomic<unsigned> g_interrupts{0};

struct sigaction g_old_int, g_old_winch;

void on_sigint(int) {
  int saved_errno = errno;  // the interrupted code may be about to read it
  g_interrupts.fetch_add(1);
  switch (static_cast<SignalRoute::Mode>(g_mode.load())) {
    case SignalRoute::Mode::Editing:
      if (LineEditor* editor = g_editor.load()) editor->post_interrupt();
      break;
    case SignalRoute::Mode::Running:
      if (boc::Engine* engine = g_engine.load()) engine->interrupt();
      break;
    case SignalRoute::Mode::Leaving:
      _exit(130);  // 128 + SIGINT, as shells report an interrupted command
  }
  errno = saved_errno;
}

void on_sigwinch(int) {
  int saved_errno = errno;
  if (LineEditor* editor = g_editor.load()) editor->post_resize();
  errno = saved_errno;
}

}  // namespace

SignalRoute::SignalRoute(LineEditor& editor, boc::Engine& engine) {
  g_editor.store(&editor);
  g_engine.store(&engine);
  g_mode.store(static_cast<int>(Mode::Editing));
  struct sigaction action {};
  sigemptyset(&action.sa_mask);
  // SA_RESTART: the engine's own blocking calls must not see EINTR because
  // of us; the line editor polls, which the kernel never restarts anyway.
  action.sa_flags = SA_RESTART;
  action.sa_handler = on_sigint;
  sigaction(SIGINT, &action, &g_old_int);
  action.sa_handler = on_sigwinch;
  sigaction(SIGWINCH, &action, &g_old_winch);
}

SignalRoute::~SignalRoute() {
  sigaction(SIGINT, &g_old_int, nullptr);
  sigaction(SIGWINCH, &g_old_winch, nullptr);
  g_editor.store(nullptr);
  g_engine.store(nullptr);
}

void SignalRoute::set_mode(Mode mode) { g_mode.store(static_cast<int>(mode)); }

unsigned SignalRoute::interrupts() const { return g_interrupts.load(); }

}  // namespace boc::repl
