// The mailbox (runtime/mailbox.hpp) at the C++ level: FIFO per tag,
// selective receive, timeouts, interrupts, ownership, and the producer and
// wake-up stress tests. Test names start with "Runtime" so the TSan CI step
// (ctest -R 'Runtime|concurrency') runs them.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "runtime/mailbox.hpp"
#include "runtime/string.hpp"
#include "runtime_test_support.hpp"

namespace boc::rt {
namespace {

using test::scaled;
using test::Watchdog;
using Status = Mailbox::Status;
using namespace std::chrono_literals;

std::vector<std::string> tags(std::initializer_list<const char*> names) {
  return std::vector<std::string>(names.begin(), names.end());
}

int64_t take_int(Mailbox& box, std::vector<std::string> t) {
  Mailbox::Message m = box.receive(t, std::nullopt);
  EXPECT_EQ(m.status, Status::Received);
  return m.value.as_int();
}

TEST(RuntimeMailbox, FifoPerTag) {
  Mailbox box;
  for (int64_t i = 0; i < 10; ++i) box.send("q", Value::integer(i));
  for (int64_t i = 0; i < 10; ++i) EXPECT_EQ(take_int(box, tags({"q"})), i);
  EXPECT_EQ(box.pending("q"), 0u);
}

TEST(RuntimeMailbox, SelectiveReceiveTakesOldestAmongTags) {
  Mailbox box;
  box.send("a", Value::integer(1));
  box.send("b", Value::integer(2));
  box.send("a", Value::integer(3));
  box.send("c", Value::integer(4));
  EXPECT_EQ(take_int(box, tags({"b"})), 2);
  Mailbox::Message m = box.receive(tags({"c", "a"}), std::nullopt);
  EXPECT_EQ(m.tag, "a");
  EXPECT_EQ(m.value.as_int(), 1);
  EXPECT_EQ(take_int(box, tags({"c", "a", "a"})), 3);  // duplicates are harmless
  EXPECT_EQ(take_int(box, tags({"c"})), 4);
}

TEST(RuntimeMailbox, TimeoutWithNothingQueued) {
  Mailbox box;
  auto start = Mailbox::Clock::now();
  Mailbox::Message m = box.receive(tags({"none"}), start + 50ms);
  EXPECT_EQ(m.status, Status::TimedOut);
  EXPECT_GE(Mailbox::Clock::now() - start, 50ms);
  // A deadline already passed still takes a queued message.
  box.send("x", Value::integer(9));
  m = box.receive(tags({"x"}), start);
  EXPECT_EQ(m.status, Status::Received);
  EXPECT_EQ(box.pending("none"), 0u);
}

TEST(RuntimeMailbox, InterruptEndsAWait) {
  Watchdog dog(std::chrono::seconds(30), "interrupted receive");
  Mailbox box;
  std::atomic<uint32_t> interrupt{0};
  std::thread t([&] {
    std::this_thread::sleep_for(20ms);
    interrupt.store(1);
  });
  Mailbox::Message m = box.receive(tags({"never"}), std::nullopt, &interrupt);
  t.join();
  EXPECT_EQ(m.status, Status::Interrupted);
}

TEST(RuntimeMailbox, BlockedReceiverWakesOnSend) {
  Watchdog dog(std::chrono::seconds(30), "blocked receive");
  Mailbox box;
  std::thread t([&] {
    std::this_thread::sleep_for(20ms);
    box.send("late", Value::integer(5));
  });
  EXPECT_EQ(take_int(box, tags({"other", "late"})), 5);
  t.join();
}

TEST(RuntimeMailbox, QueueHoldsItsOwnReference) {
  Value s = make_string("payload");
  {
    Mailbox box;
    box.send("s", s);
    box.send("s", s);
    EXPECT_EQ(s.obj()->rc.load(), 3u);
    Mailbox::Message m = box.receive(tags({"s"}), std::nullopt);
    EXPECT_EQ(m.value.bits, s.bits);
    release(m.value);
  }  // the unreceived message is released with the box
  EXPECT_EQ(s.obj()->rc.load(), 1u);
  release(s);
}

// The stress test of the brief: 8 producers x 100,000 messages on one tag
// all arrive, in order per producer.
TEST(RuntimeMailbox, ProducersOnOneTagAllArriveInOrder) {
  Watchdog dog(std::chrono::seconds(240), "8 producers x 100000 messages");
  constexpr int64_t kProducers = 8;
  const int64_t per = scaled(100000);
  Mailbox box;
  std::vector<std::thread> producers;
  for (int64_t p = 0; p < kProducers; ++p)
    producers.emplace_back([&box, p, per] {
      // producer in the high bits, sequence number in the low ones
      for (int64_t i = 0; i < per; ++i) box.send("work", Value::integer(p << 32 | i));
    });
  std::vector<int64_t> next(kProducers, 0);
  bool in_order = true;
  const std::vector<std::string> t = tags({"work"});
  for (int64_t k = 0; k < kProducers * per; ++k) {
    Mailbox::Message m = box.receive(t, std::nullopt);
    const int64_t v = m.value.as_int();
    const int64_t p = v >> 32, i = v & 0xffffffff;
    if (i != next[p]) in_order = false;
    next[p] = i + 1;
  }
  for (auto& th : producers) th.join();
  EXPECT_TRUE(in_order);
  for (int64_t p = 0; p < kProducers; ++p) EXPECT_EQ(next[p], per);
  EXPECT_EQ(box.pending("work"), 0u);
}

// Producers on their own tags, one consumer selecting over all of them.
TEST(RuntimeMailbox, ProducersOnOwnTagsSelectiveReceive) {
  Watchdog dog(std::chrono::seconds(120), "selective receive over 8 tags");
  constexpr int64_t kProducers = 8;
  const int64_t per = scaled(20000);
  Mailbox box;
  std::vector<std::string> all;
  for (int64_t p = 0; p < kProducers; ++p) all.push_back("p" + std::to_string(p));
  std::vector<std::thread> producers;
  for (int64_t p = 0; p < kProducers; ++p)
    producers.emplace_back([&box, &all, p, per] {
      for (int64_t i = 0; i < per; ++i) box.send(all[p], Value::integer(i));
    });
  std::vector<int64_t> next(kProducers, 0);
  bool in_order = true;
  for (int64_t k = 0; k < kProducers * per; ++k) {
    Mailbox::Message m = box.receive(all, std::nullopt);
    const int64_t p = std::stoll(m.tag.substr(1));
    if (m.value.as_int() != next[p]) in_order = false;
    ++next[p];
  }
  for (auto& th : producers) th.join();
  EXPECT_TRUE(in_order);
}

// Many receivers blocked on different and shared tags while senders race:
// every message is taken exactly once and nobody sleeps through its message.
// Each receiver stops at a sentinel sent on its own tag after every other
// message: taking the oldest message first, it sees the sentinel only once
// the shared queue is empty too.
TEST(RuntimeMailbox, ManyReceiversNoLostWakeups) {
  Watchdog dog(std::chrono::seconds(120), "receivers and senders");
  constexpr int kPairs = 4;
  constexpr int64_t kStop = -1;
  const int64_t per = scaled(20000);
  Mailbox box;
  std::atomic<int64_t> received{0};
  std::vector<std::thread> receivers, senders;
  for (int r = 0; r < kPairs; ++r) {
    receivers.emplace_back([&, r] {
      std::vector<std::string> t{"own" + std::to_string(r), "shared"};
      for (;;) {
        Mailbox::Message m = box.receive(t, std::nullopt);
        if (m.value.as_int() == kStop) break;
        received.fetch_add(1, std::memory_order_relaxed);
      }
    });
  }
  for (int s = 0; s < kPairs; ++s) {
    senders.emplace_back([&, s] {
      const std::string own = "own" + std::to_string(s);
      for (int64_t i = 0; i < per; ++i) box.send(i % 2 ? own : "shared", Value::integer(i));
    });
  }
  for (auto& th : senders) th.join();
  for (int r = 0; r < kPairs; ++r) box.send("own" + std::to_string(r), Value::integer(kStop));
  for (auto& th : receivers) th.join();
  EXPECT_EQ(received.load(), kPairs * per);
}

}  // namespace
}  // namespace boc::rt
