// ScriptRuntime: per-worker contexts and failure records around the scheduler.
#include "runtime/script_runtime.hpp"

#include <thread>

namespace boc::rt {

ScriptRuntime::ScriptRuntime(Host* host, void* engine, unsigned workers)
    : host_(host), engine_(engine) {
  unsigned count = workers ? workers : std::max(1u, std::thread::hardware_concurrency());
  worker_ctx_.resize(count);
  SchedulerOptions options;
  options.workers = count;
  // Each worker's Ctx is its local pointer: when.cpp's bodies run with it.
  options.on_worker_start = [this](unsigned index) -> void* {
    auto ctx = std::make_unique<Ctx>();
    ctx->host = host_;
    ctx->engine = engine_;
    ctx->runtime = this;
    ctx->in_behavior = 1;
    ctx->concurrent = 1;
    set_stack_limit_for_current_thread(ctx.get());
    worker_ctx_[index] = std::move(ctx);
    return worker_ctx_[index].get();
  };
  scheduler_ = std::make_unique<Scheduler>(std::move(options));

  mailbox_ = std::make_unique<Mailbox>();
  NoticeboardOptions board;
  board.setup_ctx = [this](Ctx& ctx) {
    ctx.host = host_;
    ctx.engine = engine_;
    ctx.runtime = this;
  };
  board.report_failure = [this](const std::string& report) { report_failure(report); };
  board.request_exit = [this](int code) { request_exit(code); };
  noticeboard_ = std::make_unique<Noticeboard>(*scheduler_, std::move(board));
}

ScriptRuntime::~ScriptRuntime() {
  // Behaviors and pending noticeboard writes wait for each other (update
  // functions may schedule behaviors, behaviors write), and wait_all covers
  // both: the board holds the scheduler while it has work.
  if (!scheduler_->on_worker()) scheduler_->wait_all();
  noticeboard_->stop();
  scheduler_.reset();  // waits for the behaviors still queued
  for (auto& ctx : worker_ctx_) {
    if (!ctx) continue;
    release(ctx->error);
    drop_notice_snapshot(ctx.get());
  }
}

void ScriptRuntime::report_failure(const std::string& report) {
  failures_.fetch_add(1, std::memory_order_acq_rel);
  host_->write_err(report);
}

void ScriptRuntime::request_exit(int code) {
  int none = -1;
  exit_code_.compare_exchange_strong(none, code, std::memory_order_acq_rel);
}

bool ScriptRuntime::exit_requested(int* code) const {
  int c = exit_code_.load(std::memory_order_acquire);
  if (c < 0) return false;
  *code = c;
  return true;
}

}  // namespace boc::rt
