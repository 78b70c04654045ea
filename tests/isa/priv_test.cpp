// User mode (privileged spec 1.12): mstatus.MPP/MPRV/TW and their WARL
// rules, trap entry and mret between M and U, ecall from U, the CSR
// privilege rule, mcounteren, mret and wfi in U, interrupts in U, misa.U.
#include <gtest/gtest.h>

#include <string>

#include "tests/isa/harness.h"

namespace spinlab::isa::test {
namespace {

constexpr uint32_t kTrapVector = kRamBase + 0x800;
constexpr uint32_t kMie = 1u << 3, kMpie = 1u << 7, kMppM = 3u << 11, kMprv = 1u << 17, kTw = 1u << 21;
constexpr uint32_t kIllegal = 2;

// A hart that traps to kTrapVector, with one PMP entry giving U mode every
// access (NAPOT over the whole address space), as firmware that drops to U
// mode sets up.
struct UserMachine : Machine {
  UserMachine() {
    Hart& h = hart();
    h.csrs().mtvec = kTrapVector;
    EXPECT_TRUE(h.csr_write(csr::pmpaddr0, 0xffff'ffff));
    EXPECT_TRUE(h.csr_write(csr::pmpcfg0, Pmp::kR | Pmp::kW | Pmp::kX | (Pmp::napot << Pmp::kModeShift)));
  }
  // Runs `word` at kRamBase in U mode.
  StepStatus run_user(uint32_t word) {
    program({word});
    hart().set_pc(kRamBase);
    hart().set_priv(Priv::user);
    return step();
  }
};

void expect_illegal(Hart& h, uint32_t bits) {
  EXPECT_EQ(h.csrs().mcause, kIllegal);
  EXPECT_EQ(h.csrs().mtval, bits);
  EXPECT_EQ(h.csrs().mepc, kRamBase);
  EXPECT_EQ(h.pc(), kTrapVector);
  EXPECT_EQ(h.priv(), Priv::machine);
  EXPECT_EQ(h.csrs().mstatus & kMppM, 0u) << "MPP = U: the trap came from U mode";
}

TEST(Misa, HasU) {
  Hart h(0);
  uint32_t v = 0;
  ASSERT_TRUE(h.csr_read(csr::misa, v));
  EXPECT_EQ(v & (1u << 20), 1u << 20);
  EXPECT_EQ(v & (1u << 18), 0u) << "no S";
}

TEST(Reset, MachineModeAndMppM) {
  Hart h(0);
  h.set_priv(Priv::user);
  h.csrs().mstatus |= kMprv;
  h.reset(kRamBase);
  EXPECT_EQ(h.priv(), Priv::machine);
  EXPECT_EQ(h.csrs().mstatus, kMppM);
}

// --- mstatus -------------------------------------------------------------------

// MIE, MPIE, MPP, MPRV and TW are writable; every S-mode field reads 0.
TEST(Mstatus, WritableFields) {
  Hart h(0);
  ASSERT_TRUE(h.csr_write(csr::mstatus, 0xffff'ffff));
  uint32_t v = 0;
  ASSERT_TRUE(h.csr_read(csr::mstatus, v));
  EXPECT_EQ(v, kMie | kMpie | kMppM | kMprv | kTw);
  ASSERT_TRUE(h.csr_write(csr::mstatus, 0));
  ASSERT_TRUE(h.csr_read(csr::mstatus, v));
  EXPECT_EQ(v, 0u) << "MPP = U is legal";
}

struct MppCase {
  uint32_t before, written, after;
};

class MppWarl : public ::testing::TestWithParam<MppCase> {};

// MPP holds M or U; a write of S (1) or the reserved 2 keeps the old value
// (as QEMU's legalize_mpp).
TEST_P(MppWarl, KeepsLegalValue) {
  const MppCase& c = GetParam();
  Hart h(0);
  ASSERT_TRUE(h.csr_write(csr::mstatus, c.before << 11));
  ASSERT_TRUE(h.csr_write(csr::mstatus, c.written << 11));
  EXPECT_EQ((h.csrs().mstatus >> 11) & 3, c.after);
}

INSTANTIATE_TEST_SUITE_P(Mstatus, MppWarl,
                         ::testing::Values(MppCase{3, 0, 0}, MppCase{0, 3, 3}, MppCase{3, 1, 3}, MppCase{0, 1, 0},
                                           MppCase{3, 2, 3}, MppCase{0, 2, 0}),
                         [](const auto& info) {
                           return "from" + std::to_string(info.param.before) + "_write" +
                                  std::to_string(info.param.written);
                         });

// --- traps and mret between modes --------------------------------------------------

TEST(Mret, ToUserModeSetsMppToU) {
  UserMachine m;
  m.program({enc::mret});
  m.hart().csrs().mepc = kRamBase + 0x40;
  ASSERT_TRUE(m.hart().csr_write(csr::mstatus, kMpie | kTw));  // MPP = U
  EXPECT_EQ(m.step(), StepStatus::retired);
  EXPECT_EQ(m.hart().priv(), Priv::user);
  EXPECT_EQ(m.hart().pc(), kRamBase + 0x40);
  EXPECT_EQ(m.hart().csrs().mstatus, kMpie | kMie | kTw) << "MPP <- U, TW kept";
}

// MPRV is cleared by an mret that leaves M mode, kept by one that stays.
TEST(Mret, ClearsMprvOnlyWhenLeavingMachineMode) {
  UserMachine m;
  m.program({enc::mret});
  m.hart().csrs().mepc = kRamBase;
  ASSERT_TRUE(m.hart().csr_write(csr::mstatus, kMppM | kMprv));
  m.step();
  EXPECT_EQ(m.hart().priv(), Priv::machine);
  EXPECT_EQ(m.hart().csrs().mstatus, kMpie | kMprv) << "to M: MPRV stays, MPP <- U";
  m.hart().set_pc(kRamBase);
  m.step();  // MPP is now U
  EXPECT_EQ(m.hart().priv(), Priv::user);
  EXPECT_EQ(m.hart().csrs().mstatus & kMprv, 0u);
}

TEST(Mret, IllegalInUserMode) {
  UserMachine m;
  m.hart().csrs().mepc = kRamBase + 0x40;
  EXPECT_EQ(m.run_user(enc::mret), StepStatus::exception);
  expect_illegal(m.hart(), enc::mret);
}

// ecall from U is cause 8; trap entry records MPP = U and enters M mode,
// keeping MPRV and TW.
TEST(Ecall, FromUserModeIsCause8) {
  UserMachine m;
  m.hart().csrs().mstatus |= kTw | kMie;
  EXPECT_EQ(m.run_user(enc::ecall), StepStatus::exception);
  EXPECT_EQ(m.hart().csrs().mcause, 8u);
  EXPECT_EQ(m.hart().csrs().mepc, kRamBase);
  EXPECT_EQ(m.hart().csrs().mtval, 0u);
  EXPECT_EQ(m.hart().priv(), Priv::machine);
  EXPECT_EQ(m.hart().csrs().mstatus, kTw | kMpie) << "MPP = U, MPIE <- MIE, MIE <- 0";
  EXPECT_STREQ(exception_name(8).words, "ecall from U-mode");
}

TEST(Ecall, RoundTripUserToMachineAndBack) {
  UserMachine m;
  // U code: ecall; addi a0, zero, 7. The handler skips the ecall.
  m.program({enc::ecall, enc::addi(a0, zero, 7)});
  m.program({enc::csrrs(t0, csr::mepc, zero), enc::addi(t0, t0, 4), enc::csrrw(zero, csr::mepc, t0), enc::mret},
            kTrapVector);
  m.hart().set_priv(Priv::user);
  m.run(5);
  EXPECT_EQ(m.hart().priv(), Priv::user);
  m.step();
  EXPECT_EQ(m.hart().x(a0), 7u);
  EXPECT_EQ(m.hart().pc(), kRamBase + 8);
}

// A machine interrupt is taken in U mode whatever mstatus.MIE says (3.1.6.1).
TEST(Interrupts, TakenInUserModeWithMieClear) {
  UserMachine m;
  m.program({enc::nop, enc::nop});
  m.hart().csrs().mie = 1u << 7;
  m.hart().set_priv(Priv::user);
  m.hart().set_pending(Interrupt::timer, true);
  EXPECT_TRUE(m.hart().interrupt_ready());
  EXPECT_EQ(m.step(), StepStatus::interrupt);
  EXPECT_EQ(m.hart().priv(), Priv::machine);
  EXPECT_EQ(m.hart().csrs().mcause, 0x8000'0007u);
  EXPECT_FALSE(m.hart().interrupt_ready()) << "in M with MIE clear it waits";
}

// --- wfi -----------------------------------------------------------------------------

// No S mode: wfi in U waits unless TW = 1, which makes it illegal at once
// (3.1.6.5). TW does not affect M mode.
TEST(Wfi, UserModeWaitsUnlessTw) {
  UserMachine m;
  EXPECT_EQ(m.run_user(enc::wfi), StepStatus::wfi);
  m.hart().csrs().mstatus |= kTw;
  EXPECT_EQ(m.run_user(enc::wfi), StepStatus::exception);
  expect_illegal(m.hart(), enc::wfi);
  m.hart().set_pc(kRamBase);
  EXPECT_EQ(m.step(), StepStatus::wfi) << "M mode";
}

// --- CSR privilege -------------------------------------------------------------------

struct UserCsrCase {
  const char* label;
  uint16_t csr;
  uint32_t mcounteren;  // set before the read
  bool legal;
};

// clang-format off
const UserCsrCase kUserCsrs[] = {
  {"mstatus",            csr::mstatus,    0, false},
  {"mscratch",           csr::mscratch,   0, false},
  {"mhartid",            csr::mhartid,    0, false},
  {"mcounteren",         csr::mcounteren, 7, false},
  {"pmpcfg0",            csr::pmpcfg0,    0, false},
  {"pmpaddr0",           csr::pmpaddr0,   0, false},
  {"tselect",            csr::tselect,    0, false},
  {"mcycle",             csr::mcycle,     7, false},
  {"cycle_hidden",       csr::cycle,      6, false},
  {"cycle_shown",        csr::cycle,      1, true},
  {"cycleh_hidden",      csr::cycleh,     6, false},
  {"cycleh_shown",       csr::cycleh,     1, true},
  {"time_hidden",        csr::time,       5, false},
  {"time_shown",         csr::time,       2, true},
  {"timeh_shown",        csr::timeh,      2, true},
  {"instret_hidden",     csr::instret,    3, false},
  {"instret_shown",      csr::instret,    4, true},
  {"instreth_hidden",    csr::instreth,   3, false},
  {"instreth_shown",     csr::instreth,   4, true},
};
// clang-format on

class UserCsr : public ::testing::TestWithParam<UserCsrCase> {};

// csrrs a0, csr, zero from U: legal only for a CSR with csr[9:8] = 0 whose
// counter bit mcounteren has set (privileged 2.1, 3.1.12).
TEST_P(UserCsr, ReadFromUserMode) {
  const UserCsrCase& c = GetParam();
  UserMachine m;
  m.hart().csrs().mcounteren = c.mcounteren;
  m.hart().set_x(a0, 0x5555);
  const uint32_t word = enc::csrrs(a0, c.csr, zero);
  const StepStatus s = m.run_user(word);
  if (c.legal) {
    EXPECT_EQ(s, StepStatus::retired);
    EXPECT_EQ(m.hart().priv(), Priv::user);
    return;
  }
  EXPECT_EQ(s, StepStatus::exception);
  expect_illegal(m.hart(), word);
  EXPECT_EQ(m.hart().x(a0), 0x5555u) << "rd unchanged";
}

INSTANTIATE_TEST_SUITE_P(Priv, UserCsr, ::testing::ValuesIn(kUserCsrs),
                         [](const auto& info) { return std::string(info.param.label); });

// A csrrw with rd = x0 does not read, but the privilege rule still applies.
TEST(UserCsrWrite, MachineCsrWriteIsIllegal) {
  UserMachine m;
  const uint32_t word = enc::csrrw(zero, csr::mscratch, a1);
  EXPECT_EQ(m.run_user(word), StepStatus::exception);
  expect_illegal(m.hart(), word);
}

// M mode reads the counters whatever mcounteren says.
TEST(Mcounteren, MachineModeIgnoresIt) {
  Hart h(0);
  uint32_t v = 0;
  EXPECT_TRUE(h.csr_read(csr::cycle, v));
  EXPECT_TRUE(h.csr_read(csr::instreth, v));
}

// CY, TM, IR are writable; the hpm bits have no counter and read 0.
TEST(Mcounteren, OnlyCyTmIrWritable) {
  Hart h(0);
  ASSERT_TRUE(h.csr_write(csr::mcounteren, 0xffff'ffff));
  uint32_t v = 0;
  ASSERT_TRUE(h.csr_read(csr::mcounteren, v));
  EXPECT_EQ(v, 7u);
}

}  // namespace
}  // namespace spinlab::isa::test
