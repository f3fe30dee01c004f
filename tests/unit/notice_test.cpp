// The noticeboard (runtime/noticeboard.hpp) at the C++ level: ordering,
// update atomicity under contention, snapshots, failures, visibility after
// wait_all and flush. Test names start with "Runtime" so the TSan CI step
// (ctest -R 'Runtime|concurrency') runs them.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <vector>

#include "runtime/error.hpp"
#include "runtime/function.hpp"
#include "runtime/map.hpp"
#include "runtime/noticeboard.hpp"
#include "runtime/string.hpp"
#include "runtime_test_support.hpp"

namespace boc::rt {
namespace {

using test::scaled;
using test::Watchdog;

// inc(v): v + 1, nil counting as 0.
Value inc_entry(Ctx*, Function*, const Value* args, uint32_t) {
  return Value::integer(args[0].is_nil() ? 1 : args[0].as_int() + 1);
}
// fail(v): always raises.
Value fail_entry(Ctx* ctx, Function*, const Value*, uint32_t) { return raise(ctx, "update failed"); }
// to_nil(v): deletes the key.
Value nil_entry(Ctx*, Function*, const Value*, uint32_t) { return Value::nil(); }

constexpr FnProto kInc{inc_entry, "inc", 1};
constexpr FnProto kFail{fail_entry, "fail", 1};
constexpr FnProto kNil{nil_entry, "to_nil", 1};

// Owns one reference and releases it.
struct Ref {
  Value v;
  explicit Ref(Value owned) : v(owned) {}
  ~Ref() { release(v); }
  Ref(const Ref&) = delete;
  Ref& operator=(const Ref&) = delete;
};

class RuntimeNoticeTest : public ::testing::Test {
 protected:
  RuntimeNoticeTest() : scheduler_(test::test_options()) {
    NoticeboardOptions options;
    options.report_failure = [this](const std::string& report) {
      std::lock_guard<std::mutex> lock(mutex_);
      failures_.push_back(report);
    };
    options.request_exit = [this](int code) { exit_code_ = code; };
    board_ = std::make_unique<Noticeboard>(scheduler_, std::move(options));
  }
  ~RuntimeNoticeTest() override {
    scheduler_.wait_all();
    board_.reset();
  }

  // board[key] in the latest snapshot: "missing", or the int's decimal form.
  std::string read(const char* key) {
    Ref snap(board_->snapshot());
    Ref k(make_string(key));
    Value* slot = map_find(as_map(snap.v), k.v);
    if (!slot) return "missing";
    if (slot->tag == Tag::Int) return std::to_string(slot->as_int());
    return "non-int";
  }
  void write(const char* key, Value v) {
    Ref k(make_string(key));
    ASSERT_TRUE(board_->write(k.v, v));
  }
  void update(const char* key, const FnProto* proto) {
    Ref k(make_string(key));
    Ref fn(function_value(function_new(proto, 0)));
    ASSERT_TRUE(board_->update(k.v, fn.v));
  }
  std::vector<std::string> failures() {
    std::lock_guard<std::mutex> lock(mutex_);
    return failures_;
  }

