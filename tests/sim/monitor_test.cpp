// The lock monitor on synthetic observer events: no simulator, a small
// memory of our own so that every access carries the old value the machine
// would report. Each test plays a few harts doing one lock pattern; the
// deadlocks are in monitor_deadlock_test.cpp.
#include "sim/monitor/monitor.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/sim/monitor_rig.h"

namespace spinlab {
namespace {

using namespace monitor_rig;

// --- what is a lock -----------------------------------------------------------

TEST(Monitor, AWordSetByAmoswapAndClearedByItsHolderIsALock) {
  Rig r;
  r.feed.acquire(0, kLockA);
  r.feed.wait(10);
  r.feed.release(0, kLockA);
  auto stats = r.m.lock_stats();
  ASSERT_EQ(stats.size(), 1u);
  EXPECT_EQ(stats[0].lock.addr, kLockA);
  EXPECT_EQ(stats[0].lock.name, "0x80002000");  // no ELF: the address
  EXPECT_EQ(stats[0].acquisitions, 1u);
  EXPECT_EQ(stats[0].hold_cycles_total, 11u);
  EXPECT_TRUE(r.m.findings().empty());
}

TEST(Monitor, AmoaddCountersAreNotLocks) {
  Rig r;
  // A counter: 0 -> 1 by hart0 looks like an acquire...
  r.feed.amo(0, 0x80000600, kCounter, AmoOp::add, 1);
  // ...but it is never cleared by its "holder" nor spun on.
  r.feed.wfi(0);
  r.feed.trap(1, kTimer);
  for (int i = 0; i < 20; ++i) r.feed.amo(1, 0x80000604, kCounter, AmoOp::add, 1);
  r.feed.mret(1, true);
  r.feed.amo(0, 0x80000600, kCounter, AmoOp::add, 1);
  // A per-hart reference count that goes back to zero.
  r.feed.amo(2, 0x80000610, kCounter + 4, AmoOp::add, 1);
  r.feed.amo(2, 0x80000614, kCounter + 4, AmoOp::add, ~0u);
  r.feed.amo(2, 0x80000610, kCounter + 4, AmoOp::add, 1);
  r.feed.wfi(2);
  EXPECT_TRUE(r.m.findings().empty());
  EXPECT_TRUE(r.m.lock_stats().empty());
}

TEST(Monitor, ACounterResetByStoreAfterCountingIsStillData) {
  Rig r;
  r.feed.amo(0, 0x80000600, kCounter, AmoOp::add, 1);
  r.feed.amo(0, 0x80000600, kCounter, AmoOp::add, 1);  // 1 -> 2: counting
  r.feed.store(0, 0x80000608, kCounter, 0);
  r.feed.amo(0, 0x80000600, kCounter, AmoOp::add, 1);
  r.feed.wfi(0);
  EXPECT_TRUE(r.m.findings().empty());
  EXPECT_TRUE(r.m.lock_stats().empty());
}

TEST(Monitor, AnLrScCounterUnderContentionIsNoLock) {
  Rig r;
  // firmware/tests/lrsc_counter.c: lr, add, sc; a failed sc retries.
  r.feed.lr(0, 0x80000660, kCounter);
  r.feed.sc(0, 0x80000668, kCounter, 1, true);  // 0 -> 1: looks like an acquire
  for (uint32_t i = 0; i < 10; ++i) {
    uint32_t v = r.feed.lr(1, 0x80000660, kCounter);
    r.feed.sc(1, 0x80000668, kCounter, v + 1, false);  // lost its reservation
    v = r.feed.lr(1, 0x80000660, kCounter);
    r.feed.sc(1, 0x80000668, kCounter, v + 1, i % 2 == 0);
  }
  r.feed.wfi(0);
  EXPECT_TRUE(r.m.findings().empty());
  EXPECT_TRUE(r.m.lock_stats().empty());
}

TEST(Monitor, ABitmapSetWithAmoorIsData) {
  Rig r;
  // One hart marks values seen, a bit each (firmware/tests/counter.c).
  for (uint32_t bit = 0; bit < 20; ++bit) r.feed.amo(1, 0x80000640, kCounter, AmoOp::or_, 1u << bit);
  r.feed.wfi(1);
  EXPECT_TRUE(r.m.findings().empty());
  EXPECT_TRUE(r.m.lock_stats().empty());
}

TEST(Monitor, ExchangingPointersIsNoLock) {
  Rig r;
  for (uint32_t p = 0x80003000; p < 0x80003100; p += 0x10) r.feed.amo(0, 0x80000650, kCounter, AmoOp::swap, p);
  r.feed.wfi(0);
  EXPECT_TRUE(r.m.findings().empty());
  EXPECT_TRUE(r.m.lock_stats().empty());
}

TEST(Monitor, ALockFreeUpdateWithLrScIsData) {
  Rig r;
  // Push onto an empty list (0 -> node), then push again (node -> node2):
  // an SC that changes a non-zero word is not a lock operation.
  r.feed.lr(0, 0x80000700, kLockC);
  r.feed.sc(0, 0x80000704, kLockC, 0x80003000, true);
  EXPECT_EQ(r.feed.lr(1, 0x80000700, kLockC), 0x80003000u);
  r.feed.sc(1, 0x80000704, kLockC, 0x80003010, true);
  r.feed.wfi(0);
  EXPECT_TRUE(r.m.findings().empty());
  EXPECT_TRUE(r.m.lock_stats().empty());
}

TEST(Monitor, AWordSpunOnIsALockBeforeItsFirstRelease) {
  Rig r;
  r.feed.acquire(0, kLockA);
  r.feed.spin(1, kLockA, 2);
  auto stats = r.m.lock_stats();
  ASSERT_EQ(stats.size(), 1u);
  EXPECT_EQ(stats[0].waits, 1u);
  EXPECT_EQ(stats[0].attempts, 2u);
}

TEST(Monitor, OneFailedExchangeDoesNotMakeALock) {
  Rig r;
  // An exchange of pointers that finds the slot full, once.
  r.feed.amo(0, 0x80000700, kLockC, AmoOp::swap, 0x80003000);
  r.feed.amo(1, 0x80000700, kLockC, AmoOp::swap, 0x80003010);
  EXPECT_TRUE(r.m.lock_stats().empty());
}

// --- lockdep-style warning ----------------------------------------------------

TEST(Monitor, ALockTakenInAHandlerAndWithInterruptsOnIsIrqUnsafe) {
  Rig r;
  r.feed.mie(0, true);
  r.feed.acquire(0, kLockA, 0x80000104);  // process context, interrupts on
  r.feed.release(0, kLockA);
  r.feed.trap(1, kTimer);
  r.feed.acquire(1, kLockA, 0x80000904);  // in hart1's timer handler
  r.feed.release(1, kLockA);
  r.feed.mret(1, true);
  ASSERT_EQ(kinds(r.m), std::vector{FindingKind::irq_unsafe_lock});
  EXPECT_EQ(r.count.deadlocks, 0);
  const Finding& f = r.m.findings()[0];
  ASSERT_EQ(f.holds.size(), 2u);
  EXPECT_EQ(f.holds[0].hart, 1u);
  EXPECT_EQ(f.holds[0].context, Context::timer_irq);
  EXPECT_EQ(f.holds[0].taken_at.pc, 0x80000904u);
  EXPECT_EQ(f.holds[1].hart, 0u);
  EXPECT_EQ(f.holds[1].context, Context::process);
  EXPECT_TRUE(f.holds[1].interrupts_enabled);
  EXPECT_EQ(f.holds[1].taken_at.pc, 0x80000104u);
  EXPECT_NE(format_finding(f).find("<Interrupt: timer>"), std::string::npos);
  // Once per lock.
  r.feed.acquire(0, kLockA);
  r.feed.release(0, kLockA);
  r.feed.trap(1, kTimer);
  r.feed.acquire(1, kLockA);
  r.feed.release(1, kLockA);
  EXPECT_EQ(r.m.findings().size(), 1u);
}

// "Only by luck" needs the interrupt to have been able to come: hart0's
// mie decides it, not only its mstatus.MIE (privileged spec 3.1.9).
TEST(Monitor, AnIrqUnsafeLockIsLuckOnlyWhenTheHoldersMieEnabledTheInterrupt) {
  for (const uint32_t mie0 : {0u, 1u << 7, 1u << 3}) {  // none, MTIE, MSIE
    Rig r;
    r.m.set_interrupt_enables([&](unsigned h) { return h == 0 ? mie0 : 1u << 7; });
    r.feed.mie(0, true);
    r.feed.acquire(0, kLockA, 0x80000104);  // process context, mstatus.MIE on
    r.feed.release(0, kLockA);
    r.feed.trap(1, kTimer);
    r.feed.acquire(1, kLockA, 0x80000904);  // in hart1's timer handler
    r.feed.release(1, kLockA);
    ASSERT_EQ(kinds(r.m), std::vector{FindingKind::irq_unsafe_lock}) << mie0;
    const Finding& f = r.m.findings()[0];
    EXPECT_EQ(f.holds[1].mie, mie0);
    const bool mtie = mie0 & (1u << 7);
    EXPECT_EQ(could_interrupt(f.holds[1], Context::timer_irq), mtie) << mie0;
    const std::string text = format_finding(f);
    EXPECT_EQ(text.find("only by luck") != std::string::npos, mtie) << text;
    EXPECT_EQ(text.find("hart0's mie.MTIE (the timer interrupt's enable) was clear") != std::string::npos, !mtie)
        << text;
    EXPECT_EQ(text.find("not by luck") != std::string::npos, !mtie) << text;
  }
}

// MIE set while the lock is held counts the mie of that moment too.
TEST(Monitor, MieReadWhenInterruptsGoOnWhileHolding) {
  uint32_t mie0 = 0;
  Rig r;
  r.m.set_interrupt_enables([&](unsigned) { return mie0; });
  r.feed.trap(0, kTimer);
  r.feed.acquire(0, kLockA);
  r.feed.release(0, kLockA);
  r.feed.mret(0, false);
  r.feed.acquire(0, kLockA, 0x80000104);  // interrupts off, MTIE clear...
  mie0 = 1u << 7;
  r.feed.mie(0, true, 0x80000210);  // ...MTIE and MIE on while it is held
  ASSERT_EQ(kinds(r.m), std::vector{FindingKind::irq_unsafe_lock});
  EXPECT_TRUE(could_interrupt(r.m.findings()[0].holds[1], Context::timer_irq));
}

TEST(Monitor, EnablingInterruptsWhileHoldingALockIsIrqUnsafe) {
  Rig r;
  r.feed.trap(0, kTimer);
  r.feed.acquire(0, kLockA);
  r.feed.release(0, kLockA);
  r.feed.mret(0, false);
  r.feed.acquire(0, kLockA, 0x80000104);  // interrupts off...
  EXPECT_TRUE(r.m.findings().empty());
  r.feed.mie(0, true, 0x80000210);  // ...and on while it is held
  ASSERT_EQ(kinds(r.m), std::vector{FindingKind::irq_unsafe_lock});
  const Hold& on = r.m.findings()[0].holds[1];
  EXPECT_FALSE(on.interrupts_enabled);
  EXPECT_TRUE(on.enabled_later);
  EXPECT_EQ(on.enabled_at.pc, 0x80000210u);
}

TEST(Monitor, AnIrqSafeLockHasNoFindings) {
  Rig r;
  for (int i = 0; i < 5; ++i) {
    // spin_lock_irqsave: interrupts off, lock, unlock, interrupts back on.
    r.feed.mie(0, false);
    r.feed.acquire(0, kLockA);
    r.feed.release(0, kLockA);
    r.feed.mie(0, true);
    r.feed.trap(0, kTimer);
    r.feed.acquire(0, kLockA);
    r.feed.release(0, kLockA);
    r.feed.mret(0, true);
  }
  EXPECT_TRUE(r.m.findings().empty());
  auto s = r.m.lock_stats();
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].acquisitions, 10u);
  EXPECT_EQ(s[0].irq_acquisitions, 5u);
}

