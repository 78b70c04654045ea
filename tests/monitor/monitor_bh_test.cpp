// Bottom halves and nested interrupts on whole runs (docs/monitor.md,
// "Bottom halves and nested interrupts"): hand-written programs (bh.h) with
// no kernel API, whose handlers turn interrupts back on inside the trap. The
// monitor must name the bottom half from what the hart does alone.
#include <algorithm>

#include "sim/out/explain.h"
#include "sim/out/vcd.h"
#include "tests/monitor/monitor_run.h"
#include "tests/sim/testutil.h"
#include "tests/sim/vcd_reader.h"

namespace spinlab {
namespace {

using namespace monitor_run;

std::vector<Event> of_kind(const Outcome& o, EventKind k) {
  std::vector<Event> out;
  for (const Event& e : o.events)
    if (e.kind == k) out.push_back(e);
  return out;
}

bool has(const std::string& text, const std::string& words) { return text.find(words) != std::string::npos; }

// The timer's handler lets the software interrupt nest in it before its
// acknowledgement (hardirq), then, acknowledged, turns interrupts on: its
// bottom half, where the software interrupt nests once more. Process
// context takes the lock with interrupts off: no finding.
TEST(MonitorBottomHalf, NestedInterruptsAndABottomHalfAreNamedAndCounted) {
  test::TempDir dir;
  const std::string vcd = (dir.path() / "bh.vcd").string();
  Outcome o = run("bh_nest", 1, {vcd, true});
  EXPECT_EQ(o.reason, models::StopReason::finisher) << o.text;
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_TRUE(o.findings.empty()) << o.text;

  // Every interrupt: its cause, its depth, and what it interrupted.
  std::vector<Event> irqs = of_kind(o, EventKind::interrupt);
  ASSERT_EQ(irqs.size(), 5u) << o.narrative;
  const uint32_t timer = 0x80000007, software = 0x80000003;
  const std::vector<uint32_t> causes{timer, software, timer, software, timer};
  const std::vector<unsigned> depths{1, 2, 1, 2, 1};
  const std::vector<Context> interrupted{Context::process, Context::timer_irq, Context::process, Context::softirq,
                                         Context::process};
  for (size_t i = 0; i < irqs.size(); ++i) {
    EXPECT_EQ(irqs[i].mcause, causes[i]) << i;
    EXPECT_EQ(irqs[i].irq_depth, depths[i]) << i;
    EXPECT_EQ(irqs[i].interrupted, interrupted[i]) << i;
  }
  // One bottom half per timer interrupt, entered after the acknowledgement:
  // never in the first part of the first one, where interrupts were on too.
  std::vector<Event> bhs = of_kind(o, EventKind::bottom_half);
  ASSERT_EQ(bhs.size(), 3u) << o.narrative;
  for (const Event& e : bhs) {
    EXPECT_EQ(e.mcause, timer);
    EXPECT_EQ(e.context, Context::softirq);
    EXPECT_EQ(e.irq_depth, 1u);
  }
  EXPECT_GT(bhs[0].cycle, irqs[1].cycle) << "the software interrupt nested before the timer's acknowledgement";
  // worklock: taken in each bottom half, and in process context with interrupts off.
  unsigned in_bh = 0, in_process = 0;
  for (const Event& e : of_kind(o, EventKind::acquire)) {
    if (e.context == Context::softirq) {
      ++in_bh;
      EXPECT_TRUE(e.interrupts_enabled);
    } else if (e.context == Context::process) {
      ++in_process;
      EXPECT_FALSE(e.interrupts_enabled);
    }
  }
  EXPECT_EQ(in_bh, 3u);
  EXPECT_GE(in_process, 1u);
  // The narrative's words.
  EXPECT_TRUE(has(o.narrative, "software interrupt          enter the handler, nested in the timer interrupt handler "
                               "(depth 2), interrupting timerintr+"))
      << o.narrative;
  EXPECT_TRUE(has(o.narrative, "enter the handler, nested in a bottom half (softirq) (depth 2)")) << o.narrative;
  EXPECT_TRUE(has(o.narrative, "enter the bottom half (softirq) of the timer interrupt: interrupts on at timerintr+"))
      << o.narrative;
  EXPECT_TRUE(has(o.narrative, "bottom half (softirq) irqs on  acquire worklock at spin_lock+")) << o.narrative;

  // hartN.irq_depth in the VCD follows the interrupts and mrets.
  test::Vcd v = test::read_vcd(vcd);
  EXPECT_EQ(v.width_of.at("hart0.irq_depth"), 8u);
  EXPECT_EQ(v.at("hart0.irq_depth", 0), 0u);
  for (size_t i = 0; i < irqs.size(); ++i) EXPECT_EQ(v.at("hart0.irq_depth", irqs[i].cycle), depths[i]) << i;
  std::vector<uint64_t> values;
  for (const test::Change& c : v.changes("hart0.irq_depth")) values.push_back(c.value);
  EXPECT_EQ(values, (std::vector<uint64_t>{0, 1, 2, 1, 0, 1, 2, 1, 0, 1, 0}));
}

// Process context holds statlock with a plain lock; the timer's bottom
// half spins on it: a deadlock of one CPU, in a bottom half.
TEST(MonitorBottomHalf, ABottomHalfSpinningOnProcessContextsLockIsADeadlockWithTheBhRule) {
  Outcome o = run("bh_deadlock", 1, {"", true});
  EXPECT_EQ(o.reason, models::StopReason::deadlock) << o.text;
  ASSERT_EQ(kinds(o), std::vector{FindingKind::irq_deadlock}) << o.text;
  const Finding& f = o.findings[0];
  EXPECT_EQ(f.lock.name, "statlock");
  ASSERT_EQ(f.holds.size(), 1u);
  ASSERT_EQ(f.waits.size(), 1u);
  EXPECT_EQ(f.holds[0].context, Context::process);
  EXPECT_TRUE(f.holds[0].interrupts_enabled);
  EXPECT_EQ(f.waits[0].context, Context::softirq);
  ASSERT_TRUE(f.has_interrupt);
  EXPECT_EQ(f.interrupt.cause, Context::timer_irq);
  expect_in(f.waits[0].at, "spin_lock", "bh.h");
  expect_called_from(f.waits[0].at, "update_stats", "bh_deadlock.c");
  expect_called_from(f.holds[0].taken_at, "main", "bh_deadlock.c");
  EXPECT_TRUE(has(f.rule, "spin_lock_bh")) << f.rule;
  EXPECT_TRUE(has(o.text, "DEADLOCK on hart0 at cycle " + std::to_string(f.cycle) +
                              ": the bottom half (softirq) of its timer interrupt spins on statlock"))
      << o.text;
  EXPECT_TRUE(has(o.text, "(in a bottom half (softirq)) spins on statlock")) << o.text;
  const nlohmann::json& j = o.report.at("findings").at(0);
  EXPECT_EQ(j.at("kind"), "irq-deadlock");
  EXPECT_EQ(j.at("waits").at(0).at("context"), "bottom half (softirq)");
  EXPECT_EQ(j.at("holds").at(0).at("context"), "process");
  EXPECT_EQ(j.at("interrupt").at("cause"), "timer interrupt");
}

// SOFTIRQ-safe -> SOFTIRQ-unsafe: statlock is taken in a bottom half, and
// later held by process context while another bottom half ran on its hart.
TEST(MonitorBottomHalf, ALockOfABottomHalfHeldWithBottomHalvesEnabledIsSoftirqUnsafe) {
  Outcome o = run("bh_unsafe", 1);
  EXPECT_EQ(o.reason, models::StopReason::finisher) << o.text;
  EXPECT_EQ(o.exit_code, 0);
  ASSERT_EQ(kinds(o), std::vector{FindingKind::softirq_unsafe_lock}) << o.text;
  const Finding& f = o.findings[0];
  EXPECT_EQ(f.lock.name, "statlock");
  ASSERT_EQ(f.holds.size(), 2u);
  EXPECT_EQ(f.holds[0].context, Context::softirq);
  expect_called_from(f.holds[0].taken_at, "update_stats", "bh_unsafe.c");
  EXPECT_EQ(f.holds[1].context, Context::process);
  expect_called_from(f.holds[1].taken_at, "main", "bh_unsafe.c");
  EXPECT_LT(f.holds[0].since, f.holds[1].since);
  ASSERT_TRUE(f.has_interrupt);
  EXPECT_EQ(f.interrupt.cause, Context::timer_irq);
  EXPECT_LT(f.holds[1].since, f.interrupt.cycle) << "the bottom half ran while process context held it";
  EXPECT_TRUE(has(f.rule, "spin_lock_bh")) << f.rule;
  EXPECT_TRUE(has(o.text, "statlock is taken in a bottom half and also held with bottom halves enabled")) << o.text;
  const nlohmann::json& j = o.report.at("findings").at(0);
  EXPECT_EQ(j.at("kind"), "softirq-unsafe-lock");
  EXPECT_EQ(j.at("deadlock"), false);
  EXPECT_EQ(j.at("holds").at(0).at("context"), "bottom half (softirq)");
  EXPECT_EQ(j.at("holds").at(1).at("context"), "process");
  // `--explain` tells the story.
  RunOutcome ro;
  ro.reason = o.reason;
  ro.cycles = o.cycles;
  ro.findings = o.findings;
  const std::string story = explain_outcome(ro, {}, 1000);
  EXPECT_TRUE(has(story, "statlock is taken in a bottom half (hart0, cycle")) << story;
  EXPECT_TRUE(has(story, "while the bottom half of the timer interrupt ran on hart0 (cycle")) << story;
  EXPECT_TRUE(has(story, "bottom halves were not disabled")) << story;
}

// The bottom half takes irqlock with interrupts on, and the software
// interrupt's handler takes it too: HARDIRQ-safe -> HARDIRQ-unsafe, the
// unsafe side a bottom half, with its rule (spin_lock_irqsave there).
TEST(MonitorBottomHalf, ALockOfAHandlerTakenInABottomHalfWithInterruptsOnIsIrqUnsafe) {
  Outcome o = run("bh_irq", 1);
  EXPECT_EQ(o.reason, models::StopReason::finisher) << o.text;
  ASSERT_EQ(kinds(o), std::vector{FindingKind::irq_unsafe_lock}) << o.text;
  const Finding& f = o.findings[0];
  EXPECT_EQ(f.lock.name, "irqlock");
  ASSERT_EQ(f.holds.size(), 2u);
  EXPECT_EQ(f.holds[0].context, Context::software_irq);
  EXPECT_EQ(f.holds[1].context, Context::softirq);
  EXPECT_TRUE(f.holds[1].interrupts_enabled);
  EXPECT_TRUE(has(f.rule, "bottom half")) << f.rule;
  EXPECT_TRUE(has(f.rule, "spin_lock_irqsave")) << f.rule;
  EXPECT_TRUE(has(o.text, "irqs on:   hart0, in a bottom half (softirq) with interrupts enabled")) << o.text;
  EXPECT_EQ(o.report.at("findings").at(0).at("holds").at(1).at("context"), "bottom half (softirq)");
}

}  // namespace
}  // namespace spinlab
