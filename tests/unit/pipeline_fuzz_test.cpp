// Robustness of the whole compiler: thousands of random and mutated sources
// go through lexing, parsing, resolution and code generation (with the IR
// verifier) via the public API. Each must compile or throw boc::Error with a
// location, never crash, hang or throw anything else; some also go through
// the JIT's IR passes and the verifier. Compile-only, so a
// mutation that creates an endless loop cannot hang the test.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "boc/boc.hpp"

namespace {

// Valid programs covering most of the grammar, to be mutated.
const std::vector<std::string> kCorpus = {
    "fn fib(n) { if (n < 2) { return n; } return fib(n - 1) + fib(n - 2); } print(fib(10));",
    "let xs = [1, 2, 3]; for (x in xs) { print(x * 2); } xs.push(4); print(xs[-1]);",
    "let m = {a: 1, \"b\": [2, 3]}; m.a += 1; m[\"c\"] = {d: nil}; print(m.get(\"z\", 0));",
    "let s = \"\"; for (i in 0..10) { s += \"${i}-\"; } print(s.upper().split(\"-\"));",
    "try { error(\"x\"); } catch (e) { print(e.message, str(e)); }",
    "fn make(k) { let n = k; return fn (x) { return x * n; }; } print(make(3)(4));",
    "let c = cown({v: 0}); when (c) { c.v += 1; } let r = when (read c) { return c.v; }; print(wait(r));",
    "let cs = [cown(1), cown(2)]; when (g = cs) { g[0] = g[1] + 1; } when () { print(1 and nil or 2); }",
    "let i = 0; while (i < 3) { i += 1; if (i == 2) { continue; } if (i > 5) { break; } }",
    "{ let x = 1; { let x = x + 1; print(x); } } print(not true, !false, 1 == 1.0, 7 % -3, -7 / 2);",
    "print(typeof(nil), len(\"abc\"), int(\"42\"), float(1), range(0, 10, 3), [1, [2, [3]]]);",
    "fn outer() { fn inner(n) { if (n == 0) { return 0; } return inner(n - 1); } return inner(3); }",
    // Shapes the JIT's own passes rewrite: a call-free early return, and a
    // loop whose fast path can fall back to the runtime.
    "fn f(n, m) { if (n < 2) { return m; } let s = 0; for (i in 0..n) { if (i == 3) { s += 0.5; } "
    "s += i; } return f(n - 1, s) + f(n - 2, m); } print(f(6, 1));",
    "let g = 0; for (i in 0..9) { if (i % 4 == 0) { g = \"${g}\"; } else { g = 1; } } "
    "fn k(x) { if (x == nil) { return 0; } while (x > 0) { x -= 1; } return x; } print(g, k(5));",
};

// Bytes that make interesting mutations: delimiters, operators, quotes.
const std::string kAlphabet = "(){}[];,.:=+-*/%<>!&|\"'$\\ \n\t0123456789abcdefxyz_";

std::string mutate(std::string s, std::mt19937& rng) {
  std::uniform_int_distribution<int> ops(0, 4);
  int count = 1 + static_cast<int>(rng() % 4);
  for (int k = 0; k < count; ++k) {
    size_t pos = s.empty() ? 0 : rng() % (s.size() + 1);
    switch (ops(rng)) {
      case 0:  // insert a byte
        s.insert(pos, 1, kAlphabet[rng() % kAlphabet.size()]);
        break;
      case 1:  // delete a run
        if (pos < s.size()) s.erase(pos, 1 + rng() % 5);
        break;
      case 2:  // replace a byte, sometimes with a non-ASCII or control byte
        if (pos < s.size()) s[pos] = static_cast<char>(rng() % 4 == 0 ? rng() % 256 : kAlphabet[rng() % kAlphabet.size()]);
        break;
      case 3: {  // duplicate a slice
        size_t from = s.empty() ? 0 : rng() % s.size();
        s.insert(pos, s.substr(from, 1 + rng() % 20));
        break;
      }
      default:  // cut the program short
        s.resize(pos);
        break;
    }
  }
  return s;
}

std::string random_bytes(std::mt19937& rng) {
  std::string s(rng() % 200, '\0');
  for (char& c : s) c = static_cast<char>(rng() % 256);
  return s;
}

// Compiles one source; returns false if anything but success or a located
// boc::Error came out.
::testing::AssertionResult compiles_or_reports(boc::Engine& engine, const std::string& source,
                                               bool optimized = false) {
  try {
    engine.dump_ir(source, "fuzz.boc", optimized);
    return ::testing::AssertionSuccess();
  } catch (const boc::Error& e) {
    std::string report = e.what();
    if (report.rfind("fuzz.boc:", 0) != 0 || e.line() == 0)
      return ::testing::AssertionFailure() << "unlocated error: " << report;
    if (report.find("internal error") != std::string::npos)
      return ::testing::AssertionFailure() << "compiler bug: " << report;
    return ::testing::AssertionSuccess();
  } catch (const std::exception& e) {
    return ::testing::AssertionFailure() << "escaped exception: " << e.what();
  }
}

TEST(PipelineFuzz, MutatedProgramsCompileOrReportLocatedErrors) {
  std::mt19937 rng(20261126);
  boc::Engine engine;
  for (int i = 0; i < 3000; ++i) {
    std::string source = mutate(kCorpus[i % kCorpus.size()], rng);
    ASSERT_TRUE(compiles_or_reports(engine, source)) << "source: " << source;
  }
}

// The mutants that compile go on through the JIT's IR passes, whose output
// LLVM's verifier checks (a failure is an unlocated internal error).
TEST(PipelineFuzz, MutatedProgramsSurviveTheIrPasses) {
  std::mt19937 rng(20261127);
  boc::Engine engine;
  for (int i = 0; i < 1000; ++i) {
    std::string source = mutate(kCorpus[i % kCorpus.size()], rng);
    ASSERT_TRUE(compiles_or_reports(engine, source, /*optimized=*/true)) << "source: " << source;
  }
}

TEST(PipelineFuzz, RandomBytesReportLocatedErrors) {
  std::mt19937 rng(7);
  boc::Engine engine;
  for (int i = 0; i < 1000; ++i) {
    std::string source = random_bytes(rng);
    ASSERT_TRUE(compiles_or_reports(engine, source));
  }
}

TEST(PipelineFuzz, CorpusCompiles) {
  boc::Engine engine;
  for (const std::string& source : kCorpus) {
    EXPECT_NO_THROW(engine.dump_ir(source, "fuzz.boc")) << source;
    EXPECT_NO_THROW(engine.dump_ir(source, "fuzz.boc", /*optimized=*/true)) << source;
  }
}

}  // namespace
