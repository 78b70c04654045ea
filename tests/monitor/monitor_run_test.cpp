// The lock monitor on whole runs: each program in programs/ runs on a fresh
// machine with the monitor attached (as `spinlab run` attaches it), and the
// test checks what it found (kind, lock, holder, places by symbol, cycles)
// and how the run stopped. MONITOR_PRINT=1 prints the narrative and every
// report.
#include <set>

#include "tests/monitor/monitor_run.h"

namespace spinlab {
namespace {

using namespace monitor_run;

// One interrupt deadlock, all its cycles in order.
void expect_irq_deadlock(const Outcome& o, const std::string& lock, Context irq) {
  EXPECT_EQ(o.reason, models::StopReason::deadlock) << o.text;
  EXPECT_EQ(o.stop_requests, 1);
  ASSERT_EQ(kinds(o), std::vector{FindingKind::irq_deadlock}) << o.text;
  const Finding& f = o.findings[0];
  EXPECT_EQ(f.lock.name, lock);
  EXPECT_EQ(f.hart, 0u);
  ASSERT_EQ(f.holds.size(), 1u);
  ASSERT_EQ(f.waits.size(), 1u);
  const Hold& h = f.holds[0];
  const Wait& w = f.waits[0];
  EXPECT_EQ(h.hart, 0u);
  EXPECT_EQ(h.context, Context::process);
  EXPECT_TRUE(h.interrupts_enabled);
  ASSERT_TRUE(f.has_interrupt);
  EXPECT_EQ(f.interrupt.cause, irq);
  EXPECT_EQ(w.context, irq);
  EXPECT_GE(w.attempts, 8u);
  EXPECT_LT(h.since, f.interrupt.cycle);
  EXPECT_LT(f.interrupt.cycle, w.since);
  EXPECT_LE(w.since, f.cycle);
  EXPECT_LE(f.cycle, o.cycles);
  EXPECT_LT(o.cycles - f.cycle, 10u) << "the run stops at once";
  EXPECT_EQ(f.lesson, "docs/lessons/03-irq-deadlock.md");
}

// Where the deadlock's hold and wait were: both in `lock_fn` (of `file`),
// the hold called from `holder`, the wait from `waiter` (the handler).
void expect_hold_and_wait_in(const Finding& f, const std::string& lock_fn, const std::string& file,
                             const std::string& holder, const std::string& waiter) {
  expect_in(f.holds.at(0).taken_at, lock_fn, file);
  expect_called_from(f.holds.at(0).taken_at, holder, file);
  expect_in(f.waits.at(0).at, lock_fn, file);
  expect_called_from(f.waits.at(0).at, waiter, file);
}

TEST(MonitorRun, TimerHandlerSpinningOnTickslockStopsTheRun) {
  Outcome o = run("timer_amoswap", 1);
  expect_irq_deadlock(o, "tickslock", Context::timer_irq);
  if (o.findings.size() != 1) return;
  const Finding& f = o.findings[0];
  expect_hold_and_wait_in(f, "spin_lock", "timer_amoswap.c", "main", "clockintr");
  EXPECT_TRUE(starts_with(f.interrupt.interrupted_at.where, "main+")) << f.interrupt.interrupted_at.where;
  std::string text = format_finding(f);
  EXPECT_NE(text.find("    lock(tickslock);\n    <Interrupt: timer>\n      lock(tickslock);\n"), std::string::npos)
      << text;
}

// The instruction at `pc` of `program` is a call: jal or jalr (4 bytes), or
// c.jal or c.jalr (2).
bool is_call(const std::string& program, uint32_t pc) {
  ElfImage elf = ElfImage::load(std::string(MONITOR_TEST_PROGRAMS) + "/" + program + ".elf", RAM_BASE, 16u << 20);
  for (const CodeSection& sec : elf.code_sections()) {
    if (pc < sec.addr || pc + 2 > sec.addr + sec.data.size()) continue;
    const uint8_t* p = sec.data.data() + (pc - sec.addr);
    const uint32_t low = uint32_t{p[0]} | uint32_t{p[1]} << 8;
    if ((low & 3) == 3) return (low & 0x7f) == 0x6f || (low & 0x707f) == 0x67;
    return (low & 0xe003) == 0x2001 || ((low & 0xf07f) == 0x9002 && ((low >> 7) & 31) != 0);
  }
  return false;
}

// Built with C, a "called from" place is still the call itself, whether
// the call was a 4-byte jal or a 2-byte c.jal (ra - 2, not ra - 4).
TEST(MonitorRun, CalledFromNamesTheCallInCodeBuiltWithC) {
  Outcome o = run("timer_amoswap_c", 1);
  expect_irq_deadlock(o, "tickslock", Context::timer_irq);
  if (o.findings.size() != 1) return;
  const Finding& f = o.findings[0];
  expect_hold_and_wait_in(f, "spin_lock", "timer_amoswap.c", "main", "clockintr");
  for (const Site* s : {&f.holds.at(0).taken_at, &f.waits.at(0).at})
    EXPECT_TRUE(is_call("timer_amoswap_c", s->caller_pc)) << std::hex << s->caller_pc << " " << s->caller;
}

// A lock function that calls something before it takes the lock (xv6's
// acquire calls push_off) has ra pointing back into itself by then: its
// caller is the ra its prologue saved, read from the stack.
TEST(MonitorRun, CalledFromSurvivesACallBeforeTheLockIsTaken) {
  RunOptions opt;
  opt.narrate = true;
  Outcome o = run("called_from", 1, opt);
  EXPECT_EQ(o.reason, models::StopReason::finisher) << o.text;
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_TRUE(o.findings.empty()) << o.text;
  ElfImage elf = ElfImage::load(std::string(MONITOR_TEST_PROGRAMS) + "/called_from.elf", RAM_BASE, 16u << 20);
  Monitor names(&elf, 1);
  unsigned acquires = 0, releases = 0;
  for (const Event& e : o.events) {
    if (e.kind != EventKind::acquire && e.kind != EventKind::release) continue;
    const Site s = names.site(e.pc, e.ra);
    expect_in(s, e.kind == EventKind::acquire ? "acquire" : "release", "called_from.c");
    expect_called_from(s, "bump", "called_from.c");
    (e.kind == EventKind::acquire ? acquires : releases)++;
  }
  EXPECT_EQ(acquires, 3u) << o.narrative;
  EXPECT_EQ(releases, 3u) << o.narrative;
}

TEST(MonitorRun, SoftwareInterruptOnAnAmoorLockStopsTheRun) {
  Outcome o = run("soft_amoor", 1);
  expect_irq_deadlock(o, "uart_lock", Context::software_irq);
  if (o.findings.size() != 1) return;
  expect_hold_and_wait_in(o.findings[0], "lock_uart", "soft_amoor.c", "main", "uart_intr");
}

TEST(MonitorRun, LrScLockInAnArrayIsNamedByItsOffset) {
  Outcome o = run("timer_lrsc", 1);
  expect_irq_deadlock(o, "locks+0x8", Context::timer_irq);
  if (o.findings.size() != 1) return;
  expect_hold_and_wait_in(o.findings[0], "lrsc_acquire", "timer_lrsc.c", "main", "bump");
}

// The run stopped at a wait-for cycle between hart0 and hart1, in `file`:
// hart h holds locks[h], taken in lock_fns[h] called from callers[h], and
// waits (from callers[h] too) for the other's.
struct HartSide {
  std::string lock, lock_fn, caller;
};
// The lock-order inversion that comes first: each hart took (or spun on)
// the other's lock while holding its own, both places named.
void expect_two_hart_inversion(const Finding& f, const std::string& file, const HartSide (&side)[2]) {
  EXPECT_EQ(f.kind, FindingKind::lock_order_inversion);
  ASSERT_EQ(f.chain.size(), 2u);
  EXPECT_EQ(f.lock.addr, f.chain[0].to.addr);
  EXPECT_EQ(f.hart, f.chain[0].hart);
  EXPECT_NE(f.chain[0].hart, f.chain[1].hart);
  for (const Dependency& d : f.chain) {
    ASSERT_LT(d.hart, 2u);
    EXPECT_EQ(d.from.name, side[d.hart].lock);
    EXPECT_EQ(d.to.name, side[1 - d.hart].lock);
    expect_in(d.from_at, side[d.hart].lock_fn, file);
    expect_called_from(d.from_at, side[d.hart].caller, file);
    expect_in(d.to_at, side[1 - d.hart].lock_fn, file);
    expect_called_from(d.to_at, side[d.hart].caller, file);
    EXPECT_LT(d.from_since, d.cycle);
    EXPECT_LE(d.cycle, f.cycle);
  }
  // Each spun on the other's lock: neither ever took it.
  EXPECT_TRUE(f.chain[0].attempt && f.chain[1].attempt);
  EXPECT_EQ(f.chain[1].to.addr, f.chain[0].from.addr) << "the chain closes the cycle";
  ASSERT_EQ(f.holds.size(), 1u);
  EXPECT_EQ(f.holds[0].lock.addr, f.chain[0].from.addr);
  EXPECT_EQ(f.lesson, "docs/lessons/16-abba.md");
  std::string text = format_finding(f);
  EXPECT_NE(text.find("WARNING: possible circular locking dependency detected"), std::string::npos) << text;
  EXPECT_NE(text.find(fmt::format("hart{} is trying to acquire lock:", f.hart)), std::string::npos) << text;
  EXPECT_NE(text.find("-> #1 (" + f.chain[1].to.name + "):"), std::string::npos) << text;
  EXPECT_NE(text.find("-> #0 (" + f.chain[0].to.name + "):"), std::string::npos) << text;
}

// Two harts deadlocked across: the inversion (which the monitor finds
// first, at the second hart's spin), then the deadlock.
void expect_two_hart_deadlock(const Outcome& o, const std::string& file, const HartSide (&side)[2]) {
  EXPECT_EQ(o.reason, models::StopReason::deadlock) << o.text;
  EXPECT_EQ(o.stop_requests, 1);
  ASSERT_EQ(kinds(o), (std::vector{FindingKind::lock_order_inversion, FindingKind::cross_cpu_deadlock})) << o.text;
  expect_two_hart_inversion(o.findings[0], file, side);
  EXPECT_LT(o.findings[0].cycle, o.findings[1].cycle);
  const Finding& f = o.findings[1];
  ASSERT_EQ(f.waits.size(), 2u);
  ASSERT_EQ(f.holds.size(), 2u);
  std::set<std::string> locks;
  for (size_t i = 0; i < 2; ++i) {
    const Hold& h = f.holds[i];
    const Wait& w = f.waits[i];
    ASSERT_LT(h.hart, 2u);
    ASSERT_LT(w.hart, 2u);
    locks.insert(h.lock.name);
    EXPECT_EQ(h.lock.addr, w.lock.addr);
    EXPECT_NE(h.hart, w.hart);
    EXPECT_EQ(f.waits[(i + 1) % 2].hart, h.hart) << "the edges form a cycle";
    EXPECT_LT(h.since, w.since);
    EXPECT_LE(w.since, f.cycle);
    EXPECT_GE(w.attempts, 8u);
    EXPECT_EQ(h.lock.name, side[h.hart].lock);
    expect_in(h.taken_at, side[h.hart].lock_fn, file);
    expect_called_from(h.taken_at, side[h.hart].caller, file);
    expect_in(w.at, side[h.hart].lock_fn, file);  // waits for the lock h holds
    expect_called_from(w.at, side[w.hart].caller, file);
  }
  EXPECT_EQ(locks, (std::set<std::string>{side[0].lock, side[1].lock}));
  std::string text = format_finding(f);
  EXPECT_NE(text.find("*** DEADLOCK ***"), std::string::npos) << text;
  EXPECT_LT(o.cycles - f.cycle, 10u);
}

TEST(MonitorRun, TwoHartsTakingTwoLocksInOppositeOrderStopTheRun) {
  // hart0 posts: it holds accounts_lock and waits for ledger_lock.
  expect_two_hart_deadlock(run("abba", 2), "abba.c",
                           {{"accounts_lock", "take", "post"}, {"ledger_lock", "take", "audit"}});
}

TEST(MonitorRun, AnIrqUnsafeLockThatDidNotDeadlockIsAWarning) {
  Outcome o = run("lucky", 1);
  EXPECT_EQ(o.reason, models::StopReason::finisher) << o.text;
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_EQ(o.stop_requests, 0);
  ASSERT_EQ(kinds(o), std::vector{FindingKind::irq_unsafe_lock}) << o.text;
  const Finding& f = o.findings[0];
  EXPECT_EQ(f.lock.name, "stats_lock");
  ASSERT_EQ(f.holds.size(), 2u);
  EXPECT_EQ(f.holds[0].context, Context::timer_irq);
  expect_in(f.holds[0].taken_at, "stats_lock_acquire", "lucky.c");
  expect_called_from(f.holds[0].taken_at, "account_tick", "lucky.c");
  EXPECT_EQ(f.holds[1].context, Context::process);
  EXPECT_TRUE(f.holds[1].interrupts_enabled);
  expect_in(f.holds[1].taken_at, "stats_lock_acquire", "lucky.c");
  expect_called_from(f.holds[1].taken_at, "main", "lucky.c");
  EXPECT_LT(f.holds[1].since, f.holds[0].since);
}

TEST(MonitorRun, AnIrqsaveLockHasNoFindings) {
  Outcome o = run("irqsave", 1);
  EXPECT_EQ(o.reason, models::StopReason::finisher) << o.text;
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_TRUE(o.findings.empty()) << o.text;
  ASSERT_EQ(o.locks.size(), 1u) << o.text;
  EXPECT_EQ(o.locks[0].lock.name, "tickslock");
  EXPECT_GE(o.locks[0].irq_acquisitions, 5u);
  EXPECT_GT(o.locks[0].acquisitions, o.locks[0].irq_acquisitions);
  EXPECT_GT(o.locks[0].hold_cycles_max, 300u);  // delay(300) under the lock
  EXPECT_EQ(o.locks[0].waits, 0u);              // one hart, interrupts off: never contended
}

TEST(MonitorRun, SleepingWhileHoldingALockIsAWarning) {
  Outcome o = run("sleepy", 1);
  EXPECT_EQ(o.reason, models::StopReason::finisher) << o.text;
  EXPECT_EQ(o.exit_code, 0);
  ASSERT_EQ(kinds(o), std::vector{FindingKind::wfi_holding_lock}) << o.text;
  const Finding& f = o.findings[0];
  EXPECT_EQ(f.lock.name, "dev_lock");
  expect_in(f.at, "wait_for_device", "mon.h");  // wfi() is inlined from mon.h
  ASSERT_EQ(f.holds.size(), 1u);
  expect_in(f.holds[0].taken_at, "dev_acquire", "sleepy.c");
  EXPECT_LT(f.holds[0].since, f.cycle);
}

// A tool more than a test: MONITOR_SCAN="a.elf:2 b.elf" runs each ELF (on
// that many harts, default 1) with the monitor and prints what it found.
TEST(MonitorRun, TwoHartsInsideAByteFlagAreARace) {
  Outcome o = run("booking", 2);
  EXPECT_EQ(o.reason, models::StopReason::finisher) << o.text;
  EXPECT_EQ(o.exit_code, 0) << o.text;
  ASSERT_EQ(kinds(o), std::vector<FindingKind>{FindingKind::mutual_exclusion}) << o.text;
  const Finding& f = o.findings[0];
  EXPECT_EQ(f.lock.name, "booking_busy");
  ASSERT_EQ(f.holds.size(), 2u);
  EXPECT_NE(f.holds[0].hart, f.holds[1].hart);
  for (const Hold& h : f.holds) {
    expect_in(h.taken_at, "enter_booking", "booking.c");
    expect_called_from(h.taken_at, "main", "booking.c");
    EXPECT_GT(h.tested, 0u);
    EXPECT_LT(h.tested, h.since);
  }
  EXPECT_LT(f.holds[1].tested, f.holds[0].since);  // found free before the first set it
  ASSERT_EQ(o.locks.size(), 1u) << o.text;
  EXPECT_EQ(o.locks[0].lock.name, "booking_busy");
  EXPECT_EQ(o.locks[0].acquisitions, 600u);
  EXPECT_GT(o.locks[0].overlaps, 0u);
  EXPECT_FALSE(o.locks[0].held_at_end);
}

// A sense-reversing barrier (amoadd on an arrival count, then a plain store
// of 0 to it and a plain store to the sense flag beside it) is data on one
// hart as on four: no lock, no finding.
TEST(MonitorRun, ABarriersCountAndSenseFlagAreData) {
  for (unsigned harts : {1u, 4u}) {
    SCOPED_TRACE(harts);
    Outcome o = run("barrier", harts);
    EXPECT_EQ(o.reason, models::StopReason::finisher) << o.text;
    EXPECT_EQ(o.exit_code, 0) << o.text;
    EXPECT_TRUE(o.findings.empty()) << o.text;
    EXPECT_TRUE(o.locks.empty()) << o.text;
  }
}

// The lock table of a ticket lock taken `rounds` times by each hart, with
// no finding: one lock, every acquisition, spins only when harts contend.
void expect_ticket_lock(const std::string& program, const std::string& lock, uint64_t rounds) {
  for (unsigned harts : {1u, 4u}) {
    SCOPED_TRACE(harts);
    Outcome o = run(program, harts);
    EXPECT_EQ(o.reason, models::StopReason::finisher) << o.text;
    EXPECT_EQ(o.exit_code, 0) << o.text;  // no update lost: the lock worked
    EXPECT_TRUE(o.findings.empty()) << o.text;
    ASSERT_EQ(o.locks.size(), 1u) << o.text;
    const LockStats& s = o.locks[0];
    EXPECT_EQ(s.lock.name, lock);
    EXPECT_EQ(s.acquisitions, rounds * harts);
    // The narrative and the timeline are told every hold, the ones before
    // the lock was known included.
    EXPECT_EQ(o.acquire_events, s.acquisitions);
    EXPECT_EQ(o.release_events, s.acquisitions);
    EXPECT_EQ(s.irq_acquisitions, 0u);
    EXPECT_FALSE(s.held_at_end);
    // Each hold is a short critical section (delay(10)); they never overlap.
    EXPECT_GT(s.hold_cycles_max, 50u);
    EXPECT_LT(s.hold_cycles_max, 1000u);
    EXPECT_LE(s.hold_cycles_total, o.cycles);
    EXPECT_GE(s.hold_cycles_total, s.acquisitions * 50);
    if (harts == 1) {
      EXPECT_EQ(s.waits, 0u);
      EXPECT_EQ(s.wait_cycles_total, 0u);
    } else {
      // Four harts queue for it: most acquisitions waited, each at most for
      // the three tickets ahead of it.
      EXPECT_GT(s.waits, s.acquisitions / 2);
      EXPECT_LE(s.waits, s.acquisitions);
      EXPECT_GE(s.attempts, s.waits);
      EXPECT_GT(s.wait_cycles_max, 0u);
      EXPECT_LT(s.wait_cycles_max, 4 * s.hold_cycles_max + 200);
    }
  }
}

TEST(MonitorRun, ATwoWordTicketLockIsALock) { expect_ticket_lock("ticket_pair", "print_queue", 50); }

TEST(MonitorRun, LinuxsOneWordTicketLockIsALock) { expect_ticket_lock("ticket_linux", "journal_lock", 40); }

// A ticket lock taken with interrupts on, whose timer handler takes a ticket
// too: the handler waits for a turn that never comes.
TEST(MonitorRun, ATicketLocksHandlerWaitingForItsOwnHartIsADeadlock) {
  for (const char* program : {"ticket_tick_pair", "ticket_tick_linux"}) {
    SCOPED_TRACE(program);
    Outcome o = run(program, 1);
    expect_irq_deadlock(o, "clock_lock", Context::timer_irq);
    if (o.findings.size() != 1) continue;
    expect_hold_and_wait_in(o.findings[0], "tlock_take", "ticket_tick.c", "main", "tick");
  }
}

TEST(MonitorRun, ATicketLockTakenWithInterruptsOffHasNoFindings) {
  for (const char* program : {"ticket_tick_pair_irqsave", "ticket_tick_linux_irqsave"}) {
    SCOPED_TRACE(program);
    Outcome o = run(program, 1);
    EXPECT_EQ(o.reason, models::StopReason::finisher) << o.text;
    EXPECT_EQ(o.exit_code, 0);
    EXPECT_TRUE(o.findings.empty()) << o.text;
    ASSERT_EQ(o.locks.size(), 1u) << o.text;
    EXPECT_EQ(o.locks[0].lock.name, "clock_lock");
    EXPECT_EQ(o.locks[0].irq_acquisitions, 5u);  // one per tick, until jiffies == 5
    EXPECT_GT(o.locks[0].acquisitions, o.locks[0].irq_acquisitions);
    EXPECT_EQ(o.locks[0].waits, 0u);  // the timer waits for interrupts to come back on
    EXPECT_FALSE(o.locks[0].held_at_end);
  }
}

// Two ticket locks (one of each layout) taken in opposite orders by two
// harts: each holds one and waits for a turn on the other.
TEST(MonitorRun, TwoHartsTakingTwoTicketLocksInOppositeOrderStopTheRun) {
  // hart0 files mail: it holds inbox (Linux's layout) and waits for outbox.
  expect_two_hart_deadlock(run("ticket_abba", 2), "ticket_abba.c",
                           {{"inbox", "inbox_lock", "file_mail"}, {"outbox", "outbox_lock", "send_mail"}});
}

// A two-word ticket lock taken with interrupts on and, later, by the timer
// handler: the lockdep warning, when the handler's acquisition (the second)
// makes it known as a lock.
TEST(MonitorRun, AnIrqUnsafeTicketLockIsAWarning) {
  Outcome o = run("ticket_lucky", 1);
  EXPECT_EQ(o.reason, models::StopReason::finisher) << o.text;
  EXPECT_EQ(o.exit_code, 0);
  ASSERT_EQ(kinds(o), std::vector{FindingKind::irq_unsafe_lock}) << o.text;
  const Finding& f = o.findings[0];
  EXPECT_EQ(f.lock.name, "stamp_lock");
  ASSERT_EQ(f.holds.size(), 2u);
  EXPECT_EQ(f.holds[0].context, Context::timer_irq);
  expect_called_from(f.holds[0].taken_at, "stamp_tick", "ticket_lucky.c");
  EXPECT_EQ(f.holds[1].context, Context::process);
  EXPECT_TRUE(f.holds[1].interrupts_enabled);
  expect_called_from(f.holds[1].taken_at, "main", "ticket_lucky.c");
  ASSERT_EQ(o.locks.size(), 1u) << o.text;
  EXPECT_EQ(o.locks[0].acquisitions, 2u);
  EXPECT_EQ(o.locks[0].irq_acquisitions, 1u);
}

// owner + 1 on a free ticket lock, of each layout: a second release.
TEST(MonitorRun, ReleasingAFreeTicketLockIsAWarning) {
  Outcome o = run("ticket_twice", 1);
  EXPECT_EQ(o.reason, models::StopReason::finisher) << o.text;
  EXPECT_EQ(o.exit_code, 0);
  ASSERT_EQ(kinds(o), (std::vector{FindingKind::release_not_held, FindingKind::release_not_held})) << o.text;
  const char* names[] = {"door", "gate"};
  const char* places[] = {"door_give", "gate_give"};
  for (size_t i = 0; i < 2; ++i) {
    const Finding& f = o.findings[i];
    EXPECT_EQ(f.lock.name, names[i]);
    EXPECT_TRUE(f.holds.empty()) << "held by nobody";
    expect_in(f.at, places[i], "ticket_twice.c");
    expect_called_from(f.at, "main", "ticket_twice.c");
  }
  ASSERT_EQ(o.locks.size(), 2u) << o.text;
  for (const LockStats& s : o.locks) EXPECT_EQ(s.acquisitions, 3u) << s.lock.name;
}

// A three-lock cycle across three harts, with LR/SC locks, none of them
// overlapping: lockdep's warning and no deadlock, closed by hart2 (restock:
// sink, then pantry), with the whole chain of places.
TEST(MonitorRun, AThreeLockCycleAcrossThreeHartsIsAnInversionWithoutADeadlock) {
  Outcome o = run("kitchen", 3);
  EXPECT_EQ(o.reason, models::StopReason::finisher) << o.text;
  EXPECT_EQ(o.exit_code, 0) << o.text;
  EXPECT_EQ(o.stop_requests, 0);
  ASSERT_EQ(kinds(o), std::vector{FindingKind::lock_order_inversion}) << o.text;
  const Finding& f = o.findings[0];
  EXPECT_EQ(f.hart, 2u);
  EXPECT_EQ(f.lock.name, "pantry");
  ASSERT_EQ(f.chain.size(), 3u);
  // (hart, held, taken, the function that did it), newest first, then the
  // chain the newest one closes: pantry -> stove -> sink.
  const struct {
    unsigned hart;
    const char *from, *to, *fn;
  } want[] = {{2, "sink", "pantry", "restock"}, {0, "pantry", "stove", "cook"}, {1, "stove", "sink", "wash"}};
  for (size_t i = 0; i < 3; ++i) {
    const Dependency& d = f.chain[i];
    EXPECT_EQ(d.hart, want[i].hart) << i;
    EXPECT_EQ(d.from.name, want[i].from) << i;
    EXPECT_EQ(d.to.name, want[i].to) << i;
    EXPECT_FALSE(d.attempt) << i;
    expect_in(d.to_at, "grab", "kitchen.c");
    expect_called_from(d.to_at, want[i].fn, "kitchen.c");
    expect_in(d.from_at, "grab", "kitchen.c");
    expect_called_from(d.from_at, want[i].fn, "kitchen.c");
    EXPECT_LT(d.from_since, d.cycle);
  }
  EXPECT_LT(f.chain[1].cycle, f.chain[2].cycle);
  EXPECT_LT(f.chain[2].cycle, f.chain[0].cycle);
  std::string text = format_finding(f);
  EXPECT_NE(text.find("Chain exists of:\n    pantry --> stove --> sink"), std::string::npos) << text;
  EXPECT_NE(text.find("-> #2 (sink):\n         hart1 took sink"), std::string::npos) << text;
}

// amoor takes the locks and amoand releases them; two harts, opposite
// orders, one after the other.
TEST(MonitorRun, TwoAmoorLocksInOppositeOrdersAreAnInversionWithoutADeadlock) {
  Outcome o = run("refill", 2);
  EXPECT_EQ(o.reason, models::StopReason::finisher) << o.text;
  EXPECT_EQ(o.exit_code, 0) << o.text;
  ASSERT_EQ(kinds(o), std::vector{FindingKind::lock_order_inversion}) << o.text;
  const Finding& f = o.findings[0];
  EXPECT_EQ(f.hart, 1u);
  EXPECT_EQ(f.lock.name, "pool_lock");
  expect_in(f.at, "claim", "refill.c");
  expect_called_from(f.at, "evict", "refill.c");
  ASSERT_EQ(f.holds.size(), 1u);
  EXPECT_EQ(f.holds[0].lock.name, "cache_lock");
  expect_called_from(f.holds[0].taken_at, "evict", "refill.c");
  ASSERT_EQ(f.chain.size(), 2u);
  EXPECT_EQ(f.chain[1].hart, 0u);
  EXPECT_EQ(f.chain[1].from.name, "pool_lock");
  EXPECT_EQ(f.chain[1].to.name, "cache_lock");
  expect_called_from(f.chain[1].from_at, "refill", "refill.c");
  expect_called_from(f.chain[1].to_at, "refill", "refill.c");
  EXPECT_EQ(o.locks.size(), 2u) << o.text;
}

// One order everywhere, nested three deep through calls, on four
// contending harts, and a trylock that fails out of order and backs off:
// no finding at all.
TEST(MonitorRun, OneLockOrderNestedOnEveryHartAndABackedOffTryAreNoInversion) {
  for (unsigned harts : {2u, 4u}) {
    Outcome o = run("ordered", harts);
    EXPECT_EQ(o.reason, models::StopReason::finisher) << o.text;
    EXPECT_EQ(o.exit_code, 0) << o.text;
    EXPECT_TRUE(o.findings.empty()) << o.text;
    ASSERT_EQ(o.locks.size(), 3u) << o.text;
    for (const LockStats& l : o.locks) {
      if (l.lock.name != "gamma") {
        EXPECT_GT(l.waits, 0u) << l.lock.name << " is contended\n" << o.text;
      }
    }
  }
}

// --- threads (hop.h: a context switch of the programs' own) -------------------

// Thread `name` (by id) and where it is named: "main", "worker".
const std::string& name_of(const Outcome& o, const ThreadRef& t) { return o.threads.at(static_cast<size_t>(t.id)); }

// main hops to the worker holding pool_lock (LR/SC); the worker wants it
// with amoor, interrupts off: a deadlock between two threads of hart 0,
// not a hart taking its own lock again.
TEST(MonitorRun, AThreadSpinningOnASwitchedOutThreadsLockStopsTheRun) {
  Outcome o = run("thr_stuck", 1);
  EXPECT_EQ(o.reason, models::StopReason::deadlock) << o.text;
  EXPECT_EQ(o.stop_requests, 1);
  ASSERT_EQ(kinds(o), (std::vector{FindingKind::switch_holding_lock, FindingKind::thread_deadlock})) << o.text;
  ASSERT_EQ(o.threads, (std::vector<std::string>{"main", "worker"}));
  const Finding& sw = o.findings[0];
  EXPECT_EQ(sw.lock.name, "pool_lock");
  EXPECT_EQ(name_of(o, sw.thread), "main");
  EXPECT_EQ(name_of(o, sw.to_thread), "worker");
  EXPECT_TRUE(starts_with(sw.at.where, "hop+")) << sw.at.where;  // the mv sp, a1 (top-level asm: no line)
  expect_in(sw.holds.at(0).taken_at, "take_lrsc", "thr_stuck.c");
  expect_called_from(sw.holds.at(0).taken_at, "main", "thr_stuck.c");
  const Finding& d = o.findings[1];
  EXPECT_EQ(d.lock.name, "pool_lock");
  EXPECT_EQ(name_of(o, d.holds.at(0).thread), "main");
  EXPECT_EQ(name_of(o, d.waits.at(0).thread), "worker");
  // "called from" on the worker's own stack.
  expect_in(d.waits.at(0).at, "take_amoor", "thr_stuck.c");
  expect_called_from(d.waits.at(0).at, "refill", "thr_stuck.c");
  EXPECT_GE(d.waits.at(0).attempts, 8u);
  EXPECT_LT(o.cycles - d.cycle, 10u) << "the run stops at once";
  ASSERT_EQ(o.switches.size(), 1u);
  EXPECT_TRUE(o.switches[0].new_thread);
  EXPECT_NE(o.text.find("thread worker/1 spins with interrupts disabled on pool_lock, which thread main/0 holds"),
            std::string::npos)
      << o.text;
}

TEST(MonitorRun, ThreadsTakingALockInTurnAndHandingOverTheRunQueueLockAreFine) {
  Outcome o = run("thr_turns", 1);
  EXPECT_EQ(o.reason, models::StopReason::finisher) << o.text;
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_TRUE(o.findings.empty()) << o.text;
  EXPECT_EQ(o.threads, (std::vector<std::string>{"main", "pinger"}));
  EXPECT_EQ(o.switches.size(), 8u);
  ASSERT_EQ(o.locks.size(), 2u) << o.text;
  for (const LockStats& s : o.locks) EXPECT_EQ(s.acquisitions, 8u) << s.lock.name;
}

// Both threads begin in start_thread, which calls self() (a helper that
// returns) and then their function: start_thread is a trampoline, and they
// are named by the function it called.
TEST(MonitorRun, ThreadsBegunInAStartTrampolineAreNamedByTheirFunction) {
  Outcome o = run("thr_tramp", 1);
  EXPECT_EQ(o.reason, models::StopReason::finisher) << o.text;
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_TRUE(o.findings.empty()) << o.text;
  EXPECT_EQ(o.threads, (std::vector<std::string>{"main", "ping", "pong"}));
  ASSERT_EQ(o.switches.size(), 9u);
  EXPECT_TRUE(o.switches[0].new_thread);
  EXPECT_TRUE(o.switches[1].new_thread);
  EXPECT_EQ(o.switches[2].thread, 2);
  EXPECT_EQ(o.switches[2].to_thread, 0);
}

// Preempted on the way out of the tick's handler, after the mtimecmp store.
TEST(MonitorRun, PreemptionOnInterruptReturnIsNoFinding) {
  Outcome o = run("thr_tick", 1);
  EXPECT_EQ(o.reason, models::StopReason::finisher) << o.text;
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_TRUE(o.findings.empty()) << o.text;
  EXPECT_EQ(o.threads, (std::vector<std::string>{"main", "spinner"}));
  EXPECT_GE(o.switches.size(), 10u);
  for (const Event& e : o.switches) EXPECT_EQ(e.context, Context::timer_irq);
}

TEST(MonitorRun, ASwitchBeforeTheTimerIsAcknowledgedIsSleepInInterrupt) {
  Outcome o = run("thr_tick_sleepy", 1);
  EXPECT_EQ(o.reason, models::StopReason::finisher) << o.text;
  ASSERT_EQ(kinds(o), std::vector{FindingKind::sleep_in_interrupt}) << o.text;
  const Finding& f = o.findings[0];
  EXPECT_EQ(name_of(o, f.thread), "main");
  EXPECT_EQ(name_of(o, f.to_thread), "spinner");
  ASSERT_TRUE(f.has_interrupt);
  EXPECT_EQ(f.interrupt.cause, Context::timer_irq);
  EXPECT_TRUE(starts_with(f.at.where, "hop+")) << f.at.where;
  expect_called_from(f.at, "other", "thr_tick.c");
  EXPECT_NE(o.text.find("scheduling while in interrupt"), std::string::npos) << o.text;
}

// The handler moves to its own stack (csrrw sp, mscratch, sp) and back: not
// a thread; the lock it takes there is the interrupted thread's.
TEST(MonitorRun, AnInterruptStackIsNoThread) {
  Outcome o = run("thr_tick_irqstack", 1);
  EXPECT_EQ(o.reason, models::StopReason::finisher) << o.text;
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_TRUE(o.findings.empty()) << o.text;
  EXPECT_EQ(o.threads, (std::vector<std::string>{"main", "spinner"}));
  EXPECT_GE(o.switches.size(), 10u);
  for (const Event& e : o.switches) EXPECT_EQ(e.context, Context::process);
  ASSERT_EQ(o.locks.size(), 1u) << o.text;
  EXPECT_GE(o.locks[0].irq_acquisitions, 10u);
}

// lw sp, user_stack_top (auipc sp + lw) and an mret to U: the thread's
// user stack, not a new thread.
TEST(MonitorRun, AUserStackIsNoThread) {
  Outcome o = run("thr_user", 1);
  EXPECT_EQ(o.reason, models::StopReason::finisher) << o.text;
  EXPECT_EQ(o.exit_code, 0);
  EXPECT_TRUE(o.findings.empty()) << o.text;
  EXPECT_TRUE(o.switches.empty());
  EXPECT_EQ(o.threads, (std::vector<std::string>{"main"}));
}

// A flag set by one hart with an AMO into x0 and cleared by another is no
// lock (the set never looked at the old value); a bit lock whose amoor is
// tested is, and its amoand-into-x0 release is its holder's.
TEST(MonitorRun, AFlagSetWithoutTestingIsNoLock) {
  Outcome o = run("flag_bits", 2);
  EXPECT_EQ(o.reason, models::StopReason::finisher) << o.text;
  EXPECT_EQ(o.exit_code, 0) << o.text;
  EXPECT_TRUE(o.findings.empty()) << o.text;
  ASSERT_EQ(o.locks.size(), 1u) << o.text;
  EXPECT_EQ(o.locks[0].lock.name, "bitlock");
  EXPECT_EQ(o.locks[0].acquisitions, 40u);
}

TEST(MonitorRun, Scan) {
  const char* list = std::getenv("MONITOR_SCAN");
  if (!list) GTEST_SKIP() << "set MONITOR_SCAN to a list of ELF[:harts]";
  std::string all = list;
  for (size_t at = 0; at < all.size();) {
    size_t end = all.find(' ', at);
    if (end == std::string::npos) end = all.size();
    std::string item = all.substr(at, end - at);
    at = end + 1;
    if (item.empty()) continue;
    unsigned harts = 1;
    if (size_t colon = item.rfind(':'); colon != std::string::npos) {
      harts = static_cast<unsigned>(std::stoul(item.substr(colon + 1)));
      item.resize(colon);
    }
    Outcome o = run_elf(item, harts);
    std::printf("=== %s on %u harts: %s at cycle %llu, %zu findings\n%s\n", item.c_str(), harts,
                models::to_string(o.reason), static_cast<unsigned long long>(o.cycles), o.findings.size(),
                o.text.c_str());
  }
}

}  // namespace
}  // namespace spinlab
