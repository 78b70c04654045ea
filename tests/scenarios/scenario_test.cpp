// Each teaching scenario, run the way a student runs it (`spinlab run NAME`),
// with what it must show: the exit code, the firmware's own verdict, and what
// the lock monitor found (kind, lock, holder, context, places).
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <utility>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "scenario_rig.h"

namespace {

using namespace scenario_rig;

// The lesson's point: two harts inside the critical section at once, each
// having found the lock free before the other's store landed.
TEST(Scenario, RaceShowsTwoHartsInsideTheLock) {
  Outcome o = run("race");
  EXPECT_EQ(o.exit_code, 1) << o.output;  // the count is wrong: the firmware's check fails
  EXPECT_NE(o.output.find("updates lost"), std::string::npos) << o.output;
  std::vector<json> f = findings_of(o, "mutual-exclusion");
  ASSERT_EQ(f.size(), 1u) << o.report["findings"].dump(1);
  EXPECT_EQ(o.report["findings"].size(), 1u) << o.report["findings"].dump(1);
  const json& race = f[0];
  EXPECT_EQ(race["lock"]["name"], "countlock");
  EXPECT_FALSE(race["deadlock"].get<bool>());
  ASSERT_EQ(race["holds"].size(), 2u);
  const json& first = race["holds"][0];
  const json& second = race["holds"][1];
  EXPECT_NE(first["hart"], second["hart"]);
  for (const json& h : {first, second}) {
    EXPECT_TRUE(starts_with(h["taken_at"]["symbol"], "naive_lock")) << h.dump();
    EXPECT_TRUE(starts_with(h["taken_at"]["caller"]["symbol"], "count")) << h.dump();
    EXPECT_LT(h["tested"].get<uint64_t>(), h["since"].get<uint64_t>());
  }
  // The second found it free before the first's store set it.
  EXPECT_LT(second["tested"].get<uint64_t>(), first["since"].get<uint64_t>());
  EXPECT_EQ(race["cycle"], second["since"]);
  EXPECT_EQ(race["lesson"], "docs/lessons/01-race.md");
  ASSERT_EQ(o.report["locks"].size(), 1u) << o.report["locks"].dump(1);
  const json& lock = o.report["locks"][0];
  EXPECT_EQ(lock["lock"]["name"], "countlock");
  EXPECT_EQ(lock["acquisitions"], 4000);
  EXPECT_GT(lock["overlaps"].get<int>(), 0);
  // Every overlap lost one update here: the firmware's count agrees.
  std::string lost = std::to_string(lock["overlaps"].get<int>()) + " updates lost";
  EXPECT_NE(o.output.find(lost), std::string::npos) << lost << "\n" << o.output;
  // The narrative: the finding with its picture, and acquires of countlock
  // by the two harts inside, each at the cycle the report gives.
  std::string text = terminal("race", "--narrate");
  EXPECT_NE(text.find("RACE at cycle"), std::string::npos) << text.substr(0, 3000);
  EXPECT_NE(text.find("*** BOTH INSIDE ***"), std::string::npos) << text.substr(0, 3000);
  for (const json& h : {first, second}) {
    std::string line = std::to_string(h["since"].get<uint64_t>()) + " hart" + std::to_string(h["hart"].get<int>()) +
                       " process";
    size_t at = text.find(line);
    ASSERT_NE(at, std::string::npos) << line << "\n" << text.substr(0, 3000);
    std::string rest = text.substr(at, text.find('\n', at) - at);
    EXPECT_NE(rest.find("acquire countlock at naive_lock"), std::string::npos) << rest;
  }
}

TEST(Scenario, TestAndSetIsExactAndCountsTheLock) {
  Outcome o = run("test-and-set");
  EXPECT_EQ(o.exit_code, 0) << o.output;
  EXPECT_NE(o.output.find("expected 4000, got 4000"), std::string::npos) << o.output;
  EXPECT_TRUE(o.report["findings"].empty()) << o.report["findings"].dump(1);
  ASSERT_EQ(o.report["locks"].size(), 1u) << o.report["locks"].dump(1);
  const json& lock = o.report["locks"][0];
  EXPECT_EQ(lock["lock"]["name"], "countlock");
  EXPECT_EQ(lock["acquisitions"], 4000);
  EXPECT_GT(lock["waits"].get<int>(), 0);  // four harts contend
}

// The lesson's point: the handler spins on a lock its own hart holds.
void expect_irq_deadlock(const Outcome& o, bool enabled_when_taken, const std::string& taken_in) {
  EXPECT_EQ(o.exit_code, 126) << o.output;
  EXPECT_EQ(o.report["stop"]["reason"], "deadlock");
  std::vector<json> f = findings_of(o, "irq-deadlock");
  ASSERT_EQ(f.size(), 1u) << o.report["findings"].dump(1);
  const json& d = f[0];
  EXPECT_EQ(d["lock"]["name"], "tickslock");
  EXPECT_EQ(d["hart"], 0);
  ASSERT_EQ(d["holds"].size(), 1u);
  EXPECT_EQ(d["holds"][0]["hart"], 0);
  EXPECT_EQ(d["holds"][0]["context"], "process");
  EXPECT_EQ(d["holds"][0]["interrupts_enabled"], enabled_when_taken);
  std::string taker = d["holds"][0]["taken_at"]["symbol"];
  std::string caller = d["holds"][0]["taken_at"].value("caller", json::object()).value("symbol", "");
  EXPECT_TRUE(starts_with(taker, taken_in) || starts_with(caller, "main")) << taker << " from " << caller;
  EXPECT_EQ(d["interrupt"]["cause"], "timer interrupt");
  EXPECT_TRUE(starts_with(d["at"]["caller"]["symbol"], "clockintr")) << d["at"].dump();
  EXPECT_LT(d["holds"][0]["since"].get<uint64_t>(), d["interrupt"]["cycle"].get<uint64_t>());
  std::string lesson = d["lesson"];
  EXPECT_TRUE(std::ifstream(std::string(SPINLAB_SOURCE_DIR) + "/" + lesson).good()) << lesson;
  EXPECT_FALSE(d["rule"].get<std::string>().empty());
}

TEST(Scenario, IrqDeadlockIsFoundAndExplained) {
  Outcome o = run("irq-deadlock");
  expect_irq_deadlock(o, true, "spin_lock");
  // The terminal shows the lockdep-style picture (without -q).
  std::string text = terminal("irq-deadlock");
  EXPECT_NE(text.find("<Interrupt: timer>"), std::string::npos) << text;
  EXPECT_NE(text.find("*** DEADLOCK ***"), std::string::npos) << text;
  EXPECT_NE(text.find("docs/lessons/03-irq-deadlock.md"), std::string::npos) << text;
}

TEST(Scenario, IrqsaveFixesIt) {
  Outcome o = run("irqsave");
  EXPECT_EQ(o.exit_code, 0) << o.output;
  EXPECT_TRUE(o.report["findings"].empty()) << o.report["findings"].dump(1);
}

TEST(Scenario, AnotherCpusHandlerOnlyWaits) {
  Outcome o = run("other-cpu");
  EXPECT_EQ(o.exit_code, 0) << o.output;
  EXPECT_TRUE(o.report["findings"].empty()) << o.report["findings"].dump(1);
  // Without irqsave the timing spares it, but the monitor still warns.
  Outcome unsafe = run("other-cpu", "--set firmware.params.use_irqsave=0");
  EXPECT_EQ(unsafe.exit_code, 0) << unsafe.output;
  std::vector<json> w = findings_of(unsafe, "irq-unsafe-lock");
  ASSERT_EQ(w.size(), 1u) << unsafe.report["findings"].dump(1);
  EXPECT_EQ(w[0]["lock"]["name"], "tickslock");
  // The handler ran on another hart, and hart 0 never enabled its timer in
  // mie: the interrupt could not come there, so it was not luck.
  ASSERT_EQ(w[0]["holds"].size(), 2u);
  EXPECT_EQ(w[0]["holds"][0]["hart"], 1);
  EXPECT_EQ(w[0]["holds"][1]["hart"], 0);
  EXPECT_EQ(w[0]["holds"][1]["mie"].get<uint32_t>() & (1u << 7), 0u) << w[0]["holds"][1].dump();
  const std::string text = w[0]["text"];
  EXPECT_NE(text.find("hart0's mie.MTIE (the timer interrupt's enable) was clear while it held tickslock"),
            std::string::npos) << text;
  EXPECT_NE(text.find("not by luck"), std::string::npos) << text;
  EXPECT_EQ(text.find("only by luck"), std::string::npos) << text;
  // The same lesson on a hart whose timer is on: the warning says it was timing.
  Outcome same = run("pushoff-order", "--set firmware.params.timer_phase=100");
  std::vector<json> u = findings_of(same, "irq-unsafe-lock");
  ASSERT_EQ(u.size(), 1u) << same.report["findings"].dump(1);
  EXPECT_NE(u[0]["holds"][1]["mie"].get<uint32_t>() & (1u << 7), 0u) << u[0]["holds"][1].dump();
  EXPECT_NE(u[0]["text"].get<std::string>().find("but only because of timing"), std::string::npos) << u[0]["text"];
}

TEST(Scenario, PushoffOrderDeadlocksOnlyInItsWindow) {
  Outcome fine = run("pushoff-order", "--set firmware.params.timer_phase=100");
  EXPECT_EQ(fine.exit_code, 0) << fine.output;
  EXPECT_TRUE(findings_of(fine, "irq-deadlock").empty());
  EXPECT_EQ(findings_of(fine, "irq-unsafe-lock").size(), 1u) << fine.report["findings"].dump(1);
  Outcome bad = run("pushoff-order", "--set firmware.params.timer_phase=153");
  std::vector<json> f = findings_of(bad, "irq-deadlock");
  ASSERT_EQ(f.size(), 1u) << bad.output << bad.report["findings"].dump(1);
  EXPECT_EQ(bad.exit_code, 126);
  EXPECT_TRUE(starts_with(f[0]["holds"][0]["taken_at"]["symbol"], "acquire_late_pushoff"))
      << f[0]["holds"][0]["taken_at"].dump();
}

TEST(Scenario, Xv6RestoresInterruptsOnlyAtTheOutermostRelease) {
  Outcome o = run("xv6");
  EXPECT_EQ(o.exit_code, 0) << o.output;
  EXPECT_TRUE(o.report["findings"].empty()) << o.report["findings"].dump(1);
}

TEST(Scenario, SpinLockIrqIsWrongWhenInterruptsWereAlreadyOff) {
  Outcome o = run("irq-wrong");
  expect_irq_deadlock(o, false, "spin_lock");
  // Taken with interrupts off, and turned on while held: lesson 08's mistake.
  std::vector<json> f = findings_of(o, "irq-deadlock");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]["lesson"], "docs/lessons/08-irq-wrong.md");
  EXPECT_TRUE(f[0]["holds"][0].contains("enabled_later")) << f[0]["holds"][0].dump();
  Outcome fixed = run("irq-wrong", "--set firmware.params.fixed=1");
  EXPECT_EQ(fixed.exit_code, 0) << fixed.output;
}

