// The GDB server (sim/gdb/server.h) on bundled firmware programs, driven by
// scripted packets through a fake connection: what each command answers,
// the stops it reports (hart, kind, address), the monitor's findings and
// commands, and the ways a session ends.
#include <algorithm>
#include <cstdio>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "firmware/include/memmap.h"
#include "models/kernel.h"
#include "models/machine.h"
#include "sim/cli/run.h"
#include "sim/gdb/packet.h"
#include "sim/gdb/registers.h"
#include "sim/gdb/server.h"
#include "sim/load/elf.h"
#include "sim/monitor/monitor.h"
#include "tests/gdb/fake_connection.h"
#include "tests/models/waves.h"

namespace spinlab::gdb {
namespace {

constexpr uint32_t kRamBytes = 16u << 20;

const ElfImage& program(const std::string& name) {
  static std::map<std::string, ElfImage> loaded;
  auto it = loaded.find(name);
  if (it == loaded.end())
    it =
        loaded
            .emplace(name, ElfImage::load(std::string(SPINLAB_FIRMWARE_DIR) + "/" + name + ".elf", RAM_BASE, kRamBytes))
            .first;
  return it->second;
}

std::string hex(uint32_t v) { return fmt::format("{:x}", v); }

// A machine running a bundled program, the monitor watching it (as a run
// with run.monitor = "on" has it), and a server on a scripted connection.
struct Session {
  // `waves`, when given, hears the waveform (added before the monitor).
  explicit Session(const std::string& name, unsigned harts, ServerOptions o = {}, models::Hooks* waves = nullptr)
      : elf(program(name)) {
    models::fresh_systemc_kernel();
    models::MachineSpec spec;
    spec.harts = harts;
    spec.ram_bytes = kRamBytes;
    spec.max_cycles = 5'000'000;
    spec.tohost = elf.lookup("tohost");
    console = std::tmpfile();
    spec.console = console;
    machine = std::make_unique<models::Machine>("machine", spec);
    load_segments(*machine, elf);
    monitor = std::make_unique<Monitor>(&elf, harts);
    models::Machine& m = *machine;
    monitor->set_return_address([&m](unsigned h) { return m.hart(h).x(1); });
    monitor->set_on_finding([this](const Finding& f) { server->on_finding(f); });
    monitor->set_on_deadlock([&m](const Finding&) { m.request_stop(models::StopReason::deadlock); });
    if (waves) m.add_hooks(*waves);
    m.add_hooks(*monitor);
    m.reset(elf.entry());
    server = std::make_unique<Server>(m, monitor.get(), link, std::move(o));
    m.set_progress([this](uint64_t) { server->poll(); }, Server::kPollCycles);
  }
  ~Session() { std::fclose(console); }

  // Serves `packets` (then the client goes away) and returns the replies.
  std::vector<std::string> serve(std::vector<std::string> packets) {
    link.incoming.assign(packets.begin(), packets.end());
    server->serve();
    return std::exchange(link.sent, {});
  }
  uint32_t sym(const char* name) const { return elf.lookup(name).value(); }

