// The embedding API (include/boc/boc.hpp): every Engine and Value method,
// through the public header only, as a host program uses it.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "boc/boc.hpp"

namespace {

// Captures everything an engine prints; sinks are called from workers too.
struct Sinks {
  std::mutex mutex;
  std::string out, err;

  boc::Options options(unsigned workers = 2) {
    boc::Options o;
    o.workers = workers;
    o.out = [this](std::string_view s) {
      std::lock_guard lock(mutex);
      out += s;
    };
    o.err = [this](std::string_view s) {
      std::lock_guard lock(mutex);
      err += s;
    };
    return o;
  }
  std::string take_out() {
    std::lock_guard lock(mutex);
    return std::exchange(out, {});
  }
};

template <class F>
boc::Error expect_error(F&& f) {
  try {
    f();
  } catch (const boc::Error& e) {
    return e;
  }
  ADD_FAILURE() << "no boc::Error thrown";
  return boc::Error(boc::Error::Kind::Usage, "none");
}

TEST(EmbedValue, ScalarsAndTypes) {
  EXPECT_TRUE(boc::Value().is_nil());
  EXPECT_EQ(boc::Value().type_name(), "nil");
  EXPECT_EQ(boc::Value(int64_t(42)).as_int(), 42);
  EXPECT_EQ(boc::Value(7).as_int(), 7);  // int converts to int64_t
  EXPECT_DOUBLE_EQ(boc::Value(1.5).as_float(), 1.5);
  EXPECT_DOUBLE_EQ(boc::Value(int64_t(2)).as_float(), 2.0);
  EXPECT_TRUE(boc::Value(true).as_bool());
  EXPECT_EQ(boc::Value("hi").as_string(), "hi");
  EXPECT_EQ(boc::Value(std::string("s")).type_name(), "string");
  EXPECT_EQ(boc::Value(1.0).to_string(), "1.0");
  EXPECT_EQ(boc::Value(int64_t(1)), boc::Value(1.0));
  EXPECT_FALSE(boc::Value().truthy());
  EXPECT_TRUE(boc::Value(int64_t(0)).truthy());
}

TEST(EmbedValue, ContainersAndCopies) {
  boc::Value list = boc::Value::list({boc::Value(int64_t(1)), boc::Value("a"), boc::Value()});
  EXPECT_EQ(list.size(), 3u);
  EXPECT_EQ(list[1].as_string(), "a");
  EXPECT_EQ(list.at(-1).type_name(), "nil");
  EXPECT_EQ(list.to_string(), "[1, \"a\", nil]");
  boc::Value map = boc::Value::map({{"name", boc::Value("Al")}, {"n", boc::Value(int64_t(2))}});
  EXPECT_EQ(map.to_string(), "{\"name\": \"Al\", \"n\": 2}");
  EXPECT_EQ(map["n"].as_int(), 2);
  EXPECT_TRUE(map.contains("name"));
  EXPECT_FALSE(map.contains("x"));
  ASSERT_EQ(map.keys().size(), 2u);
  EXPECT_EQ(map.keys()[0].as_string(), "name");
  boc::Value copy = list;
  boc::Value moved = std::move(copy);
  EXPECT_TRUE(copy.is_nil());
  EXPECT_EQ(moved, list);
  copy = map;
  EXPECT_EQ(copy, map);
}

TEST(EmbedValue, WrongTypeThrowsUsage) {
  boc::Error e = expect_error([] { (void)boc::Value("x").as_int(); });
  EXPECT_EQ(e.kind(), boc::Error::Kind::Usage);
  EXPECT_EQ(e.message(), "expected int, got string");
  EXPECT_EQ(expect_error([] { (void)boc::Value::list({})[0]; }).message(),
            "index 0 out of range for list of length 0");
  EXPECT_EQ(expect_error([] { (void)boc::Value::map({})["k"]; }).message(), "key 'k' not found");
  EXPECT_EQ(expect_error([] { (void)boc::Value(true).size(); }).kind(), boc::Error::Kind::Usage);
}

TEST(EmbedEngine, RunStringPrintsToSink) {
  Sinks sinks;
  boc::Engine engine(sinks.options());
  engine.run_string("print(\"hello\", 1 + 2);", "hello.boc");
  EXPECT_EQ(sinks.take_out(), "hello 3\n");
}

TEST(EmbedEngine, RunFile) {
  Sinks sinks;
  boc::Engine engine(sinks.options());
  std::string path = ::testing::TempDir() + "embed_run_file.boc";
  std::ofstream(path) << "fn twice(x) { return x * 2; }\nprint(twice(4));\n";
  engine.run_file(path);
  EXPECT_EQ(sinks.take_out(), "8\n");
  std::remove(path.c_str());
  boc::Error e = expect_error([&] { engine.run_file(path); });
  EXPECT_EQ(e.kind(), boc::Error::Kind::Io);
  EXPECT_NE(e.message().find("cannot open"), std::string::npos);
}

TEST(EmbedEngine, SyntaxErrorCarriesItsLine) {
  Sinks sinks;
  boc::Engine engine(sinks.options());
  boc::Error e = expect_error([&] { engine.run_string("let a = 1;\nlet b = (2;\n", "bad.boc"); });
  EXPECT_EQ(e.kind(), boc::Error::Kind::Compile);
  EXPECT_EQ(e.file(), "bad.boc");
  EXPECT_EQ(e.line(), 2u);
  EXPECT_GT(e.column(), 0u);
  EXPECT_NE(std::string(e.what()).find("bad.boc:2:"), std::string::npos) << e.what();
}

TEST(EmbedEngine, RuntimeErrorCarriesItsPlace) {
  Sinks sinks;
  boc::Engine engine(sinks.options());
  boc::Error e = expect_error([&] { engine.run_string("print(1);\nlet x = 1 / 0;\n", "div.boc"); });
  EXPECT_EQ(e.kind(), boc::Error::Kind::Runtime);
  EXPECT_EQ(e.message(), "division by zero");
  EXPECT_EQ(e.file(), "div.boc");
  EXPECT_EQ(e.line(), 2u);
  EXPECT_NE(std::string(e.what()).find("runtime error: division by zero"), std::string::npos);
  EXPECT_EQ(sinks.take_out(), "1\n");
}

TEST(EmbedEngine, ExitThrowsExit) {
  Sinks sinks;
  boc::Engine engine(sinks.options());
  try {
    engine.run_string("print(\"bye\"); exit(3); print(\"no\");");
    ADD_FAILURE() << "no boc::Exit";
  } catch (const boc::Exit& e) {
    EXPECT_EQ(e.code(), 3);
  }
  EXPECT_EQ(sinks.take_out(), "bye\n");
}

TEST(EmbedEngine, EvalReturnsLastExpressionAndKeepsDeclarations) {
  Sinks sinks;
  boc::Engine engine(sinks.options());
  EXPECT_TRUE(engine.eval("fn twice(x) { return x * 2; }").is_nil());
  EXPECT_EQ(engine.eval("twice(21)").as_int(), 42);
  EXPECT_TRUE(engine.eval("let y = twice(2);").is_nil());
  EXPECT_EQ(engine.eval("y + 1;").as_int(), 5);
  EXPECT_EQ(engine.eval("[y, \"s\"]").to_string(), "[4, \"s\"]");
  EXPECT_EQ(engine.eval("\"text\"").as_string(), "text");
  boc::Error e = expect_error([&] { engine.eval("nope + 1"); });
  EXPECT_EQ(e.kind(), boc::Error::Kind::Compile);
  EXPECT_EQ(e.file(), "<eval>");
  EXPECT_EQ(expect_error([&] { engine.eval("error(\"boom\")"); }).message(), "boom");
  EXPECT_EQ(engine.eval("y").as_int(), 4);  // still usable after errors
}

TEST(EmbedEngine, IsComplete) {
  boc::Engine engine;
  EXPECT_TRUE(engine.is_complete("print(1);"));
  EXPECT_TRUE(engine.is_complete("1 + 2"));
  EXPECT_TRUE(engine.is_complete(""));
  EXPECT_FALSE(engine.is_complete("fn f(x) {"));
  EXPECT_FALSE(engine.is_complete("fn f(x) {\n  return x;\n"));
  EXPECT_FALSE(engine.is_complete("print(1,"));
  EXPECT_FALSE(engine.is_complete("let xs = [1, 2,\n"));
  EXPECT_FALSE(engine.is_complete("let s = \"abc"));
  EXPECT_FALSE(engine.is_complete("/* comment"));
  EXPECT_FALSE(engine.is_complete("let x = 1 +"));
  // Errors that more input cannot fix: the REPL runs them to show the error.
  EXPECT_TRUE(engine.is_complete("let = 3;"));
  EXPECT_TRUE(engine.is_complete("print(1))"));
  EXPECT_TRUE(engine.is_complete("let s = \"abc\nx\";"));
}

TEST(EmbedEngine, CallScriptFunction) {
  Sinks sinks;
  boc::Engine engine(sinks.options());
  engine.run_string("fn twice(x) { return x * 2; } fn greet(n) { return \"hi \" + n; }");
  EXPECT_EQ(engine.call("twice", {boc::Value(int64_t(4))}).as_int(), 8);
  std::vector<boc::Value> args{boc::Value("Al")};
  EXPECT_EQ(engine.call("greet", args).as_string(), "hi Al");
  EXPECT_EQ(engine.call("len", {boc::Value("abc")}).as_int(), 3);  // builtins too
  EXPECT_EQ(expect_error([&] { engine.call("missing"); }).kind(), boc::Error::Kind::Usage);
  boc::Error arity = expect_error([&] { engine.call("twice"); });
  EXPECT_EQ(arity.kind(), boc::Error::Kind::Runtime);
  boc::Error type = expect_error([&] { engine.call("twice", {boc::Value("s")}); });
  EXPECT_EQ(type.kind(), boc::Error::Kind::Runtime);
}

TEST(EmbedEngine, DefineTypedFunctions) {
  Sinks sinks;
  boc::Engine engine(sinks.options());
  engine.define("host_add", [](int64_t a, int64_t b) { return a + b; });
  engine.define("host_scale", [](double x, int factor) { return x * factor; });
  engine.define("host_shout", [](std::string s, bool bang) { return s + (bang ? "!" : ""); });
  engine.define("host_echo", [](boc::Value v) { return v; });
  int calls = 0;
  engine.define("host_note", [&calls]() { ++calls; });
  engine.define("host_count", [](std::span<const boc::Value> args) {
    return boc::Value(static_cast<int64_t>(args.size()));
  });
  engine.run_string(
      "print(host_add(2, 3), host_scale(1.5, 2), host_shout(\"a\", true), host_echo([1]),"
      " host_note(), host_count(1, 2, 3));");
  EXPECT_EQ(sinks.take_out(), "5 3.0 a! [1] nil 3\n");
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(engine.eval("typeof(host_add)").as_string(), "function");
  boc::Error e = expect_error([&] { engine.eval("host_add(1, \"x\")"); });
  EXPECT_EQ(e.message(), "host_add() expects argument 2 to be int, got string");
  boc::Error n = expect_error([&] { engine.eval("host_add(1)"); });
  EXPECT_NE(n.message().find("host_add() expects 2 arguments, got 1"), std::string::npos)
      << n.message();
  EXPECT_EQ(engine.call("host_add", {boc::Value(int64_t(1)), boc::Value(int64_t(2))}).as_int(), 3);
}

TEST(EmbedEngine, HostExceptionIsCatchableScriptError) {
  Sinks sinks;
  boc::Engine engine(sinks.options());
  engine.define("host_fail", [](std::string why) -> int64_t { throw std::runtime_error(why); });
  engine.run_string(
      "try { host_fail(\"disk full\"); print(\"not here\"); }\n"
      "catch (e) { print(\"caught:\", e.message, typeof(e)); }\n");
  EXPECT_EQ(sinks.take_out(), "caught: disk full error\n");
  boc::Error e = expect_error([&] { engine.run_string("host_fail(\"again\");", "f.boc"); });
  EXPECT_EQ(e.kind(), boc::Error::Kind::Runtime);
  EXPECT_EQ(e.message(), "again");
  EXPECT_EQ(e.line(), 1u);
}

TEST(EmbedEngine, IoSandbox) {
  Sinks sinks;
  boc::Options options = sinks.options();
  options.allow_io = false;
  boc::Engine engine(options);
  std::string path = ::testing::TempDir() + "embed_sandbox.txt";
  boc::Error e = expect_error(
      [&] { engine.run_string("io.write_file(\"" + path + "\", \"x\");", "sandbox.boc"); });
  EXPECT_EQ(e.kind(), boc::Error::Kind::Runtime);
  EXPECT_FALSE(std::ifstream(path).good());
  EXPECT_EQ(expect_error([&] { engine.eval("io.read_file(\"/etc/hostname\")"); }).kind(),
            boc::Error::Kind::Runtime);
  boc::Engine open(sinks.options());  // allowed by default
  open.run_string("io.write_file(\"" + path + "\", \"x\");");
  EXPECT_TRUE(std::ifstream(path).good());
  std::remove(path.c_str());
}

TEST(EmbedEngine, Globals) {
  Sinks sinks;
  boc::Engine engine(sinks.options());
  engine.set_global("counter", boc::Value(int64_t(5)));
  EXPECT_TRUE(engine.has_global("counter"));
  engine.run_string("counter += 1; print(counter);");
  EXPECT_EQ(sinks.take_out(), "6\n");
  EXPECT_EQ(engine.global("counter").as_int(), 6);
  engine.set_global("counter", boc::Value("reset"));
  EXPECT_EQ(engine.eval("counter").as_string(), "reset");
  engine.run_string("let config = {\"depth\": 3};");
  EXPECT_EQ(engine.global("config")["depth"].as_int(), 3);
  EXPECT_FALSE(engine.has_global("nothing"));
  EXPECT_EQ(expect_error([&] { engine.global("nothing"); }).kind(), boc::Error::Kind::Usage);
  EXPECT_EQ(expect_error([&] { engine.set_global("print", boc::Value()); }).message(),
            "cannot assign to builtin 'print'");
  engine.set_args({"a", "b"});
  EXPECT_EQ(engine.global("args").to_string(), "[\"a\", \"b\"]");
}

TEST(EmbedEngine, TwoEnginesAreIndependent) {
  Sinks a_sinks, b_sinks;
  boc::Engine a(a_sinks.options());
  boc::Engine b(b_sinks.options());
  a.run_string("let x = \"from a\"; fn who() { return \"a\"; }");
  b.run_string("let x = \"from b\";");
  EXPECT_EQ(a.global("x").as_string(), "from a");
  EXPECT_EQ(b.global("x").as_string(), "from b");
  EXPECT_EQ(expect_error([&] { b.eval("who()"); }).kind(), boc::Error::Kind::Compile);
  std::thread ta([&] { a.run_string("when () { print(x); }"); });
  std::thread tb([&] { b.run_string("when () { print(x); }"); });
  ta.join();
  tb.join();
  EXPECT_EQ(a_sinks.take_out(), "from a\n");
  EXPECT_EQ(b_sinks.take_out(), "from b\n");
}

TEST(EmbedEngine, CownsWhenAndWait) {
  Sinks sinks;
  boc::Engine engine(sinks.options());
  boc::Value c = engine.make_cown(boc::Value(int64_t(0)));
  EXPECT_TRUE(c.is_cown());
  EXPECT_EQ(c.to_string(), "<cown>");
  engine.when({c}, [](std::span<boc::Value> contents) {
    contents[0] = boc::Value(contents[0].as_int() + 10);
  });
  EXPECT_EQ(engine.wait(c).as_int(), 10);
  boc::Value d = engine.make_cown(boc::Value::list({}));
  engine.when({c, d}, [](std::span<boc::Value> contents) {
    contents[1] = boc::Value::list({contents[0]});
  });
  engine.wait();
  EXPECT_EQ(engine.wait(d).to_string(), "[10]");
  EXPECT_EQ(expect_error([&] { engine.when({boc::Value(int64_t(1))}, [](auto) {}); }).kind(),
            boc::Error::Kind::Usage);
  EXPECT_EQ(expect_error([&] { engine.wait(boc::Value(1)); }).kind(), boc::Error::Kind::Usage);
}

// Host and script behaviors on one cown run in the order they were scheduled.
TEST(EmbedEngine, HostAndScriptBehaviorsInterleaveInOrder) {
  Sinks sinks;
  boc::Engine engine(sinks.options(4));
  engine.run_string("fn add(c, tag) { when (c) { c.push(tag); } }");
  boc::Value log = engine.make_cown(boc::Value::list({}));
  engine.set_global("log", log);
  std::string expected = "[";
  for (int i = 0; i < 100; ++i) {
    if (i % 2 == 0) {
      engine.call("add", {log, boc::Value("s" + std::to_string(i))});
    } else {
      std::string tag = "h" + std::to_string(i);
      engine.when({log}, [tag](std::span<boc::Value> contents) {
        std::vector<boc::Value> items;
        for (size_t k = 0; k < contents[0].size(); ++k) items.push_back(contents[0][k]);
        items.push_back(boc::Value(tag));
        contents[0] = boc::Value::list(std::move(items));
      });
    }
    expected += (i ? ", \"" : "\"") + std::string(i % 2 ? "h" : "s") + std::to_string(i) + "\"";
  }
  expected += "]";
  engine.wait();
  EXPECT_EQ(engine.wait(log).to_string(), expected);
  EXPECT_EQ(engine.eval("wait(log)").to_string(), expected);
}

TEST(EmbedEngine, DefinedFunctionCalledConcurrentlyFromBehaviors) {
  Sinks sinks;
  boc::Engine engine(sinks.options(4));
  std::atomic<int64_t> total{0};
  std::atomic<int> in_flight{0}, max_in_flight{0};
  engine.define("host_record", [&](int64_t n) {
    int now = ++in_flight;
    int seen = max_in_flight.load();
    while (now > seen && !max_in_flight.compare_exchange_weak(seen, now)) {
    }
    std::this_thread::sleep_for(std::chrono::microseconds(200));
    total += n;
    --in_flight;
    return n;
  });
  engine.run_string(
      "let results = [];\n"
      "for (i in 0..200) { results.push(when () { return host_record(i); }); }\n");
  EXPECT_EQ(total.load(), 199 * 200 / 2);
  EXPECT_GE(max_in_flight.load(), 2);  // really concurrent
  EXPECT_EQ(engine.eval("wait(results[150])").as_int(), 150);
}

TEST(EmbedEngine, FailedBehaviorsAreThrownByWait) {
  Sinks sinks;
  boc::Engine engine(sinks.options());
  engine.eval("when () { error(\"in behavior\"); }");
  boc::Error e = expect_error([&] { engine.wait(); });
  EXPECT_EQ(e.kind(), boc::Error::Kind::Runtime);
  EXPECT_EQ(e.message(), "1 behavior(s) failed");
  EXPECT_NE(sinks.err.find("in behavior"), std::string::npos) << sinks.err;
  boc::Value c = engine.make_cown(boc::Value());
  engine.when({c}, [](std::span<boc::Value>) { throw std::runtime_error("host body"); });
  EXPECT_EQ(expect_error([&] { engine.wait(); }).message(), "1 behavior(s) failed");
  EXPECT_NE(sinks.err.find("host body"), std::string::npos);
  engine.wait();  // failures are counted once
}

TEST(EmbedEngine, InterruptStopsALoop) {
  Sinks sinks;
  boc::Engine engine(sinks.options());
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    engine.interrupt();
  });
  boc::Error e = expect_error([&] { engine.eval("let n = 0; while (true) { n += 1; }"); });
  stopper.join();
  EXPECT_EQ(e.message(), "interrupted");
  EXPECT_GT(engine.eval("n").as_int(), 0);
  // A later call starts uninterrupted; try/catch can take it.
  engine.interrupt();
  EXPECT_EQ(engine.eval("1 + 1").as_int(), 2);
}