// The kernel's threads (lessons 09-14, 18): what the firmware itself
// measured and printed, and what the monitor, which knows threads from
// their stacks (docs/monitor.md, "Threads"), found.

TEST(Scenario, PreemptPointsEachThreadAtItsOwnPoint) {
  Outcome o = run("preempt-points");
  EXPECT_EQ(o.exit_code, 0) << o.output;
  EXPECT_TRUE(has(o, "user switched out at point 1: 4, 2: 0, 3: 0, 4: 0")) << o.output;
  EXPECT_TRUE(has(o, "kernel switched out at point 1: 0, 2: 1, 3: 0, 4: 0")) << o.output;
  EXPECT_TRUE(has(o, "locked switched out at point 1: 0, 2: 0, 3: 1, 4: 0")) << o.output;
  EXPECT_TRUE(has(o, "yielder switched out at point 1: 0, 2: 0, 3: 0, 4: 3")) << o.output;
  EXPECT_TRUE(has(o, "kernel -> locked at point 2 (return from interrupt)")) << o.output;
  EXPECT_TRUE(has(o, "locked -> yielder at point 3 (preempt_enable)")) << o.output;
  // Without CONFIG_PREEMPT, kernel code is never preempted: points 2 and 3 are gone.
  Outcome off = run("preempt-points", "--set firmware.params.CONFIG_PREEMPT=0");
  EXPECT_EQ(off.exit_code, 0) << off.output;
  EXPECT_TRUE(has(off, "kernel switched out at point 1: 0, 2: 0, 3: 0, 4: 0")) << off.output;
  EXPECT_TRUE(has(off, "locked switched out at point 1: 0, 2: 0, 3: 0, 4: 0")) << off.output;
  EXPECT_TRUE(has(off, "user switched out at point 1: 4, 2: 0, 3: 0, 4: 0")) << off.output;
  EXPECT_EQ(off.output.find("at point 2"), std::string::npos) << off.output;
  EXPECT_EQ(off.output.find("at point 3"), std::string::npos) << off.output;
  // The narrative tells where each thread was switched out: `kernel` on its
  // way back from the tick (point 2), `user` in its trap from user mode
  // (point 1), `locked` and `yielder` in kernel code (3 and 4 look alike).
  const std::string narrative = terminal("preempt-points", "--narrate --color never");
  EXPECT_NE(narrative.find("to a new thread, /3 at swtch+0x3c (swtch.S:33), on return from an interrupt"),
            std::string::npos)
      << narrative;
  EXPECT_NE(narrative.find("to a new thread, /2 at swtch+0x3c (swtch.S:33), in a trap from user mode"), std::string::npos)
      << narrative;
  EXPECT_NE(narrative.find("/3 to a new thread, /4 at swtch+0x3c (swtch.S:33), in kernel code"), std::string::npos)
      << narrative;
  // Every switch was the kernel's own business: no lock carried, no sleep in a handler.
  EXPECT_TRUE(o.report["findings"].empty()) << o.report["findings"].dump(1);
  EXPECT_TRUE(off.report["findings"].empty()) << off.report["findings"].dump(1);
}

