// The lock monitor's deadlocks on synthetic observer events (the rig of
// monitor_test.cpp): a hart that waits for itself, from a handler or from
// the holding context, and harts that wait for each other.
#include "sim/monitor/monitor.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/sim/monitor_rig.h"

namespace spinlab {
namespace {

using namespace monitor_rig;

// Hart 0 takes lock A (at 0x80000104) and hart 1 lock B (at 0x80000204);
// then each tries the other's once, hart 0 at `try_pc` and hart 1 at
// try_pc + 0x100: the start of an ABBA.
void hold_one_try_the_other(Rig& r, uint32_t try_pc) {
  r.feed.acquire(0, kLockA, 0x80000104);
  r.feed.acquire(1, kLockB, 0x80000204);
  r.feed.spin(0, kLockB, 1, try_pc);
  r.feed.spin(1, kLockA, 1, try_pc + 0x100);
}

// --- same-CPU deadlock --------------------------------------------------------

TEST(Monitor, AnInterruptHandlerSpinningOnItsOwnHartsLockIsADeadlock) {
  Rig r;
  r.feed.mie(0, true);
  r.feed.acquire(0, kLockA, 0x80000104);
  r.feed.release(0, kLockA);
  r.feed.acquire(0, kLockA, 0x80000104);
  uint64_t taken = r.feed.now();
  r.feed.wait(50);
  r.feed.trap(0, kTimer, 0x80000800);
  uint64_t irq = r.feed.now() - 0;
  r.feed.spin(0, kLockA, 7, 0x80000108);
  EXPECT_TRUE(r.m.findings().empty()) << "7 attempts are not yet a deadlock";
  r.feed.spin(0, kLockA, 1, 0x80000108);
  ASSERT_EQ(kinds(r.m), std::vector{FindingKind::irq_deadlock});
  EXPECT_EQ(r.count.deadlocks, 1);
  const Finding& f = r.m.findings()[0];
  EXPECT_EQ(f.lock.addr, kLockA);
  EXPECT_EQ(f.hart, 0u);
  ASSERT_EQ(f.holds.size(), 1u);
  EXPECT_EQ(f.holds[0].hart, 0u);
  EXPECT_EQ(f.holds[0].since, taken);
  EXPECT_EQ(f.holds[0].taken_at.pc, 0x80000104u);
  EXPECT_TRUE(f.holds[0].interrupts_enabled);
  EXPECT_EQ(f.holds[0].context, Context::process);
  ASSERT_TRUE(f.has_interrupt);
  EXPECT_EQ(f.interrupt.cause, Context::timer_irq);
  EXPECT_EQ(f.interrupt.cycle, irq);
  EXPECT_EQ(f.interrupt.interrupted_at.pc, 0x80000800u);
  ASSERT_EQ(f.waits.size(), 1u);
  EXPECT_EQ(f.waits[0].context, Context::timer_irq);
  EXPECT_EQ(f.waits[0].attempts, 8u);
  EXPECT_EQ(f.waits[0].at.pc, 0x80000108u);
  EXPECT_NE(f.rule.find("spin_lock_irqsave"), std::string::npos);
  EXPECT_EQ(f.lesson, "docs/lessons/03-irq-deadlock.md");
  std::string text = format_finding(f);
  EXPECT_NE(text.find("       hart0\n         ----\n    lock(0x80002000);\n    <Interrupt: timer>\n"
                      "      lock(0x80002000);\n\n   *** DEADLOCK ***"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("interrupts ENABLED"), std::string::npos) << text;
  // More spinning reports nothing more.
  r.feed.spin(0, kLockA, 20, 0x80000108);
  EXPECT_EQ(r.m.findings().size(), 1u);
  EXPECT_EQ(r.count.deadlocks, 1);
}

TEST(Monitor, TheFirstHoldOfALockCanDeadlock) {
  // No release has happened yet: the handler's spinning is the evidence.
  Rig r;
  r.feed.mie(0, true);
  r.feed.acquire(0, kLockA);
  r.feed.trap(0, kSoftware);
  r.feed.spin(0, kLockA, 8);
  ASSERT_EQ(kinds(r.m), std::vector{FindingKind::irq_deadlock});
  EXPECT_EQ(r.m.findings()[0].interrupt.cause, Context::software_irq);
}

TEST(Monitor, LrScLockLoopDeadlocksInAHandler) {
  Rig r;
  r.feed.mie(1, true);
  // acquire: lr 0, sc 1; release: sw 0; acquire again.
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(r.feed.lr(1, 0x80000140, kLockB), 0u);
    r.feed.sc(1, 0x80000148, kLockB, 1, true);
    if (i == 0) r.feed.release(1, kLockB);
  }
  r.feed.trap(1, kSoftware);
  // The handler's loop: lr reads 1, never reaches the sc. Each lr is a
  // failed attempt once the next one shows that no sc came.
  for (int i = 0; i < 8; ++i) EXPECT_EQ(r.feed.lr(1, 0x80000140, kLockB), 1u);
  EXPECT_TRUE(r.m.findings().empty());
  r.feed.lr(1, 0x80000140, kLockB);
  ASSERT_EQ(kinds(r.m), std::vector{FindingKind::irq_deadlock});
  const Finding& f = r.m.findings()[0];
  EXPECT_EQ(f.holds[0].taken_at.pc, 0x80000148u);  // the successful sc
  EXPECT_EQ(f.waits[0].at.pc, 0x80000140u);        // the lr
  EXPECT_EQ(f.interrupt.cause, Context::software_irq);
}

TEST(Monitor, AmoorLockWithPlainLoadSpinningDeadlocksInAHandler) {
  Rig r;
  r.feed.mie(0, true);
  r.feed.amo(0, 0x80000160, kLockA, AmoOp::or_, 1);
  r.feed.store(0, 0x80000170, kLockA, 0);
  r.feed.amo(0, 0x80000160, kLockA, AmoOp::or_, 1);
  r.feed.trap(0, kTimer);
  // Test-and-test-and-set: one amoor, then plain loads until it reads 0.
  r.feed.amo(0, 0x80000160, kLockA, AmoOp::or_, 1);
  for (int i = 0; i < 7; ++i) r.feed.load(0, 0x80000168, kLockA);
  ASSERT_EQ(kinds(r.m), std::vector{FindingKind::irq_deadlock});
  EXPECT_EQ(r.m.findings()[0].waits[0].attempts, 8u);
  EXPECT_EQ(r.m.findings()[0].waits[0].at.pc, 0x80000160u);
}

TEST(Monitor, ASpinOfManyCyclesIsADeadlockWithFewAttempts) {
  MonitorOptions o;
  o.deadlock_attempts = 1000;
  o.deadlock_cycles = 500;
  Monitor m(nullptr, 1, o);
  Feed feed(m);
  feed.mie(0, true);
  feed.acquire(0, kLockA);
  feed.trap(0, kTimer);
  feed.spin(0, kLockA, 1);
  feed.wait(600);
  EXPECT_TRUE(m.findings().empty()) << "one attempt is not a spin";
  feed.spin(0, kLockA, 1);
  EXPECT_EQ(kinds(m), std::vector{FindingKind::irq_deadlock});
}

TEST(Monitor, AHolderReadingItsOwnLockIsNotSpinning) {
  Rig r;
  r.feed.acquire(0, kLockA);
  r.feed.release(0, kLockA);
  r.feed.acquire(0, kLockA);
  for (int i = 0; i < 20; ++i) r.feed.load(0, 0x80000180, kLockA);  // holding() checks
  EXPECT_TRUE(r.m.findings().empty());
  EXPECT_EQ(r.m.lock_stats()[0].waits, 0u);
}

TEST(Monitor, ATrylockThatGivesUpIsNoDeadlock) {
  Rig r;
  r.feed.mie(0, true);
  r.feed.acquire(0, kLockA);
  r.feed.release(0, kLockA);
  r.feed.acquire(0, kLockA);
  for (int i = 0; i < 20; ++i) {
    r.feed.trap(0, kTimer);
    r.feed.spin(0, kLockA, 1);  // one try, then give up
    r.feed.mret(0, true);
  }
  EXPECT_TRUE(r.m.findings().empty());
}

TEST(Monitor, SpinningOnALockYouHoldInTheSameContextIsRecursive) {
  Rig r;
  r.feed.acquire(2, kLockA);
  r.feed.release(2, kLockA);
  r.feed.acquire(2, kLockA);
  r.feed.spin(2, kLockA, 8);
  ASSERT_EQ(kinds(r.m), std::vector{FindingKind::recursive_deadlock});
  EXPECT_EQ(r.count.deadlocks, 1);
  EXPECT_FALSE(r.m.findings()[0].has_interrupt);
  std::string text = format_finding(r.m.findings()[0]);
  EXPECT_NE(text.find("    lock(0x80002000);\n    lock(0x80002000);\n\n   *** DEADLOCK ***"), std::string::npos)
      << text;
}

// Test-and-test-and-set: one amoswap, then loads until the word reads 0.
// The holder's loads of its own lock are no attempts (a holding() check,
// AHolderReadingItsOwnLockIsNotSpinning) unless its own test-and-set on it
// failed just before: then it is taking its lock again.
TEST(Monitor, ATestAndTestAndSetRetakeIsRecursive) {
  Rig r;
  r.feed.acquire(2, kLockA);
  r.feed.release(2, kLockA);
  r.feed.acquire(2, kLockA);
  r.feed.spin(2, kLockA, 1);
  for (int i = 0; i < 6; ++i) r.feed.load(2, 0x80000104, kLockA);
  EXPECT_TRUE(r.m.findings().empty());
  r.feed.load(2, 0x80000104, kLockA);  // the 8th failed attempt in a row
  ASSERT_EQ(kinds(r.m), std::vector{FindingKind::recursive_deadlock});
  EXPECT_EQ(r.m.findings()[0].waits[0].attempts, 8u);
}

// Two test-and-test-and-set locks taken in opposite order at their first
// acquisitions: neither was ever released, so neither is known as a lock
// until each waiter's loads, after its failed amoswap, confirm it.
TEST(Monitor, TestAndTestAndSetLocksNeverReleasedStillDeadlock) {
  Rig r;
  hold_one_try_the_other(r, 0x80000104);
  for (int i = 0; i < 8; ++i) {
    r.feed.load(0, 0x80000108, kLockB);
    r.feed.load(1, 0x80000208, kLockA);
  }
  EXPECT_EQ(kinds(r.m), (std::vector{FindingKind::lock_order_inversion, FindingKind::cross_cpu_deadlock}));
}

// A reader that made no test-and-set of the word is a reader of data, even
// while a hart that set it holds it: a flag polled until it clears.
TEST(Monitor, ReadingACandidateWithoutATestAndSetIsNoAttempt) {
  Rig r;
  r.feed.acquire(0, kLockA);
  for (int i = 0; i < 50; ++i) r.feed.load(1, 0x80000208, kLockA);
  EXPECT_TRUE(r.m.findings().empty());
  EXPECT_TRUE(r.m.lock_stats().empty());
}

TEST(Monitor, ASyscallSpinningOnTheCallersLockIsRecursiveNotIrq) {
  Rig r;
  r.feed.acquire(0, kLockA);
  r.feed.release(0, kLockA);
  r.feed.acquire(0, kLockA);
  r.feed.trap(0, kEcall);
  r.feed.spin(0, kLockA, 8);
  EXPECT_EQ(kinds(r.m), std::vector{FindingKind::recursive_deadlock});
}

// --- cross-CPU deadlock -------------------------------------------------------

TEST(Monitor, TwoHartsTakingTwoLocksInOppositeOrderDeadlock) {
  Rig r;
  hold_one_try_the_other(r, 0x80000108);
  for (int i = 0; i < 7; ++i) {
    r.feed.spin(0, kLockB, 1, 0x80000108);
    EXPECT_EQ(r.count.deadlocks, 0);
    r.feed.spin(1, kLockA, 1, 0x80000208);
  }
  // The lock-order inversion came first (at hart1's second attempt, when
  // both spins made dependencies), then the deadlock.
  ASSERT_EQ(kinds(r.m), (std::vector{FindingKind::lock_order_inversion, FindingKind::cross_cpu_deadlock}));
  EXPECT_EQ(r.count.deadlocks, 1);
  EXPECT_LT(r.m.findings()[0].cycle, r.m.findings()[1].cycle);
  const Finding& f = r.m.findings()[1];
  ASSERT_EQ(f.waits.size(), 2u);
  ASSERT_EQ(f.holds.size(), 2u);
  // Found by hart1's 8th attempt: hart1 waits for A held by hart0, hart0 for B held by hart1.
  EXPECT_EQ(f.waits[0].hart, 1u);
  EXPECT_EQ(f.waits[0].lock.addr, kLockA);
  EXPECT_EQ(f.holds[0].hart, 0u);
  EXPECT_EQ(f.holds[0].taken_at.pc, 0x80000104u);
  EXPECT_EQ(f.waits[1].hart, 0u);
  EXPECT_EQ(f.waits[1].lock.addr, kLockB);
  EXPECT_EQ(f.holds[1].hart, 1u);
  EXPECT_EQ(f.holds[1].taken_at.pc, 0x80000204u);
  std::string text = format_finding(f);
  EXPECT_NE(text.find("hart1 and hart0 wait for each other"), std::string::npos) << text;
  EXPECT_NE(text.find("*** DEADLOCK ***"), std::string::npos) << text;
  // More spinning: nothing new.
  r.feed.spin(0, kLockB, 10);
  r.feed.spin(1, kLockA, 10);
  EXPECT_EQ(r.m.findings().size(), 2u);
}

TEST(Monitor, ThreeHartsInACircleDeadlock) {
  Rig r;
  r.feed.acquire(0, kLockA);
  r.feed.acquire(1, kLockB);
  r.feed.acquire(2, kLockC);
  for (int i = 0; i < 8; ++i) {
    r.feed.spin(0, kLockB, 1);
    r.feed.spin(1, kLockC, 1);
    r.feed.spin(2, kLockA, 1);
  }
  // The three-lock cycle A -> B -> C -> A first, closed by hart2's spin on A.
  ASSERT_EQ(kinds(r.m), (std::vector{FindingKind::lock_order_inversion, FindingKind::cross_cpu_deadlock}));
  const Finding& inv = r.m.findings()[0];
  ASSERT_EQ(inv.chain.size(), 3u);
  EXPECT_EQ(inv.hart, 2u);
  EXPECT_EQ(inv.chain[0].from.addr, kLockC);
  EXPECT_EQ(inv.chain[0].to.addr, kLockA);
  EXPECT_EQ(inv.chain[1].to.addr, kLockB);
  EXPECT_EQ(inv.chain[2].to.addr, kLockC);
  EXPECT_EQ(r.m.findings()[1].waits.size(), 3u);
}

TEST(Monitor, AHartThatGaveUpSpinningIsNotWaiting) {
  Rig r;
  r.feed.acquire(0, kLockA);
  r.feed.acquire(1, kLockB);
  r.feed.spin(0, kLockB, 10);  // a bounded trylock loop...
  r.feed.wait(5000);           // ...given up: hart0 works on, holding A
  r.feed.spin(1, kLockA, 10);
  EXPECT_TRUE(r.m.findings().empty());
}

TEST(Monitor, AReleaseEndsTheReleasingContextsSpin) {
  Rig r;
  r.feed.acquire(0, kLockA);
  r.feed.acquire(0, kLockC);
  r.feed.release(0, kLockC);
  r.feed.acquire(0, kLockC);
  r.feed.acquire(1, kLockB);
  r.feed.spin(0, kLockB, 10);  // gives up, and goes on:
  r.feed.release(0, kLockC);
  r.feed.spin(1, kLockA, 10);  // hart1 waits for A, but hart0 no longer waits for B
  EXPECT_TRUE(r.m.findings().empty());
}

TEST(Monitor, WaitingForAHartThatWillReleaseIsNoDeadlock) {
  Rig r;
  r.feed.acquire(0, kLockA);
  r.feed.spin(1, kLockA, 50);  // hart0 is not waiting for anything
  r.feed.release(0, kLockA);
  r.feed.acquire(1, kLockA);
  EXPECT_TRUE(r.m.findings().empty());
  auto s = r.m.lock_stats();
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].waits, 1u);
  EXPECT_EQ(s[0].attempts, 50u);
  EXPECT_EQ(s[0].wait_cycles_max, 51u);  // first attempt to the acquire
}

}  // namespace
}  // namespace spinlab