// --- wfi, releases ------------------------------------------------------------

TEST(Monitor, SleepingWhileHoldingALockIsReportedOnce) {
  Rig r;
  r.feed.acquire(3, kLockA, 0x80000104);
  r.feed.release(3, kLockA);
  r.feed.acquire(3, kLockA, 0x80000104);
  r.feed.amo(3, 0x80000600, kCounter, AmoOp::add, 1);  // not a lock: not named
  r.feed.wfi(3, 0x80000500);
  r.feed.wfi(3, 0x80000500);
  ASSERT_EQ(kinds(r.m), std::vector{FindingKind::wfi_holding_lock});
  const Finding& f = r.m.findings()[0];
  EXPECT_EQ(f.hart, 3u);
  EXPECT_EQ(f.at.pc, 0x80000500u);
  ASSERT_EQ(f.holds.size(), 1u);
  EXPECT_EQ(f.holds[0].lock.addr, kLockA);
  EXPECT_EQ(f.holds[0].taken_at.pc, 0x80000104u);
  EXPECT_EQ(r.count.deadlocks, 0);
}

TEST(Monitor, SleepingWithAWordNotYetKnownAsALockIsReportedWhenItIs) {
  Rig r;
  r.feed.acquire(0, kLockA, 0x80000104);
  r.feed.wfi(0, 0x80000500);
  uint64_t slept = r.feed.now();
  EXPECT_TRUE(r.m.findings().empty());
  r.feed.wait(100);
  r.feed.release(0, kLockA);  // now it is a lock
  ASSERT_EQ(kinds(r.m), std::vector{FindingKind::wfi_holding_lock});
  EXPECT_EQ(r.m.findings()[0].cycle, slept);
  EXPECT_EQ(r.m.findings()[0].at.pc, 0x80000500u);
  EXPECT_EQ(r.m.findings()[0].holds[0].taken_at.pc, 0x80000104u);
}