TEST(Scenario, PreemptSpinlockAForgettingLockCostsATimeSlice) {
  Outcome o = run("preempt-spinlock");
  EXPECT_EQ(o.exit_code, 0) << o.output;
  EXPECT_TRUE(has(o, "holder switched out holding the lock: 0 times (point 2), at its unlock: 1 (point 3)")) << o.output;
  EXPECT_TRUE(has(o, "waiter waited 34 cycles for the lock, 0 failed attempts")) << o.output;
  Outcome bad = run("preempt-spinlock", "--set firmware.params.forget=1");
  EXPECT_EQ(bad.exit_code, 0) << bad.output;
  EXPECT_TRUE(has(bad, "holder switched out holding the lock: 1 times (point 2)")) << bad.output;
  // One time slice is 10000 cycles: the waiter spins through all of it.
  EXPECT_TRUE(has(bad, "waiter waited 10547 cycles for the lock, 1791 failed attempts")) << bad.output;
  // The monitor: the holder switched out holding lk (the waiter spins with
  // interrupts on, so the tick runs the holder again: no deadlock).
  EXPECT_TRUE(o.report["findings"].empty()) << o.report["findings"].dump(1);
  std::vector<json> f = findings_of(bad, "switch-holding-lock");
  ASSERT_EQ(f.size(), 1u) << bad.report["findings"].dump(1);
  EXPECT_EQ(bad.report["findings"].size(), 1u) << bad.report["findings"].dump(1);
  EXPECT_EQ(f[0]["lock"]["name"], "lk");
  EXPECT_EQ(f[0]["lesson"], "docs/lessons/10-preempt-spinlock.md");
  EXPECT_EQ(f[0]["holds"][0]["taken_at"]["caller"]["symbol"].get<std::string>().rfind("holder+", 0), 0u)
      << f[0].dump(1);
  EXPECT_EQ(f[0]["thread"]["name"], "holder") << f[0].dump(1);
  EXPECT_EQ(f[0]["to_thread"]["name"], "waiter") << f[0].dump(1);
}