  const ElfImage& elf;
  std::FILE* console;
  std::unique_ptr<models::Machine> machine;
  std::unique_ptr<Monitor> monitor;
  test::FakeConnection link;
  std::unique_ptr<Server> server;
};

TEST(GdbServer, AnnouncesWhatItSupports) {
  Session s("test_and_set", 4);
  std::vector<std::string> r = s.serve({"qSupported:multiprocess+;swbreak+;hwbreak+;vContSupported+", "vCont?",
                                        "vMustReplyEmpty", "qAttached", "?", "qC"});
  ASSERT_EQ(r.size(), 6u);
  for (const char* f :
       {"PacketSize=", "qXfer:features:read+", "vContSupported+", "QStartNoAckMode+", "swbreak+", "hwbreak+"})
    EXPECT_NE(r[0].find(f), std::string::npos) << f;
  EXPECT_EQ(r[0].find("ReverseStep+"), std::string::npos);  // the stand-in offers no reverse execution
  EXPECT_EQ(r[1], "vCont;c;C;s;S");
  EXPECT_EQ(r[2], "");
  EXPECT_EQ(r[3], "1");
  EXPECT_EQ(r[4], "T05thread:1;");
  EXPECT_EQ(r[5], "QC1");
}

TEST(GdbServer, TargetDescriptionNumbersCsrsAsGdbDoes) {
  Session s("test_and_set", 1);
  // GDB reads it in pieces, each at most what the server sends at once:
  // 'm' and a piece, more to come; 'l' and the last.
  const size_t size = target_xml().size(), piece = 0x400;
  std::vector<std::string> asks;
  for (size_t at = 0; at < size; at += piece)
    asks.push_back(fmt::format("qXfer:features:read:target.xml:{:x},{:x}", at, piece));
  asks.push_back("qXfer:features:read:target.xml:10,20");
  asks.push_back("qXfer:features:read:other.xml:0,100");
  std::vector<std::string> r = s.serve(asks);
  ASSERT_EQ(r.size(), asks.size());
  std::string xml;
  for (size_t k = 0; k + 2 < r.size(); ++k) {
    EXPECT_EQ(r[k][0], k + 3 == r.size() ? 'l' : 'm') << k;
    xml += r[k].substr(1);
  }
  EXPECT_EQ(xml, target_xml());
  EXPECT_NE(xml.find("<architecture>riscv:rv32</architecture>"), std::string::npos);
  EXPECT_NE(xml.find("<feature name=\"org.gnu.gdb.riscv.cpu\">"), std::string::npos);
  EXPECT_NE(xml.find("<reg name=\"pc\" bitsize=\"32\" type=\"code_ptr\" regnum=\"32\"/>"), std::string::npos);
  EXPECT_NE(xml.find("<feature name=\"org.gnu.gdb.riscv.csr\">"), std::string::npos);
  // 65 + the CSR's number: mstatus 0x300 -> 833, mcause 0x342 -> 899, mhartid 0xf14 -> 3925.
  EXPECT_NE(xml.find("name=\"mstatus\" bitsize=\"32\" type=\"int\" regnum=\"833\""), std::string::npos);
  EXPECT_NE(xml.find("name=\"mcause\" bitsize=\"32\" type=\"int\" regnum=\"899\""), std::string::npos);
  EXPECT_NE(xml.find("name=\"mhartid\" bitsize=\"32\" type=\"int\" regnum=\"3925\""), std::string::npos);
  EXPECT_EQ(r[r.size() - 2], "m" + xml.substr(0x10, 0x20));
  EXPECT_EQ(r.back().substr(0, 2), "E.");
}

TEST(GdbServer, HartsAreThreads) {
  Session s("test_and_set", 4);
  std::vector<std::string> r =
      s.serve({"qfThreadInfo", "qsThreadInfo", "T3", "T5", "T0", "Hg3", "qC", "Hg9", "qThreadExtraInfo,2"});
  ASSERT_EQ(r.size(), 9u);
  EXPECT_EQ(r[0], "m1,2,3,4");
  EXPECT_EQ(r[1], "l");
  EXPECT_EQ(r[2], "OK");
  EXPECT_EQ(r[3].substr(0, 2), "E.");
  EXPECT_EQ(r[4], "OK");  // 0: any thread
  EXPECT_EQ(r[5], "OK");
  EXPECT_EQ(r[6], "QC3");
  EXPECT_EQ(r[7].substr(0, 2), "E.");
  EXPECT_EQ(hex_decode(r[8]).value_or("?"), "hart1");
}

TEST(GdbServer, RegistersReadAndWrite) {
  Session s("test_and_set", 2);
  const uint32_t entry = s.elf.entry();
  std::vector<std::string> r = s.serve({"Hg2", "g", "P5=78563412", "p5", "p20", "P0=ffffffff", "p0",
                                        "p341",                            // mstatus (65 + 0x300)
                                        "pf55",                            // mhartid (65 + 0xf14)
                                        "Pf55=00000000", "P385=ffffffff",  // mhartid, mip: read-only
                                        "P381=34120000", "p381",           // mscratch (65 + 0x340)
                                        "p1000", "G00", "p"});
  ASSERT_EQ(r.size(), 16u);
  EXPECT_EQ(r[0], "OK");
  ASSERT_EQ(r[1].size(), 33u * 8);
  EXPECT_EQ(r[1].substr(32 * 8), hex_u32_le(entry));  // pc last
  EXPECT_EQ(r[1].substr(10 * 8, 8), hex_u32_le(1));   // a0 = mhartid of hart 1
  EXPECT_EQ(r[2], "OK");
  EXPECT_EQ(r[3], "78563412");
  EXPECT_EQ(s.machine->hart(1).x(5), 0x12345678u);
  EXPECT_EQ(s.machine->hart(0).x(5), 0u);  // Hg2: hart 1's, not hart 0's
  EXPECT_EQ(r[4], hex_u32_le(entry));      // 0x20: pc
  EXPECT_EQ(r[5], "OK");
  EXPECT_EQ(r[6], "00000000");  // x0 stays 0
  EXPECT_EQ(r[7], hex_u32_le(s.machine->hart(1).csrs().mstatus));
  EXPECT_EQ(r[8], hex_u32_le(1));
  EXPECT_EQ(r[9].substr(0, 2), "E.");
  EXPECT_EQ(r[10].substr(0, 2), "E.");
  EXPECT_EQ(s.machine->hart(1).hartid(), 1u);
  EXPECT_EQ(r[11], "OK");
  EXPECT_EQ(r[12], "34120000");
  EXPECT_EQ(s.machine->hart(1).csrs().mscratch, 0x1234u);
  EXPECT_EQ(r[13].substr(0, 2), "E.");  // no such register
  EXPECT_EQ(r[14].substr(0, 2), "E.");  // G too short
  EXPECT_EQ(r[15].substr(0, 2), "E.");
}

TEST(GdbServer, MemoryThroughDebugAccess) {
  Session s("test_and_set", 1);
  const uint32_t entry = s.elf.entry(), count = s.sym("countlock");
  uint8_t code[8];
  ASSERT_TRUE(s.machine->peek(entry, code, 8));
  std::vector<std::string> r = s.serve({"m" + hex(entry) + ",8", "m0,4", "M" + hex(count) + ",4:0a0b0c0d",
                                        "m" + hex(count) + ",4", "X" + hex(count) + ",2:}#", "m" + hex(count) + ",4",
                                        "X" + hex(count) + ",0:", "M" + hex(count) + ",4:0a",
                                        "m" + hex(RAM_BASE + kRamBytes - 2) + ",4", "mzz"});
  ASSERT_EQ(r.size(), 10u);
  EXPECT_EQ(r[0], hex_encode(std::string_view(reinterpret_cast<char*>(code), 8)));
  EXPECT_EQ(r[1].substr(0, 2), "E.");  // nothing at 0
  EXPECT_EQ(r[2], "OK");
  EXPECT_EQ(r[3], "0a0b0c0d");
  EXPECT_EQ(r[4], "OK");
  EXPECT_EQ(r[5], "7d230c0d");  // X is binary (the connection undid the escapes)
  EXPECT_EQ(r[6], "OK");        // GDB's probe for X
  EXPECT_EQ(r[7].substr(0, 2), "E.");
  EXPECT_EQ(r[8].size(), 4u);  // the two bytes there are, not the two past the RAM
  EXPECT_EQ(r[9].substr(0, 2), "E.");
}

// Z0 and Z1 stop the hart about to run the address, named in the reply as
// the kind GDB inserted; a Z2 on the lock word stops after a write to it.
TEST(GdbServer, BreakpointsAndWatchpointsStopAndNameTheHart) {
  Session s("test_and_set", 4);
  const uint32_t spin_lock = s.sym("spin_lock"), countlock = s.sym("countlock");
  std::vector<std::string> r =
      s.serve({"Z0," + hex(spin_lock) + ",4", "c", "g", "z0," + hex(spin_lock) + ",4", "Z1," + hex(spin_lock) + ",2",
               "vCont;c", "z1," + hex(spin_lock) + ",2", "Z2," + hex(countlock) + ",4", "vCont;c",
               "z2," + hex(countlock) + ",4", "Z3," + hex(countlock + 2) + ",1", "c", "z3," + hex(countlock + 2) + ",1",
               "Z4," + hex(countlock) + ",4", "c", "z4," + hex(countlock) + ",4"});
  ASSERT_EQ(r.size(), 16u);
  EXPECT_EQ(r[0], "OK");
  ASSERT_EQ(r[1].substr(0, 3), "T05");
  EXPECT_NE(r[1].find("swbreak:;"), std::string::npos) << r[1];
  const unsigned hart = static_cast<unsigned>(std::stoul(r[1].substr(r[1].find("thread:") + 7), nullptr, 16)) - 1;
  EXPECT_EQ(r[2].substr(32 * 8), hex_u32_le(spin_lock));  // the stopped hart is the current thread
  EXPECT_LT(hart, 4u);
  EXPECT_NE(r[5].find("hwbreak:;"), std::string::npos) << r[5];
  EXPECT_NE(r[8].find("watch:" + hex(countlock) + ";"), std::string::npos) << r[8];
  // countlock + 2: a byte of the word an amoswap reads (rwatch)
  EXPECT_NE(r[11].find("rwatch:" + hex(countlock + 2) + ";"), std::string::npos) << r[11];
  EXPECT_NE(r[14].find("awatch:" + hex(countlock) + ";"), std::string::npos) << r[14];
  EXPECT_EQ(s.machine->debug().breakpoints(), 0u);
  EXPECT_EQ(s.machine->debug().watchpoints(), 0u);
}

// vCont;s:N steps hart N-1 by one instruction; the reply names it.
// vCont;s:N;c (scheduler-locking off) steps hart N while the others run
// through the same cycles; vCont;s:N alone (scheduler-locking on) holds
// them: they retire nothing, and go on from where they were.
TEST(GdbServer, StepsOneHart) {
  Session s("test_and_set", 2);
  std::vector<std::vector<uint64_t>> instret;  // each hart's, at each packet
  std::vector<uint32_t> pc0;                   // hart 0's pc, at each packet
  s.link.before_receive = [&](test::FakeConnection&) {
    instret.push_back({s.machine->hart(0).minstret(), s.machine->hart(1).minstret()});
    pc0.push_back(s.machine->hart(0).pc());
  };
  std::vector<std::string> r = s.serve({"vCont;s:2", "vCont;s:2", "vCont;s:2;c", "Hc1", "s"});
  ASSERT_EQ(r.size(), 5u);
  EXPECT_EQ(r[0], "T05thread:2;");
  EXPECT_EQ(r[1], "T05thread:2;");
  EXPECT_EQ(r[2], "T05thread:2;");
  EXPECT_EQ(r[3], "OK");
  EXPECT_EQ(r[4], "T05thread:1;");
  ASSERT_EQ(instret.size(), 6u);
  for (unsigned k = 1; k <= 3; ++k) EXPECT_EQ(instret[k][1], k) << k;  // hart 1: one instruction a step
  // Held: hart 0 retired nothing and stayed where it was.
  EXPECT_EQ(instret[1][0], 0u);
  EXPECT_EQ(instret[2][0], 0u);
  EXPECT_EQ(pc0[2], pc0[0]);
  EXPECT_FALSE(s.machine->holding());
  // Not held: it ran through the same cycles (both issue every cycle here).
  EXPECT_GE(instret[3][0], 1u);
  EXPECT_EQ(instret[5][0], instret[4][0] + 1);  // then hart 0 one
}

// vCont;c:N alone: hart N runs to its stop while the others are held.
TEST(GdbServer, ContinuesOneHartWhileTheOthersStay) {
  Session s("test_and_set", 2);
  std::vector<std::string> r = s.serve({"Z0," + hex(s.sym("spin_lock")) + ",4", "vCont;c:1", "?"});
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[1], "T05thread:1;swbreak:;");
  EXPECT_EQ(s.machine->hart(0).pc(), s.sym("spin_lock"));
  EXPECT_GT(s.machine->hart(0).minstret(), 10u);
  EXPECT_EQ(s.machine->hart(1).minstret(), 0u);  // held from the first cycle: it never started
  EXPECT_EQ(s.machine->hart(1).pc(), s.elf.entry());
}

// Held harts, released, go on: fifty held steps of hart 0, then the run
// ends as usual.
TEST(GdbServer, HeldHartsGoOnAfterTheRelease) {
  Session s("test_and_set", 2);
  std::vector<std::string> packets;
  for (int k = 0; k < 50; ++k) packets.push_back("vCont;s:1");
  packets.push_back("c");
  std::vector<std::string> r = s.serve(packets);
  ASSERT_EQ(r.size(), packets.size());
  EXPECT_EQ(r.back(), "W00");
  EXPECT_EQ(s.machine->stop_reason(), models::StopReason::finisher);
  EXPECT_GE(s.machine->hart(1).minstret(), 50u);
}

// A waveform waiting for a later cycle (a VCD window) when the debugger
// holds a hart: the hold moves the held hart's time in ways no step shows,
// so the waveform goes live at once (Machine::hold), and from its first
// cycle on it shows what one that heard every call shows.
TEST(GdbServer, AWaveformWaitingForItsWindowSurvivesAHold) {
  std::vector<std::string> packets(5, "vCont;s:2;c");           // both run: hart 0 is anywhere
  for (int k = 0; k < 30; ++k) packets.push_back("vCont;s:2");  // hart 1 steps, hart 0 held
  packets.push_back("c");
  models::test::Waves whole(0);
  {
    Session s("test_and_set", 2, {}, &whole);
    EXPECT_EQ(s.serve(packets).back(), "W00");
  }
  // The hold lasts from about cycle 9 to 61 (waiting until then, the
  // waveform missed hart 0's wait for the bus through it).
  for (uint64_t from : {2, 9, 20, 35, 61, 62, 5000}) {
    models::test::Waves late(from);
    Session s("test_and_set", 2, {}, &late);
    EXPECT_EQ(s.serve(packets).back(), "W00");
    EXPECT_EQ(late.end, whole.end);
    EXPECT_EQ(late.shown(from), whole.shown(from)) << "from " << from;
  }
}

// irq-deadlock: the monitor's finding stops the run on the hart concerned,
// its text first on GDB's console; continuing ends the run as spinlab
// would (126); the monitor commands answer on the console.
TEST(GdbServer, StopsAtTheDeadlockAndEndsAsTheRunWould) {
  ServerOptions o;
  o.stop_on = {FindingKind::irq_deadlock};
  o.lock_table = [] { return std::string("the lock table\n"); };
  Session s("irq_deadlock", 1, o);
  auto rcmd = [](const std::string& c) { return "qRcmd," + hex_encode(c); };
  std::vector<std::string> r =
      s.serve({"c", "qThreadExtraInfo,1", rcmd("findings"), rcmd("locks"), rcmd("cycle"), rcmd("bogus"), "c"});
  ASSERT_GE(r.size(), 2u);
  size_t i = 0;
  std::string console;
  for (; i < r.size() && r[i][0] == 'O'; ++i) console += hex_decode(r[i].substr(1)).value_or("?");
  EXPECT_NE(console.find("DEADLOCK on hart0"), std::string::npos) << console;
  EXPECT_NE(console.find("its timer interrupt handler spins on tickslock"), std::string::npos) << console;
  ASSERT_LT(i, r.size());
  EXPECT_EQ(r[i], "T05thread:1;");
  // The run is over (run.on_deadlock = "stop"): the spin ended with it, the hold did not.
  EXPECT_EQ(hex_decode(r[i + 1]).value_or("?"), "hart0, timer interrupt handler, holds tickslock");
  i += 2;
  auto reply = [&] {  // the O packets of one qRcmd, then its OK
    std::string text;
    for (; i < r.size() && r[i][0] == 'O' && r[i] != "OK"; ++i) text += hex_decode(r[i].substr(1)).value_or("?");
    const std::string ok = i < r.size() ? r[i] : "(none)";
    ++i;
    EXPECT_EQ(ok, "OK");
    return text;
  };
  EXPECT_NE(reply().find("DEADLOCK on hart0"), std::string::npos);
  EXPECT_EQ(reply(), "the lock table\n");
  EXPECT_EQ(reply(), fmt::format("cycle {}\n", s.machine->cycles()));
  EXPECT_NE(reply().find("unknown monitor command `bogus`"), std::string::npos);
  ASSERT_EQ(i + 1, r.size());
  EXPECT_EQ(r[i], "W7e");  // 126
  EXPECT_EQ(s.machine->stop_reason(), models::StopReason::deadlock);
}

// Ctrl-C while the machine runs: a SIGINT stop (T02) at the next boundary,
// found by the poll of the progress callback.
TEST(GdbServer, CtrlCStopsTheRun) {
  Session s("test_and_set", 4);
  s.link.interrupt_on_call = 3;  // the third poll: after about 3 * kPollCycles cycles
  std::vector<std::string> r = s.serve({"c", "k"});
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].substr(0, 3), "T02") << r[0];
  EXPECT_GE(s.machine->cycles(), 3 * Server::kPollCycles);
  EXPECT_LT(s.machine->cycles(), 3 * Server::kPollCycles + 100);
  EXPECT_EQ(s.machine->stop_reason(), models::StopReason::killed);
}

