// The public embedding API of Boc: the only header a host program (and the
// boc command itself) includes. It names nothing of LLVM, Flex or the runtime.
//
// Threading, in one place:
// - An Engine is used from one host thread at a time (any thread, but not two
//   at once). Exceptions, each stated below: interrupt() may be called from
//   any thread or a signal handler; make_cown() and when() may also be called
//   from inside a host behavior body (a function given to when()).
// - Script behaviors, and host behaviors given to when(), run on the engine's
//   worker threads, concurrently with the host thread and with each other.
// - Functions given to define() run on whichever thread calls them: the host
//   thread for the main program, eval() and call(), a worker thread when a
//   behavior calls them. Several workers may call one function at the same
//   time, so it must be thread-safe.
// - Output sinks (Options::out, err) are called from several threads, one
//   whole unit (a line from print, an error report) per call.
// - boc::Value may be copied, passed and destroyed on any thread.
//
// Errors: every public call is a protected boundary. Nothing but boc::Error
// (and boc::Exit, when a script calls exit) escapes it.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace boc {

// What compiling or running a script, or misusing this API, can throw.
// what() is the full text a user should see: for a compile error
// "file:line:col: error: message" plus the source line and a caret; for a
// runtime error "file:line:col: runtime error: message" plus the script stack
// trace. message() is the bare message; file()/line()/column() locate it
// (empty / 0 when there is no place in a script, e.g. for Kind::Usage).
class Error : public std::exception {
 public:
  enum class Kind {
    Compile,  // syntax or name error: nothing of that source ran
    Runtime,  // an uncaught script error, or behaviors failed (see Engine::wait)
    Io,       // run_file could not read the file
    Usage,    // the host misused the API: wrong Value type, unknown global...
  };
  Error(Kind kind, std::string message, std::string file, uint32_t line, uint32_t column,
        std::string report);
  // A host-side error with no place in a script; what() is the message.
  Error(Kind kind, std::string message);
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
// A behavior calling exit(code) makes the next Engine::wait() throw it.
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
  // Where everything scripts print (out) and error reports (err) go.
  // Defaults: stdout (buffered; see Engine::flush) and stderr. Called from
  // several threads (see the top of this file); each call is one unit.
  std::function<void(std::string_view)> out;
  std::function<void(std::string_view)> err;
  // Where compiled code is kept between processes, so that compiling the
  // same source again loads the object instead (like Python's __pycache__).
  // Empty (the default): no cache. A directory that cannot be created, or
  // a cache file that cannot be read or written, only means compiling again.
  // Files are never removed by the engine: delete the directory at will.
  std::string cache_dir;
};

namespace detail {
struct ValueAccess;
}

// A script value: nil, bool, int, float, string, list, map, function, cown or
// error. A Value is a counted reference into the engine's heap: copying is
// O(1) and lists and maps behave as values (nothing here mutates one), so
// Values can be shared across threads freely.
//
// Lifetime: a Value that came out of an engine (eval, call, global, wait, a
// define'd function's arguments, a host behavior's contents) may point into
// that engine's compiled code and constants, so drop it before the engine is
// destroyed. A cown belongs to the engine that made it: never hand it to
// another engine.
//
// Accessors check the type: as_int() on a string throws
// boc::Error(Kind::Usage, "expected int, got string").
class Value {
 public:
  Value() noexcept = default;  // nil
  Value(int64_t i);
  Value(double d);
  Value(bool b);
  Value(std::string_view s);
  Value(const std::string& s);
  Value(const char* s);
  // Other integer types (int, unsigned, long long...) become int.
  template <std::integral T>
    requires(!std::same_as<T, bool> && !std::same_as<T, int64_t>)
  Value(T i) : Value(static_cast<int64_t>(i)) {}

  static Value list(std::vector<Value> items);
  static Value map(std::vector<std::pair<std::string, Value>> entries);

  Value(const Value& other) noexcept;
  Value(Value&& other) noexcept : tag_(other.tag_), bits_(other.bits_) {
    other.tag_ = 0;
    other.bits_ = 0;
  }
  Value& operator=(const Value& other) noexcept;
  Value& operator=(Value&& other) noexcept;
  ~Value();

  bool is_nil() const { return tag_ == 0; }
  bool is_bool() const;
  bool is_int() const;
  bool is_float() const;
  bool is_number() const { return is_int() || is_float(); }
  bool is_string() const;
  bool is_list() const;
  bool is_map() const;
  bool is_function() const;
  bool is_cown() const;
  bool is_error() const;