TEST(Scenario, UpBuildIsRightOnOneHartAndLosesUpdatesOnTwo) {
  Outcome one = run("up");
  EXPECT_EQ(one.exit_code, 0) << one.output;
  EXPECT_TRUE(has(one, "up: CONFIG_SMP=0, 1 hart, 2 threads: counter 400 of 400, 0 updates lost")) << one.output;
  // The lock word is never touched: the monitor sees no countlock.
  auto locks = [](const Outcome& o) {
    std::string names;
    for (const json& l : o.report["locks"]) names += l["lock"]["name"].get<std::string>() + " ";
    return names;
  };
  EXPECT_EQ(locks(one).find("countlock"), std::string::npos) << locks(one);
  Outcome two = run("up", "--set machine.harts=2");
  EXPECT_EQ(two.exit_code, 1) << two.output;  // updates lost: a wrong result
  EXPECT_TRUE(has(two, "up: CONFIG_SMP=0, 2 harts, 4 threads: counter 400 of 800, 400 updates lost")) << two.output;
  Outcome smp = run("up", "--set machine.harts=2 --set firmware.params.CONFIG_SMP=1");
  EXPECT_EQ(smp.exit_code, 0) << smp.output;
  EXPECT_TRUE(has(smp, "up: CONFIG_SMP=1, 2 harts, 4 threads: counter 800 of 800, 0 updates lost")) << smp.output;
  EXPECT_NE(locks(smp).find("countlock"), std::string::npos) << locks(smp);
}

TEST(Scenario, TrylockHandlerDefersAndNeverDeadlocks) {
  Outcome o = run("trylock");
  EXPECT_EQ(o.exit_code, 0) << o.output;
  EXPECT_TRUE(has(o, "trylock: 40 ticks, 20 found statlock taken and deferred; stats 100 of 100")) << o.output;
  EXPECT_TRUE(findings_of(o, "irq-deadlock").empty()) << o.report["findings"].dump(1);
  Outcome bad = run("trylock", "--set firmware.params.use_trylock=0");
  EXPECT_EQ(bad.exit_code, 126) << bad.output;
  std::vector<json> f = findings_of(bad, "irq-deadlock");
  ASSERT_EQ(f.size(), 1u) << bad.report["findings"].dump(1);
  EXPECT_EQ(f[0]["lock"]["name"], "statlock");
}

