// The concurrency side of one engine: its BOC scheduler, one execution
// context per worker thread, and the record of behaviors that failed.
//
// Design note: the scheduler knows nothing of scripts; this class is where
// script behaviors meet it (when.cpp schedules them, the stdlib's cown and
// wait natives reach it through Ctx::runtime). Each engine owns one, so
// engines stay independent.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "runtime/context.hpp"
#include "runtime/mailbox.hpp"
#include "runtime/noticeboard.hpp"
#include "runtime/sched/scheduler.hpp"

namespace boc::rt {

class ScriptRuntime {
 public:
  ScriptRuntime(Host* host, void* engine, unsigned workers);
  ~ScriptRuntime();
  ScriptRuntime(const ScriptRuntime&) = delete;
  ScriptRuntime& operator=(const ScriptRuntime&) = delete;

  // Its workers' local pointers (BehaviorRun::worker_local) are their Ctx.
  Scheduler& scheduler() { return *scheduler_; }

  // An uncaught error ended a behavior: `report` goes to the error sink now.
  void report_failure(const std::string& report);
  // Behaviors failed since the last call.
  uint64_t take_failure_count() { return failures_.exchange(0, std::memory_order_acq_rel); }

  // exit(code) called inside a behavior: the program ends once the
  // behaviors have run (the engine checks after waiting).
  void request_exit(int code);
  bool exit_requested(int* code) const;

  // The engine's noticeboard and mailbox (stdlib: notice, send, receive).
  Noticeboard& noticeboard() { return *noticeboard_; }
  Mailbox& mailbox() { return *mailbox_; }

 private:
  Host* host_;
  void* engine_;
  std::atomic<uint64_t> failures_{0};
  std::atomic<int> exit_code_{-1};
  // One slot per worker; each worker writes only its own, before it runs
  // any behavior.
  std::vector<std::unique_ptr<Ctx>> worker_ctx_;
  std::unique_ptr<Mailbox> mailbox_;
  // Made after scheduler_ (it holds the scheduler while writes are pending);
  // its thread is stopped before scheduler_ goes (its update functions may
  // schedule behaviors).
  std::unique_ptr<Noticeboard> noticeboard_;
  // Last: its workers use the members above, so it stops first.
  std::unique_ptr<Scheduler> scheduler_;
};

}  // namespace boc::rt