  int64_t as_int() const;
  double as_float() const;  // an int converts
  bool as_bool() const;
  std::string as_string() const;
  // Only nil and false are falsy, as in scripts.
  bool truthy() const;

  // Elements of a list, entries of a map, bytes of a string.
  size_t size() const;
  // A list element (negative counts from the end); throws Usage when out of
  // range or not a list. A template so that `v[0]` is not ambiguous with the
  // string-key form below.
  template <std::integral T>
  Value operator[](T index) const {
    return at(static_cast<int64_t>(index));
  }
  Value at(int64_t index) const;
  // A map entry by string key; throws Usage when missing or not a map.
  Value operator[](std::string_view key) const;
  Value operator[](const char* key) const { return (*this)[std::string_view(key)]; }
  bool contains(std::string_view key) const;  // map has this string key
  std::vector<Value> keys() const;            // map keys in insertion order

  // typeof(v): "nil" "bool" "int" "float" "string" "list" "map" "function"
  // "cown" "error".
  std::string type_name() const;
  // As print shows it: strings raw, containers with quoted strings.
  std::string to_string() const;

  // Structural, as `==` in scripts (1 == 1.0; identity for cowns, functions).
  friend bool operator==(const Value& a, const Value& b);

 private:
  friend struct detail::ValueAccess;
  // Opaque: the runtime's two-word representation (tag 0 = nil).
  uint64_t tag_ = 0;
  uint64_t bits_ = 0;
};

// A host function as the engine stores it: arguments in, result out. Throwing
// (anything) raises a script runtime error with the exception's what().
using NativeFunction = std::function<Value(std::span<const Value> args)>;

namespace detail {

// Argument conversion for Engine::define: throws boc::Error(Kind::Usage) with
// "NAME() expects argument N to be TYPE, got TYPE", which the script sees as
// a runtime error.
[[noreturn]] void throw_argument_error(const std::string& function, size_t index,
                                       const char* expected, const Value& got);

template <class T>
T from_value(const Value& v, const std::string& function, size_t index) {
  using U = std::remove_cvref_t<T>;
  if constexpr (std::same_as<U, Value>) {
    return v;
  } else if constexpr (std::same_as<U, bool>) {
    if (!v.is_bool()) throw_argument_error(function, index, "bool", v);
    return v.as_bool();
  } else if constexpr (std::integral<U>) {
    if (!v.is_int()) throw_argument_error(function, index, "int", v);
    return static_cast<U>(v.as_int());
  } else if constexpr (std::floating_point<U>) {
    if (!v.is_number()) throw_argument_error(function, index, "float", v);
    return static_cast<U>(v.as_float());
  } else if constexpr (std::same_as<U, std::string>) {
    if (!v.is_string()) throw_argument_error(function, index, "string", v);
    return v.as_string();
  } else {
    static_assert(sizeof(U) == 0,
                  "define(): arguments must be int64_t, double, bool, std::string or boc::Value");
  }
}

template <class R, class... Args, class F>
NativeFunction wrap(const std::string& name, F fn) {
  return [name, fn = std::move(fn)](std::span<const Value> args) -> Value {
    // The engine checked args.size() == sizeof...(Args).
    return [&]<size_t... I>(std::index_sequence<I...>) -> Value {
      if constexpr (std::is_void_v<R>) {
        fn(from_value<Args>(args[I], name, I)...);
        return Value();
      } else {
        return Value(fn(from_value<Args>(args[I], name, I)...));
      }
    }(std::index_sequence_for<Args...>{});
  };
}

}  // namespace detail

