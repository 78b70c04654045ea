// The lock monitor's words on synthetic observer events (monitor_rig.h): the
// narrative, the names it takes from the ELF, and the JSON.
#include "sim/monitor/monitor.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "sim/load/elf.h"

#include "tests/sim/monitor_rig.h"

namespace spinlab {
namespace {

using namespace monitor_rig;

// --- narrative, names, JSON ---------------------------------------------------

TEST(Monitor, TheNarrativeTellsLocksAndInterrupts) {
  Rig r;
  std::vector<Event> events;
  r.m.add_listener([&](const Event& e) { events.push_back(e); });
  r.feed.acquire(0, kLockA);  // not known as a lock yet: told at its release
  r.feed.release(0, kLockA);
  r.feed.acquire(0, kLockA);
  r.feed.trap(0, kTimer, 0x80000800);
  r.feed.mret(0, true, 0x80000800);
  r.feed.release(0, kLockA);
  std::vector<EventKind> want{EventKind::acquire, EventKind::release, EventKind::acquire, EventKind::interrupt, EventKind::mret,
                              EventKind::release};
  std::vector<EventKind> got;
  for (const Event& e : events) got.push_back(e.kind);
  EXPECT_EQ(got, want);
  EXPECT_EQ(events[0].cycle, 1u);  // told late, with the cycle it happened at
  EXPECT_EQ(events[3].context, Context::timer_irq);
  EXPECT_EQ(events[3].pc, 0x80000800u);
  EXPECT_EQ(events[4].since, events[3].cycle);
  std::string line = r.m.describe(events[2]);
  EXPECT_NE(line.find("acquire 0x80002000"), std::string::npos) << line;
}

// Code in user mode is named as such: its acquires, the holds it takes, the
// exceptions it raises (with the PMP entry that refused an access), and the
// interrupts that come while it runs, with MIE clear (privileged 3.1.6.1).
TEST(Monitor, UserCodeIsNamedAsSuch) {
  Rig r;
  std::vector<Event> events;
  r.m.add_listener([&](const Event& e) { events.push_back(e); });
  r.feed.mret_to_user(0);  // the first drop to U: no trap to return from
  r.feed.acquire(0, kLockA, 0x80000904);
  r.feed.release(0, kLockA, 0x80000908);
  r.feed.acquire(0, kLockA, 0x80000904);
  models::TrapInfo fault;
  fault.mcause = 5;  // load access fault
  fault.mepc = 0x8000090c;
  fault.mtval = 0x80004000;
  fault.from_user = true;
  fault.pmp_entry = 2;
  r.feed.trap(0, fault);
  r.feed.mret_to_user(0, 0x80000910);
  models::TrapInfo tick;
  tick.mcause = kTimer;
  tick.mepc = 0x80000914;
  tick.from_user = true;
  r.feed.trap(0, tick);
  ASSERT_EQ(events.size(), 7u);
  EXPECT_EQ(events[0].kind, EventKind::mret);
  EXPECT_NE(r.m.describe(events[0]).find("mret to 0x80000900 (no trap to return from"), std::string::npos)
      << r.m.describe(events[0]);
  EXPECT_TRUE(events[3].user);
  EXPECT_TRUE(events[3].interrupts_enabled) << "interrupts are always on in U";
  std::string acquire = r.m.describe(events[3]);
  EXPECT_NE(acquire.find(" user "), std::string::npos) << acquire;
  EXPECT_EQ(acquire.find("process"), std::string::npos) << acquire;
  std::string exc = r.m.describe(events[4]);
  EXPECT_NE(exc.find("load access fault (mtval 0x80004000) in user code at 0x8000090c: PMP entry 2 refused it"),
            std::string::npos)
      << exc;
  EXPECT_NE(r.m.describe(events[5]).find(" user "), std::string::npos) << r.m.describe(events[5]);
  std::string irq = r.m.describe(events[6]);
  EXPECT_NE(irq.find("interrupting user code at 0x80000914"), std::string::npos) << irq;
  fault.pmp_entry = models::TrapInfo::kNoEntry;
  fault.mepc = 0x80000918;
  r.feed.trap(0, fault);
  EXPECT_NE(r.m.describe(events.back()).find(": no PMP entry matches the address"), std::string::npos)
      << r.m.describe(events.back());
  // The hold taken in U says so in a finding: the handler now spins on it.
  r.feed.spin(0, kLockA, 8);
  ASSERT_FALSE(r.m.findings().empty());
  const Finding& f = r.m.findings().back();
  ASSERT_FALSE(f.holds.empty());
  EXPECT_TRUE(f.holds[0].user);
  std::string text = format_finding(f);
  EXPECT_NE(text.find("taken in user mode with interrupts ENABLED"), std::string::npos) << text;
}

TEST(Monitor, NamesComeFromTheElf) {
  ElfImage elf = ElfImage::load(std::string(SIM_TEST_PROGRAMS) + "/prog.elf", 0x80000000, 16u << 20);
  uint32_t lock = *elf.lookup("tickslock");
  uint32_t acquire = *elf.lookup("acquire");
  Monitor m(&elf, 1);
  EXPECT_EQ(m.lock_name(lock), "tickslock");
  EXPECT_EQ(m.lock_name(lock + 4), "tickslock+0x4");
  Site s = m.site(acquire + 4, *elf.lookup("main") + 8);
  EXPECT_EQ(s.where, "acquire+0x4");
  EXPECT_NE(s.line.find("prog.c:"), std::string::npos) << s.line;
  EXPECT_EQ(s.caller, "main+0x4");  // the call: the instruction before the return address
  // A return address inside the same function is not a caller.
  EXPECT_EQ(m.site(acquire + 4, acquire + 8).caller_pc, 0u);

  Feed feed(m);
  feed.mie(0, true);
  feed.acquire(0, lock, acquire + 4);
  feed.trap(0, kTimer);
  feed.spin(0, lock, 8, acquire + 4);
  ASSERT_EQ(m.findings().size(), 1u);
  std::string text = format_finding(m.findings()[0]);
  EXPECT_NE(text.find("lock(tickslock);"), std::string::npos) << text;
  EXPECT_NE(text.find("at acquire+0x4 (prog.c:"), std::string::npos) << text;

  nlohmann::json j = monitor_json(m);
  ASSERT_EQ(j["findings"].size(), 1u);
  EXPECT_EQ(j["findings"][0]["kind"], "irq-deadlock");
  EXPECT_EQ(j["findings"][0]["lock"]["name"], "tickslock");
  EXPECT_EQ(j["findings"][0]["holds"][0]["taken_at"]["symbol"], "acquire+0x4");
  EXPECT_EQ(j["locks"][0]["lock"]["name"], "tickslock");
}

TEST(Monitor, PlainAccessesToOtherWordsCostNothingAndChangeNothing) {
  Rig r;
  for (uint32_t a = 0x80004000; a < 0x80004100; a += 4) {
    r.feed.store(0, 0x80000100, a, 1);
    r.feed.load(1, 0x80000104, a);
    r.feed.store(0, 0x80000100, a, 0);
  }
  r.feed.wfi(0);
  EXPECT_TRUE(r.m.findings().empty());
  EXPECT_TRUE(r.m.lock_stats().empty());
}

}  // namespace
}  // namespace spinlab
