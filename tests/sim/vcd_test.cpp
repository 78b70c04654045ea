// The VCD writer's file: header and scopes, change-only output, what each
// signal carries (context, priv, lock holders, threads), encodings,
// byte-identical files for identical input, the timescale, signal names and
// errors. When values are written (time order, late values, windows):
// vcd_order_test.cpp. The files are read back with a small VCD reader
// (vcd_reader.h) so assertions are about signals and values, not text layout.
#include <cstdint>
#include <map>
#include <random>
#include <string>
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
using models::HartTrace;
using models::Stall;
using test::at_pc;
using test::options;
using test::read_vcd;
using test::TempDir;
using test::Vcd;

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