TEST(Scenario, SleepInAtomicPrintsTheBug) {
  Outcome o = run("sleep-in-atomic");
  EXPECT_EQ(o.exit_code, 0) << o.output;
  EXPECT_TRUE(has(o, "BUG: scheduling while atomic: caller/2/0x00000001\n  schedule() called from 0x")) << o.output;
  EXPECT_FALSE(has(o, "scheduling while in interrupt")) << o.output;
  // The monitor says it too, with both places: where listlock was taken and
  // where the thread switched out holding it.
  std::vector<json> f = findings_of(o, "switch-holding-lock");
  ASSERT_EQ(f.size(), 1u) << o.report["findings"].dump(1);
  EXPECT_EQ(o.report["findings"].size(), 1u) << o.report["findings"].dump(1);
  EXPECT_EQ(f[0]["lock"]["name"], "listlock");
  EXPECT_EQ(f[0]["lesson"], "docs/lessons/10-preempt-spinlock.md");
  EXPECT_EQ(f[0]["holds"][0]["taken_at"]["caller"]["symbol"].get<std::string>().rfind("caller+", 0), 0u)
      << f[0].dump(1);
  EXPECT_EQ(f[0]["at"]["symbol"].get<std::string>().rfind("swtch+", 0), 0u) << f[0].dump(1);
  EXPECT_EQ(f[0]["at"]["caller"]["symbol"].get<std::string>().rfind("__schedule+", 0), 0u) << f[0].dump(1);
  EXPECT_EQ(f[0]["thread"]["name"], "caller") << f[0].dump(1);
  EXPECT_EQ(f[0]["to_thread"]["name"], "owner") << f[0].dump(1);
  Outcome fixed = run("sleep-in-atomic", "--set firmware.params.fixed=1");
  EXPECT_EQ(fixed.exit_code, 0) << fixed.output;
  EXPECT_FALSE(has(fixed, "BUG:")) << fixed.output;
  EXPECT_TRUE(fixed.report["findings"].empty()) << fixed.report["findings"].dump(1);
  // The other call that may sleep: copy_from_user waiting for its page.
  Outcome copy = run("sleep-in-atomic", "--set firmware.params.sleeper=1");
  EXPECT_EQ(copy.exit_code, 0) << copy.output;
  EXPECT_TRUE(has(copy, "caller copies from user after taking listlock")) << copy.output;
  EXPECT_TRUE(has(copy, "BUG: scheduling while atomic: caller/2/0x00000001")) << copy.output;
  EXPECT_TRUE(has(copy, "the copy went to the list: yes")) << copy.output;
  std::vector<json> cf = findings_of(copy, "switch-holding-lock");
  ASSERT_EQ(cf.size(), 1u) << copy.report["findings"].dump(1);
  EXPECT_EQ(cf[0]["lock"]["name"], "listlock");
  Outcome copy_fixed = run("sleep-in-atomic", "--set firmware.params.sleeper=1 --set firmware.params.fixed=1");
  EXPECT_FALSE(has(copy_fixed, "BUG:")) << copy_fixed.output;
  EXPECT_TRUE(has(copy_fixed, "the copy went to the list: yes")) << copy_fixed.output;
  EXPECT_TRUE(copy_fixed.report["findings"].empty()) << copy_fixed.report["findings"].dump(1);
  EXPECT_TRUE(has(fixed, "the buffer went to the list: yes")) << fixed.output;
}