TEST(Monitor, ReleasingAnotherHartsLockIsReported) {
  Rig r;
  r.feed.acquire(0, kLockA);
  r.feed.release(0, kLockA);
  r.feed.acquire(0, kLockA, 0x80000104);
  r.feed.release(1, kLockA, 0x80000124);
  ASSERT_EQ(kinds(r.m), std::vector{FindingKind::release_not_held});
  const Finding& f = r.m.findings()[0];
  EXPECT_EQ(f.hart, 1u);
  EXPECT_EQ(f.at.pc, 0x80000124u);
  ASSERT_EQ(f.holds.size(), 1u);
  EXPECT_EQ(f.holds[0].hart, 0u);
  EXPECT_EQ(f.holds[0].taken_at.pc, 0x80000104u);
  EXPECT_EQ(format_finding(f),
            "WARNING at cycle 4: hart1 releases 0x80002000, which it does not hold\n"
            "  lock:      0x80002000\n"
            "  released:  at 0x80000124\n"
            "  held:      hart0 holds it since cycle 3, taken in process context with interrupts disabled\n"
            "             at 0x80000104\n"
            "  rule:      only the hart that holds a spinlock may release it, and only once\n\n");
  // Hart0's own release afterwards finds the lock free: a second release.
  r.feed.release(0, kLockA);
  ASSERT_EQ(r.m.findings().size(), 2u);
  EXPECT_TRUE(r.m.findings()[1].holds.empty());
}

