// When the VCD writer writes a value: values dated in the future written in
// time order, a cycle's values in the order they came, values too late for
// their cycle, a late source (the monitor) and the cycles it keeps open,
// values after the end, and trace.window (--vcd-window). The file itself:
// vcd_test.cpp.
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "sim/load/error.h"
#include "sim/out/vcd.h"
#include "testutil.h"
#include "vcd_options.h"
#include "vcd_reader.h"

namespace spinlab {
namespace {

using models::BusKind;
using models::Stall;
using test::at_pc;
using test::options;
using test::read_vcd;
using test::TempDir;
using test::Vcd;
using test::windowed;

TEST(Vcd, FutureDatedValuesAreWrittenInTimeOrder) {
  TempDir dir;
  {
    VcdTracer vcd(options(dir / "t.vcd"));
    // Hart 0 issues a load at 3: it will wait for the bus from 5.
    vcd.hart(3, 0, at_pc(0x80000010, 1));
    vcd.stall(5, 0, Stall::bus);
    // Hart 1 issues at 3 and 4, before the machine reaches 5.
    vcd.hart(3, 1, at_pc(0x80000100, 1));
    vcd.hart(4, 1, at_pc(0x80000104, 2));
    // The grant at 6 holds the bus until 8 (reported at 6).
    vcd.bus(6, 0, 0x80001000, BusKind::read);
    vcd.bus(8, -1, 0, BusKind::idle);
    vcd.word(7, 0, 42);
    // At 8 hart 0 issues again: this later call for cycle 8 wins over the
    // stall dated 8 that a future-dated call gave earlier.
    vcd.stall(8, 0, Stall::bus);
    vcd.hart(8, 0, at_pc(0x80000014, 2));
    vcd.finish(20);
    EXPECT_EQ(vcd.late_values(), 0u);
  }
  Vcd v = read_vcd(dir / "t.vcd");
  EXPECT_EQ(v.times, (std::vector<uint64_t>{0, 3, 4, 5, 6, 7, 8, 20}));
  EXPECT_EQ(v.at("hart0.stall", 4), 0u);
  EXPECT_EQ(v.at("hart0.stall", 5), 2u);
  EXPECT_EQ(v.at("hart0.stall", 8), 0u);
  EXPECT_EQ(v.at("hart1.pc", 4), 0x80000104u);
  EXPECT_EQ(v.at("bus.owner", 6), 0u);
  EXPECT_EQ(v.at("bus.busy", 6), 1u);
  EXPECT_EQ(v.at("bus.kind", 6), 1u);
  EXPECT_EQ(v.at("bus.owner", 8), 0x7fu);
  EXPECT_EQ(v.at("bus.busy", 8), 0u);
  EXPECT_EQ(v.at("bus.addr", 8), 0x80001000u);  // kept while idle
  EXPECT_EQ(v.at("words.w_80001000", 6), 0u);
  EXPECT_EQ(v.at("words.w_80001000", 7), 42u);
}

TEST(Vcd, TimesIncreaseStrictlyAcrossManyFutureValues) {
  TempDir dir;
  VcdOptions o = options(dir / "t.vcd");
  o.lookahead_cycles = 8;
  {
    VcdTracer vcd(o);
    std::mt19937_64 rng(7);
    uint64_t now = 0;
    for (int i = 0; i < 200000; ++i) {
      now += rng() % 3;
      unsigned h = unsigned(rng() % 2);
      vcd.hart(now, h, at_pc(uint32_t(rng()), now));
      vcd.stall(now + 1 + rng() % 8, h, Stall(rng() % 4));  // up to the lookahead ahead
    }
    vcd.finish(now + 100);
    EXPECT_EQ(vcd.late_values(), 0u);
    EXPECT_EQ(vcd.write_error(), "");
    EXPECT_GT(vcd.bytes_written(), size_t{1} << 21);  // several buffers' worth
  }
  Vcd v = read_vcd(dir / "t.vcd");
  for (size_t i = 1; i < v.times.size(); ++i) ASSERT_LT(v.times[i - 1], v.times[i]) << "at #" << i;
}

// The lookahead decides when a cycle is written, never what: a writer that
// holds everything until the end (its queues growing far past their first
// size) writes the same bytes.
TEST(Vcd, TheLookaheadChangesNothingInTheFile) {
  TempDir dir;
  auto run = [&](const std::string& name, uint64_t lookahead) {
    VcdOptions o = options(dir / name);
    o.lookahead_cycles = lookahead;
    VcdTracer vcd(o);
    std::mt19937_64 rng(3);
    uint64_t now = 0;
    for (int i = 0; i < 100000; ++i) {
      now += rng() % 3;
      unsigned h = unsigned(rng() % 2);
      vcd.hart(now, h, at_pc(uint32_t(rng()), now));
      vcd.stall(now + 1 + rng() % 8, h, Stall(rng() % 4));
      if (rng() % 4 == 0) vcd.bus(now + rng() % 3, int(h), uint32_t(rng()), BusKind::amo);
    }
    vcd.finish(now + 20);
    EXPECT_EQ(vcd.late_values(), 0u);
  };
  run("small.vcd", 10);
  run("all.vcd", ~uint64_t{0} / 2);
  EXPECT_TRUE(test::read_bytes(dir / "small.vcd") == test::read_bytes(dir / "all.vcd"));
}

// Values waiting for their cycle sit in a ring (in time order), a calendar
// (dated before the ring's last: at many harts, most of them) or a heap
// (dated past the calendar's 64 K cycles). Values of one cycle from all three
// are written in the order they came: the last call for a signal and cycle
// wins. 16 harts, each dating a stall ahead of the next hart's step, some
// overwritten by a later call for the same cycle. The same bytes and the
// right values with a lookahead of 8 cycles (ring and calendar), of 2^40
// (past the calendar: the heap too, nothing written before the end), and of
// 64 K + 2 over 100 K cycles: a value dated 2 cycles or less before the
// latest goes to the heap, a later one for its cycle to the calendar, and
// the heap's comes first.
TEST(Vcd, ValuesOfOneCycleKeepTheOrderTheyCameInWhereverTheyWaited) {
  TempDir dir;
  constexpr unsigned kHarts = 16;
  std::map<std::pair<unsigned, uint64_t>, unsigned> last;  // (hart, cycle) -> the stall last given
  auto run = [&](const std::string& name, uint64_t lookahead) {
    VcdOptions o = options(dir / name);
    o.harts = kHarts;
    o.lookahead_cycles = lookahead;
    VcdTracer vcd(o);
    std::mt19937_64 rng(11);
    uint64_t now = 0;
    last.clear();
    for (int i = 0; i < 12000; ++i) {
      now += 1 + rng() % 16;
      for (unsigned h = 0; h < kHarts; ++h) {
        vcd.hart(now, h, at_pc(uint32_t(rng()), now));
        last[{h, now}] = 0;  // a hart's state says it issues
        const uint64_t ahead = now + 1 + rng() % 8;
        const auto why = unsigned(1 + rng() % 3);
        vcd.stall(ahead, h, Stall(why));
        last[{h, ahead}] = why;
        if (rng() % 4 == 0) {  // a later call for that same cycle
          const auto again = unsigned(rng() % 4);
          vcd.stall(ahead, h, Stall(again));
          last[{h, ahead}] = again;
        }
      }
    }
    vcd.finish(now + 20);
    EXPECT_EQ(vcd.late_values(), 0u) << name;
  };
  run("ring.vcd", 8);
  const std::map<std::pair<unsigned, uint64_t>, unsigned> expected = last;
  run("heap.vcd", uint64_t{1} << 40);
  ASSERT_TRUE(test::read_bytes(dir / "ring.vcd") == test::read_bytes(dir / "heap.vcd"));
  run("both.vcd", (uint64_t{1} << 16) + 2);
  ASSERT_TRUE(test::read_bytes(dir / "ring.vcd") == test::read_bytes(dir / "both.vcd"));
  Vcd v = read_vcd(dir / "ring.vcd");
  size_t checked = 0;
  for (const auto& [at, want] : expected) {
    // A hart's step dated after a stall of the same cycle (the next round's)
    // comes later and wins: checked where the map's value is the last call.
    ASSERT_EQ(v.at("hart" + std::to_string(at.first) + ".stall", at.second), want)
        << "hart" << at.first << " cycle " << at.second;
    ++checked;
  }
  EXPECT_GT(checked, size_t{200000});
}

TEST(Vcd, AValueDatedBeforeWhatIsWrittenIsCountedAndStillInOrder) {
  TempDir dir;
  VcdOptions o = options(dir / "t.vcd");
  o.lookahead_cycles = 2;
  uint64_t late = 0;
  {
    VcdTracer vcd(o);
    vcd.hart(100, 0, at_pc(0x80000000));
    vcd.hart(50, 1, at_pc(0x80000000));  // more than the lookahead late
    vcd.finish(200);
    late = vcd.late_values();
  }
  EXPECT_EQ(late, 1u);
  Vcd v = read_vcd(dir / "t.vcd");
  for (size_t i = 1; i < v.times.size(); ++i) EXPECT_LT(v.times[i - 1], v.times[i]);
  EXPECT_EQ(v.changes("hart1.pc").back().time, 98u);  // the earliest cycle still open
}

// A late source (the monitor) keeps cycles open only back to what it may
// still tell of (VcdOptions::untold), as of the last time it was asked, and
// never back past what the machine may still report since then. Asked only
// at the machine's calls: never while the source is telling.
TEST(Vcd, ALateSourceKeepsOpenOnlyTheCyclesItMayStillTellOf) {
  TempDir dir;
  struct Outcome {
    uint64_t moved = 0, asked = 0;
    Vcd v;
  };
  // Hart 0 steps every cycle to `steps`, then the source tells that
  // tickslock was taken by hart 1 at `since`. `untold`: what the source
  // answers (nullopt: no untold function).
  auto run = [&](const char* name, std::optional<uint64_t> untold, uint64_t steps, uint64_t since) {
    VcdOptions o = options(dir / name);
    o.lock_holders = true;
    o.threads = true;
    o.late_cycles = 1000;
    Outcome out;
    bool telling = false;
    if (untold)
      o.untold = [&out, &telling, untold] {
        EXPECT_FALSE(telling) << "asked while the source tells";
        ++out.asked;
        return *untold;
      };
    {
      VcdTracer vcd(o);
      for (uint64_t c = 1; c <= steps; ++c) vcd.hart(c, 0, at_pc(0x80000000 + 4 * static_cast<uint32_t>(c), c));
      telling = true;
      vcd.lock_holder(since, 1, 2);
      vcd.thread(since + 1, 1, 1);
      vcd.irq_depth(steps + 300, 0, 0);  // past the next time to ask; no change
      telling = false;
      vcd.hart(steps + 1, 1, at_pc(0x80000000));
      vcd.finish(steps + 2);
      out.moved = vcd.lock_values_moved();
    }
    out.v = read_vcd(dir / name);
    return out;
  };
  // Nothing untold: asked at cycles 1, 257 and 513, the last answer leaves
  // open only what the machine may report, 513 - 40 on: the hold at 100 is moved.
  Outcome none = run("none.vcd", UINT64_MAX, 600, 100);
  EXPECT_EQ(none.moved, 1u);
  EXPECT_EQ(none.asked, 3u);
  EXPECT_EQ(none.v.at("locks.tickslock", 472), 0u);
  EXPECT_EQ(none.v.at("locks.tickslock", 473), 2u);
  // A hold since 100 untold: written at 100, the file the same as the one
  // that holds every cycle for late_cycles.
  Outcome pending = run("pending.vcd", 100, 600, 100);
  Outcome all = run("all.vcd", std::nullopt, 600, 100);
  EXPECT_EQ(pending.moved, 0u);
  EXPECT_EQ(pending.v.at("locks.tickslock", 99), 0u);
  EXPECT_EQ(pending.v.at("locks.tickslock", 100), 2u);
  EXPECT_EQ(all.moved, 0u);
  EXPECT_EQ(pending.v.text, all.v.text);
  // Learnt of after the last answer: dated no earlier than the machine may
  // still report (257 - 40), and written at its cycle.
  Outcome learnt = run("learnt.vcd", UINT64_MAX, 300, 217);
  EXPECT_EQ(learnt.moved, 0u);
  EXPECT_EQ(learnt.v.at("locks.tickslock", 216), 0u);
  EXPECT_EQ(learnt.v.at("locks.tickslock", 217), 2u);
  EXPECT_EQ(learnt.v.at("hart1.thread", 218), 1u);
  // Past late_cycles, a hold is moved whatever the source says.
  Outcome old = run("old.vcd", 100, 1200, 100);
  EXPECT_EQ(old.moved, 1u);
  EXPECT_EQ(old.v.at("locks.tickslock", 200), 2u);
  EXPECT_EQ(old.v.changes("locks.tickslock").back().time, 200u);
}

TEST(Vcd, ValuesDatedAfterTheEndAreDropped) {
  TempDir dir;
  {
    VcdTracer vcd(options(dir / "t.vcd"));
    vcd.bus(10, 0, 0x00100000, BusKind::write);
    vcd.bus(11, -1, 0, BusKind::idle);  // the finisher's write ended the run at 10
    vcd.finish(10);
  }
  Vcd v = read_vcd(dir / "t.vcd");
  EXPECT_EQ(v.times, (std::vector<uint64_t>{0, 10}));
  EXPECT_EQ(v.at("bus.busy", 10), 1u);
}

// trace.window: the file starts at FROM with the values the earlier cycles
// left (mtime as of FROM), holds only changes inside, and ends at TO.
TEST(Vcd, AWindowHoldsItsCyclesStartingFromTheValuesBefore) {
  TempDir dir;
  {
    VcdTracer vcd(windowed(dir / "t.vcd", 30, 60));
    vcd.hart(0, 0, at_pc(0x80000000));
    vcd.hart(10, 0, at_pc(0x80000004, 1));
    vcd.word(20, 1, 1);  // before the window: its value at 30 is 1
    vcd.hart(40, 0, at_pc(0x80000008, 2));
    vcd.word(50, 1, 0);
    vcd.hart(70, 0, at_pc(0x8000000c, 3));  // after the window: not written
    vcd.finish(90);
  }
  Vcd v = read_vcd(dir / "t.vcd");
  EXPECT_EQ(v.times, (std::vector<uint64_t>{30, 40, 50, 60}));
  const auto& pc = v.changes("hart0.pc");
  ASSERT_EQ(pc.size(), 2u);
  EXPECT_EQ(pc[0].time, 30u);
  EXPECT_EQ(pc[0].value, 0x80000004u);
  EXPECT_EQ(pc[1].value, 0x80000008u);
  EXPECT_EQ(v.at("words.tickslock", 30), 1u);
  EXPECT_EQ(v.at("words.tickslock", 60), 0u);
  EXPECT_EQ(v.at("clint.mtime", 30), 3u);
  EXPECT_EQ(v.at("hart0.retired", 60), 2u);
}

// A window that starts at a cycle with a change, and a run that ended
// before the window: the file still has its state, at the run's end.
TEST(Vcd, AWindowStartingAtAChangeOrAfterTheRun) {
  TempDir dir;
  {
    VcdTracer vcd(windowed(dir / "a.vcd", 10));
    vcd.hart(0, 0, at_pc(0x80000000));
    vcd.hart(10, 0, at_pc(0x80000004, 1));
    vcd.finish(20);
  }
  Vcd a = read_vcd(dir / "a.vcd");
  EXPECT_EQ(a.times, (std::vector<uint64_t>{10, 20}));
  EXPECT_EQ(a.at("hart0.pc", 10), 0x80000004u);
  {
    VcdTracer vcd(windowed(dir / "b.vcd", 100, 200));
    vcd.hart(0, 0, at_pc(0x80000000));
    vcd.hart(10, 0, at_pc(0x80000004, 1));
    vcd.finish(20);
  }
  Vcd b = read_vcd(dir / "b.vcd");
  EXPECT_EQ(b.times, (std::vector<uint64_t>{20}));
  EXPECT_EQ(b.at("hart0.pc", 20), 0x80000004u);
}

// Before the window each signal's latest value is kept at once, unless it
// is dated ahead of the steps reported so far: that one waits for its cycle.
// Either way the window opens with the value latest by (cycle, arrival),
// whatever order they were kept in, and a value dated after a run that ended
// before the window is not in it.
TEST(Vcd, BeforeAWindowTheLatestValueWinsWhateverOrderItCameIn) {
  TempDir dir;
  {
    VcdTracer vcd(windowed(dir / "a.vcd", 100, 200));
    vcd.hart(10, 0, at_pc(0x80000000));
    vcd.stall(15, 0, Stall::bus);           // dated ahead of the step at 10: waits
    vcd.hart(14, 0, at_pc(0x80000004, 1));  // kept at once, stall none, but before 15
    vcd.word(60, 0, 7);                     // ahead of the step at 14: waits
    vcd.hart(60, 1, at_pc(0x80000100, 1));
    vcd.word(60, 0, 9);  // the same cycle, later: wins
    vcd.bus(70, 1, 0x80001000, BusKind::write);
    vcd.bus(75, 1, 0, BusKind::idle);  // ahead: waits, and frees the bus
    vcd.hart(80, 1, at_pc(0x80000104, 2));
    vcd.finish(300);
  }
  Vcd a = read_vcd(dir / "a.vcd");
  EXPECT_EQ(a.times.front(), 100u);
  EXPECT_EQ(a.at("hart0.pc", 100), 0x80000004u);
  EXPECT_EQ(a.at("hart0.stall", 100), static_cast<uint64_t>(Stall::bus));
  EXPECT_EQ(a.at("words.w_80001000", 100), 9u);
  EXPECT_EQ(a.at("hart1.retired", 100), 2u);
  EXPECT_EQ(a.at("bus.busy", 100), 0u);
  EXPECT_EQ(a.at("bus.addr", 100), 0x80001000u);
  {
    VcdTracer vcd(windowed(dir / "b.vcd", 100));
    vcd.hart(10, 0, at_pc(0x80000000));
    vcd.bus(10, 0, 0x80001000, BusKind::write);
    vcd.bus(25, 0, 0, BusKind::idle);  // dated after the run's end below
    vcd.stall(25, 0, Stall::bus);
    vcd.hart(20, 0, at_pc(0x80000004, 1));
    vcd.finish(20);
  }
  Vcd b = read_vcd(dir / "b.vcd");
  EXPECT_EQ(b.times, (std::vector<uint64_t>{20}));
  EXPECT_EQ(b.at("bus.busy", 20), 1u);
  EXPECT_EQ(b.at("hart0.stall", 20), 0u);
  EXPECT_EQ(b.at("hart0.pc", 20), 0x80000004u);
}

// The machine reports the state at a window's start with each value's own
// date (models/hooks.h, waveform_from), which may be long before the
// cycles the writer has passed: before the window such a value is kept with
// its date, neither moved nor counted late.
TEST(Vcd, BeforeAWindowAValueDatedBeforeTheCyclesPassedKeepsItsDate) {
  TempDir dir;
  {
    VcdTracer vcd(windowed(dir / "a.vcd", 1000, 1100));
    EXPECT_EQ(vcd.waveform_from(), 1000u);
    vcd.hart(900, 1, at_pc(0x80000100));    // the writer passes cycle 860 (lookahead 40)
    vcd.word(880, 0, 8);                    // no later than a step: kept at once
    vcd.word(950, 1, 5);                    // ... and 910
    vcd.hart(20, 0, at_pc(0x80000000, 3));  // a hart that last stepped at 20
    vcd.word(30, 0, 6);                     // older than the 8 kept: the 8 stays
    vcd.stall(990, 0, Stall::wfi);
    vcd.hart(1010, 1, at_pc(0x80000104, 1));
    vcd.finish(1100);
    EXPECT_EQ(vcd.late_values(), 0u);
  }
  Vcd a = read_vcd(dir / "a.vcd");
  EXPECT_EQ(a.times.front(), 1000u);
  EXPECT_EQ(a.at("hart0.pc", 1000), 0x80000000u);
  EXPECT_EQ(a.at("hart0.retired", 1000), 3u);
  EXPECT_EQ(a.at("hart0.stall", 1000), static_cast<uint64_t>(Stall::wfi));
  EXPECT_EQ(a.at("words.w_80001000", 1000), 8u);
  EXPECT_EQ(a.at("words.tickslock", 1000), 5u);
  EXPECT_EQ(a.at("hart1.pc", 1000), 0x80000100u);
  EXPECT_EQ(a.at("hart1.pc", 1010), 0x80000104u);
  // Once the window's first cycle is written, such a value is late as any
  // other: moved to the earliest open cycle and counted.
  {
    VcdTracer vcd(windowed(dir / "b.vcd", 100));
    vcd.hart(120, 0, at_pc(0x80000000));
    vcd.hart(200, 0, at_pc(0x80000004));  // cycles up to 160 written: #100's values and #120
    vcd.word(50, 0, 4);
    vcd.finish(400);
    EXPECT_EQ(vcd.late_values(), 1u);
  }
  Vcd b = read_vcd(dir / "b.vcd");
  EXPECT_EQ(b.at("words.w_80001000", 100), 0u);
  EXPECT_EQ(b.at("words.w_80001000", 160), 4u);
}

TEST(Vcd, CycleWindowsParse) {
  auto w = parse_cycle_window("9000..11000");
  ASSERT_TRUE(w);
  EXPECT_EQ(w->from, 9000u);
  EXPECT_EQ(w->to, 11000u);
  EXPECT_TRUE(parse_cycle_window("5..5"));
  for (const char* bad : {"", "9000", "11000..9000", "a..b", "-1..5", "1..", "..5", "1...5", "1..5x", " 1..5"})
    EXPECT_FALSE(parse_cycle_window(bad)) << bad;
  EXPECT_THROW(vcd_window_option("5..1"), Error);
  EXPECT_EQ(vcd_window_option("1..5"), "1..5");
}

}  // namespace
}  // namespace spinlab