// What a reverse-execution checkpoint carries of the server, and back.
TEST(GdbServer, StateRoundTrips) {
  Session s("test_and_set", 4);
  std::string state;  // as the last packet left it (the client's going away clears it)
  s.link.before_receive = [&](test::FakeConnection& c) {
    if (c.incoming.empty()) state = s.server->save_state();
  };
  s.serve({"Hg3", "Hc2", "Z0,80000010,4", "Z1,80000010,2", "Z0,80000020,4"});
  EXPECT_EQ(state, "2 1 0 80000010:1:1 80000020:1:0");
  Session t("test_and_set", 4);
  t.server->restore_state(state);
  EXPECT_EQ(t.server->save_state(), state);
}

TEST(GdbServer, KillEndsTheRunAtOnce) {
  Session s("test_and_set", 4);
  std::vector<std::string> r = s.serve({"vCont;s:1", "k", "?"});
  ASSERT_EQ(r.size(), 1u);  // k has no reply; the session is over
  EXPECT_EQ(s.machine->stop_reason(), models::StopReason::killed);
  EXPECT_LT(s.machine->cycles(), 100u);
}

// Detached, or the client gone: nothing armed is left; the run is the caller's.
TEST(GdbServer, DetachLeavesNothingArmed) {
  Session s("test_and_set", 4);
  std::vector<std::string> r =
      s.serve({"Z0," + hex(s.sym("spin_lock")) + ",4", "Z2," + hex(s.sym("countlock")) + ",4", "D", "?"});
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[2], "OK");
  EXPECT_FALSE(s.machine->debug().armed());
  EXPECT_FALSE(s.server->attached());
  Session t("test_and_set", 4);
  t.serve({"Z0," + hex(t.sym("spin_lock")) + ",4"});  // then gone
  EXPECT_FALSE(t.machine->debug().armed());
}