TEST(Monitor, ReleasingTwiceIsReported) {
  Rig r;
  r.feed.acquire(0, kLockA);
  r.feed.release(0, kLockA);
  r.feed.release(0, kLockA);
  ASSERT_EQ(kinds(r.m), std::vector{FindingKind::release_not_held});
  EXPECT_TRUE(r.m.findings()[0].holds.empty());
  EXPECT_NE(format_finding(r.m.findings()[0]).find("by nobody"), std::string::npos);
}

TEST(Monitor, AmoswapZeroReleases) {
  Rig r;
  r.feed.acquire(0, kLockA);
  r.feed.amo(0, 0x80000124, kLockA, AmoOp::swap, 0);
  EXPECT_EQ(r.m.lock_stats().size(), 1u);
  EXPECT_TRUE(r.m.findings().empty());
}

// --- nesting and statistics ---------------------------------------------------

TEST(Monitor, NestedLocksAreTrackedSeparately) {
  Rig r;
  r.feed.acquire(0, kLockA);  // cycle 1
  r.feed.wait(9);
  r.feed.acquire(0, kLockB);  // 11
  r.feed.wait(9);
  r.feed.release(0, kLockB);  // 21: B held 10
  r.feed.wait(9);
  r.feed.release(0, kLockA);  // 31: A held 30
  r.feed.acquire(0, kLockA);  // 32
  r.feed.wait(3);
  r.feed.release(0, kLockA);  // 36: A held 4
  auto s = r.m.lock_stats();
  ASSERT_EQ(s.size(), 2u);
  const LockStats* a = stats_of(s, kLockA);
  const LockStats* b = stats_of(s, kLockB);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->acquisitions, 2u);
  EXPECT_EQ(a->hold_cycles_max, 30u);
  EXPECT_EQ(a->hold_cycles_total, 34u);
  EXPECT_EQ(b->acquisitions, 1u);
  EXPECT_EQ(b->hold_cycles_total, 10u);
  EXPECT_TRUE(r.m.findings().empty());
}