// One script engine: its globals, compiled code, behaviors and worker
// threads. Engines share nothing: several may live in one process.
// Destroying an engine waits for its behaviors, then stops its workers.
class Engine {
 public:
  explicit Engine(Options options = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Compile and run a script, then wait for every behavior (as the end of a
  // script does). Throw boc::Error (Kind::Io for an unreadable file) or
  // boc::Exit. Declarations persist into later calls on this engine.
  void run_file(const std::string& path);
  void run_string(std::string_view source, const std::string& name = "<string>");

  // Compile and run one unit, as a REPL entry: returns the value of its final
  // statement when that is an expression statement (`1 + 2` or `f(x);`), nil
  // otherwise. Declarations persist. Does NOT wait for the behaviors it
  // scheduled: they keep running, and a failure among them is reported on
  // the err sink and thrown by the next wait().
  Value eval(std::string_view source, const std::string& name = "<eval>");

  // False only when `source` fails to parse because it ended early (an open
  // bracket or brace, an unterminated string or comment, "unexpected end of
  // file"): a REPL then reads another line. True for complete input and for
  // input with any other error (eval then reports it). Runs nothing.
  bool is_complete(std::string_view source);

  // Calls the global function `name` (a script fn or a define'd one) on the
  // host thread and returns its result; does not wait for behaviors.
  // Throws Usage when there is no such global or it is not a function.
  Value call(const std::string& name, std::span<const Value> args);
  Value call(const std::string& name, std::initializer_list<Value> args = {});

  // Makes `fn` the script global function `name`. `fn` is any callable whose
  // parameters and result are int64_t (or another integer type), double,
  // bool, std::string or boc::Value (a void result is nil); or a
  // NativeFunction taking all arguments as a span (any count). Scripts
  // calling it with the wrong count or types get a runtime error; an
  // exception thrown by `fn` becomes a script error that try/catch can catch,
  // with the exception's what() as message. Runs on the calling thread: from
  // behaviors that is a worker thread, possibly several at once, so `fn`
  // must be thread-safe. `fn` (and what it captures) lives as long as the
  // engine. Redefining a name first waits for running behaviors.
  template <class F>
  void define(const std::string& name, F fn);
  // The untyped form; arity -1 accepts any count.
  void define_native(const std::string& name, int arity, NativeFunction fn);

  // Globals shared with scripts. set_global declares or assigns the global
  // `name` (a script later reads it by name); it follows the script rules: a
  // builtin or a top-level fn cannot be assigned, nor a global a behavior has
  // read (frozen). global(name) returns a copy; Usage when undeclared.
  void set_global(const std::string& name, const Value& value);
  Value global(const std::string& name);
  bool has_global(const std::string& name);

  // A new cown holding a copy of `content`, usable by scripts (pass it with
  // call() or set_global) and by when(). Callable from host behaviors.
  Value make_cown(const Value& content);

  // Schedules a host behavior on these cowns: once it holds them all, `body`
  // runs on a worker thread with their contents in the given order (a cown
  // listed twice appears twice, with the same content). Assigning
  // contents[i] replaces that cown's content. Host and script behaviors on
  // one cown run in the order they were scheduled. Returns at once; callable
  // from host behaviors. Throws Usage if an element is not a cown. An
  // exception thrown by `body` is a failed behavior: reported on the err
  // sink and thrown by the next wait(). `body` must not call other Engine
  // methods than make_cown and when.
  using Behavior = std::function<void(std::span<Value> contents)>;
  void when(std::span<const Value> cowns, Behavior body);
  void when(std::initializer_list<Value> cowns, Behavior body);

  // Blocks until every behavior, script or host, has finished (including the
  // ones they scheduled). Throws boc::Error(Runtime) if behaviors failed
  // since the last wait (their reports already went to the err sink; what()
  // is then empty), boc::Exit if a behavior called exit.
  void wait();
  // Blocks until every behavior scheduled on `cown` so far has run, then
  // returns a copy of its content. Throws Usage if it is not a cown.
  Value wait(const Value& cown);

  // Stops the script code running on the host thread (eval, call, run_*):
  // its loops and calls raise the runtime error "interrupted", which try/catch
  // can catch. Async-signal-safe and callable from any thread (a REPL's
  // SIGINT handler). Does not stop behaviors, nor a blocked wait(). Each
  // eval/call/run_* starts uninterrupted.
  void interrupt() noexcept;

  // The `args` global seen by scripts run after this call.
  void set_args(std::vector<std::string> args);

  // Writes pending buffered output to the default stdout sink.
  void flush();

  // Debugging aids for `boc --dump-ast` / `--dump-ir` / `--dump-optimized-ir`;
  // throw boc::Error. `optimized`: after the JIT's IR passes, which LLVM's
  // verifier then checks (a failure is an internal error).
  std::string dump_ast(std::string_view source, const std::string& name);
  std::string dump_ir(std::string_view source, const std::string& name, bool optimized = false);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

namespace detail {

template <class R, class... Args, class F>
void define_typed(Engine& engine, const std::string& name, F fn, std::function<R(Args...)>*) {
  engine.define_native(name, static_cast<int>(sizeof...(Args)),
                       wrap<R, Args...>(name, std::move(fn)));
}

}  // namespace detail

template <class F>
void Engine::define(const std::string& name, F fn) {
  if constexpr (std::is_invocable_r_v<Value, F&, std::span<const Value>>) {
    define_native(name, -1, NativeFunction(std::move(fn)));
  } else {
    // The callable's signature, from std::function's deduction guide (plain
    // functions and non-generic lambdas).
    using Signature = decltype(std::function{fn});
    detail::define_typed(*this, name, std::move(fn), static_cast<Signature*>(nullptr));
  }
}

}  // namespace boc
