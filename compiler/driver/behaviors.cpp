// Host-side concurrency: cowns made by the host, host behaviors on the
// engine's scheduler, and waiting for behaviors (script and host alike).
#include <string>
#include <vector>

#include "compiler/driver/engine_impl.hpp"
#include "compiler/driver/errors.hpp"
#include "compiler/driver/value_access.hpp"
#include "runtime/sched/cown.hpp"

namespace boc {

using detail::ValueAccess;

namespace {

rt::Cown* cown_of(const Value& v, const char* what) {
  if (!v.is_cown())
    throw driver::usage_error(std::string(what) + ": expected a cown, got " + v.type_name());
  return reinterpret_cast<rt::Cown*>(ValueAccess::raw(v).obj());
}

// Runs a host body on a worker with copies of the contents, then stores them
// back, so the host sees plain Values and may assign them.
void run_host_body(rt::BehaviorRun& run, const Engine::Behavior& body, rt::ScriptRuntime& runtime) {
  std::vector<Value> contents;
  contents.reserve(run.size());
  for (size_t i = 0; i < run.size(); ++i) contents.push_back(ValueAccess::share(run.content(i)));
  bool failed = true;
  std::string failure;
  try {
    body(std::span<Value>(contents));
    failed = false;
  } catch (const std::exception& e) {
    failure = e.what();
  } catch (...) {
    failure = "unknown C++ exception";
  }
  // As for script behaviors, the writes made before a failure stay.
  for (size_t i = 0; i < run.size(); ++i) {
    rt::Value& slot = run.content(i);
    rt::Value next = ValueAccess::retained(contents[i]);
    rt::release(slot);
    slot = next;
  }
  if (failed) runtime.report_failure("host behavior failed: " + failure + "\n");
}

}  // namespace

void Engine::Impl::wait_for_behaviors() {
  runtime->scheduler().wait_all();
  int code = 0;
  if (runtime->exit_requested(&code)) throw Exit(code);
  // Each failure was reported on the error sink when it happened.
  if (uint64_t failed = runtime->take_failure_count())
    throw Error(Error::Kind::Runtime, std::to_string(failed) + " behavior(s) failed", "", 0, 0, "");
}

void Engine::wait() {
  driver::guarded([&] { impl_->wait_for_behaviors(); });
}

Value Engine::wait(const Value& cown) {
  return driver::guarded([&] {
    rt::Value content = rt::Value::nil();
    impl_->runtime->scheduler().wait_cown(cown_of(cown, "wait"), &content);
    return ValueAccess::adopt(content);
  });
}

Value Engine::make_cown(const Value& content) {
  return driver::guarded([&] {
    rt::Cown* c = rt::cown_new(ValueAccess::retained(content));
    return ValueAccess::adopt(c->as_value());
  });
}

void Engine::when(std::span<const Value> cowns, Behavior body) {
  driver::guarded([&] {
    if (!body) throw driver::usage_error("when: empty behavior");
    std::vector<rt::Request> requests;
    requests.reserve(cowns.size());
    for (const Value& c : cowns) requests.push_back(rt::Request{cown_of(c, "when")});
    rt::ScriptRuntime* runtime = impl_->runtime.get();
    // The caller's Values keep the cowns alive during the call; the
    // scheduler keeps them alive afterwards.
    runtime->scheduler().when(std::span<const rt::Request>(requests),
                              [body = std::move(body), runtime](rt::BehaviorRun& run) {
                                run_host_body(run, body, *runtime);
                              });
  });
}

void Engine::when(std::initializer_list<Value> cowns, Behavior body) {
  when(std::span<const Value>(cowns.begin(), cowns.size()), std::move(body));
}

}  // namespace boc