// The device's handler sleeps between the PLIC's claim and completion: the
// kernel's BUG lines, and the monitor's sleep-in-interrupt, worker to
// producer inside the external interrupt's handler.
TEST(Scenario, IrqSleepIsSchedulingWhileInInterrupt) {
  Outcome o = run("irq-sleep");
  EXPECT_EQ(o.exit_code, 0) << o.output;
  EXPECT_TRUE(has(o, "BUG: scheduling while atomic: worker/2/0x00010000")) << o.output;
  EXPECT_TRUE(has(o, "BUG: scheduling while in interrupt: worker/2/0x00010000")) << o.output;
  EXPECT_TRUE(has(o, "irq-sleep: tokens consumed 1")) << o.output;
  ASSERT_EQ(kinds_of(o), std::vector<std::string>{"sleep-in-interrupt"}) << o.report["findings"].dump(1);
  const json& f = o.report["findings"][0];
  EXPECT_EQ(f["hart"], 0);
  EXPECT_EQ(f["lesson"], "docs/lessons/14-irq-sleep.md");
  // The monitor's ids count threads in the order met from the boot thread
  // 0, as the kernel's pids do here: producer/1 ran first, then worker/2.
  // It names a kernel thread by its own function, past the kernel's start
  // trampoline, kthread_start.
  EXPECT_EQ(f["thread"]["id"], 2) << f.dump(1);
  EXPECT_EQ(f["to_thread"]["id"], 1) << f.dump(1);
  EXPECT_EQ(f["thread"]["name"], "worker") << f.dump(1);
  EXPECT_EQ(f["to_thread"]["name"], "producer") << f.dump(1);
  EXPECT_EQ(f["interrupt"]["cause"], "external interrupt") << f.dump(1);
  EXPECT_EQ(f["interrupt"]["mcause"], 0x8000000bu) << f.dump(1);
  // Taken in the worker, right after it enabled the device; the switch is
  // swtch's, from down() in the handler.
  EXPECT_TRUE(starts_with(f["interrupt"]["interrupted_at"]["symbol"], "request_irq")) << f.dump(1);
  EXPECT_TRUE(starts_with(f["at"]["symbol"], "swtch")) << f.dump(1);
  EXPECT_LT(f["interrupt"]["cycle"].get<uint64_t>(), f["cycle"].get<uint64_t>());
  EXPECT_TRUE(f["holds"].empty()) << f.dump(1);
  std::string text = terminal("irq-sleep", "--narrate");
  EXPECT_NE(text.find("scheduling while in interrupt: hart0 switches from thread " +
                      f["thread"]["name"].get<std::string>() + "/2 to thread " +
                      f["to_thread"]["name"].get<std::string>() + "/1 inside its external interrupt handler"),
            std::string::npos)
      << text.substr(0, 4000);
  EXPECT_NE(text.find("its device not acknowledged yet"), std::string::npos) << text.substr(0, 4000);
  Outcome fixed = run("irq-sleep", "--set firmware.params.fixed=1");
  EXPECT_EQ(fixed.exit_code, 0) << fixed.output;
  EXPECT_FALSE(has(fixed, "BUG:")) << fixed.output;
  EXPECT_TRUE(has(fixed, "irq-sleep: tokens consumed 1")) << fixed.output;
  ASSERT_TRUE(fixed.report.contains("findings")) << fixed.output;
  EXPECT_TRUE(fixed.report["findings"].empty()) << fixed.report["findings"].dump(1);
}

TEST(Scenario, RecursiveTakesItsOwnLockTwice) {
  Outcome o = run("recursive");
  EXPECT_EQ(o.exit_code, 126) << o.output;
  ASSERT_EQ(kinds_of(o), std::vector<std::string>{"recursive-deadlock"}) << o.report["findings"].dump(1);
  const json& f = o.report["findings"][0];
  EXPECT_EQ(f["lock"]["name"], "loglock");
  EXPECT_EQ(f["hart"], 0);
  // Taken in log_event, asked for again in flush_log, which log_event calls.
  EXPECT_TRUE(starts_with(caller_of(f["holds"][0]["taken_at"]), "log_event")) << f["holds"][0].dump();
  EXPECT_TRUE(starts_with(caller_of(f["waits"][0]["at"]), "flush_log")) << f["waits"][0].dump();
  EXPECT_EQ(f["lesson"], "docs/lessons/15-recursive.md");
  EXPECT_TRUE(lesson_exists(f));
  EXPECT_EQ(o.output.find("events logged"), std::string::npos) << o.output;

  Outcome fixed = run("recursive", "--set firmware.params.fixed=1");
  EXPECT_EQ(fixed.exit_code, 0) << fixed.output;
  EXPECT_TRUE(fixed.report["findings"].empty()) << fixed.report["findings"].dump(1);
  EXPECT_NE(fixed.output.find("6 events logged, 4 flushed, 2 in the log"), std::string::npos) << fixed.output;
}

// Both dependencies of an inversion between dirlock and inodelock, each
// taken (or spun on) in the function of its hart.
void expect_abba_inversion(const json& f, int closing_hart) {
  EXPECT_EQ(f["kind"], "lock-order-inversion");
  EXPECT_FALSE(f["deadlock"].get<bool>());
  EXPECT_EQ(f["hart"], closing_hart);
  EXPECT_EQ(f["lesson"], "docs/lessons/16-abba.md");
  EXPECT_TRUE(lesson_exists(f));
  ASSERT_EQ(f["chain"].size(), 2u) << f.dump(1);
  for (const json& d : f["chain"]) {
    // hart0 (link_file) holds dirlock and takes inodelock; hart1
    // (truncate_file) the other way round.
    const bool h0 = d["hart"] == 0;
    EXPECT_EQ(d["from"]["name"], h0 ? "dirlock" : "inodelock") << d.dump();
    EXPECT_EQ(d["to"]["name"], h0 ? "inodelock" : "dirlock") << d.dump();
    EXPECT_TRUE(starts_with(caller_of(d["from_at"]), h0 ? "link_file" : "truncate_file")) << d.dump();
    EXPECT_TRUE(starts_with(caller_of(d["to_at"]), h0 ? "link_file" : "truncate_file")) << d.dump();
    EXPECT_LT(d["from_since"].get<uint64_t>(), d["cycle"].get<uint64_t>());
  }
  EXPECT_EQ(f["chain"][0]["hart"], closing_hart);
  EXPECT_NE(f["chain"][1]["hart"], closing_hart);
  EXPECT_EQ(f["lock"]["name"], f["chain"][0]["to"]["name"]);
  const std::string text = f["text"];
  EXPECT_NE(text.find("WARNING: possible circular locking dependency detected"), std::string::npos) << text;
  EXPECT_NE(text.find("which lock already depends on the new lock."), std::string::npos) << text;
}