// No loop to poll: the function entries' stack guard must see the interrupt.
TEST(EmbedEngine, InterruptStopsARecursionWithoutLoops) {
  Sinks sinks;
  boc::Engine engine(sinks.options());
  engine.eval("fn f(n) { if (n == 0) { return 0; } return f(n - 1) + f(n - 1) + 1; }");
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    engine.interrupt();
  });
  boc::Error e = expect_error([&] { engine.eval("f(60)"); });
  stopper.join();
  EXPECT_EQ(e.message(), "interrupted");
  // The real stack limit is back: deep recursion still overflows cleanly.
  engine.eval("fn g(n) { return g(n + 1) + 1; }");
  EXPECT_EQ(expect_error([&] { engine.eval("g(0)"); }).message(), "stack overflow");
  EXPECT_EQ(engine.eval("f(3)").as_int(), 7);
}

TEST(EmbedEngine, DumpAstAndIr) {
  boc::Engine engine;
  EXPECT_FALSE(engine.dump_ast("print(1);", "d.boc").empty());
  EXPECT_NE(engine.dump_ir("print(1);", "d.boc").find("define"), std::string::npos);
  EXPECT_EQ(expect_error([&] { engine.dump_ast("let", "d.boc"); }).kind(),
            boc::Error::Kind::Compile);
}

}  // namespace