// The run's end: W with the exit code spinlab exits with.
TEST(GdbServer, RunEndsWithItsExitCode) {
  Session s("test_and_set", 4);
  std::vector<std::string> r = s.serve({"c", "?"});
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0], "W00");
  EXPECT_EQ(s.machine->stop_reason(), models::StopReason::finisher);
}

// GDB gone in the middle of a continue: noticed at the next poll, not at
// the next stop; the run goes on to its end without stops (the Ctrl-C the
// second poll would have seen never comes).
TEST(GdbServer, ADisconnectMidRunIsNoticedAtOnce) {
  Session s("test_and_set", 4);
  s.link.close_on_call = 1;
  s.link.interrupt_on_call = 2;
  std::vector<std::string> r = s.serve({"c"});
  EXPECT_EQ(s.machine->stop_reason(), models::StopReason::finisher);
  EXPECT_FALSE(s.server->attached());
  EXPECT_FALSE(s.machine->debug().armed());
  EXPECT_EQ(s.link.interrupted_calls, 0u);  // the poll that saw it gone looked no further
  for (const std::string& p : r) EXPECT_NE(p.substr(0, 1), "T") << p;
}

// W carries the status spinlab will exit with (ServerOptions::exit_status:
// --expect's grade), not the machine's own.
TEST(GdbServer, ExitCodeIsTheGradedOne) {
  ServerOptions o;
  o.exit_status = [] { return 0; };
  Session s("irq_deadlock", 1, o);
  std::vector<std::string> r = s.serve({"c"});
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0], "W00");
  EXPECT_EQ(s.machine->stop_reason(), models::StopReason::deadlock);  // 126 without the grade
}