  Scheduler scheduler_;
  std::unique_ptr<Noticeboard> board_;
  std::mutex mutex_;
  std::vector<std::string> failures_;
  std::atomic<int> exit_code_{-1};
};

TEST_F(RuntimeNoticeTest, EmptyBoardReadsMissing) {
  EXPECT_EQ(read("k"), "missing");
  Ref snap(board_->snapshot());
  EXPECT_EQ(map_size(as_map(snap.v)), 0u);
}

TEST_F(RuntimeNoticeTest, WriteIsVisibleAfterWaitAll) {
  write("k", Value::integer(7));
  scheduler_.wait_all();
  EXPECT_EQ(read("k"), "7");
}

TEST_F(RuntimeNoticeTest, WritesApplyInQueueOrder) {
  Watchdog dog(std::chrono::seconds(60), "ordered writes");
  const int64_t n = scaled(10000);
  for (int64_t i = 0; i <= n; ++i) write("k", Value::integer(i));
  board_->flush();
  EXPECT_EQ(read("k"), std::to_string(n));
}

TEST_F(RuntimeNoticeTest, NilAndRemoveDelete) {
  write("a", Value::integer(1));
  write("b", Value::integer(2));
  write("c", Value::integer(3));
  scheduler_.wait_all();
  write("a", Value::nil());
  Ref kb(make_string("b"));
  ASSERT_TRUE(board_->remove(kb.v));
  update("c", &kNil);
  Ref missing(make_string("never"));
  ASSERT_TRUE(board_->remove(missing.v));
  scheduler_.wait_all();
  EXPECT_EQ(read("a"), "missing");
  EXPECT_EQ(read("b"), "missing");
  EXPECT_EQ(read("c"), "missing");
  EXPECT_TRUE(failures().empty());
}

// The stress test of the brief: 100 behaviors x 1,000 updates of one key.
TEST_F(RuntimeNoticeTest, ConcurrentUpdatesLoseNoIncrement) {
  Watchdog dog(std::chrono::seconds(120), "100 behaviors x 1000 updates");
  const int64_t behaviors = 100;
  const int64_t per = scaled(1000);
  Ref key(make_string("count"));
  Ref fn(function_value(function_new(&kInc, 0)));
  Value k = key.v, f = fn.v;
  for (int64_t b = 0; b < behaviors; ++b) {
    scheduler_.when({}, [this, k, f, per](BehaviorRun&) {
      for (int64_t i = 0; i < per; ++i) EXPECT_TRUE(board_->update(k, f));
    });
  }
  scheduler_.wait_all();  // behaviors, then (through the board's hold) every update
  EXPECT_EQ(read("count"), std::to_string(behaviors * per));
  EXPECT_TRUE(failures().empty());
}

TEST_F(RuntimeNoticeTest, FailedUpdateKeepsOldValueAndIsReported) {
  write("k", Value::integer(5));
  update("k", &kFail);
  update("k", &kInc);
  scheduler_.wait_all();
  EXPECT_EQ(read("k"), "6");
  std::vector<std::string> f = failures();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0].find("runtime error: update failed"), std::string::npos) << f[0];
  EXPECT_NE(f[0].find("notice.update(\"k\", fn)"), std::string::npos) << f[0];
}

TEST_F(RuntimeNoticeTest, BehaviorSnapshotIsStable) {
  write("k", Value::integer(1));
  scheduler_.wait_all();
  Ctx ctx;
  ctx.in_behavior = 1;
  Ref first(board_->view(&ctx));
  write("k", Value::integer(2));
  board_->flush();
  Ref second(board_->view(&ctx));
  EXPECT_EQ(first.v.bits, second.v.bits);  // the same map: one snapshot
  EXPECT_EQ(read("k"), "2");               // while the latest moved on
  drop_notice_snapshot(&ctx);
  Ref third(board_->view(&ctx));
  EXPECT_NE(third.v.bits, first.v.bits);
  drop_notice_snapshot(&ctx);
  Ctx main_ctx;  // not in a behavior: no cached snapshot
  Ref latest(board_->view(&main_ctx));
  EXPECT_TRUE(main_ctx.notice_snapshot.is_nil());
}

TEST_F(RuntimeNoticeTest, SnapshotsAreNotChangedByLaterWrites) {
  write("k", Value::integer(1));
  board_->flush();
  Ref old(board_->snapshot());
  write("k", Value::integer(2));
  write("extra", Value::integer(3));
  board_->flush();
  Ref k(make_string("k"));
  EXPECT_EQ(map_find(as_map(old.v), k.v)->as_int(), 1);
  EXPECT_EQ(map_size(as_map(old.v)), 1u);
}

TEST_F(RuntimeNoticeTest, CownValuesStayAlive) {
  Cown* c = cown_new(Value::integer(3));
  write("c", c->as_value());
  cown_release(c);  // only the board's reference remains
  board_->flush();
  Ref snap(board_->snapshot());
  Ref k(make_string("c"));
  Value* slot = map_find(as_map(snap.v), k.v);
  ASSERT_NE(slot, nullptr);
  ASSERT_EQ(slot->tag, Tag::Cown);
  EXPECT_EQ(reinterpret_cast<Cown*>(slot->obj())->content.as_int(), 3);
}

TEST_F(RuntimeNoticeTest, StopThenWriteRestarts) {
  write("k", Value::integer(1));
  board_->stop();
  EXPECT_EQ(read("k"), "1");  // stop applies what was queued
  write("k", Value::integer(2));
  scheduler_.wait_all();
  EXPECT_EQ(read("k"), "2");
}

TEST_F(RuntimeNoticeTest, ManyKeys) {
  const int64_t n = scaled(20000);  // no entry limit
  for (int64_t i = 0; i < n; ++i) {
    Ref k(make_string("key" + std::to_string(i)));
    ASSERT_TRUE(board_->write(k.v, Value::integer(i)));
  }
  scheduler_.wait_all();
  Ref snap(board_->snapshot());
  EXPECT_EQ(map_size(as_map(snap.v)), static_cast<size_t>(n));
}

}  // namespace
}  // namespace boc::rt