TEST(Scenario, AbbaDeadlocksAndIsAnInversionFirst) {
  Outcome o = run("abba");
  EXPECT_EQ(o.exit_code, 126) << o.output;
  EXPECT_EQ(o.report["stop"]["reason"], "deadlock");
  ASSERT_EQ(kinds_of(o), (std::vector<std::string>{"lock-order-inversion", "cross-cpu-deadlock"}))
      << o.report["findings"].dump(1);
  // Closed by hart1's spin on dirlock, which hart0 holds while it spins on
  // inodelock: neither was ever taken in the second order.
  expect_abba_inversion(o.report["findings"][0], 1);
  for (const json& d : o.report["findings"][0]["chain"]) EXPECT_TRUE(d["attempt"].get<bool>()) << d.dump();
  const json& dead = o.report["findings"][1];
  EXPECT_LT(o.report["findings"][0]["cycle"].get<uint64_t>(), dead["cycle"].get<uint64_t>());
  ASSERT_EQ(dead["holds"].size(), 2u);
  std::set<std::string> held;
  for (const json& h : dead["holds"]) held.insert(h["lock"]["name"].get<std::string>());
  EXPECT_EQ(held, (std::set<std::string>{"dirlock", "inodelock"}));
  EXPECT_EQ(o.output.find("no deadlock this time"), std::string::npos) << o.output;
}

TEST(Scenario, AbbaWithLuckyTimingDoesNotDeadlockButIsStillAnInversion) {
  Outcome o = run("abba", "--set firmware.params.stagger=20000");
  EXPECT_EQ(o.exit_code, 0) << o.output;
  EXPECT_NE(o.output.find("no deadlock this time"), std::string::npos) << o.output;
  ASSERT_EQ(kinds_of(o), std::vector<std::string>{"lock-order-inversion"}) << o.report["findings"].dump(1);
  // hart0 was done before hart1 started: hart1 took dirlock holding
  // inodelock, and that closed the cycle.
  expect_abba_inversion(o.report["findings"][0], 1);
  for (const json& d : o.report["findings"][0]["chain"]) EXPECT_FALSE(d["attempt"].get<bool>()) << d.dump();

  Outcome fixed = run("abba", "--set firmware.params.fixed=1");
  EXPECT_EQ(fixed.exit_code, 0) << fixed.output;
  EXPECT_TRUE(fixed.report["findings"].empty()) << fixed.report["findings"].dump(1);
}

// hart1's failed attempts on disklock, from the firmware's last line.
int hart1_spins(const std::string& output) {
  const std::string key = "hart 1 made ";
  size_t at = output.find(key);
  return at == std::string::npos ? -1 : std::atoi(output.c_str() + at + key.size());
}

TEST(Scenario, WfiHoldingALockMakesTheOtherHartSpin) {
  Outcome o = run("wfi-holding");
  EXPECT_EQ(o.exit_code, 0) << o.output;
  ASSERT_EQ(kinds_of(o), std::vector<std::string>{"wfi-holding-lock"}) << o.report["findings"].dump(1);
  const json& f = o.report["findings"][0];
  EXPECT_EQ(f["lock"]["name"], "disklock");
  EXPECT_EQ(f["hart"], 0);
  EXPECT_TRUE(starts_with(f["at"]["symbol"], "disk_rw")) << f["at"].dump();
  EXPECT_TRUE(starts_with(caller_of(f["holds"][0]["taken_at"]), "disk_rw")) << f["holds"][0].dump();
  EXPECT_EQ(f["lesson"], "docs/lessons/17-wfi-holding.md");
  EXPECT_TRUE(lesson_exists(f));
  // hart1 spun the whole sleep (20 000 cycles).
  EXPECT_GT(hart1_spins(o.output), 1000) << o.output;

  Outcome fixed = run("wfi-holding", "--set firmware.params.fixed=1");
  EXPECT_EQ(fixed.exit_code, 0) << fixed.output;
  EXPECT_TRUE(fixed.report["findings"].empty()) << fixed.report["findings"].dump(1);
  EXPECT_GE(hart1_spins(fixed.output), 0) << fixed.output;
  EXPECT_LT(hart1_spins(fixed.output), 100) << fixed.output;
}

}  // namespace

