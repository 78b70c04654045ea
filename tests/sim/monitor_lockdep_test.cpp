// The lock monitor's lock-order graph (sim/monitor/lockdep.cpp) on synthetic
// observer events (monitor_rig.h): which orders make a lock-order-inversion,
// which do not, its places, text and JSON.
#include "sim/monitor/monitor.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/sim/monitor_rig.h"

namespace spinlab {
namespace {

using namespace monitor_rig;

// hart h takes `first`, then `second`, and releases both (pcs: the takes at
// base + 4 and base + 8).
void nested(Feed& feed, unsigned h, uint32_t first, uint32_t second, uint32_t base) {
  feed.acquire(h, first, base + 4);
  feed.acquire(h, second, base + 8);
  feed.release(h, second);
  feed.release(h, first);
}

TEST(MonitorLockdep, TwoHartsTakingTwoLocksInBothOrdersIsAnInversionWithoutADeadlock) {
  Rig r;
  nested(r.feed, 0, kLockA, kLockB, 0x80000100);
  EXPECT_TRUE(r.m.findings().empty());
  nested(r.feed, 1, kLockB, kLockA, 0x80000200);
  ASSERT_EQ(kinds(r.m), std::vector{FindingKind::lock_order_inversion});
  EXPECT_EQ(r.count.deadlocks, 0);
  const Finding& f = r.m.findings()[0];
  EXPECT_FALSE(is_deadlock(f.kind));
  // Closed by hart1 taking A while holding B.
  EXPECT_EQ(f.hart, 1u);
  EXPECT_EQ(f.lock.addr, kLockA);
  EXPECT_EQ(f.at.pc, 0x80000208u);
  ASSERT_EQ(f.holds.size(), 1u);
  EXPECT_EQ(f.holds[0].lock.addr, kLockB);
  EXPECT_EQ(f.holds[0].taken_at.pc, 0x80000204u);
  ASSERT_EQ(f.chain.size(), 2u);
  const Dependency& now = f.chain[0];
  EXPECT_EQ(now.from.addr, kLockB);
  EXPECT_EQ(now.to.addr, kLockA);
  EXPECT_EQ(now.hart, 1u);
  EXPECT_FALSE(now.attempt);
  EXPECT_EQ(now.to_at.pc, 0x80000208u);
  EXPECT_EQ(now.from_at.pc, 0x80000204u);
  const Dependency& before = f.chain[1];
  EXPECT_EQ(before.from.addr, kLockA);
  EXPECT_EQ(before.to.addr, kLockB);
  EXPECT_EQ(before.hart, 0u);
  EXPECT_EQ(before.from_at.pc, 0x80000104u);
  EXPECT_EQ(before.to_at.pc, 0x80000108u);
  EXPECT_LT(before.from_since, before.cycle);
  EXPECT_LT(before.cycle, now.cycle);
  EXPECT_EQ(f.lesson, "docs/lessons/16-abba.md");

  const std::string text = format_finding(f);
  for (const char* want :
       {"WARNING: possible circular locking dependency detected", "hart1 is trying to acquire lock:\n    0x80002000",
        "but hart1 is already holding lock:\n    0x80002010", "which lock already depends on the new lock.",
        "the existing dependency chain (in reverse order) is:", "-> #1 (0x80002010):\n         hart0 took 0x80002010",
        "-> #0 (0x80002000):\n         hart1 took 0x80002000"})
    EXPECT_NE(text.find(want), std::string::npos) << want << "\n" << text;
  // Lockdep's picture: CPU0 holds B and takes A, CPU1 takes them the other
  // way; the second column 4 + (longest name + 12) in.
  const std::string col(26, ' ');
  EXPECT_NE(text.find("         CPU0" + std::string(18, ' ') + "CPU1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("    lock(0x80002010);\n" + col + "lock(0x80002000);\n" + col +
                      "lock(0x80002010);\n    lock(0x80002000);\n\n   *** DEADLOCK ***"),
            std::string::npos)
      << text;

  // Once per cycle of locks, whoever takes them so again.
  nested(r.feed, 1, kLockB, kLockA, 0x80000200);
  nested(r.feed, 2, kLockB, kLockA, 0x80000300);
  nested(r.feed, 0, kLockA, kLockB, 0x80000100);
  EXPECT_EQ(r.m.findings().size(), 1u);
}

TEST(MonitorLockdep, OneHartTakingTwoLocksInBothOrdersIsAnInversion) {
  // Lockdep's rule is about orders, not harts: the same code on two CPUs
  // at once would deadlock.
  Rig r;
  nested(r.feed, 0, kLockA, kLockB, 0x80000100);
  nested(r.feed, 0, kLockB, kLockA, 0x80000200);
  ASSERT_EQ(kinds(r.m), std::vector{FindingKind::lock_order_inversion});
  EXPECT_EQ(r.m.findings()[0].chain[1].hart, 0u);
}

TEST(MonitorLockdep, OneOrderEverywhereIsNoInversion) {
  Rig r;
  for (unsigned h = 0; h < 4; ++h) {
    nested(r.feed, h, kLockA, kLockB, 0x80000100);
    nested(r.feed, h, kLockB, kLockC, 0x80000200);
    // A, B, C nested: the same order, and A -> C is implied.
    r.feed.acquire(h, kLockA);
    r.feed.acquire(h, kLockB);
    r.feed.acquire(h, kLockC);
    r.feed.release(h, kLockC);
    r.feed.release(h, kLockB);
    r.feed.release(h, kLockA);
    nested(r.feed, h, kLockA, kLockC, 0x80000300);
  }
  EXPECT_TRUE(r.m.findings().empty());
  // Taking one lock after releasing another is no dependency at all.
  r.feed.acquire(0, kLockC);
  r.feed.release(0, kLockC);
  r.feed.acquire(0, kLockA);
  r.feed.release(0, kLockA);
  EXPECT_TRUE(r.m.findings().empty());
}

TEST(MonitorLockdep, AThreeLockCycleIsFoundAtTheAcquisitionThatClosesIt) {
  Rig r;
  nested(r.feed, 0, kLockA, kLockB, 0x80000100);
  nested(r.feed, 1, kLockB, kLockC, 0x80000200);
  EXPECT_TRUE(r.m.findings().empty());
  nested(r.feed, 2, kLockC, kLockA, 0x80000300);
  ASSERT_EQ(kinds(r.m), std::vector{FindingKind::lock_order_inversion});
  const Finding& f = r.m.findings()[0];
  EXPECT_EQ(f.hart, 2u);
  ASSERT_EQ(f.chain.size(), 3u);
  // C -> A (new), then A -> B, B -> C: the chain A closes.
  EXPECT_EQ(f.chain[0].from.addr, kLockC);
  EXPECT_EQ(f.chain[0].to.addr, kLockA);
  EXPECT_EQ(f.chain[1].hart, 0u);
  EXPECT_EQ(f.chain[1].to.addr, kLockB);
  EXPECT_EQ(f.chain[2].hart, 1u);
  EXPECT_EQ(f.chain[2].to.addr, kLockC);
  const std::string text = format_finding(f);
  EXPECT_NE(text.find("Chain exists of:\n    0x80002000 --> 0x80002010 --> 0x80002020"), std::string::npos) << text;
  EXPECT_NE(text.find("-> #2 (0x80002020):"), std::string::npos) << text;
  // CPU1 holds B (the lock held when C was taken) and takes C.
  EXPECT_NE(text.find("    lock(0x80002020);\n" + std::string(26, ' ') + "lock(0x80002010);\n" + std::string(26, ' ') +
                      "lock(0x80002020);\n    lock(0x80002000);"),
            std::string::npos)
      << text;
}

TEST(MonitorLockdep, ALockTakenInAnInterruptHandlerDependsOnNothingTheInterruptedCodeHolds) {
  // Lockdep's chains stop at an interrupt's edge: what a handler takes on
  // top of a held lock is irq safety's business, not lock order.
  Rig r;
  r.feed.acquire(0, kLockA);
  r.feed.trap(0, kTimer);
  r.feed.acquire(0, kLockB);
  r.feed.release(0, kLockB);
  r.feed.mret(0, false);
  r.feed.release(0, kLockA);
  nested(r.feed, 1, kLockB, kLockA, 0x80000200);
  EXPECT_TRUE(r.m.findings().empty());
}

TEST(MonitorLockdep, AFailedTryOrAGivenUpSpinClosesNoCycle) {
  Rig r;
  // hart0 holds A and tries B once (spin_trylock fails), then goes on.
  r.feed.acquire(1, kLockB);
  r.feed.acquire(0, kLockA);
  r.feed.spin(0, kLockB, 1);
  r.feed.release(0, kLockA);
  r.feed.release(1, kLockB);
  nested(r.feed, 2, kLockB, kLockA, 0x80000200);
  EXPECT_TRUE(r.m.findings().empty());
  // A bounded trylock loop on B holding C, given up (hart0 works on,
  // holding C); then hart1, holding B, spins on C: it waits for hart0, but
  // hart0 no longer waits for it.
  r.feed.acquire(1, kLockB);
  r.feed.acquire(0, kLockC);
  r.feed.spin(0, kLockB, 5);
  r.feed.wait(5000);
  r.feed.spin(1, kLockC, 5);
  EXPECT_TRUE(r.m.findings().empty());
}

TEST(MonitorLockdep, ASpinThatEndsInTheLockIsADependency) {
  Rig r;
  r.feed.acquire(1, kLockB);
  r.feed.acquire(0, kLockA);
  r.feed.spin(0, kLockB, 3);
  r.feed.wait(5000);  // long enough to look given up...
  r.feed.release(1, kLockB);
  r.feed.acquire(0, kLockB, 0x80000140);  // ...but it was taken in the end
  r.feed.release(0, kLockB);
  r.feed.release(0, kLockA);
  nested(r.feed, 1, kLockB, kLockA, 0x80000200);
  ASSERT_EQ(kinds(r.m), std::vector{FindingKind::lock_order_inversion});
  const Dependency& before = r.m.findings()[0].chain[1];
  EXPECT_FALSE(before.attempt);
  EXPECT_EQ(before.to_at.pc, 0x80000140u);
}

TEST(MonitorLockdep, ACycleOfWordsNotYetKnownAsLocksIsToldWhenTheyAre) {
  Rig r;
  r.feed.acquire(0, kLockA);
  r.feed.acquire(0, kLockB);
  r.feed.release(0, kLockA);  // A is a lock; B is held, not known yet
  r.feed.acquire(0, kLockA);  // B -> A closes A -> B -> A
  EXPECT_TRUE(r.m.findings().empty());
  r.feed.spin(1, kLockB, 2);  // spun on: B is a lock
  ASSERT_EQ(kinds(r.m), std::vector{FindingKind::lock_order_inversion});
  EXPECT_EQ(r.m.findings()[0].chain[0].to.addr, kLockA);  // the newest dependency closed it
}

TEST(MonitorLockdep, AWordFoundToBeDataLeavesTheGraph) {
  Rig r;
  r.feed.acquire(0, kLockA);
  r.feed.acquire(0, kLockC);                       // C: a candidate...
  r.feed.amo(0, 0x80000100, kLockC, AmoOp::xor_, 3);  // ...changed like data
  r.feed.release(0, kLockA);
  nested(r.feed, 1, kLockC, kLockA, 0x80000200);
  EXPECT_TRUE(r.m.findings().empty());
}

TEST(MonitorLockdep, TheJsonHasTheChainWithItsPlaces) {
  Rig r;
  nested(r.feed, 0, kLockA, kLockB, 0x80000100);
  nested(r.feed, 1, kLockB, kLockA, 0x80000200);
  nlohmann::json j = monitor_json(r.m);
  ASSERT_EQ(j["findings"].size(), 1u);
  const nlohmann::json& f = j["findings"][0];
  EXPECT_EQ(f["kind"], "lock-order-inversion");
  EXPECT_EQ(f["deadlock"], false);
  EXPECT_EQ(f["lock"]["addr"], kLockA);
  EXPECT_EQ(f["holds"][0]["lock"]["addr"], kLockB);
  ASSERT_EQ(f["chain"].size(), 2u);
  EXPECT_EQ(f["chain"][0]["from"]["addr"], kLockB);
  EXPECT_EQ(f["chain"][0]["to"]["addr"], kLockA);
  EXPECT_EQ(f["chain"][0]["hart"], 1);
  EXPECT_EQ(f["chain"][0]["attempt"], false);
  EXPECT_EQ(f["chain"][0]["to_at"]["pc"], 0x80000208u);
  EXPECT_EQ(f["chain"][0]["from_at"]["pc"], 0x80000204u);
  EXPECT_EQ(f["chain"][1]["hart"], 0);
  EXPECT_EQ(f["chain"][1]["context"], "process");
  EXPECT_TRUE(f["chain"][1]["from_since"].is_number());
}

}  // namespace
}  // namespace spinlab
