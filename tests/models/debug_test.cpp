// The debugger hooks (models/debug.h) on a bundled four-hart program,
// test_and_set (lesson 02: four harts count under one spin lock): a run
// stopped thousands of times (breakpoints, steps, watchpoints, pauses) and
// continued after each must end exactly as the same run straight through,
// and every stop must name the right hart, pc and address.
#include <cstdio>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "firmware/include/memmap.h"
#include "models/kernel.h"
#include "models/machine.h"
#include "sim/cli/run.h"
#include "sim/load/elf.h"
#include "sim/monitor/monitor.h"

namespace spinlab::models {
namespace {

constexpr unsigned kHarts = 4;
constexpr uint32_t kRamBytes = 16u << 20;
constexpr uint32_t kWfi = 0x10500073;
using Why = StopInfo::Why;

struct Outcome {
  StopReason reason = StopReason::running;
  int exit_code = 0;
  uint64_t cycles = 0;
  std::string console;
  std::vector<uint64_t> instret;
};

// A bundled firmware program, loaded once.
const ElfImage& program(const std::string& name = "test_and_set") {
  static std::map<std::string, ElfImage> loaded;
  auto it = loaded.find(name);
  if (it == loaded.end())
    it = loaded.emplace(name, ElfImage::load(std::string(SPINLAB_FIRMWARE_DIR) + "/" + name + ".elf", RAM_BASE, kRamBytes))
             .first;
  return it->second;
}

uint32_t symbol(const char* name) {
  std::optional<uint32_t> a = program().lookup(name);
  EXPECT_TRUE(a) << name;
  return a.value_or(0);
}

void run_straight(Machine& m) { m.run(); }

// Runs a program (test_and_set unless named) on a fresh machine; `drive`
// runs it (by default straight through with run()).
Outcome run(const std::function<void(Machine&)>& drive = run_straight, const std::string& name = "test_and_set") {
  fresh_systemc_kernel();
  MachineSpec spec;
  spec.harts = kHarts;
  spec.ram_bytes = kRamBytes;
  spec.max_cycles = 5'000'000;
  spec.tohost = program(name).lookup("tohost");
  std::FILE* console = std::tmpfile();
  spec.console = console;
  Outcome out;
  {
    Machine m("machine", spec);
    load_segments(m, program(name));
    m.reset(program(name).entry());
    drive(m);
    out.reason = m.stop_reason();
    out.exit_code = m.exit_code();
    out.cycles = m.cycles();
    for (unsigned h = 0; h < m.harts(); ++h) out.instret.push_back(m.hart(h).minstret());
  }
  std::rewind(console);
  for (int c; (c = std::fgetc(console)) != EOF;) out.console.push_back(static_cast<char>(c));
  std::fclose(console);
  return out;
}

const Outcome& straight(const std::string& name = "test_and_set") {
  static std::map<std::string, Outcome> done;
  auto it = done.find(name);
  if (it == done.end()) it = done.emplace(name, run(run_straight, name)).first;
  return it->second;
}

void expect_same_as_straight(const Outcome& o, const std::string& name = "test_and_set") {
  const Outcome& s = straight(name);
  EXPECT_EQ(o.reason, s.reason);
  EXPECT_EQ(o.exit_code, s.exit_code);
  EXPECT_EQ(o.cycles, s.cycles);
  EXPECT_EQ(o.console, s.console);
  EXPECT_EQ(o.instret, s.instret);
}

uint32_t word_at(const Machine& m, uint32_t pc) {
  uint8_t b[4] = {};
  EXPECT_TRUE(m.peek(pc, b, 4)) << std::hex << pc;
  return b[0] | b[1] << 8 | b[2] << 16 | uint32_t{b[3]} << 24;
}

bool is_amoswap(uint32_t insn) { return (insn & 0x7f) == 0x2f && (insn >> 27) == 1 && ((insn >> 12) & 7) == 2; }

TEST(Debug, StraightRunIsTheLesson) {
  const Outcome& s = straight();
  EXPECT_EQ(s.exit_code, 0);
  EXPECT_NE(s.console.find("expected 4000, got 4000: 0 updates lost"), std::string::npos) << s.console;
}

// Breakpoints on a hot pc, single steps of hart 1, a store watchpoint on the
// lock word, continuing after every stop: the same run to the cycle.
TEST(Debug, StoppedAndContinuedRunIsExact) {
  const uint32_t spin_lock = symbol("spin_lock"), countlock = symbol("countlock");
  unsigned breaks = 0, watches = 0, steps = 0, other = 0;
  std::vector<unsigned> breaks_by_hart(kHarts);
  Outcome o = run([&](Machine& m) {
    m.debug().add_breakpoint(spin_lock);
    m.debug().add_watchpoint(countlock, 4, WatchKind::store);
    uint64_t last_cycle = 0;
    for (;;) {
      uint64_t before = m.hart(1).minstret();
      // From the 300th breakpoint on, hart 1 steps 200 times (a stop of
      // another kind ends a step: it is asked for again).
      bool stepping = breaks >= 300 && steps < 200;
      if (stepping) m.debug().step(1);
      StopInfo s = m.run_until_stop();
      if (s.why == Why::run_ended) {
        EXPECT_EQ(s.ended, m.stop_reason());
        break;
      }
      ASSERT_LT(s.hart, kHarts);
      EXPECT_EQ(s.cycle, m.cycles());
      EXPECT_GE(s.cycle, last_cycle);  // stops come in time order
      last_cycle = s.cycle;
      switch (s.why) {
        case Why::breakpoint:
          ++breaks, ++breaks_by_hart[s.hart];
          EXPECT_EQ(s.pc, spin_lock);
          EXPECT_EQ(m.hart(s.hart).pc(), spin_lock);
          break;
        case Why::watch_store:
          ++watches;
          EXPECT_EQ(s.data_addr, countlock);
          EXPECT_EQ(s.watch, WatchKind::store);
          EXPECT_TRUE(is_amoswap(word_at(m, s.pc))) << std::hex << s.pc;  // acquire and release are amoswaps
          EXPECT_EQ(m.hart(s.hart).last_pc(), s.pc);
          break;
        case Why::step_done:
          ++steps;
          EXPECT_TRUE(stepping);
          EXPECT_EQ(s.hart, 1u);
          EXPECT_EQ(s.pc, m.hart(1).pc());
          EXPECT_EQ(m.hart(1).minstret(), before + 1);  // exactly one instruction (no trap here)
          break;
        default: ++other;
      }
    }
  });
  expect_same_as_straight(o);
  EXPECT_EQ(breaks, kHarts * 1000);  // spin_lock called once per increment
  for (unsigned h = 0; h < kHarts; ++h) EXPECT_EQ(breaks_by_hart[h], 1000u) << "hart " << h;
  EXPECT_EQ(steps, 200u);
  EXPECT_GE(watches, 2 * kHarts * 1000);  // an acquire and a release per increment, and the failed attempts
  EXPECT_EQ(other, 0u);
}

// All four harts start at the entry at cycle 0: four stops at cycle 0, in hart order.
TEST(Debug, BreakpointHitBySeveralHartsInOneCycleStopsEachInHartOrder) {
  Outcome o = run([](Machine& m) {
    const uint32_t entry = program().entry();
    m.debug().add_breakpoint(entry);
    for (unsigned h = 0; h < kHarts; ++h) {
      StopInfo s = m.run_until_stop();
      EXPECT_EQ(s.why, Why::breakpoint);
      EXPECT_EQ(s.hart, h);
      EXPECT_EQ(s.pc, entry);
      EXPECT_EQ(s.cycle, 0u);
      // Those before it have executed their first instruction; those after not yet.
      for (unsigned k = 0; k < kHarts; ++k) EXPECT_EQ(m.hart(k).minstret(), k < h ? 1u : 0u) << h << " " << k;
    }
    EXPECT_TRUE(m.debug().remove_breakpoint(entry));
    EXPECT_FALSE(m.debug().armed());
    EXPECT_EQ(m.run_until_stop().why, Why::run_ended);
  });
  expect_same_as_straight(o);
}

// An AMO reads and writes: a load watchpoint and a store watchpoint both see it.
TEST(Debug, WatchpointsSeeBothSidesOfAnAmo) {
  const uint32_t countlock = symbol("countlock");
  Outcome o = run([&](Machine& m) {
    m.debug().add_watchpoint(countlock, 4, WatchKind::load);
    StopInfo s = m.run_until_stop();
    EXPECT_EQ(s.why, Why::watch_load);
    EXPECT_EQ(s.watch, WatchKind::load);
    EXPECT_EQ(s.data_addr, countlock);
    EXPECT_TRUE(is_amoswap(word_at(m, s.pc))) << std::hex << s.pc;
    EXPECT_TRUE(m.debug().remove_watchpoint(countlock, 4, WatchKind::load));

    // A byte inside the word: the store covers it, and the byte is what is reported.
    m.debug().add_watchpoint(countlock + 2, 1, WatchKind::store);
    StopInfo t = m.run_until_stop();
    EXPECT_EQ(t.why, Why::watch_store);
    EXPECT_EQ(t.data_addr, countlock + 2);
    EXPECT_TRUE(is_amoswap(word_at(m, t.pc))) << std::hex << t.pc;
    EXPECT_GT(t.cycle, s.cycle);
    m.debug().clear();

    // Either side: an access watchpoint, reported as the write.
    m.debug().add_watchpoint(countlock, 4, WatchKind::access);
    StopInfo u = m.run_until_stop();
    EXPECT_EQ(u.why, Why::watch_store);
    EXPECT_EQ(u.watch, WatchKind::access);
    m.debug().clear();
    EXPECT_EQ(m.run_until_stop().why, Why::run_ended);
  });
  expect_same_as_straight(o);
}

// Firmware test `ipi`: harts sleep in wfi and wake on each other's
// software interrupts, with mstatus.MIE off and on. A breakpoint on every
// wfi but park's, and a step of the hart that hit it: the step ends when
// the hart wakes (its wfi is then complete), at the instruction after the
// wfi. A stop of another hart meanwhile ends the step; asked for again, it
// completes the wfi still in flight. Nothing else changes.
TEST(Debug, StepOfASleepingHartEndsWhenItWakes) {
  const ElfImage& elf = program("ipi");
  Outcome o = run(
      [&](Machine& m) {
        std::set<uint32_t> wfis;
        for (const Symbol& f : elf.symbols())
          if (f.function && f.name != "park")
            for (uint32_t pc = f.addr; pc < f.addr + f.size; pc += 4)
              if (word_at(m, pc) == kWfi) wfis.insert(pc);
        ASSERT_GE(wfis.size(), 2u);
        for (uint32_t pc : wfis) m.debug().add_breakpoint(pc);
        std::map<unsigned, StopInfo> waiting;  // hart -> its stop at a wfi, its step not done yet
        std::map<unsigned, uint64_t> retired;
        unsigned slept = 0, woke = 0;
        for (;;) {
          unsigned stepping = waiting.empty() ? ~0u : waiting.begin()->first;
          if (!waiting.empty()) m.debug().step(stepping);
          StopInfo s = m.run_until_stop();
          if (s.why == Why::run_ended) break;
          if (s.why == Why::breakpoint) {
            EXPECT_EQ(wfis.count(s.pc), 1u);
            EXPECT_EQ(waiting.count(s.hart), 0u);
            waiting[s.hart] = s;
            retired[s.hart] = m.hart(s.hart).minstret();
            continue;
          }
          ASSERT_EQ(s.why, Why::step_done);
          ASSERT_EQ(s.hart, stepping);
          const StopInfo& b = waiting[s.hart];
          EXPECT_EQ(s.pc, b.pc + 4);
          EXPECT_EQ(m.hart(s.hart).minstret(), retired[s.hart] + 1);
          ++woke;
          slept += s.cycle - b.cycle > 20;  // a wfi that falls through takes a few cycles
          waiting.erase(s.hart);
        }
        EXPECT_TRUE(waiting.empty());
        EXPECT_GE(woke, 3u);
        EXPECT_GE(slept, 2u);
      },
      "ipi");
  expect_same_as_straight(o, "ipi");
}

// In test_and_set the harts other than 0 park when they are done:
// interrupts off, wfi forever. A step of a parked hart ends with the run.
TEST(Debug, StepOfAHartThatNeverWakesEndsWithTheRun) {
  Outcome o = run([](Machine& m) {
    const uint32_t park = program().lookup("park").value_or(0);
    uint32_t wfi = 0;
    for (uint32_t pc = park; pc < park + 16 && !wfi; pc += 4)
      if (word_at(m, pc) == kWfi) wfi = pc;
    ASSERT_NE(wfi, 0u);
    m.debug().add_breakpoint(wfi);
    StopInfo b = m.run_until_stop();
    ASSERT_EQ(b.why, Why::breakpoint);
    ASSERT_NE(b.hart, 0u);
    m.debug().clear();
    EXPECT_FALSE(m.asleep(b.hart));
    m.debug().step(b.hart);  // the wfi: it never completes
    StopInfo e = m.run_until_stop();
    EXPECT_EQ(e.why, Why::run_ended);
    EXPECT_EQ(e.ended, StopReason::finisher);
    EXPECT_TRUE(m.asleep(b.hart));
  });
  expect_same_as_straight(o);
}

// A pause asked for from the run's callback, one asked for between runs,
// and one at a cycle.
TEST(Debug, PauseStopsAtTheNextBoundary) {
  Outcome o = run([](Machine& m) {
    bool asked = false;
    m.set_progress(
        [&](uint64_t) {
          if (!asked) m.debug().pause(), asked = true;
        },
        100'000);
    StopInfo s = m.run_until_stop();
    EXPECT_EQ(s.why, Why::pause);
    EXPECT_GE(s.cycle, 100'000u);
    EXPECT_LT(s.cycle, 100'100u);
    EXPECT_EQ(s.pc, m.hart(s.hart).pc());
    m.debug().pause();
    StopInfo t = m.run_until_stop();
    EXPECT_EQ(t.why, Why::pause);
    EXPECT_GE(t.cycle, s.cycle);
    EXPECT_LT(t.cycle, s.cycle + 100);
    EXPECT_FALSE(m.debug().armed());
    m.debug().pause_at(t.cycle + 5000);
    StopInfo u = m.run_until_stop();
    EXPECT_EQ(u.why, Why::pause);
    EXPECT_GE(u.cycle, t.cycle + 5000);
    EXPECT_LT(u.cycle, t.cycle + 5000 + 100);
    EXPECT_FALSE(m.debug().armed());
    EXPECT_EQ(m.run_until_stop().why, Why::run_ended);
    StopInfo again = m.run_until_stop();  // after the end: the end again
    EXPECT_EQ(again.why, Why::run_ended);
    EXPECT_EQ(again.cycle, m.cycles());
  });
  expect_same_as_straight(o);
}

// With the lock monitor attached (as `spinlab run` attaches it), a stopped
// run tells it the same history: the same acquisitions, failed attempts and
// wait cycles of countlock.
TEST(Debug, TheMonitorSeesTheSameRunThroughStops) {
  auto monitored = [](bool stop) {
    std::vector<LockStats> stats;
    Outcome o = run([&](Machine& m) {
      Monitor monitor(&program(), kHarts);
      monitor.set_return_address([&](unsigned h) { return m.hart(h).x(1); });
      monitor.set_interrupt_enables([&](unsigned h) { return m.hart(h).csrs().mie; });
      monitor.set_stack_reader(
          [&](unsigned h, int32_t offset) { return m.peek(m.hart(h).x(2) + static_cast<uint32_t>(offset)); });
      m.add_hooks(monitor);
      if (stop) {
        m.debug().add_breakpoint(symbol("spin_unlock"));
        m.debug().add_watchpoint(symbol("countlock"), 4, WatchKind::load);
      }
      unsigned stops = 0;
      while (m.run_until_stop().why != Why::run_ended) ++stops;
      EXPECT_EQ(stops > 8000, stop) << stops;
      stats = monitor.lock_stats();
      m.remove_hooks(monitor);
    });
    expect_same_as_straight(o);
    return stats;
  };
  std::vector<LockStats> straight_stats = monitored(false), stopped_stats = monitored(true);
  ASSERT_EQ(straight_stats.size(), stopped_stats.size());
  ASSERT_FALSE(straight_stats.empty());
  for (size_t i = 0; i < straight_stats.size(); ++i) {
    EXPECT_EQ(stopped_stats[i].lock.addr, straight_stats[i].lock.addr);
    EXPECT_EQ(stopped_stats[i].acquisitions, straight_stats[i].acquisitions);
    EXPECT_EQ(stopped_stats[i].attempts, straight_stats[i].attempts);
    EXPECT_EQ(stopped_stats[i].wait_cycles_total, straight_stats[i].wait_cycles_total);
    EXPECT_EQ(stopped_stats[i].hold_cycles_total, straight_stats[i].hold_cycles_total);
  }
}

// A debugger that ends the run while stopped (GDB's kill): request_stop
// between runs, and the next run_until_stop() ends the run where it stands.
TEST(Debug, RequestStopWhileStoppedEndsTheRunThere) {
  run([](Machine& m) {
    m.debug().add_breakpoint(symbol("spin_lock"));
    StopInfo s;
    for (int i = 0; i < 10; ++i) s = m.run_until_stop();
    ASSERT_EQ(s.why, Why::breakpoint);
    m.request_stop(StopReason::cycle_limit);
    StopInfo e = m.run_until_stop();
    EXPECT_EQ(e.why, Why::run_ended);
    EXPECT_EQ(e.ended, StopReason::cycle_limit);
    EXPECT_EQ(e.cycle, s.cycle);
    EXPECT_EQ(m.run_until_stop().why, Why::run_ended);
  });
}

// Memory written between stops is what the harts then read.
TEST(Debug, PokeChangesRamWithoutTimeAndPeekReadsDevicesWithoutEffects) {
  run([](Machine& m) {
    const uint32_t countlock = symbol("countlock");
    uint8_t bytes[4] = {0x78, 0x56, 0x34, 0x12}, back[4] = {};
    uint64_t before = m.cycles();
    EXPECT_TRUE(m.poke(countlock, bytes, 4));
    EXPECT_TRUE(m.peek(countlock, back, 4));
    EXPECT_EQ(m.peek(countlock).value_or(0), 0x12345678u);
    EXPECT_EQ(m.cycles(), before);
    EXPECT_FALSE(m.poke(RAM_BASE + kRamBytes - 2, bytes, 4));  // runs off the end of RAM
    EXPECT_TRUE(m.peek(UART0_BASE + 5, back, 1));               // a device answers through transport_dbg
    EXPECT_FALSE(m.poke(UART0_BASE, bytes, 1));                 // but takes no debug write: it would have effects
    EXPECT_FALSE(m.peek(0x40000000u, back, 4));                 // nothing there
  });
}

}  // namespace
}  // namespace spinlab::models
