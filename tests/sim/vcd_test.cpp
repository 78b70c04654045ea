// The VCD writer: header and scopes, change-only output, values dated in the
// future written in time order, byte-identical files for identical input,
// the timescale, encodings. The files are read back with a small VCD reader
// (below) so assertions are about signals and values, not text layout.
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "sim/load/error.h"
#include "sim/out/vcd.h"
#include "testutil.h"
#include "vcd_reader.h"

namespace spinlab {
namespace {

using models::BusKind;
using models::HartTrace;
using models::Stall;
using test::read_vcd;
using test::TempDir;
using test::Vcd;


VcdOptions options(const std::string& path) {
  VcdOptions o;
  o.path = path;
  o.harts = 2;
  o.clock_hz = 100'000'000;
  o.plic_sources = 3;
  o.words = {"0x80001000", "tickslock"};
  o.mtime_at = [](uint64_t cycle) { return cycle / 10; };
  o.lookahead_cycles = 40;
  return o;
}

// options() with trace.window FROM..TO.
VcdOptions windowed(const std::string& path, uint64_t from, uint64_t to = ~uint64_t{0}) {
  VcdOptions o = options(path);
  o.window_from = from;
  o.window_to = to;
  return o;
}

HartTrace at_pc(uint32_t pc, uint64_t retired = 0) {
  HartTrace t;
  t.pc = pc;
  t.insn = 0x00000013;  // nop
  t.retired = retired;
  return t;
}

TEST(Vcd, HeaderDeclaresEveryBlockWithReadableNames) {
  TempDir dir;
  {
    VcdTracer vcd(options(dir / "t.vcd"));
    vcd.finish(0);
    EXPECT_EQ(vcd.write_error(), "");
  }
  Vcd v = read_vcd(dir / "t.vcd");
  EXPECT_EQ(v.timescale, "10 ns");
  std::map<std::string, unsigned> want = {
      {"bus.owner", 7}, {"bus.busy", 1}, {"bus.addr", 32}, {"bus.kind", 2},
      {"clint.mtime", 64}, {"plic.line1", 1}, {"plic.line2", 1}, {"plic.line3", 1},
      {"words.w_80001000", 32}, {"words.tickslock", 32}};
  for (const char* h : {"hart0", "hart1"}) {
    std::string p = std::string(h) + ".";
    for (auto [name, width] : std::map<std::string, unsigned>{{"pc", 32}, {"insn", 32}, {"mstatus_mie", 1},
                                                              {"mip", 32}, {"mie", 32}, {"in_irq", 1},
                                                              {"stall", 2}, {"retired", 64}, {"context", 32},
                                                              {"priv", 2}})
      want[p + name] = width;
  }
  EXPECT_EQ(v.width_of, want);
  // Every signal has its own identifier and a value at time 0.
  std::map<std::string, int> ids;
  for (const auto& [name, id] : v.id_of) EXPECT_EQ(++ids[id], 1) << name;
  for (const auto& [name, width] : want) EXPECT_EQ(v.changes(name).size(), 1u) << name;
  EXPECT_EQ(v.at("bus.owner", 0), 0x7fu);  // idle
  EXPECT_EQ(v.at("hart1.priv", 0), 3u);     // harts reset in M
  // No date: identical runs give identical files.
  EXPECT_EQ(v.text.find("$date"), std::string::npos);
  EXPECT_NE(v.text.find("$enddefinitions $end\n#0\n$dumpvars\n"), std::string::npos);
}

TEST(Vcd, NoPlicScopeOrWordsScopeWhenThereAreNone) {
  TempDir dir;
  VcdOptions o = options(dir / "t.vcd");
  o.plic_sources = 0;
  o.words.clear();
  o.mtime_at = nullptr;
  VcdTracer(o).finish(0);
  Vcd v = read_vcd(dir / "t.vcd");
  for (const auto& [name, id] : v.id_of) {
    EXPECT_NE(name.rfind("plic.", 0), 0u) << name;
    EXPECT_NE(name.rfind("words.", 0), 0u) << name;
    EXPECT_NE(name.rfind("clint.", 0), 0u) << name;
  }
  EXPECT_EQ(v.id_of.count("hart1.pc"), 1u);
}

TEST(Vcd, WritesOnlyChangesAndOnlyTimesWithChanges) {
  TempDir dir;
  {
    VcdTracer vcd(options(dir / "t.vcd"));
    vcd.hart(0, 0, at_pc(0x80000000));
    vcd.hart(1, 0, at_pc(0x80000000));  // the same state: nothing to write
    vcd.hart(2, 0, at_pc(0x80000004, 1));
    vcd.hart(35, 0, at_pc(0x80000004, 1));  // again nothing
    vcd.hart(36, 0, at_pc(0x80000008, 2));
    vcd.finish(50);
  }
  Vcd v = read_vcd(dir / "t.vcd");
  EXPECT_EQ(v.times, (std::vector<uint64_t>{0, 2, 36, 50}));
  const auto& pc = v.changes("hart0.pc");
  ASSERT_EQ(pc.size(), 3u);
  EXPECT_EQ(pc[1].time, 2u);
  EXPECT_EQ(pc[1].value, 0x80000004u);
  EXPECT_EQ(pc[2].time, 36u);
  EXPECT_EQ(v.changes("hart0.insn").size(), 1u);  // always a nop
  EXPECT_EQ(v.changes("hart1.pc").size(), 1u);
  // mtime (cycle / 10) only where something else is written: 0 at #2 is
  // no change; at #36 it reads 3, and at the final #50, 5.
  const auto& mtime = v.changes("clint.mtime");
  ASSERT_EQ(mtime.size(), 3u);
  EXPECT_EQ(mtime[1].time, 36u);
  EXPECT_EQ(mtime[1].value, 3u);
  EXPECT_EQ(mtime[2].time, 50u);
  EXPECT_EQ(mtime[2].value, 5u);
}

TEST(Vcd, AChangeUndoneWithinACycleIsNotWritten) {
  TempDir dir;
  {
    VcdTracer vcd(options(dir / "t.vcd"));
    vcd.irq_line(5, 2, true);
    vcd.irq_line(5, 2, false);
    vcd.irq_line(6, 3, true);
    vcd.finish(10);
  }
  Vcd v = read_vcd(dir / "t.vcd");
  EXPECT_EQ(v.changes("plic.line2").size(), 1u);
  EXPECT_EQ(v.at("plic.line3", 6), 1u);
  EXPECT_EQ(v.times, (std::vector<uint64_t>{0, 6, 10}));
}

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

// hartN.context follows HartTrace::context; the interrupts taken (an
// irq_depth that rises) are kept for the save file's markers.
TEST(Vcd, ContextAndTheInterruptsTaken) {
  TempDir dir;
  std::vector<VcdInterrupt> taken;
  {
    VcdTracer vcd(options(dir / "t.vcd"));
    HartTrace t = at_pc(0x80000000);
    vcd.hart(10, 0, t);
    t.irq_depth = 1, t.context = 7;  // the timer interrupt
    vcd.hart(20, 0, t);
    t.irq_depth = 2, t.context = 3u << 16 | 11;  // nested: external, source 3
    vcd.hart(30, 1, t);
    vcd.hart(35, 1, t);  // still in it: no second entry
    t.irq_depth = 0, t.context = 0;  // mret
    vcd.hart(40, 0, t);
    vcd.finish(50);
    taken = vcd.interrupts();
  }
  Vcd v = read_vcd(dir / "t.vcd");
  EXPECT_EQ(v.at("hart0.context", 25), 7u);
  EXPECT_EQ(v.at("hart0.context", 45), 0u);
  EXPECT_EQ(v.at("hart1.context", 31), 0x3000bu);
  ASSERT_EQ(taken.size(), 2u);
  EXPECT_EQ(taken[0].cycle, 20u);
  EXPECT_EQ(taken[0].hart, 0u);
  EXPECT_EQ(taken[0].context, 7u);
  EXPECT_EQ(taken[1].cycle, 30u);
  EXPECT_EQ(taken[1].hart, 1u);
}

// hartN.priv follows HartTrace::priv, written when it changes; its
// identifier comes after every other signal's, so the others keep theirs.
TEST(Vcd, PrivFollowsTheMode) {
  TempDir dir;
  {
    VcdTracer vcd(options(dir / "t.vcd"));
    HartTrace t = at_pc(0x80000000);
    vcd.hart(10, 0, t);
    t.priv = 0;  // the mret to U
    vcd.hart(20, 0, t);
    vcd.hart(25, 0, t);
    t.priv = 3;  // the ecall
    vcd.hart(30, 0, t);
    vcd.finish(50);
  }
  Vcd v = read_vcd(dir / "t.vcd");
  std::vector<std::pair<uint64_t, uint64_t>> got;
  for (const auto& c : v.changes("hart0.priv")) got.emplace_back(c.time, c.value);
  EXPECT_EQ(got, (std::vector<std::pair<uint64_t, uint64_t>>{{0, 3}, {20, 0}, {30, 3}}));
  EXPECT_EQ(v.changes("hart1.priv").size(), 1u);
  // $dumpvars lists signals in their order: the hartN.priv values last.
  size_t from = v.text.find("$dumpvars\n"), to = v.text.find("$end\n", from);
  ASSERT_NE(to, std::string::npos);
  std::string dump = v.text.substr(from, to - from);
  const std::string last = "\nb11 " + v.id_of.at("hart0.priv") + "\nb11 " + v.id_of.at("hart1.priv") + "\n";
  ASSERT_GE(dump.size(), last.size());
  EXPECT_EQ(dump.substr(dump.size() - last.size()), last) << dump;
}

// locks.NAME, one per traced word with lock_holders, holds who holds it; a
// holder value too late for its cycle is moved, not counted as a bug.
TEST(Vcd, LockHoldersPerTracedWord) {
  TempDir dir;
  VcdOptions o = options(dir / "t.vcd");
  o.lock_holders = true;
  uint64_t moved = 0, late = 0;
  {
    VcdTracer vcd(o);
    vcd.lock_holder(10, 1, 1);  // tickslock held by hart0
    vcd.lock_holder(30, 1, VcdTracer::kLockFree);
    vcd.lock_holder(31, 0, VcdTracer::kLockMany);
    vcd.hart(200, 0, at_pc(0x80000000));
    vcd.lock_holder(100, 0, 2);  // more than the lookahead late
    vcd.finish(300);
    moved = vcd.lock_values_moved();
    late = vcd.late_values();
  }
  Vcd v = read_vcd(dir / "t.vcd");
  EXPECT_EQ(v.width_of.at("locks.tickslock"), 8u);
  EXPECT_EQ(v.width_of.at("locks.w_80001000"), 8u);
  EXPECT_EQ(v.at("locks.tickslock", 0), 0u);
  EXPECT_EQ(v.at("locks.tickslock", 10), 1u);
  EXPECT_EQ(v.at("locks.tickslock", 30), 0u);
  EXPECT_EQ(v.at("locks.w_80001000", 31), 255u);
  EXPECT_EQ(v.changes("locks.w_80001000").back().time, 160u);  // 200 - the lookahead of 40
  EXPECT_EQ(moved, 1u);
  EXPECT_EQ(late, 0u);
  // Without lock_holders: no locks scope.
  {
    VcdTracer vcd(options(dir / "u.vcd"));
    vcd.lock_holder(10, 1, 1);
    vcd.finish(20);
  }
  EXPECT_EQ(read_vcd(dir / "u.vcd").width_of.count("locks.tickslock"), 0u);
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

// hartN.thread, with threads: the monitor's thread id + 1 from each switch;
// hartN.switch: where the last switch happened (SwitchWhere + 1), held;
// hartN.irq_depth: the monitor's interrupt depth, held.
TEST(Vcd, ThreadPerHartWithThreads) {
  TempDir dir;
  VcdOptions o = options(dir / "t.vcd");
  o.threads = true;
  {
    VcdTracer vcd(o);
    vcd.thread(5, 0, 1);   // the boot thread, 0
    vcd.irq_depth(30, 0, 1);
    vcd.thread(40, 0, 2);  // a switch to thread 1
    vcd.switch_where(40, 0, 2);  // on return from an interrupt
    vcd.irq_depth(50, 0, 2);  // nested
    vcd.thread(60, 1, 3);
    vcd.switch_where(60, 1, 3);  // from user mode
    vcd.irq_depth(70, 0, 0);
    vcd.switch_where(80, 0, 1);  // in kernel code
    vcd.hart(100, 0, at_pc(0x80000000));
    vcd.finish(120);
  }
  Vcd v = read_vcd(dir / "t.vcd");
  EXPECT_EQ(v.width_of.at("hart0.thread"), 16u);
  EXPECT_EQ(v.at("hart0.thread", 0), 0u);
  EXPECT_EQ(v.at("hart0.thread", 5), 1u);
  EXPECT_EQ(v.at("hart0.thread", 40), 2u);
  EXPECT_EQ(v.at("hart1.thread", 60), 3u);
  EXPECT_EQ(v.width_of.at("hart0.switch"), 3u);
  EXPECT_EQ(v.at("hart0.switch", 39), 0u);
  EXPECT_EQ(v.at("hart0.switch", 40), 2u);
  EXPECT_EQ(v.at("hart0.switch", 79), 2u);
  EXPECT_EQ(v.at("hart0.switch", 80), 1u);
  EXPECT_EQ(v.at("hart1.switch", 59), 0u);
  EXPECT_EQ(v.at("hart1.switch", 100), 3u);
  EXPECT_EQ(v.width_of.at("hart0.irq_depth"), 8u);
  EXPECT_EQ(v.at("hart0.irq_depth", 29), 0u);
  EXPECT_EQ(v.at("hart0.irq_depth", 30), 1u);
  EXPECT_EQ(v.at("hart0.irq_depth", 50), 2u);
  EXPECT_EQ(v.at("hart0.irq_depth", 69), 2u);
  EXPECT_EQ(v.at("hart0.irq_depth", 70), 0u);
  EXPECT_EQ(v.at("hart1.irq_depth", 100), 0u);
  {
    VcdTracer vcd(options(dir / "u.vcd"));
    vcd.thread(5, 0, 1);
    vcd.switch_where(5, 0, 2);
    vcd.finish(20);
  }
  EXPECT_EQ(read_vcd(dir / "u.vcd").width_of.count("hart0.thread"), 0u);
  EXPECT_EQ(read_vcd(dir / "u.vcd").width_of.count("hart0.switch"), 0u);
  EXPECT_EQ(read_vcd(dir / "u.vcd").width_of.count("hart0.irq_depth"), 0u);
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

TEST(Vcd, EncodesWideValuesAndTheStallAndBusCodes) {
  TempDir dir;
  {
    VcdTracer vcd(options(dir / "t.vcd"));
    HartTrace t = at_pc(0xffffffff, ~uint64_t{0});
    t.insn = 0x100;
    t.mstatus_mie = true;
    t.mip = 1u << 11;
    t.mie = 0x888;
    t.irq_depth = 2;
    t.stall = Stall::wfi;
    vcd.hart(1, 1, t);
    vcd.bus(2, 126, 0xdeadbeef, BusKind::amo);
    vcd.bus(3, 3, 0x10000000, BusKind::write);
    vcd.finish(3);
  }
  Vcd v = read_vcd(dir / "t.vcd");
  EXPECT_EQ(v.at("hart1.pc", 1), 0xffffffffu);
  EXPECT_EQ(v.at("hart1.retired", 1), ~uint64_t{0});
  EXPECT_EQ(v.at("hart1.insn", 1), 0x100u);
  EXPECT_EQ(v.at("hart1.mstatus_mie", 1), 1u);
  EXPECT_EQ(v.at("hart1.mip", 1), 1u << 11);
  EXPECT_EQ(v.at("hart1.mie", 1), 0x888u);
  EXPECT_EQ(v.at("hart1.in_irq", 1), 1u);
  EXPECT_EQ(v.at("hart1.stall", 1), 3u);
  EXPECT_EQ(v.at("bus.owner", 2), 126u);
  EXPECT_EQ(v.at("bus.kind", 2), 3u);
  EXPECT_EQ(v.at("bus.addr", 2), 0xdeadbeefu);
  EXPECT_EQ(v.at("bus.kind", 3), 2u);
  EXPECT_NE(v.text.find("b11111111111111111111111111111111 "), std::string::npos);
}

TEST(Vcd, IdenticalInputGivesIdenticalBytes) {
  TempDir dir;
  auto run = [&](const std::string& name) {
    VcdTracer vcd(options(dir / name));
    std::mt19937_64 rng(42);
    uint64_t now = 0;
    for (int i = 0; i < 50000; ++i) {
      now += 1 + rng() % 4;
      vcd.hart(now, unsigned(rng() % 2), at_pc(uint32_t(rng() & 0xfc), now));
      if (rng() % 8 == 0) vcd.bus(now, int(rng() % 2), uint32_t(rng()), BusKind(1 + rng() % 3));
      if (rng() % 8 == 0) vcd.bus(now + 2, -1, 0, BusKind::idle);
      if (rng() % 16 == 0) vcd.word(now, unsigned(rng() % 2), uint32_t(rng()));
      if (rng() % 32 == 0) vcd.irq_line(now, 1 + unsigned(rng() % 3), rng() % 2);
    }
    vcd.finish(now + 10);
  };
  run("a.vcd");
  run("b.vcd");
  std::vector<char> a = test::read_bytes(dir / "a.vcd");
  EXPECT_GT(a.size(), 100000u);
  EXPECT_TRUE(a == test::read_bytes(dir / "b.vcd"));
}

TEST(Vcd, TimescaleIsOneClockPeriod) {
  struct Case {
    uint64_t hz;
    const char* text;
    bool exact;
  };
  for (const Case& c : {Case{100'000'000, "10 ns", true}, Case{1'000'000'000, "1 ns", true},
                        Case{10'000'000, "100 ns", true}, Case{1, "1 s", true}, Case{1000, "1 ms", true},
                        Case{1'000'000'000'000'000, "1 fs", true},
                        // Not 1, 10 or 100 of a unit: the closest by ratio.
                        Case{50'000'000, "10 ns", false}, Case{3'000'000, "1 us", false},
                        Case{4'000'000, "100 ns", false}, Case{2, "1 s", false},
                        Case{10'000'000'000'000'000, "1 fs", false}}) {
    VcdTimescale ts = vcd_timescale(c.hz);
    EXPECT_EQ(ts.text, c.text) << c.hz << " Hz";
    EXPECT_EQ(ts.exact, c.exact) << c.hz << " Hz";
  }
}

TEST(Vcd, AnInexactTimescaleIsExplainedInTheFile) {
  TempDir dir;
  VcdOptions o = options(dir / "t.vcd");
  o.clock_hz = 50'000'000;
  VcdTracer(o).finish(0);
  Vcd v = read_vcd(dir / "t.vcd");
  EXPECT_EQ(v.timescale, "10 ns");
  EXPECT_NE(v.text.find("50000000 Hz machine clock (20 ns)"), std::string::npos);
  EXPECT_NE(v.text.find("cannot express that period"), std::string::npos);
}

TEST(Vcd, WordNamesAreVcdIdentifiers) {
  EXPECT_EQ(vcd_word_name("0x80001000"), "w_80001000");
  EXPECT_EQ(vcd_word_name("0X8000ABCD"), "w_8000abcd");
  EXPECT_EQ(vcd_word_name("tickslock"), "tickslock");
  EXPECT_EQ(vcd_word_name("lock+4"), "lock_4");
  EXPECT_EQ(vcd_word_name("1st"), "w_1st");
  EXPECT_EQ(vcd_word_name(""), "w_");

  TempDir dir;
  VcdOptions o = options(dir / "t.vcd");
  o.words = {"lock", "lock", "0x80001000"};
  VcdTracer(o).finish(0);
  Vcd v = read_vcd(dir / "t.vcd");
  EXPECT_EQ(v.id_of.count("words.lock"), 1u);
  EXPECT_EQ(v.id_of.count("words.lock_2"), 1u);
  EXPECT_EQ(v.id_of.count("words.w_80001000"), 1u);
}

TEST(Vcd, AnUnwritablePathIsAnError) {
  TempDir dir;
  Error e = test::catch_error([&] { VcdTracer vcd(options(dir / "no/such/dir/t.vcd")); });
  EXPECT_EQ(e.code(), ExitCode::no_input);  // an output that cannot be written is 66 (docs/exit-codes.md)
  EXPECT_NE(e.message().find("cannot write the VCD trace"), std::string::npos) << e.message();
  EXPECT_EQ(e.place().file, dir / "no/such/dir/t.vcd");
}

TEST(Vcd, TheDestructorFinishesAnUnfinishedTrace) {
  TempDir dir;
  {
    VcdTracer vcd(options(dir / "t.vcd"));
    vcd.hart(7, 0, at_pc(0x80000040));
  }
  Vcd v = read_vcd(dir / "t.vcd");
  EXPECT_EQ(v.at("hart0.pc", 7), 0x80000040u);
}

}  // namespace
}  // namespace spinlab