// The narrative goes to GDB's console as the target runs: O packets before
// the stop reply; outside a run, nothing is sent.
TEST(GdbServer, NarrationGoesToGdbsConsole) {
  bool on = false;
  ServerOptions o;
  o.narrate = [&on](bool v) { return on = v, true; };
  Session s("irq_deadlock", 1, o);
  s.monitor->add_listener([&](const Event& e) {
    if (on) s.server->narrate(s.monitor->describe(e) + "\n");
  });
  s.server->narrate("not running\n");
  auto rcmd = [](const std::string& c) { return "qRcmd," + hex_encode(c); };
  std::vector<std::string> r = s.serve({rcmd("narrate on"), "c"});
  ASSERT_GE(r.size(), 4u);
  EXPECT_EQ(hex_decode(r[0].substr(1)).value_or("?"), "narrative on (here, while the target runs)\n");
  EXPECT_EQ(r[1], "OK");
  std::string console;
  size_t i = 2;
  for (; i < r.size() && r[i][0] == 'O'; ++i) console += hex_decode(r[i].substr(1)).value_or("?");
  EXPECT_NE(console.find("tickslock"), std::string::npos) << console;
  EXPECT_EQ(console.find("not running"), std::string::npos);
  ASSERT_EQ(i + 1, r.size());
  EXPECT_EQ(r[i][0], 'W');
}