TEST(Monitor, ADeadlockOnTheInnerOfTwoNestedLocksNamesIt) {
  Rig r;
  r.feed.mie(0, true);
  r.feed.acquire(0, kLockA);
  r.feed.acquire(0, kLockB);
  r.feed.trap(0, kTimer);
  r.feed.acquire(1, kLockC);  // other harts go on
  r.feed.spin(0, kLockB, 8);
  ASSERT_EQ(kinds(r.m), std::vector{FindingKind::irq_deadlock});
  EXPECT_EQ(r.m.findings()[0].lock.addr, kLockB);
}

TEST(Monitor, StatsCountHoldsAndSpinsStillOnAtTheEnd) {
  Rig r;
  r.feed.acquire(0, kLockA);
  r.feed.spin(1, kLockA, 4);
  r.feed.wait(100);
  r.m.finish(r.feed.now());
  auto s = r.m.lock_stats();
  ASSERT_EQ(s.size(), 1u);
  EXPECT_TRUE(s[0].held_at_end);
  EXPECT_EQ(s[0].hold_cycles_max, r.feed.now() - 1);
  EXPECT_EQ(s[0].wait_cycles_max, r.feed.now() - 2);
  std::string table = format_lock_stats(s);
  EXPECT_NE(table.find("held at the end"), std::string::npos) << table;
}

// --- test-then-set locks (naive_lock): a plain load, then a plain store ------

// Test, then set: the hart's load finds `addr` free, its store sets it.
void plain_take(Feed& f, unsigned h, uint32_t addr) {
  f.load(h, 0x80000600, addr);
  f.store(h, 0x80000608, addr, 1);
}

TEST(Monitor, ATestThenSetWordTakenByTwoHartsIsALock) {
  Rig r;
  plain_take(r.feed, 0, kLockA);
  r.feed.store(0, 0x80000610, kLockA, 0);
  plain_take(r.feed, 0, kLockA);
  r.feed.store(0, 0x80000610, kLockA, 0);
  EXPECT_TRUE(r.m.lock_stats().empty());  // one hart's own flag, so far
  plain_take(r.feed, 1, kLockA);
  r.feed.store(1, 0x80000610, kLockA, 0);
  std::vector<LockStats> all = r.m.lock_stats();
  const LockStats* s = stats_of(all, kLockA);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->acquisitions, 3u);
  EXPECT_EQ(s->overlaps, 0u);
  EXPECT_TRUE(r.m.findings().empty());
}

TEST(Monitor, AHartsOwnNestingCounterIsNoLock) {
  // xv6's push_off/pop_off: noff goes 0 -> 1 -> 0 on one hart, again and again.
  Rig r;
  for (int i = 0; i < 20; ++i) {
    plain_take(r.feed, 2, kCounter);
    r.feed.wfi(2);
    r.feed.store(2, 0x80000610, kCounter, 0);
  }
  EXPECT_TRUE(r.m.lock_stats().empty());
  EXPECT_TRUE(r.m.findings().empty());
}

TEST(Monitor, ACounterCountedUpFromZeroIsNoLock) {
  Rig r;
  for (uint32_t i = 0; i < 8; ++i) {
    unsigned h = i % 2;
    uint32_t v = r.feed.load(h, 0x80000700, kCounter);
    r.feed.store(h, 0x80000704, kCounter, v + 1);
  }
  r.feed.store(1, 0x80000708, kCounter, 0);  // reset, and counted up again
  plain_take(r.feed, 0, kCounter);
  r.feed.store(0, 0x80000708, kCounter, 0);
  EXPECT_TRUE(r.m.lock_stats().empty());
  EXPECT_TRUE(r.m.findings().empty());
}

