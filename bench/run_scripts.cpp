// Script benchmarks: times bench/*.boc under boc and the matching bench/*.lua
// under lua5.4 and luajit, as whole processes, and prints a comparison table.
//
//   boc-bench-scripts [BOC_BINARY [BENCH_DIR [RUNS]]]
//
// Each interpreter runs each script RUNS times (default 5) by fork/exec; the
// table shows the median wall time (steady_clock) and the peak resident set of
// the child (wait4's ru_maxrss). Timing whole processes includes start-up and
// compilation, which is what a user of `boc script.boc` pays; empty.boc shows
// that fixed cost on its own. A missing interpreter or script shows "-", a run
// that fails shows "fail"; the outputs of the three are compared and a
// difference is reported under the table.
//
// Then the BOC throughput benchmarks (bench/dining.boc, bench/banking.boc,
// which have no Lua twin) are shown as behaviors per second two ways: the
// number of behaviors each script runs divided by the median wall time of the
// whole process (so start-up and compilation count; a "net" column subtracts
// the median time of empty.boc), and the median of the script's own
// `behaviors/s: N` line: like boc-bench-runtime, each script makes 5 runs in
// one process, each timed from its first `when` to the end of wait(), and
// prints their median.
// If boc-bench-runtime sits next to this executable (same build directory),
// its `dining: N` and `banking: N` figures, the native C++ runtime doing the
// same work over the same span (workers already started), are shown beside
// them with both ratios; it runs once per round, interleaved with the scripts.
//
// Depends on nothing of the project: it only runs the binaries it is given or
// finds beside itself.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <optional>
#include <string>
#include <vector>

namespace {

#ifndef BOC_BENCH_DEFAULT_BOC
#define BOC_BENCH_DEFAULT_BOC "boc"
#endif
#ifndef BOC_BENCH_DEFAULT_DIR
#define BOC_BENCH_DEFAULT_DIR "bench"
#endif

// The benchmarks, in table order; each is NAME.boc and NAME.lua.
constexpr const char* kBenchmarks[] = {"empty",    "fib",           "loop_fn", "loop_top",
                                       "list_sum", "string_append", "map_ops"};

// The throughput benchmarks: NAME.boc runs BEHAVIORS behaviors and its stdout
// must contain EXPECT; boc-bench-runtime prints `NAME: N` for the same work.
struct Throughput {
  const char* name;
  double behaviors;
  const char* expect;
};
constexpr Throughput kThroughput[] = {
    // Behaviors per process: each script makes 5 runs, as boc-bench-runtime does.
    {"dining", 5'000'000, "meals: 1000000 per run\n"},  // 100 x 10,000 meals a run
    {"banking", 10'000'000, "total balance: 1000000 "},  // 1 M tellers + 1 M transfers a run
};

struct RunResult {
  bool ok = false;       // exited with status 0
  double ms = 0;         // wall time
  long max_rss_kb = 0;   // peak resident set of the child
  std::string output;    // its stdout
};

// Runs `program script` (or just `program` when script is empty) once,
// capturing stdout; stderr goes to /dev/null.
RunResult run_once(const std::string& program, const std::string& script) {
  RunResult result;
  int out_pipe[2];
  if (pipe(out_pipe) != 0) return result;
  auto start = std::chrono::steady_clock::now();
  pid_t pid = fork();
  if (pid < 0) {
    close(out_pipe[0]);
    close(out_pipe[1]);
    return result;
  }
  if (pid == 0) {
    dup2(out_pipe[1], STDOUT_FILENO);
    int devnull = open("/dev/null", O_RDWR);
    if (devnull >= 0) {
      dup2(devnull, STDIN_FILENO);
      dup2(devnull, STDERR_FILENO);
    }
    close(out_pipe[0]);
    close(out_pipe[1]);
    if (script.empty()) {
      execlp(program.c_str(), program.c_str(), static_cast<char*>(nullptr));
    } else {
      execlp(program.c_str(), program.c_str(), script.c_str(), static_cast<char*>(nullptr));
    }
    _exit(127);
  }
  close(out_pipe[1]);
  char buf[4096];
  ssize_t n;
  while ((n = read(out_pipe[0], buf, sizeof buf)) > 0) result.output.append(buf, static_cast<size_t>(n));
  close(out_pipe[0]);
  int status = 0;
  rusage usage{};
  while (wait4(pid, &status, 0, &usage) < 0) {
    if (errno != EINTR) return result;
  }
  auto end = std::chrono::steady_clock::now();
  result.ms = std::chrono::duration<double, std::milli>(end - start).count();
  result.max_rss_kb = usage.ru_maxrss;  // kilobytes on Linux
  result.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
  return result;
}

struct Summary {
  bool ran = false;   // false: interpreter or script missing
  bool ok = false;    // every run succeeded
  double median_ms = 0;
  long max_rss_kb = 0;
  std::string output;
};

Summary run_many(const std::optional<std::string>& program, const std::string& script, int runs) {
  Summary s;
  if (!program || access(script.c_str(), R_OK) != 0) return s;
  s.ran = true;
  s.ok = true;
  std::vector<double> times;
  for (int i = 0; i < runs; ++i) {
    RunResult r = run_once(*program, script);
    if (!r.ok) {
      s.ok = false;
      return s;
    }
    times.push_back(r.ms);
    s.max_rss_kb = std::max(s.max_rss_kb, r.max_rss_kb);
    s.output = r.output;
  }
  std::sort(times.begin(), times.end());
  s.median_ms = times[times.size() / 2];
  return s;
}

// The program's path if it names an executable file, directly or on PATH.
std::optional<std::string> find_program(const std::string& name) {
  if (name.find('/') != std::string::npos) {
    if (access(name.c_str(), X_OK) == 0) return name;
    return std::nullopt;
  }
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    std::string candidate = dirs.substr(start, end - start) + "/" + name;
    if (end > start && access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  return std::nullopt;
}

std::string cell_ms(const Summary& s) {
  if (!s.ran) return "-";
  if (!s.ok) return "fail";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", s.median_ms);
  return buf;
}

std::string cell_ratio(const Summary& num, const Summary& den) {
  if (!num.ran || !num.ok || !den.ran || !den.ok || den.median_ms <= 0) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2fx", num.median_ms / den.median_ms);
  return buf;
}

std::string cell_mb(const Summary& s) {
  if (!s.ran || !s.ok) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(s.max_rss_kb) / 1024.0);
  return buf;
}

// The directory of this executable (from /proc/self/exe), with a final '/'.
std::string own_dir() {
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return "";
  std::string path(buf, static_cast<size_t>(n));
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "" : path.substr(0, slash + 1);
}

// The value of the line `NAME: N` in text, or nullopt.
std::optional<double> figure(const std::string& text, const std::string& name) {
  std::string key = name + ": ";
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    if (text.compare(pos, key.size(), key) == 0) {
      std::string value = text.substr(pos + key.size(), end - pos - key.size());
      char* stop = nullptr;
      double v = std::strtod(value.c_str(), &stop);
      if (stop != value.c_str()) return v;
    }
    pos = end + 1;
  }
  return std::nullopt;
}