TEST(GdbServer, MalformedPacketsGetErrorsNeverACrash) {
  Session s("test_and_set", 1);
  std::vector<std::string> bad = {"m",
                                  "m1",
                                  "m1,",
                                  "mffffffffff,1",
                                  "M0,4:zz",
                                  "X80000000,4:ab",
                                  "Z9,0,0",
                                  "Z0",
                                  "Z2,0,0",
                                  "p",
                                  "pzz",
                                  "Pzz=1",
                                  "P5=1",
                                  "Hx",
                                  "H",
                                  "vCont;q",
                                  "vCont;s:9",
                                  "qRcmd,z",
                                  "qThreadExtraInfo,9",
                                  "qXfer:features:read:target.xml:",
                                  "c1234567890",
                                  "bs",
                                  "bc"};
  std::vector<std::string> r = s.serve(bad);
  ASSERT_EQ(r.size(), bad.size());
  for (size_t i = 0; i < bad.size(); ++i)
    EXPECT_TRUE(r[i].empty() || r[i].substr(0, 2) == "E.") << bad[i] << " -> " << r[i];
  EXPECT_EQ(r[bad.size() - 1], "E.reverse execution is off (run.gdb_checkpoint = 0)");
}

}  // namespace
}  // namespace spinlab::gdb
