// Debug triggers (Sdtrig, debug spec 1.0): tselect, tdata1-3 and tinfo and
// their WARL rules; execute, load and store address triggers in M and U
// mode, firing before the instruction or access with mtval = the address;
// the match types; the riscv-tests breakpoint test's sequence.
#include <gtest/gtest.h>

#include <string>

#include "tests/isa/harness.h"

namespace spinlab::isa::test {
namespace {

constexpr uint32_t kTrapVector = kRamBase + 0x800;
constexpr uint32_t kData = kRamBase + 0x1000;
constexpr uint32_t kBreakpoint = 3;

// tdata1 fields (RV32): type in 31:28, then the bits both mcontrol and
// mcontrol6 have.
constexpr uint32_t kType2 = 2u << 28, kType6 = 6u << 28;
constexpr uint32_t kM = 1u << 6, kU = 1u << 3, kExec = 1u << 2, kStore = 1u << 1, kLoad = 1u << 0;
constexpr uint32_t kDmode = 1u << 27;
uint32_t match(uint32_t m) { return m << 7; }

struct TriggerMachine : Machine {
  TriggerMachine() { hart().csrs().mtvec = kTrapVector; }
  void arm(unsigned index, uint32_t tdata1, uint32_t tdata2) {
    Hart& h = hart();
    ASSERT_TRUE(h.csr_write(csr::tselect, index));
    ASSERT_TRUE(h.csr_write(csr::tdata2, tdata2));
    ASSERT_TRUE(h.csr_write(csr::tdata1, tdata1));
  }
  uint32_t read(uint16_t addr) {
    uint32_t v = 0;
    EXPECT_TRUE(hart().csr_read(addr, v)) << std::hex << addr;
    return v;
  }
};

void expect_breakpoint(const Hart& h, uint32_t epc, uint32_t tval) {
  EXPECT_EQ(h.csrs().mcause, kBreakpoint);
  EXPECT_EQ(h.csrs().mepc, epc);
  EXPECT_EQ(h.csrs().mtval, tval);
  EXPECT_EQ(h.pc(), kTrapVector);
}

// --- CSRs -------------------------------------------------------------------------

TEST(TriggerCsrs, TinfoListsTypes2And6) {
  TriggerMachine m;
  EXPECT_EQ(m.read(csr::tinfo), (1u << 24) | (1u << 2) | (1u << 6) | (1u << 15));
  ASSERT_TRUE(m.hart().csr_write(csr::tinfo, 0));
  EXPECT_EQ(m.read(csr::tinfo) & 0xffff, (1u << 2) | (1u << 6) | (1u << 15)) << "writes ignored";
}

// Four triggers; an index past them is not taken (WARL).
TEST(TriggerCsrs, TselectWarl) {
  TriggerMachine m;
  for (uint32_t i = 0; i < 4; ++i) {
    ASSERT_TRUE(m.hart().csr_write(csr::tselect, i));
    EXPECT_EQ(m.read(csr::tselect), i);
  }
  ASSERT_TRUE(m.hart().csr_write(csr::tselect, 4));
  EXPECT_EQ(m.read(csr::tselect), 3u);
}

// Each trigger has its own tdata1/tdata2.
TEST(TriggerCsrs, PerTriggerState) {
  TriggerMachine m;
  m.arm(0, kType2 | kM | kLoad, 0x1000);
  m.arm(1, kType6 | kU | kStore, 0x2000);
  m.hart().csr_write(csr::tselect, 0);
  EXPECT_EQ(m.read(csr::tdata1), kType2 | kM | kLoad);
  EXPECT_EQ(m.read(csr::tdata2), 0x1000u);
  m.hart().csr_write(csr::tselect, 1);
  EXPECT_EQ(m.read(csr::tdata1), kType6 | kU | kStore);
  EXPECT_EQ(m.read(csr::tdata2), 0x2000u);
  EXPECT_EQ(m.read(csr::tdata3), 0u);
}

struct Tdata1Case {
  const char* label;
  uint32_t written;
  uint32_t reads;
};

// clang-format off
const Tdata1Case kTdata1[] = {
  // riscv-tests breakpoint: the value must read back exactly, or it skips.
  {"breakpoint_test_exec",  kType2 | kM | kExec,                        kType2 | kM | kExec},
  {"breakpoint_test_load",  kType2 | kM | kLoad,                        kType2 | kM | kLoad},
  {"mcontrol6_all_kinds",   kType6 | kM | kU | kExec | kLoad | kStore,  kType6 | kM | kU | kExec | kLoad | kStore},
  {"match_ge",              kType2 | match(2) | kM | kLoad,             kType2 | match(2) | kM | kLoad},
  {"match_napot",           kType6 | match(1) | kU | kStore,            kType6 | match(1) | kU | kStore},
  {"match_mask_unsupported", kType2 | match(4) | kM | kLoad,            kType2 | kM | kLoad},
  {"dmode_reads_0",         kType2 | kDmode | kM | kExec,               kType2 | kM | kExec},
  {"s_bit_reads_0",         kType2 | (1u << 4) | kM | kExec,            kType2 | kM | kExec},
  {"action_debug_mode_0",   kType2 | (1u << 12) | kM | kExec,           kType2 | kM | kExec},
  {"timing_after_0",        kType2 | (1u << 18) | kM | kExec,           kType2 | kM | kExec},
  {"chain_0",               kType2 | (1u << 11) | kM | kExec,           kType2 | kM | kExec},
  {"zero_disables",         0,                                           15u << 28},
  {"icount_type_disables",  (3u << 28) | kM,                             15u << 28},
};
// clang-format on

class Tdata1Warl : public ::testing::TestWithParam<Tdata1Case> {};

TEST_P(Tdata1Warl, ReadsBack) {
  TriggerMachine m;
  ASSERT_TRUE(m.hart().csr_write(csr::tdata1, GetParam().written));
  EXPECT_EQ(m.read(csr::tdata1), GetParam().reads);
}

INSTANTIATE_TEST_SUITE_P(Triggers, Tdata1Warl, ::testing::ValuesIn(kTdata1),
                         [](const auto& info) { return std::string(info.param.label); });

TEST(TriggerCsrs, ResetMatchesNothing) {
  TriggerMachine m;
  m.arm(2, kType2 | kM | kExec, kRamBase);
  m.hart().reset(kRamBase);
  EXPECT_EQ(m.read(csr::tselect), 0u);
  for (uint32_t i = 0; i < 4; ++i) {
    m.hart().csr_write(csr::tselect, i);
    EXPECT_EQ(m.read(csr::tdata1), kType2) << i;
  }
  m.program({enc::nop});
  EXPECT_EQ(m.step(), StepStatus::retired);
}

TEST(TriggerCsrs, UserModeCannotTouchThem) {
  TriggerMachine m;
  m.hart().set_priv(Priv::user);
  uint32_t v = 0;
  EXPECT_FALSE(m.hart().csr_read(csr::tselect, v));
  EXPECT_FALSE(m.hart().csr_write(csr::tdata1, 0));
}

// --- firing -------------------------------------------------------------------------

// Execute: before the instruction runs; mepc = mtval = its pc.
TEST(TriggerFire, ExecuteBeforeTheInstruction) {
  TriggerMachine m;
  m.program({enc::nop, enc::addi(a0, zero, 1)});
  m.arm(0, kType2 | kM | kExec, kRamBase + 4);
  EXPECT_EQ(m.step(), StepStatus::retired);
  EXPECT_EQ(m.step(), StepStatus::exception);
  expect_breakpoint(m.hart(), kRamBase + 4, kRamBase + 4);
  EXPECT_EQ(m.hart().x(a0), 0u) << "not executed";
  EXPECT_EQ(m.hart().minstret(), 1u);
}

// Load and store: before the access (nothing reaches memory, rd is kept);
// mtval = the address. An AMO is both.
struct DataCase {
  const char* label;
  uint32_t tdata1;
  uint32_t word;
  bool fires;
};

uint32_t amoswap(unsigned rd, unsigned rs1, unsigned rs2) { return enc::amo(0x01, rd, rs1, rs2); }

// clang-format off
const DataCase kData_[] = {
  {"load_on_lw",    kType2 | kM | kLoad,  enc::lw(a0, a1, 0),    true},
  {"load_on_sw",    kType2 | kM | kLoad,  enc::sw(a0, a1, 0),    false},
  {"store_on_sw",   kType2 | kM | kStore, enc::sw(a0, a1, 0),    true},
  {"store_on_sb",   kType6 | kM | kStore, enc::sb(a0, a1, 0),    true},
  {"store_on_lw",   kType2 | kM | kStore, enc::lw(a0, a1, 0),    false},
  {"load_on_lr",    kType2 | kM | kLoad,  enc::lr_w(a0, a1),     true},
  {"store_on_sc",   kType2 | kM | kStore, enc::sc_w(a0, a1, a0), true},
  {"load_on_amo",   kType2 | kM | kLoad,  amoswap(a0, a1, a0),   true},
  {"store_on_amo",  kType2 | kM | kStore, amoswap(a0, a1, a0),   true},
  {"user_only_in_m", kType2 | kU | kLoad | kStore, enc::lw(a0, a1, 0), false},
  {"exec_only",     kType2 | kM | kExec,  enc::lw(a0, a1, 0),    false},
};
// clang-format on

class TriggerData : public ::testing::TestWithParam<DataCase> {};

TEST_P(TriggerData, FiresBeforeTheAccess) {
  const DataCase& c = GetParam();
  TriggerMachine m;
  m.program({c.word});
  m.hart().set_x(a1, kData);
  m.hart().set_x(a0, 0x5555);
  m.mem().set_word(kData, 0x1234);
  m.arm(1, c.tdata1, kData);
  const unsigned before = m.mem().accesses;
  const StepStatus s = m.step();
  if (!c.fires) {
    EXPECT_EQ(s, StepStatus::retired);
    return;
  }
  EXPECT_EQ(s, StepStatus::exception);
  expect_breakpoint(m.hart(), kRamBase, kData);
  EXPECT_EQ(m.mem().accesses, before);
  EXPECT_EQ(m.hart().x(a0), 0x5555u);
  EXPECT_EQ(m.mem().word(kData), 0x1234u);
}

INSTANTIATE_TEST_SUITE_P(Triggers, TriggerData, ::testing::ValuesIn(kData_),
                         [](const auto& info) { return std::string(info.param.label); });

// The u bit: a trigger fires in U mode only when u is set, in M only when m is.
TEST(TriggerFire, ModeBits) {
  TriggerMachine m;
  Hart& h = m.hart();
  h.csr_write(csr::pmpaddr0, 0xffff'ffff);
  h.csr_write(csr::pmpcfg0, 0x1f);  // NAPOT RWX: U may run
  m.program({enc::nop});
  m.arm(0, kType2 | kM | kExec, kRamBase);
  h.set_priv(Priv::user);
  EXPECT_EQ(m.step(), StepStatus::retired) << "m only: not in U";
  h.set_priv(Priv::machine);
  m.arm(0, kType2 | kU | kExec, kRamBase);
  h.set_pc(kRamBase);
  EXPECT_EQ(m.step(), StepStatus::retired) << "u only: not in M";
  h.set_pc(kRamBase);
  h.set_priv(Priv::user);
  EXPECT_EQ(m.step(), StepStatus::exception);
  expect_breakpoint(h, kRamBase, kRamBase);
  EXPECT_EQ(h.priv(), Priv::machine);
  EXPECT_EQ(h.csrs().mstatus & (3u << 11), 0u) << "MPP = U";
}

// A load/store breakpoint comes before a misaligned or access fault
// (privileged table 3.7).
TEST(TriggerFire, BeforeMisalignedAndAccessFault) {
  TriggerMachine m;
  m.program({enc::lw(a0, a1, 0)});
  m.hart().set_x(a1, kData + 2);
  m.arm(0, kType2 | kM | kLoad, kData + 2);
  EXPECT_EQ(m.step(), StepStatus::exception);
  EXPECT_EQ(m.hart().csrs().mcause, kBreakpoint);
  m.hart().set_pc(kRamBase);
  m.hart().set_x(a1, kNoDevice);
  m.arm(0, kType2 | kM | kLoad, kNoDevice);
  EXPECT_EQ(m.step(), StepStatus::exception);
  EXPECT_EQ(m.hart().csrs().mcause, kBreakpoint);
}

struct MatchCase {
  const char* label;
  uint32_t match;
  uint32_t tdata2;
  uint32_t addr;
  bool fires;
};

// clang-format off
const MatchCase kMatches[] = {
  {"equal_hit",        0, 0x8000'1000, 0x8000'1000, true},
  {"equal_miss",       0, 0x8000'1000, 0x8000'1004, false},
  {"napot_16_low",     1, 0x8000'1007, 0x8000'1000, true},   // 0x80001000..100f
  {"napot_16_high",    1, 0x8000'1007, 0x8000'100c, true},
  {"napot_16_past",    1, 0x8000'1007, 0x8000'1010, false},
  {"napot_2_bytes",    1, 0x8000'1000, 0x8000'1001, true},
  {"napot_all",        1, 0x7fff'ffff, 0x1234'5678, true},
  {"ge_equal",         2, 0x8000'1000, 0x8000'1000, true},
  {"ge_above",         2, 0x8000'1000, 0xffff'fffc, true},
  {"ge_below",         2, 0x8000'1000, 0x8000'0ffc, false},
  {"lt_below",         3, 0x8000'1000, 0x8000'0ffc, true},
  {"lt_equal",         3, 0x8000'1000, 0x8000'1000, false},
};
// clang-format on

class TriggerMatch : public ::testing::TestWithParam<MatchCase> {};

TEST_P(TriggerMatch, Store) {
  const MatchCase& c = GetParam();
  Triggers t;
  t.reset();
  t.write_tdata2(c.tdata2);
  t.write_tdata1(kType6 | match(c.match) | kM | kStore);
  EXPECT_EQ(t.fires(Triggers::store, c.addr, true), c.fires);
  EXPECT_FALSE(t.fires(Triggers::load, c.addr, true));
  EXPECT_FALSE(t.fires(Triggers::store, c.addr, false)) << "u clear";
}

INSTANTIATE_TEST_SUITE_P(Triggers, TriggerMatch, ::testing::ValuesIn(kMatches),
                         [](const auto& info) { return std::string(info.param.label); });

// riscv-tests rv64mi/breakpoint: an execute trigger on trigger 0, then load,
// then store; a second trigger on another word; both fire.
TEST(TriggerFire, RiscvTestsBreakpointSequence) {
  TriggerMachine m;
  constexpr uint32_t data1 = kData, data2 = kData + 4;
  m.program({enc::lw(a2, a2, 0), enc::sw(a2, a2, 0), enc::lw(a3, a3, 0), enc::sw(a2, a2, 0)});
  m.hart().set_x(a2, data1);
  m.hart().set_x(a3, data2);
  m.arm(0, kType2 | kM | kLoad, data1);
  EXPECT_EQ(m.step(), StepStatus::exception);
  expect_breakpoint(m.hart(), kRamBase, data1);
  m.arm(0, kType2 | kM | kStore, data1);
  m.hart().set_pc(kRamBase + 4);
  EXPECT_EQ(m.step(), StepStatus::exception);
  EXPECT_EQ(m.mem().word(data1), 0u) << "the store did not happen";
  m.arm(1, kType2 | kM | kLoad, data2);
  m.hart().set_pc(kRamBase + 8);
  EXPECT_EQ(m.step(), StepStatus::exception);
  expect_breakpoint(m.hart(), kRamBase + 8, data2);
  m.hart().set_pc(kRamBase + 12);
  EXPECT_EQ(m.step(), StepStatus::exception) << "trigger 0 still fires";
  expect_breakpoint(m.hart(), kRamBase + 12, data1);
}

}  // namespace
}  // namespace spinlab::isa::test
