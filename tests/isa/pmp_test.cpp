// PMP (privileged spec 1.12, 3.7): the pmpcfg/pmpaddr WARL rules, locking,
// granularity, address matching (TOR, NA4, NAPOT) with priority and partial
// matches, and the checks of fetches, loads, stores and AMOs in the hart:
// cause, mtval, the refusing entry, nothing reaching memory, MPRV.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/isa/harness.h"

namespace spinlab::isa::test {
namespace {

constexpr uint8_t R = Pmp::kR, W = Pmp::kW, X = Pmp::kX, L = Pmp::kLock;
constexpr uint8_t TOR = Pmp::tor << Pmp::kModeShift, NA4 = Pmp::na4 << Pmp::kModeShift,
                  NAPOT = Pmp::napot << Pmp::kModeShift;
constexpr uint32_t kTrapVector = kRamBase + 0x800;
constexpr uint32_t kMppM = 3u << 11, kMprv = 1u << 17;

// pmpaddr for a NAPOT region of `size` bytes (a power of two >= 8) at `base`.
uint32_t napot(uint32_t base, uint32_t size) { return (base >> 2) | ((size >> 3) - 1); }

void set_cfg(Pmp& p, unsigned i, uint8_t cfg) {
  uint32_t v = p.read_cfg(i / 4);
  v &= ~(0xffu << (8 * (i % 4)));
  p.write_cfg(i / 4, v | uint32_t{cfg} << (8 * (i % 4)));
}

// --- matching, table-driven ---------------------------------------------------------

struct Entry {
  unsigned index;
  uint8_t cfg;
  uint32_t addr;
};

struct MatchCase {
  const char* label;
  std::vector<Entry> entries;
  uint32_t addr;
  unsigned size;
  uint8_t access;
  bool machine;
  bool allowed;
  int refusing_entry;  // when refused
};

// clang-format off
const MatchCase kMatch[] = {
  {"user_no_entry_fails",        {}, 0x8000'0000, 4, pmp_read, false, false, PmpRefusal::kNoEntry},
  {"machine_no_entry_succeeds",  {}, 0x8000'0000, 4, pmp_read, true, true, 0},
  {"napot_inside_read",          {{0, NAPOT | R, napot(0x8000'0000, 0x1000)}}, 0x8000'0ffc, 4, pmp_read, false, true, 0},
  {"napot_outside_fails",        {{0, NAPOT | R, napot(0x8000'0000, 0x1000)}}, 0x8000'1000, 4, pmp_read, false, false, PmpRefusal::kNoEntry},
  {"napot_no_write",             {{0, NAPOT | R, napot(0x8000'0000, 0x1000)}}, 0x8000'0000, 4, pmp_write, false, false, 0},
  {"napot_no_exec",              {{0, NAPOT | R | W, napot(0x8000'0000, 0x1000)}}, 0x8000'0000, 4, pmp_exec, false, false, 0},
  {"napot_8_bytes",              {{0, NAPOT | R, napot(0x8000'0008, 8)}}, 0x8000'000c, 4, pmp_read, false, true, 0},
  {"napot_8_bytes_below",        {{0, NAPOT | R, napot(0x8000'0008, 8)}}, 0x8000'0004, 4, pmp_read, false, false, PmpRefusal::kNoEntry},
  {"napot_all_ones_everything",  {{0, NAPOT | R, 0xffff'ffff}}, 0xffff'fffc, 4, pmp_read, false, true, 0},
  {"na4_exact",                  {{0, NA4 | W | R, 0x8000'0010 >> 2}}, 0x8000'0010, 4, pmp_write, false, true, 0},
  {"na4_next_word",              {{0, NA4 | W | R, 0x8000'0010 >> 2}}, 0x8000'0014, 1, pmp_write, false, false, PmpRefusal::kNoEntry},
  {"tor_entry0_from_zero",       {{0, TOR | X, 0x100 >> 2}}, 0x0, 4, pmp_exec, false, true, 0},
  {"tor_top_is_exclusive",       {{0, TOR | X, 0x100 >> 2}}, 0x100, 4, pmp_exec, false, false, PmpRefusal::kNoEntry},
  {"tor_from_previous_addr",     {{0, 0, 0x8000'0100 >> 2}, {1, TOR | R, 0x8000'0200 >> 2}}, 0x8000'0100, 4, pmp_read, false, true, 1},
  {"tor_below_previous_addr",    {{0, 0, 0x8000'0100 >> 2}, {1, TOR | R, 0x8000'0200 >> 2}}, 0x8000'00fc, 4, pmp_read, false, false, PmpRefusal::kNoEntry},
  {"tor_empty_when_reversed",    {{0, 0, 0x8000'0300 >> 2}, {1, TOR | R, 0x8000'0200 >> 2}}, 0x8000'0200, 4, pmp_read, false, false, PmpRefusal::kNoEntry},
  // Priority: the lowest-numbered entry that matches any byte decides.
  {"lower_entry_wins_deny",      {{0, NAPOT, napot(0x8000'0000, 16)}, {1, NAPOT | R, 0xffff'ffff}}, 0x8000'0004, 4, pmp_read, false, false, 0},
  {"lower_entry_wins_allow",     {{0, NAPOT | R, napot(0x8000'0000, 16)}, {1, NAPOT, 0xffff'ffff}}, 0x8000'0004, 4, pmp_read, false, true, 0},
  {"higher_entry_when_no_lower", {{0, NAPOT, napot(0x8000'0000, 16)}, {1, NAPOT | R, 0xffff'ffff}}, 0x8000'0010, 4, pmp_read, false, true, 1},
  // Partial match: an access straddling an entry's edge fails, even where
  // a later entry would allow the rest.
  {"partial_match_fails",        {{0, NAPOT | R, napot(0x8000'0000, 8)}, {1, NAPOT | R, 0xffff'ffff}}, 0x8000'0006, 4, pmp_read, false, false, 0},
  {"partial_match_fails_in_m",   {{0, NAPOT | R, napot(0x8000'0000, 8)}}, 0x8000'0006, 4, pmp_read, true, false, 0},
  // M mode: unlocked entries do not apply, locked ones do.
  {"machine_ignores_unlocked",   {{0, NAPOT, 0xffff'ffff}}, 0x8000'0000, 4, pmp_write, true, true, 0},
  {"machine_bound_by_lock",      {{0, NAPOT | L | R, 0xffff'ffff}}, 0x8000'0000, 4, pmp_write, true, false, 0},
  {"machine_lock_allows",        {{0, NAPOT | L | R | W, 0xffff'ffff}}, 0x8000'0000, 4, pmp_write, true, true, 0},
  // An AMO needs R and W.
  {"amo_needs_read_and_write",   {{0, NAPOT | W | R, 0xffff'ffff}}, 0x8000'0000, 4, pmp_read | pmp_write, false, true, 0},
  {"amo_write_only_fails",       {{0, NAPOT | R, 0xffff'ffff}}, 0x8000'0000, 4, pmp_read | pmp_write, false, false, 0},
};
// clang-format on

class PmpMatch : public ::testing::TestWithParam<MatchCase> {};

TEST_P(PmpMatch, Allows) {
  const MatchCase& c = GetParam();
  Pmp p;
  p.set_granularity(4);
  for (const Entry& e : c.entries) {
    p.write_addr(e.index, e.addr);
    set_cfg(p, e.index, e.cfg);
  }
  PmpRefusal refusal{99, 0, 0};
  EXPECT_EQ(p.allows(c.addr, c.size, c.access, c.machine, refusal), c.allowed);
  if (c.allowed) {
    EXPECT_EQ(refusal.entry, 99) << "untouched";
  } else {
    EXPECT_EQ(refusal.entry, c.refusing_entry);
    EXPECT_EQ(refusal.addr, c.addr);
    EXPECT_EQ(refusal.access, c.access);
  }
}

INSTANTIATE_TEST_SUITE_P(Pmp, PmpMatch, ::testing::ValuesIn(kMatch),
                         [](const auto& info) { return std::string(info.param.label); });

// An entry that is already on follows later writes of its pmpaddr, and a
// TOR entry follows the pmpaddr below it.
TEST(PmpMatchOrder, AddrWrittenAfterCfg) {
  Pmp p;
  PmpRefusal refusal;
  set_cfg(p, 1, TOR | R);
  p.write_addr(1, 0x8000'0200 >> 2);
  EXPECT_TRUE(p.allows(0x8000'0000, 4, pmp_read, false, refusal));
  p.write_addr(0, 0x8000'0100 >> 2);
  EXPECT_FALSE(p.allows(0x8000'0000, 4, pmp_read, false, refusal));
  EXPECT_TRUE(p.allows(0x8000'0100, 4, pmp_read, false, refusal));
  set_cfg(p, 2, NAPOT | W | R);
  p.write_addr(2, napot(0x9000'0000, 64));
  EXPECT_TRUE(p.allows(0x9000'003c, 4, pmp_write, false, refusal));
  p.write_addr(2, napot(0x9000'0000, 32));
  EXPECT_FALSE(p.allows(0x9000'003c, 4, pmp_write, false, refusal));
}

// --- CSRs ---------------------------------------------------------------------------------

// Every pmpcfg and pmpaddr exists for M mode; each cfg byte is its own entry.
TEST(PmpCsrs, SixteenEntries) {
  Hart h(0);
  for (unsigned i = 0; i < 16; ++i) {
    ASSERT_TRUE(h.csr_write(csr::pmpaddr0 + i, 0x1000 + i));
    uint32_t v = 0;
    ASSERT_TRUE(h.csr_read(csr::pmpaddr0 + i, v));
    EXPECT_EQ(v, 0x1000 + i);
  }
  for (unsigned n = 0; n < 4; ++n) {
    ASSERT_TRUE(h.csr_write(csr::pmpcfg0 + n, 0x0f0d'0b09));
    uint32_t v = 0;
    ASSERT_TRUE(h.csr_read(csr::pmpcfg0 + n, v));
    EXPECT_EQ(v, 0x0f0d'0b09u) << n;
  }
  EXPECT_EQ(h.pmp().cfg(13), 0x0b);
  uint32_t v = 0;
  EXPECT_FALSE(h.csr_read(csr::pmpcfg0 + 4, v)) << "RV32 has pmpcfg0..3 only for 16 entries";
  EXPECT_FALSE(h.csr_read(csr::pmpaddr0 + 16, v));
}

// Bits 6:5 are reserved (read 0); R = 0 with W = 1 is reserved: W is dropped.
TEST(PmpCsrs, CfgWarl) {
  Pmp p;
  p.write_cfg(0, 0x0000'02ff & ~uint32_t{L});
  EXPECT_EQ(p.read_cfg(0), 0x0000'001fu);
  EXPECT_EQ(p.cfg(1), 0u) << "W without R";
  p.write_cfg(0, 0x0000'0300);
  EXPECT_EQ(p.cfg(1), 0x03u);
}

// L: the entry's cfg and pmpaddr ignore writes until reset; a locked TOR
// entry also locks the pmpaddr below it.
TEST(PmpCsrs, LockedEntryIgnoresWrites) {
  Hart h(0);
  ASSERT_TRUE(h.csr_write(csr::pmpaddr0 + 1, 0x100));
  ASSERT_TRUE(h.csr_write(csr::pmpaddr0 + 2, 0x200));
  ASSERT_TRUE(h.csr_write(csr::pmpcfg0, uint32_t{L | TOR | R} << 16));  // entry 2: locked TOR
  ASSERT_TRUE(h.csr_write(csr::pmpcfg0, 0));                          // ignored for entry 2
  uint32_t v = 0;
  h.csr_read(csr::pmpcfg0, v);
  EXPECT_EQ(v, uint32_t{L | TOR | R} << 16);
  ASSERT_TRUE(h.csr_write(csr::pmpaddr0 + 2, 0x999)) << "a WARL write, not illegal";
  h.csr_read(csr::pmpaddr0 + 2, v);
  EXPECT_EQ(v, 0x200u);
  h.csr_write(csr::pmpaddr0 + 1, 0x999);
  h.csr_read(csr::pmpaddr0 + 1, v);
  EXPECT_EQ(v, 0x100u) << "entry 2's TOR bottom";
  h.csr_write(csr::pmpaddr0 + 0, 0x999);
  h.csr_read(csr::pmpaddr0 + 0, v);
  EXPECT_EQ(v, 0x999u);
  h.csr_write(csr::pmpcfg0, 0xffu);  // entries 0, 1 still writable (L set on entry 0 now)
  h.csr_read(csr::pmpcfg0, v);
  EXPECT_EQ(v, (uint32_t{L | TOR | R} << 16) | 0x9fu);
  h.reset(kRamBase);
  h.csr_read(csr::pmpcfg0, v);
  EXPECT_EQ(v, 0u) << "reset unlocks";
}

// A locked NAPOT entry does not lock the pmpaddr below it.
TEST(PmpCsrs, LockedNapotLeavesPreviousAddrWritable) {
  Pmp p;
  set_cfg(p, 1, L | NAPOT | R);
  p.write_addr(0, 0x77);
  EXPECT_EQ(p.read_addr(0), 0x77u);
}

struct GranularityCase {
  uint32_t bytes;
  uint8_t mode;
  uint32_t written;
  uint32_t reads;
};

class PmpGranularity : public ::testing::TestWithParam<GranularityCase> {};

// G = log2(bytes) - 2. NAPOT: bits G-2..0 read as ones (G >= 2). OFF and
// TOR: bits G-1..0 read as zeros (G >= 1). The written value is kept.
TEST_P(PmpGranularity, AddrReads) {
  const GranularityCase& c = GetParam();
  Pmp p;
  p.set_granularity(c.bytes);
  EXPECT_EQ(p.granularity(), c.bytes);
  p.write_addr(0, c.written);
  set_cfg(p, 0, c.mode);
  EXPECT_EQ(p.read_addr(0), c.reads);
  set_cfg(p, 0, NAPOT);
  set_cfg(p, 0, c.mode);
  EXPECT_EQ(p.read_addr(0), c.reads) << "switching modes keeps the stored value";
}

INSTANTIATE_TEST_SUITE_P(Pmp, PmpGranularity,
                         ::testing::Values(GranularityCase{4, 0, 0xffff'ffff, 0xffff'ffff},
                                           GranularityCase{4, NAPOT, 0x1230, 0x1230},
                                           GranularityCase{8, 0, 0xffff'ffff, 0xffff'fffe},
                                           GranularityCase{8, NAPOT, 0x1230, 0x1230},
                                           GranularityCase{16, 0, 0xffff'ffff, 0xffff'fffc},
                                           GranularityCase{16, TOR, 0x1233, 0x1230},
                                           GranularityCase{16, NAPOT, 0x1230, 0x1231},
                                           GranularityCase{4096, 0, 0xffff'ffff, 0xffff'fc00},
                                           GranularityCase{4096, NAPOT, 0x1000, 0x11ff}));

// Software finds G by writing all ones to an OFF entry's pmpaddr (3.7.1).
TEST(PmpCsrs, NaFourBecomesNapotAboveFourBytes) {
  Pmp p;
  p.set_granularity(8);
  set_cfg(p, 0, NA4 | R);
  EXPECT_EQ(p.cfg(0), NAPOT | R);
  p.set_granularity(4);
  set_cfg(p, 0, NA4 | R);
  EXPECT_EQ(p.cfg(0), NA4 | R);
}

// riscv-tests rv64mi/pmpaddr: pmpaddr0[G-1] reads 0 in OFF mode yet keeps
// what was written; csrs/csrc write back what they read.
TEST(PmpCsrs, RiscvTestsPmpaddrLogic) {
  Hart h(0);
  h.set_pmp_granularity(16);  // G = 2
  auto read = [&](uint16_t a) {
    uint32_t v = 0;
    EXPECT_TRUE(h.csr_read(a, v));
    return v;
  };
  ASSERT_TRUE(h.csr_write(csr::pmpcfg0, 0));
  ASSERT_TRUE(h.csr_write(csr::pmpaddr0, 0xffff'ffff));
  const uint32_t all = read(csr::pmpaddr0);
  const uint32_t g_bit = all & (0u - all);
  EXPECT_EQ(g_bit, 4u) << "lowest set bit is G";
  const uint32_t gm1 = g_bit >> 1;
  auto set_mode = [&](uint32_t a) { h.csr_write(csr::pmpcfg0, (read(csr::pmpcfg0) & ~0x18u) | a); };
  set_mode(NAPOT);
  h.csr_write(csr::pmpaddr0, read(csr::pmpaddr0) & ~gm1);
  EXPECT_EQ(read(csr::pmpaddr0) & gm1, 0u);
  h.csr_write(csr::pmpaddr0, read(csr::pmpaddr0) | gm1);
  EXPECT_EQ(read(csr::pmpaddr0) & gm1, gm1);
  set_mode(0);
  EXPECT_EQ(read(csr::pmpaddr0) & gm1, 0u);
  set_mode(NAPOT);
  EXPECT_EQ(read(csr::pmpaddr0) & gm1, gm1);
  set_mode(0);
  h.csr_write(csr::pmpaddr0, read(csr::pmpaddr0) | ~gm1);  // csrs of other bits in OFF mode
  set_mode(NAPOT);
  EXPECT_EQ(read(csr::pmpaddr0) & gm1, 0u) << "the read-as-zero bit was written back";
}

// --- the hart's checks ------------------------------------------------------------------

constexpr uint32_t kCode = kRamBase;           // U code: 256 bytes, R X
constexpr uint32_t kData = kRamBase + 0x1000;  // U data: 256 bytes, R W
constexpr uint32_t kRodata = kRamBase + 0x2000;  // U read-only: 256 bytes, R

struct PmpMachine : Machine {
  PmpMachine() {
    Hart& h = hart();
    h.csrs().mtvec = kTrapVector;
    h.csr_write(csr::pmpaddr0 + 0, napot(kCode, 256));
    h.csr_write(csr::pmpaddr0 + 1, napot(kData, 256));
    h.csr_write(csr::pmpaddr0 + 2, napot(kRodata, 256));
    h.csr_write(csr::pmpcfg0, uint32_t{NAPOT | R | X} | uint32_t{NAPOT | R | W} << 8 | uint32_t{NAPOT | R} << 16);
  }
  StepStatus run_user(uint32_t word, uint32_t addr_in_a1) {
    program({word});
    hart().set_pc(kCode);
    hart().set_x(a1, addr_in_a1);
    hart().set_x(a0, 0x5555);
    hart().set_priv(Priv::user);
    return step();
  }
};

struct AccessCase {
  const char* label;
  uint32_t word;
  uint32_t addr;
  bool allowed;
  uint32_t cause;  // when refused
  uint8_t access;
  int entry;
};

uint32_t amoadd(unsigned rd, unsigned rs1, unsigned rs2) { return enc::amo(0x00, rd, rs1, rs2); }

// clang-format off
const AccessCase kAccess[] = {
  {"lw_data",          enc::lw(a0, a1, 0),    kData,          true,  0, 0, 0},
  {"sw_data",          enc::sw(a0, a1, 0),    kData + 0xfc,   true,  0, 0, 0},
  {"amo_data",         amoadd(a0, a1, a0),    kData,          true,  0, 0, 0},
  {"lw_rodata",        enc::lw(a0, a1, 0),    kRodata,        true,  0, 0, 0},
  {"lw_code",          enc::lw(a0, a1, 0),    kCode,          true,  0, 0, 0},
  {"sw_rodata",        enc::sw(a0, a1, 0),    kRodata,        false, 7, pmp_write, 2},
  {"sb_code",          enc::sb(a0, a1, 3),    kCode,          false, 7, pmp_write, 0},
  {"amo_rodata",       amoadd(a0, a1, a0),    kRodata,        false, 7, pmp_read | pmp_write, 2},
  {"lr_unmapped",      enc::lr_w(a0, a1),     kRamBase + 0x3000, false, 5, pmp_read, PmpRefusal::kNoEntry},
  {"sc_rodata",        enc::sc_w(a0, a1, a0), kRodata,        false, 7, pmp_write, 2},
  {"lw_past_data",     enc::lw(a0, a1, 0),    kData + 0x100,  false, 5, pmp_read, PmpRefusal::kNoEntry},
  {"lw_device",        enc::lw(a0, a1, 0),    kNoDevice,      false, 5, pmp_read, PmpRefusal::kNoEntry},
};
// clang-format on

class PmpAccess_ : public ::testing::TestWithParam<AccessCase> {};

TEST_P(PmpAccess_, UserMode) {
  const AccessCase& c = GetParam();
  PmpMachine m;
  const unsigned before = m.mem().accesses;
  const StepStatus s = m.run_user(c.word, c.addr);
  if (c.allowed) {
    EXPECT_EQ(s, StepStatus::retired);
    EXPECT_EQ(m.mem().accesses, before + (c.word == amoadd(a0, a1, a0) ? 2u : 1u));
    return;
  }
  EXPECT_EQ(s, StepStatus::exception);
  const Hart& h = m.hart();
  EXPECT_EQ(h.csrs().mcause, c.cause);
  EXPECT_EQ(h.csrs().mtval, c.addr + (c.word == enc::sb(a0, a1, 3) ? 3u : 0u));
  EXPECT_EQ(h.csrs().mepc, kCode);
  EXPECT_EQ(h.pc(), kTrapVector);
  EXPECT_EQ(h.priv(), Priv::machine);
  EXPECT_EQ(h.x(a0), 0x5555u) << "rd unchanged";
  EXPECT_EQ(m.mem().accesses, before) << "a refused access never reaches memory";
  EXPECT_EQ(h.pmp_refusal().entry, c.entry);
  EXPECT_EQ(h.pmp_refusal().access, c.access);
  EXPECT_EQ(h.pmp_refusal().addr, h.csrs().mtval);
}

INSTANTIATE_TEST_SUITE_P(Pmp, PmpAccess_, ::testing::ValuesIn(kAccess),
                         [](const auto& info) { return std::string(info.param.label); });

// Fetch: X is needed for every byte of the instruction; mtval = mepc = pc.
TEST(PmpFetch, UserFetchOutsideExecutableFaults) {
  PmpMachine m;
  m.program({enc::nop}, kData);
  m.hart().set_pc(kData);
  m.hart().set_priv(Priv::user);
  EXPECT_EQ(m.step(), StepStatus::exception);
  EXPECT_EQ(m.hart().csrs().mcause, 1u);
  EXPECT_EQ(m.hart().csrs().mepc, kData);
  EXPECT_EQ(m.hart().csrs().mtval, kData);
  EXPECT_EQ(m.hart().pmp_refusal().entry, 1);
  EXPECT_EQ(m.hart().pmp_refusal().access, pmp_exec);
  EXPECT_EQ(m.hart().last_bits(), 0u) << "not fetched";
}

TEST(PmpFetch, UserFetchInsideExecutableRuns) {
  PmpMachine m;
  m.program({enc::addi(a0, zero, 3)});
  m.hart().set_priv(Priv::user);
  EXPECT_EQ(m.step(), StepStatus::retired);
  EXPECT_EQ(m.hart().x(a0), 3u);
}

// M mode: unlocked entries do not bind it; a locked entry does, for fetches
// and data alike.
TEST(PmpMachineMode, LockedEntryBindsMachineMode) {
  PmpMachine m;
  m.program({enc::sw(a0, a1, 0)});
  m.hart().set_x(a1, kRodata);
  EXPECT_EQ(m.step(), StepStatus::retired) << "unlocked: M mode may write";
  ASSERT_TRUE(m.hart().csr_write(csr::pmpcfg0, m.hart().pmp().read_cfg(0) | uint32_t{L} << 16));
  m.hart().set_pc(kRamBase);
  EXPECT_EQ(m.step(), StepStatus::exception);
  EXPECT_EQ(m.hart().csrs().mcause, 7u);
  EXPECT_EQ(m.hart().pmp_refusal().entry, 2);
  m.hart().set_pc(kRamBase + 0x3000);  // no entry: M mode may do anything
  m.program({enc::nop}, kRamBase + 0x3000);
  EXPECT_EQ(m.step(), StepStatus::retired);
}

// An entry that matches some bytes of an access, but not all, fails it in
// M mode too, locked or not (3.7.1). With misaligned accesses performed an
// M-mode load can straddle an entry's end; inside it, it is performed.
TEST(PmpMachineMode, APartialMatchFailsMachineModeWithNothingLocked) {
  PmpMachine m;
  m.hart().set_misaligned_allowed(true);
  m.program({enc::lw(a0, a1, 0)}, kRamBase + 0x3000);
  for (uint32_t addr : {kData + 1, kData + 254}) {
    m.hart().set_pc(kRamBase + 0x3000);
    m.hart().set_x(a1, addr);
    const StepStatus st = m.step();
    if (addr == kData + 1) {
      EXPECT_EQ(st, StepStatus::retired) << "inside the entry: performed";
      continue;
    }
    EXPECT_EQ(st, StepStatus::exception) << "bytes 254-257 of a 256-byte entry";
    EXPECT_EQ(m.hart().csrs().mcause, 5u);
    EXPECT_EQ(m.hart().csrs().mtval, kData + 254);
    EXPECT_EQ(m.hart().pmp_refusal().entry, 1);
  }
}

TEST(PmpMachineMode, LockedEntryWithoutXStopsMachineFetch) {
  PmpMachine m;
  ASSERT_TRUE(m.hart().csr_write(csr::pmpaddr0 + 12, 0xffff'ffff));
  ASSERT_TRUE(m.hart().csr_write(csr::pmpcfg0 + 3, uint32_t{L | NAPOT | R}));  // entry 12
  m.program({enc::nop}, kRamBase + 0x3000);
  m.hart().set_pc(kRamBase + 0x3000);
  EXPECT_EQ(m.step(), StepStatus::exception);
  EXPECT_EQ(m.hart().csrs().mcause, 1u);
  EXPECT_EQ(m.hart().pmp_refusal().entry, 12);
}

// MPRV = 1 in M mode: loads and stores are checked as MPP's mode; fetches
// are not (3.1.6.3).
TEST(PmpMachineMode, MprvUsesMppForDataOnly) {
  PmpMachine m;
  m.program({enc::sw(a0, a1, 0), enc::lw(a0, a1, 0)}, kRamBase + 0x3000);
  m.hart().set_pc(kRamBase + 0x3000);
  m.hart().set_x(a1, kRodata);
  ASSERT_TRUE(m.hart().csr_write(csr::mstatus, kMprv));  // MPP = U
  EXPECT_EQ(m.step(), StepStatus::exception) << "store as U to read-only data";
  EXPECT_EQ(m.hart().csrs().mcause, 7u);
  EXPECT_EQ(m.hart().csrs().mepc, kRamBase + 0x3000) << "the fetch outside every entry was allowed";
  // Trap entry set MPP = M: now MPRV changes nothing.
  m.hart().set_pc(kRamBase + 0x3000);
  EXPECT_EQ(m.hart().csrs().mstatus & (kMprv | kMppM), kMprv | kMppM);
  EXPECT_EQ(m.step(), StepStatus::retired);
}

// Misaligned comes before the PMP (privileged table 3.7).
TEST(PmpPriority, MisalignedBeforeAccessFault) {
  PmpMachine m;
  EXPECT_EQ(m.run_user(enc::lw(a0, a1, 0), kRamBase + 0x3002), StepStatus::exception);
  EXPECT_EQ(m.hart().csrs().mcause, 4u);
}

}  // namespace
}  // namespace spinlab::isa::test
