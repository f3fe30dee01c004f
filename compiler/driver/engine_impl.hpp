// Engine::Impl: the state of one engine, shared by the driver's files (each
// file implements one group of Engine methods on it).
//
// Design note: everything of an engine hangs off this struct, so engines are
// independent (no global mutable state). Globals live in a std::deque so that
// compiled code can hold their addresses while the table grows. Members are
// declared in dependency order; ~Impl stops the runtime (its behaviors run
// compiled code, host functions and globals) before anything else goes.
#pragma once

#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "boc/boc.hpp"
#include "compiler/ast/ast.hpp"
#include "compiler/codegen/codegen.hpp"
#include "compiler/driver/output.hpp"
#include "compiler/jit/jit.hpp"
#include "compiler/resolve/resolver.hpp"
#include "runtime/abi.hpp"
#include "runtime/context.hpp"
#include "runtime/global_cell.hpp"
#include "runtime/script_runtime.hpp"

namespace boc {

namespace driver {

// Routes script output to the host's sinks.
class EngineHost : public rt::Host {
 public:
  EngineHost(std::function<void(std::string_view)> out, std::function<void(std::string_view)> err,
             bool allow_io)
      : out_(std::move(out)), err_(std::move(err)), allow_io_(allow_io) {}
  void write_out(std::string_view text) override { out_(text); }
  void write_err(std::string_view text) override { err_(text); }
  bool allow_io() const override { return allow_io_; }

 private:
  std::function<void(std::string_view)> out_, err_;
  bool allow_io_;
};

// A function given to Engine::define: its script-visible proto and the
// callable. Lives (at a stable address) as long as the engine; the script
// Function value points back at it through its one capture.
struct HostFunction {
  rt::FnProto proto;
  std::string name;
  int arity;  // -1: any count
  NativeFunction fn;
};

}  // namespace driver

struct Engine::Impl {
  using EntryFn = rt::Value (*)(rt::Ctx*);

  explicit Impl(Options options);
  ~Impl();

  // Parse (as a REPL entry for eval: see entries.hpp) and resolve; throws
  // boc::Error.
  std::unique_ptr<ast::Program> front_end(std::string_view source, const std::string& name,
                                          bool entry = false);
  // Compile one unit and hand it to the JIT; returns its entry. An `entry`
  // (eval) returns the value of its final expression statement.
  EntryFn compile(std::string_view source, const std::string& name, bool entry);
  // Runs compiled main-program code on the calling thread: returns its owned
  // result, or throws boc::Error / boc::Exit (the pending error taken).
  rt::Value execute(EntryFn entry);
  rt::Value execute_call(rt::Value callee, const rt::Value* args, uint32_t argc);
  // A thrown Error/Exit for the pending error after main code returned exc.
  [[noreturn]] void throw_pending(bool wait_for_behaviors_first);

  void run(std::string_view source, const std::string& name);
  // Waits for every behavior; reports behaviors that failed or called exit.
  void wait_for_behaviors();

  jit::Jit& ensure_jit(const std::string& name);
  rt::Value* global_address(uint32_t index);
  rt::GlobalCell& global_cell(uint32_t index);
  // Declares (or replaces) a global the scripts cannot assign.
  void define_global(const std::string& name, rt::Value value_move, bool builtin);

  std::unique_ptr<driver::BufferedFd> stdout_buffer;
  std::unique_ptr<driver::BufferedFd> stderr_buffer;
  std::unique_ptr<driver::EngineHost> host;
  rt::Ctx ctx;  // the main program's (host thread's) context
  resolve::GlobalScope globals;
  std::deque<rt::GlobalCell> global_cells;  // stable addresses, indexed like globals
  std::deque<driver::HostFunction> host_functions;  // stable addresses
  std::string cache_dir;  // Options::cache_dir, for ensure_jit
  std::unique_ptr<jit::Jit> jit;
  // Kept for the engine's life: compiled code points into both.
  std::vector<std::unique_ptr<ast::Program>> programs;
  std::vector<std::unique_ptr<codegen::UnitData>> units;
  // Behaviors run compiled code and read globals: stopped first (~Impl).
  std::unique_ptr<rt::ScriptRuntime> runtime;
};

}  // namespace boc