// The workload is hart 0's and hart 1's: more harts park at boot and change
// nothing the lesson prints. With 16 harts and more booting, hart 0's probe of
// the CLINT (clint_harts) used to race hart 1 clearing its own msip in
// ipi_wait, miss hart 1 and say the machine had one hart. One hart is refused.
TEST(Scenario, SpinVsSleepNeedsTwoHartsAndAnyMoreWillDo) {
  for (int harts : {3, 16, 64}) {
    Outcome o = run("spin-vs-sleep", "--set machine.harts=" + std::to_string(harts));
    EXPECT_EQ(o.exit_code, 0) << harts << " harts:\n" << o.output;
    EXPECT_TRUE(has(o, "a context switch costs 1288 cycles (switch_cost = 1000 of them)")) << o.output;
    EXPECT_TRUE(has(o, "the workload took 323312 cycles: 3733 failed attempts, 6 context switches")) << o.output;
  }
  Outcome one = run("spin-vs-sleep", "--set machine.harts=1");
  EXPECT_EQ(one.exit_code, 1) << one.output;
  EXPECT_TRUE(has(one, "spin-vs-sleep: needs two harts (machine.harts = 2)")) << one.output;
}

namespace {

struct SpinVsSleep {
  long spin, mutex;  // the workload's cycles behind each lock
};

SpinVsSleep spin_vs_sleep(long cs, long switch_cost) {
  std::string args = "--set firmware.params.cs_cycles=" + std::to_string(cs) +
                     " --set firmware.params.switch_cost=" + std::to_string(switch_cost);
  Outcome spin = run("spin-vs-sleep", args + " --set firmware.params.use_mutex=0");
  Outcome mutex = run("spin-vs-sleep", args + " --set firmware.params.use_mutex=1");
  EXPECT_EQ(spin.exit_code, 0) << spin.output;
  EXPECT_EQ(mutex.exit_code, 0) << mutex.output;
  return {number_after(spin, "the workload took "), number_after(mutex, "the workload took ")};
}

}  // namespace

// The lesson's point: spinning wins for a short critical section, sleeping
// for a long one, and they cross between one and three context switches --
// two switches and the wakeup. A dearer switch moves the crossover by two
// switches' worth.
TEST(Scenario, SpinVsSleepCrossesNearTwoContextSwitches) {
  Outcome o = run("spin-vs-sleep");
  EXPECT_EQ(o.exit_code, 0) << o.output;
  EXPECT_TRUE(has(o, "a context switch costs 1288 cycles (switch_cost = 1000 of them)")) << o.output;
  EXPECT_TRUE(has(o, "spin lock, critical section 500 cycles (0.3 switches), 20 rounds per hart")) << o.output;
  // Spinning: the waiting locker spins through the other's critical section
  // and never sleeps (6 switches: the threads' starts and exits).
  EXPECT_TRUE(has(o, "the workload took 323312 cycles: 3733 failed attempts, 6 context switches")) << o.output;
  // Sleeping: two switches per round on each hart, no spinning on the lock.
  Outcome m = run("spin-vs-sleep", "--set firmware.params.use_mutex=1");
  EXPECT_EQ(m.exit_code, 0) << m.output;
  EXPECT_GE(number_after(m, "failed attempts, "), 2 * 2 * 20) << m.output;

  double crossover[2];
  long switch_cycles[2];
  const long costs[2] = {1000, 2000};
  for (int i = 0; i < 2; i++) {
    Outcome m = run("spin-vs-sleep", "--set firmware.params.switch_cost=" + std::to_string(costs[i]));
    long s = number_after(m, "a context switch costs ");
    ASSERT_GT(s, costs[i]) << m.output;
    switch_cycles[i] = s;
    SpinVsSleep one = spin_vs_sleep(s, costs[i]), three = spin_vs_sleep(3 * s, costs[i]);
    EXPECT_LT(one.spin, one.mutex) << "a critical section of one switch (" << s << " cycles): spinning is cheaper";
    EXPECT_LT(three.mutex, three.spin) << "a critical section of three switches: sleeping is cheaper";
    // Where the difference crosses 0, between the two (it is linear in cs).
    double d1 = one.mutex - one.spin, d3 = three.mutex - three.spin;
    crossover[i] = s + 2.0 * s * d1 / (d1 - d3);
    EXPECT_GT(crossover[i], 1.0 * s);
    EXPECT_LT(crossover[i], 3.0 * s);
  }
  // 1000 cycles more per switch: the crossover moves by two switches, 2000.
  double moved = crossover[1] - crossover[0];
  EXPECT_NEAR(moved, 2.0 * (switch_cycles[1] - switch_cycles[0]), 100.0) << crossover[0] << " " << crossover[1];
}