TEST(Monitor, TwoHartsInsideATestThenSetLockIsARace) {
  Rig r;
  std::vector<Event> events;
  r.m.add_listener([&](const Event& e) { events.push_back(e); });
  r.feed.load(0, 0x80000600, kLockA);  // both find it free...
  uint64_t tested0 = r.feed.now();
  r.feed.load(1, 0x80000600, kLockA);
  uint64_t tested1 = r.feed.now();
  r.feed.store(0, 0x80000608, kLockA, 1);  // ...and both set it
  uint64_t set0 = r.feed.now();
  r.feed.store(1, 0x80000608, kLockA, 1);
  uint64_t set1 = r.feed.now();
  EXPECT_TRUE(r.m.findings().empty());  // not known as a lock yet
  r.feed.store(0, 0x80000610, kLockA, 0);
  r.feed.store(1, 0x80000610, kLockA, 0);  // hart1 was inside: no bad release

  ASSERT_EQ(kinds(r.m), std::vector<FindingKind>{FindingKind::mutual_exclusion});
  const Finding& f = r.m.findings()[0];
  EXPECT_EQ(f.cycle, set1);
  EXPECT_EQ(f.hart, 1u);
  EXPECT_EQ(f.lock.addr, kLockA);
  ASSERT_EQ(f.holds.size(), 2u);
  EXPECT_EQ(f.holds[0].hart, 0u);
  EXPECT_EQ(f.holds[0].tested, tested0);
  EXPECT_EQ(f.holds[0].since, set0);
  EXPECT_EQ(f.holds[1].hart, 1u);
  EXPECT_EQ(f.holds[1].tested, tested1);
  EXPECT_EQ(f.holds[1].since, set1);
  EXPECT_EQ(f.lesson, "docs/lessons/01-race.md");
  std::string text = format_finding(f);
  EXPECT_NE(text.find("RACE at cycle"), std::string::npos) << text;
  EXPECT_NE(text.find("BOTH INSIDE"), std::string::npos) << text;
  EXPECT_EQ(r.count.deadlocks, 0);

  std::vector<LockStats> all = r.m.lock_stats();
  const LockStats* s = stats_of(all, kLockA);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->acquisitions, 2u);
  EXPECT_EQ(s->overlaps, 1u);
  EXPECT_FALSE(s->held_at_end);
  // The narrative learns of both holds when the word is known as a lock.
  int acquires = 0, releases = 0;
  for (const Event& e : events) {
    acquires += e.kind == EventKind::acquire;
    releases += e.kind == EventKind::release;
  }
  EXPECT_EQ(acquires, 2);
  EXPECT_EQ(releases, 2);
}

TEST(Monitor, ARaceIsReportedOnceAndCountedEachTime) {
  Rig r;
  for (int i = 0; i < 3; ++i) {
    r.feed.load(0, 0x80000600, kLockA);
    r.feed.load(1, 0x80000600, kLockA);
    r.feed.store(0, 0x80000608, kLockA, 1);
    r.feed.store(1, 0x80000608, kLockA, 1);
    r.feed.store(1, 0x80000610, kLockA, 0);
    r.feed.store(0, 0x80000610, kLockA, 0);
  }
  EXPECT_EQ(kinds(r.m), std::vector<FindingKind>{FindingKind::mutual_exclusion});
  std::vector<LockStats> all = r.m.lock_stats();
  const LockStats* s = stats_of(all, kLockA);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->overlaps, 3u);
  EXPECT_EQ(s->acquisitions, 6u);
}

TEST(Monitor, PlainLoadsOfATestThenSetLockHeldByAnotherAreSpins) {
  Rig r;
  plain_take(r.feed, 0, kLockA);
  r.feed.store(0, 0x80000610, kLockA, 0);
  plain_take(r.feed, 1, kLockA);
  r.feed.store(1, 0x80000610, kLockA, 0);  // a lock now
  plain_take(r.feed, 0, kLockA);
  for (int i = 0; i < 5; ++i) r.feed.load(1, 0x80000600, kLockA);  // hart1 waits
  r.feed.store(0, 0x80000610, kLockA, 0);
  plain_take(r.feed, 1, kLockA);
  std::vector<LockStats> all = r.m.lock_stats();
  const LockStats* s = stats_of(all, kLockA);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->waits, 1u);
  EXPECT_EQ(s->attempts, 5u);
  EXPECT_TRUE(r.m.findings().empty());
}

}  // namespace
}  // namespace spinlab