double median_of(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

std::string cell_number(std::optional<double> v) {
  if (!v) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f", *v);
  return buf;
}

std::string cell_percent(std::optional<double> num, std::optional<double> den) {
  if (!num || !den || *den <= 0) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f%%", 100.0 * *num / *den);
  return buf;
}

// The throughput table: script behaviors/s beside the native runtime's.
// Rounds interleave one run of boc-bench-runtime with one run of each script,
// so that load from elsewhere on the machine hits both sides alike.
void throughput_table(const std::optional<std::string>& boc, const std::string& dir, int runs,
                      const Summary& empty_boc, std::vector<std::string>& mismatches) {
  std::string runtime_path = own_dir() + "boc-bench-runtime";
  bool have_runtime = !own_dir().empty() && access(runtime_path.c_str(), X_OK) == 0;
  constexpr size_t kCount = std::size(kThroughput);
  std::vector<double> native[kCount], process_ms[kCount], timed[kCount];
  bool native_ok = have_runtime, script_ok[kCount], script_ran[kCount];
  std::string output[kCount];
  for (size_t t = 0; t < kCount; ++t) {
    std::string script = dir + "/" + kThroughput[t].name + ".boc";
    script_ran[t] = boc && access(script.c_str(), R_OK) == 0;
    script_ok[t] = script_ran[t];
  }
  for (int round = 0; round < runs; ++round) {
    if (native_ok) {
      RunResult n = run_once(runtime_path, "");
      native_ok = n.ok;
      for (size_t t = 0; t < kCount && native_ok; ++t)
        if (auto f = figure(n.output, kThroughput[t].name)) native[t].push_back(*f);
    }
    for (size_t t = 0; t < kCount; ++t) {
      if (!script_ok[t]) continue;
      RunResult r = run_once(*boc, dir + "/" + kThroughput[t].name + ".boc");
      script_ok[t] = r.ok;
      if (!r.ok) continue;
      process_ms[t].push_back(r.ms);
      if (auto f = figure(r.output, "behaviors/s")) timed[t].push_back(*f);
      output[t] = r.output;
    }
  }
  std::printf("\nBOC throughput, behaviors per second (median of %d rounds)\n", runs);
  std::printf("native runtime: %s\n",
              !have_runtime ? "- (boc-bench-runtime not found beside this program)"
              : native_ok   ? runtime_path.c_str()
                            : "fail");
  std::printf("  script b/s: behaviors / wall time of the whole boc process (start-up and\n"
              "              compilation included); net: minus the empty script's time\n"
              "  timed b/s:  the script's own figure, the median of its 5 runs, each from\n"
              "              its first `when` to the end of wait(): what boc-bench-runtime\n"
              "              measures for C++ b/s\n");
  std::printf("%-10s %10s %9s %11s %11s %11s %11s %8s %8s\n", "benchmark", "behaviors", "boc ms",
              "script b/s", "net b/s", "timed b/s", "C++ b/s", "script%", "timed%");
  for (size_t t = 0; t < kCount; ++t) {
    const Throughput& bench = kThroughput[t];
    std::optional<double> ms, script_rate, net_rate, timed_rate, cpp;
    if (script_ok[t] && !process_ms[t].empty()) {
      ms = median_of(process_ms[t]);
      script_rate = bench.behaviors / (*ms / 1000.0);
      if (empty_boc.ok && *ms > empty_boc.median_ms)
        net_rate = bench.behaviors / ((*ms - empty_boc.median_ms) / 1000.0);
    }
    if (script_ok[t] && timed[t].size() == process_ms[t].size() && !timed[t].empty())
      timed_rate = median_of(timed[t]);
    if (native_ok && native[t].size() == static_cast<size_t>(runs)) cpp = median_of(native[t]);
    char ms_cell[32] = "-";
    if (ms) std::snprintf(ms_cell, sizeof ms_cell, "%.1f", *ms);
    std::printf("%-10s %10.0f %9s %11s %11s %11s %11s %8s %8s\n", bench.name, bench.behaviors,
                !script_ran[t] ? "-" : script_ok[t] ? ms_cell : "fail", cell_number(script_rate).c_str(),
                cell_number(net_rate).c_str(), cell_number(timed_rate).c_str(), cell_number(cpp).c_str(),
                cell_percent(script_rate, cpp).c_str(), cell_percent(timed_rate, cpp).c_str());
    std::fflush(stdout);
    if (script_ok[t] && output[t].find(bench.expect) == std::string::npos) {
      mismatches.push_back(std::string(bench.name) + ": boc printed '" + output[t] + "', expected '" +
                           bench.expect + "'");
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string boc_arg = argc > 1 ? argv[1] : BOC_BENCH_DEFAULT_BOC;
  std::string dir = argc > 2 ? argv[2] : BOC_BENCH_DEFAULT_DIR;
  int runs = argc > 3 ? std::atoi(argv[3]) : 5;
  if (argc > 4 || runs < 1 || boc_arg == "-h" || boc_arg == "--help") {
    std::fprintf(stderr, "usage: %s [BOC_BINARY [BENCH_DIR [RUNS]]]\n", argv[0]);
    return 2;
  }
  std::optional<std::string> boc = find_program(boc_arg);
  std::optional<std::string> lua = find_program("lua5.4");
  std::optional<std::string> luajit = find_program("luajit");
  std::printf("boc: %s\nlua5.4: %s\nluajit: %s\nruns per cell: %d (median shown)\n\n",
              boc ? boc->c_str() : "- (not found)", lua ? lua->c_str() : "-",
              luajit ? luajit->c_str() : "-", runs);

  std::printf("%-14s %10s %10s %10s %9s %11s %8s\n", "benchmark", "boc ms", "lua5.4 ms",
              "luajit ms", "boc/lua", "boc/luajit", "boc MB");
  std::vector<std::string> mismatches;
  Summary empty_boc, empty_lua, empty_luajit;
  for (const char* name : kBenchmarks) {
    std::string base = dir + "/" + name;
    Summary b = run_many(boc, base + ".boc", runs);
    Summary l = run_many(lua, base + ".lua", runs);
    Summary j = run_many(luajit, base + ".lua", runs);
    std::printf("%-14s %10s %10s %10s %9s %11s %8s\n", name, cell_ms(b).c_str(), cell_ms(l).c_str(),
                cell_ms(j).c_str(), cell_ratio(b, l).c_str(), cell_ratio(b, j).c_str(),
                cell_mb(b).c_str());
    std::fflush(stdout);
    for (const Summary* other : {&l, &j}) {
      if (b.ok && other->ok && b.output != other->output) {
        mismatches.push_back(std::string(name) + ": boc printed '" + b.output + "', lua printed '" +
                             other->output + "'");
        break;
      }
    }
    if (std::string(name) == "empty") {
      empty_boc = b;
      empty_lua = l;
      empty_luajit = j;
    }
  }
  std::printf("\npeak RSS of the empty script (MB): boc %s, lua5.4 %s, luajit %s\n",
              cell_mb(empty_boc).c_str(), cell_mb(empty_lua).c_str(), cell_mb(empty_luajit).c_str());
  throughput_table(boc, dir, runs, empty_boc, mismatches);
  for (const std::string& m : mismatches) std::printf("OUTPUT MISMATCH %s\n", m.c_str());
  return mismatches.empty() ? 0 : 1;
}
