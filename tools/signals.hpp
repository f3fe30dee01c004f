// Where Ctrl-C (SIGINT) and terminal resizes (SIGWINCH) go while the REPL
// runs: to the line editor while a line is edited, to the engine while an
// entry runs.
//
// A signal handler has no user data, so the route lives in one file-static
// set of lock-free atomics: one REPL per process at a time, which is what a
// terminal has anyway.
#pragma once

#include "boc/boc.hpp"
#include "tools/line_editor.hpp"

namespace boc::repl {

class SignalRoute {
 public:
  enum class Mode {
    Editing,  // Ctrl-C discards the input (LineEditor::post_interrupt)
    Running,  // Ctrl-C interrupts the entry's code (Engine::interrupt)
    Leaving,  // waiting for behaviors at exit: Ctrl-C quits at once (130)
  };

  // Installs the handlers; the destructor puts the previous ones back.
  SignalRoute(LineEditor& editor, boc::Engine& engine);
  ~SignalRoute();
  SignalRoute(const SignalRoute&) = delete;
  SignalRoute& operator=(const SignalRoute&) = delete;

  void set_mode(Mode mode);
  // How many SIGINTs arrived so far: an entry that saw one ends the line the
  // terminal echoed `^C` on before printing its error.
  unsigned interrupts() const;
};

}  // namespace boc::repl
