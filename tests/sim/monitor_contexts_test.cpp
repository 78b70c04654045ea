// The lock monitor's bottom halves and nested interrupts, on synthetic
// events (monitor_rig.h): when a trap becomes a bottom half, the depth
// events carry, and the rules of deadlocks and warnings with a bottom half
// on either side (sim/monitor/contexts.cpp, docs/monitor.md).
#include "sim/monitor/monitor.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "firmware/include/memmap.h"
#include "tests/sim/monitor_rig.h"

namespace spinlab {
namespace {

using namespace monitor_rig;

// The timer's acknowledgement: a write to the hart's mtimecmp.
void ack_timer(Feed& f, unsigned h) { f.store(h, 0x80000800, CLINT_MTIMECMP(h), 1000); }

TEST(MonitorContexts, InterruptsOnBeforeTheAcknowledgementStayHardirqAfterItABottomHalf) {
  Rig r;
  std::vector<Event> events;
  r.m.add_listener([&](const Event& e) { events.push_back(e); });
  r.feed.trap(0, kTimer);
  r.feed.mie(0, true);  // a handler letting others nest: still the timer's hardirq
  r.feed.acquire(0, kLockA);
  r.feed.release(0, kLockA);
  r.feed.mie(0, false);
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().context, Context::timer_irq);
  ack_timer(r.feed, 0);
  r.feed.mie(0, true);  // acknowledged, then on: the bottom half
  ASSERT_EQ(events.back().kind, EventKind::bottom_half);
  EXPECT_EQ(events.back().mcause, kTimer);
  EXPECT_EQ(events.back().irq_depth, 1u);
  r.feed.acquire(0, kLockB);
  EXPECT_EQ(events.back().context, Context::softirq);
  r.feed.release(0, kLockB);
  r.feed.mie(0, false);  // interrupts off again: still the bottom half, up to mret
  r.feed.acquire(0, kLockB);
  EXPECT_EQ(events.back().context, Context::softirq);
  r.feed.release(0, kLockB);
  // An interrupt nested in it: depth 2, in the bottom half.
  r.feed.mie(0, true);
  r.feed.trap(0, kSoftware);
  EXPECT_EQ(events.back().kind, EventKind::interrupt);
  EXPECT_EQ(events.back().irq_depth, 2u);
  EXPECT_EQ(events.back().interrupted, Context::softirq);
  EXPECT_EQ(events.back().context, Context::software_irq);
  EXPECT_NE(r.m.describe(events.back()).find("nested in a bottom half (softirq) (depth 2)"), std::string::npos);
  r.feed.mret(0, true);
  EXPECT_EQ(events.back().irq_depth, 1u);
  EXPECT_EQ(events.back().context, Context::softirq);
  r.feed.mret(0, true);
  EXPECT_EQ(events.back().irq_depth, 0u);
  EXPECT_EQ(events.back().context, Context::process);
  EXPECT_EQ(r.m.irq_depth(0), 0u);
  EXPECT_TRUE(r.m.findings().empty());
}

// A handler nested in a bottom half spins on the bottom half's lock: the
// bottom half needed spin_lock_irqsave.
TEST(MonitorContexts, AHandlerSpinningOnItsBottomHalfsLockGivesTheIrqsaveRule) {
  Rig r;
  r.feed.trap(0, kTimer);
  ack_timer(r.feed, 0);
  r.feed.mie(0, true);
  r.feed.acquire(0, kLockA);  // in the bottom half, interrupts on
  r.feed.trap(0, kSoftware);
  r.feed.spin(0, kLockA, 10);
  ASSERT_EQ(kinds(r.m), std::vector{FindingKind::irq_deadlock});
  const Finding& f = r.m.findings()[0];
  EXPECT_EQ(f.holds[0].context, Context::softirq);
  EXPECT_EQ(f.waits[0].context, Context::software_irq);
  EXPECT_EQ(f.interrupt.cause, Context::software_irq);
  EXPECT_NE(f.rule.find("a bottom half that shares a lock with an interrupt handler"), std::string::npos) << f.rule;
  EXPECT_NE(format_finding(f).find("taken in a bottom half (softirq) with interrupts ENABLED"), std::string::npos)
      << format_finding(f);
}

// Process context holds the lock with interrupts off: no bottom half can
// run then, so the lock is not softirq-unsafe, however often the bottom half
// takes it. With interrupts on and a bottom half run during the hold, it is.
TEST(MonitorContexts, SoftirqUnsafeNeedsABottomHalfRunWhileProcessContextHeldIt) {
  Rig r;
  for (int i = 0; i < 2; ++i) {
    r.feed.trap(0, kTimer);
    ack_timer(r.feed, 0);
    r.feed.mie(0, true);
    r.feed.acquire(0, kLockA);  // in the bottom half
    r.feed.release(0, kLockA);
    r.feed.mret(0, false);
    r.feed.acquire(0, kLockA);  // process context, interrupts off
    r.feed.release(0, kLockA);
  }
  r.feed.mie(0, true);
  r.feed.acquire(0, kLockA);  // interrupts on: no evidence yet
  EXPECT_TRUE(r.m.findings().empty());
  r.feed.trap(0, kTimer);
  r.feed.mie(0, true);  // not acknowledged: a hardirq letting others nest, no bottom half
  r.feed.mie(0, false);
  r.feed.mret(0, true);
  EXPECT_TRUE(r.m.findings().empty());
  r.feed.trap(0, kTimer);
  ack_timer(r.feed, 0);
  r.feed.mie(0, true);  // a bottom half while process context holds it
  ASSERT_EQ(kinds(r.m), std::vector{FindingKind::softirq_unsafe_lock});
  const Finding& f = r.m.findings()[0];
  EXPECT_EQ(f.holds[0].context, Context::softirq);
  EXPECT_EQ(f.holds[1].context, Context::process);
  EXPECT_TRUE(f.holds[1].interrupts_enabled);
  ASSERT_TRUE(f.has_interrupt);
  EXPECT_EQ(f.interrupt.cause, Context::timer_irq);
  EXPECT_EQ(r.count.deadlocks, 0);
  EXPECT_EQ(std::string(to_string(f.holds[0].context)), "bottom half (softirq)");
}

}  // namespace
}  // namespace spinlab
