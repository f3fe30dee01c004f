// samples/embed/main.cpp: a host program embedding Boc (docs/embedding.md).
#include <atomic>
#include <cstdint>
#include <iostream>
#include <span>
#include <stdexcept>
#include <string>

#include <boc/boc.hpp>

int main() {
  boc::Options opts;
  opts.workers = 2;
  opts.allow_io = false;  // scripts may not touch files
  opts.out = [](std::string_view text) { std::cout << text; };  // one line per call
  boc::Engine engine(opts);

  // Host functions. Behaviors call them on worker threads, possibly at the
  // same time: they must be thread-safe (here: an atomic counter).
  std::atomic<int64_t> calls{0};
  engine.define("host_add", [&calls](int64_t a, int64_t b) {
    ++calls;
    return a + b;
  });
  engine.define("host_check", [](std::string name) {
    if (name.empty()) throw std::invalid_argument("empty name");  // a script error
    return name;
  });

  try {
    engine.run_string(R"(
      fn twice(x) { return host_add(x, x); }
      print("twice(21) =", twice(21));
      try { host_check(""); } catch (e) { print("caught:", e.message); }
    )", "setup.boc");

    boc::Value v = engine.eval("twice(5) + 1");  // the value of an expression
    std::cout << "eval: " << v.as_int() << "\n";
    boc::Value r = engine.call("twice", {boc::Value(int64_t(4))});
    std::cout << "call: " << r.to_string() << "\n";

    // One cown, used by script behaviors and a host behavior, in order.
    boc::Value account = engine.make_cown(boc::Value::map({{"balance", boc::Value(int64_t(100))}}));
    engine.set_global("account", account);
    engine.run_string("when (account) { account.balance -= 30; }", "spend.boc");
    engine.when({account}, [](std::span<boc::Value> contents) {
      int64_t balance = contents[0]["balance"].as_int();
      contents[0] = boc::Value::map({{"balance", boc::Value(balance * 2)}});
    });
    engine.eval("when (account) { print(\"balance:\", account.balance); }");
    engine.wait();  // throws boc::Error if a behavior failed
    std::cout << "final: " << engine.wait(account)["balance"].as_int() << "\n";

    engine.run_string("let secret = io.read_file(\"secret.txt\");", "sandbox.boc");
  } catch (const boc::Error& e) {
    std::cout << "error: " << e.message() << " (" << e.file() << ":" << e.line() << ")\n";
  }
  std::cout << "host_add calls: " << calls << "\n";
  return 0;
}
