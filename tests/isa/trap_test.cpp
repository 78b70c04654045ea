// Trap entry for every exception cause, mret, interrupts (priority, MIE and
// mie gating, direct and vectored mtvec) and wfi.
#include <gtest/gtest.h>

#include <string>

#include "isa/decode.h"
#include "tests/isa/harness.h"

namespace spinlab::isa::test {
namespace {

constexpr uint32_t kTrapVector = kRamBase + 0x800;
constexpr uint32_t kMie = 1u << 3, kMpie = 1u << 7, kMpp = 3u << 11;

struct TrapMachine : Machine {
  TrapMachine() { hart().csrs().mtvec = kTrapVector; }
};

// Trap entry: mepc, mcause, mtval; MPIE <- MIE, MIE <- 0, MPP = M; pc = mtvec.
void expect_trap(Hart& h, uint32_t cause, uint32_t mepc, uint32_t mtval, bool mie_before) {
  EXPECT_EQ(h.csrs().mcause, cause);
  EXPECT_EQ(h.csrs().mepc, mepc);
  EXPECT_EQ(h.csrs().mtval, mtval);
  EXPECT_EQ(h.csrs().mstatus, kMpp | (mie_before ? kMpie : 0));
  EXPECT_EQ(h.pc(), kTrapVector);
  EXPECT_EQ(h.minstret(), 0u) << "a trapping instruction does not retire";
}

struct IllegalCase {
  const char* label;
  uint32_t word;
};

// clang-format off
const IllegalCase kIllegal[] = {
  {"all_zeros",            0x0000'0000},
  {"all_ones",             0xffff'ffff},
  {"compressed_nop",       0x0000'0001},
  {"unknown_opcode",       0x0000'007f},
  {"op_bad_funct7",        0x0800'0033},
  {"load_funct3_3",        0x0000'3003},   // ld: RV64 only
  {"store_funct3_3",       0x0000'3023},
  {"branch_funct3_2",      0x0000'2063},
  {"jalr_funct3_1",        0x0000'1067},
  {"amo_funct3_3",         0x0000'302f},   // .d AMOs: RV64 only
  {"amo_bad_funct5",       0x2800'202f},
  {"system_funct3_4",      0x0000'4073},
  {"uret",                 0x0020'0073},
  {"sret",                 0x1020'0073},
  {"ecall_with_rd",        0x0000'00f3},
  {"mret_with_rs1",        0x3020'8073},
  {"wfi_with_rd",          0x1050'00f3},
};
// clang-format on

class Illegal : public ::testing::TestWithParam<IllegalCase> {};

// Without C (machine.isa = "rv32ima"), so that the 16-bit encodings among
// the cases are whole illegal words; tests/isa/compressed_test.cpp has the
// reserved parcels with C.
TEST_P(Illegal, TrapsWithBitsInMtval) {
  const IllegalCase& c = GetParam();
  TrapMachine m;
  m.hart().set_compressed(false);
  m.hart().csrs().mstatus |= kMie;
  m.program({enc::nop, c.word});
  m.step();
  m.hart().csrs().minstret = 0;
  EXPECT_EQ(m.step(), StepStatus::exception);
  expect_trap(m.hart(), 2, kRamBase + 4, c.word, true);
  EXPECT_EQ(m.hart().last_desc(), nullptr);
  EXPECT_EQ(m.hart().last_bits(), c.word);
  EXPECT_EQ(m.hart().last_pc(), kRamBase + 4);
}

INSTANTIATE_TEST_SUITE_P(Traps, Illegal, ::testing::ValuesIn(kIllegal),
                         [](const auto& info) { return std::string(info.param.label); });

TEST(Exceptions, EcallCause11Mtval0) {
  TrapMachine m;
  m.program({enc::ecall});
  EXPECT_EQ(m.step(), StepStatus::exception);
  expect_trap(m.hart(), 11, kRamBase, 0, false);
  EXPECT_STREQ(m.hart().last_desc()->name, "ecall");
}

TEST(Exceptions, EbreakCause3MtvalPc) {
  TrapMachine m;
  m.program({enc::nop, enc::ebreak});
  m.step();
  m.hart().csrs().minstret = 0;
  EXPECT_EQ(m.step(), StepStatus::exception);
  expect_trap(m.hart(), 3, kRamBase + 4, kRamBase + 4, false);
}

TEST(Exceptions, FetchOutsideCodeMemory) {
  TrapMachine m;
  m.hart().reset(kNoDevice);
  m.hart().csrs().mtvec = kTrapVector;
  EXPECT_EQ(m.step(), StepStatus::exception);
  expect_trap(m.hart(), 1, kNoDevice, kNoDevice, false);
  EXPECT_EQ(m.hart().last_desc(), nullptr);
}

TEST(Exceptions, FetchPastTheEndOfRam) {
  TrapMachine m;
  m.program({enc::jal(zero, 0x1000)}, kRamBase + kRamBytes - 0x1000);
  m.hart().set_pc(kRamBase + kRamBytes - 0x1000);
  m.step();
  m.hart().csrs().minstret = 0;
  EXPECT_EQ(m.step(), StepStatus::exception);
  expect_trap(m.hart(), 1, kRamBase + kRamBytes, kRamBase + kRamBytes, false);
}

// IALIGN=32 without C; with C only an odd pc is (compressed_test.cpp).
TEST(Exceptions, MisalignedEntryPc) {
  TrapMachine m;
  m.hart().set_compressed(false);
  m.hart().set_pc(kRamBase + 2);
  EXPECT_EQ(m.step(), StepStatus::exception);
  expect_trap(m.hart(), 0, kRamBase + 2, kRamBase + 2, false);
}

// Exceptions go to BASE even when mtvec is vectored.
TEST(Exceptions, VectoredModeSendsExceptionsToBase) {
  TrapMachine m;
  m.hart().csrs().mtvec = kTrapVector | 1;
  m.program({enc::ecall});
  m.step();
  EXPECT_EQ(m.hart().pc(), kTrapVector);
}

// mret: pc <- mepc, MIE <- MPIE, MPIE <- 1, MPP <- U (the mode it returns
// to is MPP's: tests/isa/priv_test.cpp). It retires.
TEST(Mret, RestoresInterruptEnable) {
  TrapMachine m;
  m.program({enc::mret});
  m.hart().csrs().mepc = kRamBase + 0x40;
  m.hart().csrs().mstatus = kMpp | kMpie;
  EXPECT_EQ(m.step(), StepStatus::retired);
  EXPECT_EQ(m.hart().pc(), kRamBase + 0x40);
  EXPECT_EQ(m.hart().csrs().mstatus, kMpie | kMie);
  EXPECT_EQ(m.hart().priv(), Priv::machine);
  EXPECT_EQ(m.hart().cost(), Cost::mret);
  EXPECT_EQ(m.hart().minstret(), 1u);
}

TEST(Mret, MpieClearLeavesMieClearAndSetsMpie) {
  TrapMachine m;
  m.program({enc::mret});
  m.hart().csrs().mepc = kRamBase + 0x40;
  m.hart().csrs().mstatus = kMpp | kMie;
  m.step();
  EXPECT_EQ(m.hart().csrs().mstatus, kMpie);
}

TEST(Mret, RoundTripThroughEcall) {
  TrapMachine m;
  m.hart().csrs().mstatus |= kMie;
  m.program({enc::ecall, enc::addi(a0, zero, 1)});
  // Handler: mepc += 4; mret.
  m.program({enc::csrrs(t0, csr::mepc, zero), enc::addi(t0, t0, 4), enc::csrrw(zero, csr::mepc, t0), enc::mret},
            kTrapVector);
  m.run(6);
  EXPECT_EQ(m.hart().x(a0), 1u);
  EXPECT_EQ(m.hart().pc(), kRamBase + 8);
  EXPECT_TRUE(m.hart().csrs().mstatus_mie());
}

// --- interrupts -----------------------------------------------------------------

void enable_all(Hart& h) {
  h.csrs().mie = (1u << 3) | (1u << 7) | (1u << 11);
  h.csrs().mstatus |= kMie;
}

TEST(Interrupts, TakenAtBoundaryWithoutExecuting) {
  TrapMachine m;
  m.program({enc::nop, enc::addi(a0, zero, 1)});
  enable_all(m.hart());
  m.step();
  m.hart().set_pending(Interrupt::timer, true);
  EXPECT_TRUE(m.hart().interrupt_ready());
  EXPECT_EQ(m.step(), StepStatus::interrupt);
  EXPECT_EQ(m.hart().x(a0), 0u) << "no instruction executed";
  EXPECT_EQ(m.hart().minstret(), 1u);
  EXPECT_EQ(m.hart().csrs().mcause, 0x8000'0007u);
  EXPECT_EQ(m.hart().csrs().mepc, kRamBase + 4) << "the next instruction to execute";
  EXPECT_EQ(m.hart().csrs().mtval, 0u);
  EXPECT_EQ(m.hart().csrs().mstatus, kMpp | kMpie);
  EXPECT_EQ(m.hart().pc(), kTrapVector);
  EXPECT_EQ(m.hart().last_desc(), nullptr);
  EXPECT_EQ(m.hart().last_pc(), kRamBase + 4);
  EXPECT_FALSE(m.hart().interrupt_ready()) << "MIE is now clear";
}

// MEI > MSI > MTI (privileged 3.1.9).
TEST(Interrupts, PriorityOrder) {
  TrapMachine m;
  m.program({enc::nop});
  m.program({enc::mret}, kTrapVector);
  m.hart().set_pending(Interrupt::timer, true);
  m.hart().set_pending(Interrupt::software, true);
  m.hart().set_pending(Interrupt::external, true);
  enable_all(m.hart());
  const uint32_t expected[] = {0x8000'000bu, 0x8000'0003u, 0x8000'0007u};
  const Interrupt order[] = {Interrupt::external, Interrupt::software, Interrupt::timer};
  for (int k = 0; k < 3; ++k) {
    ASSERT_EQ(m.step(), StepStatus::interrupt);
    EXPECT_EQ(m.hart().csrs().mcause, expected[k]);
    m.hart().set_pending(order[k], false);  // the handler's device acknowledges
    ASSERT_EQ(m.step(), StepStatus::retired);  // mret re-enables MIE
  }
  EXPECT_EQ(m.step(), StepStatus::retired) << "nothing pending: executes at mepc";
}

TEST(Interrupts, MieGates) {
  TrapMachine m;
  m.program({enc::nop, enc::nop});
  m.hart().csrs().mie = 1u << 7;
  m.hart().set_pending(Interrupt::timer, true);
  EXPECT_TRUE(m.hart().wakeup_pending());
  EXPECT_FALSE(m.hart().interrupt_ready());
  EXPECT_EQ(m.step(), StepStatus::retired) << "mstatus.MIE clear: no interrupt";
  m.hart().csrs().mstatus |= kMie;
  EXPECT_EQ(m.step(), StepStatus::interrupt);
}

TEST(Interrupts, MieBitGates) {
  TrapMachine m;
  m.program({enc::nop});
  m.hart().csrs().mstatus |= kMie;
  m.hart().csrs().mie = 1u << 3;  // only software enabled
  m.hart().set_pending(Interrupt::timer, true);
  EXPECT_FALSE(m.hart().wakeup_pending());
  EXPECT_EQ(m.step(), StepStatus::retired);
}

TEST(Interrupts, DirectModeGoesToBase) {
  TrapMachine m;
  enable_all(m.hart());
  m.hart().set_pending(Interrupt::external, true);
  m.step();
  EXPECT_EQ(m.hart().pc(), kTrapVector);
}

// Vectored mode: interrupts go to BASE + 4 * cause.
TEST(Interrupts, VectoredModeOffsetsByCause) {
  for (auto [irq, cause] : {std::pair{Interrupt::software, 3u}, std::pair{Interrupt::timer, 7u},
                            std::pair{Interrupt::external, 11u}}) {
    TrapMachine m;
    m.hart().csrs().mtvec = kTrapVector | 1;
    enable_all(m.hart());
    m.hart().set_pending(irq, true);
    EXPECT_EQ(m.step(), StepStatus::interrupt);
    EXPECT_EQ(m.hart().pc(), kTrapVector + 4 * cause);
  }
}

// wfi retires and reports StepStatus::wfi; an enabled pending interrupt
// wakes the hart whether or not mstatus.MIE is set (privileged 3.3.3).
TEST(Wfi, RetiresAndWakesWithoutMie) {
  TrapMachine m;
  m.program({enc::wfi, enc::addi(a0, zero, 1)});
  m.hart().csrs().mie = 1u << 7;
  EXPECT_EQ(m.step(), StepStatus::wfi);
  EXPECT_EQ(m.hart().pc(), kRamBase + 4);
  EXPECT_EQ(m.hart().minstret(), 1u);
  EXPECT_EQ(m.hart().cost(), Cost::wfi);
  EXPECT_FALSE(m.hart().wakeup_pending());
  m.hart().set_pending(Interrupt::timer, true);
  EXPECT_TRUE(m.hart().wakeup_pending());
  EXPECT_FALSE(m.hart().interrupt_ready());
  EXPECT_EQ(m.step(), StepStatus::retired) << "continues after wfi, no trap";
  EXPECT_EQ(m.hart().x(a0), 1u);
}

TEST(Wfi, PendingButDisabledDoesNotWake) {
  TrapMachine m;
  m.program({enc::wfi});
  m.step();
  m.hart().set_pending(Interrupt::external, true);
  EXPECT_FALSE(m.hart().wakeup_pending());
}

TEST(Wfi, WakesIntoHandlerWithMie) {
  TrapMachine m;
  m.program({enc::wfi, enc::nop});
  enable_all(m.hart());
  EXPECT_EQ(m.step(), StepStatus::wfi);
  m.hart().set_pending(Interrupt::software, true);
  EXPECT_EQ(m.step(), StepStatus::interrupt);
  EXPECT_EQ(m.hart().csrs().mepc, kRamBase + 4) << "returns after the wfi";
  EXPECT_EQ(m.hart().csrs().mcause, 0x8000'0003u);
}

TEST(Reset, RegistersZeroExceptA0) {
  Machine m(3);
  Hart& h = m.hart(2);
  h.set_x(t0, 5);
  h.csrs().mstatus |= kMie;
  h.reset(kRamBase + 0x40);
  EXPECT_EQ(h.pc(), kRamBase + 0x40);
  for (unsigned r = 0; r < 32; ++r)
    EXPECT_EQ(h.x(r), r == a0 ? 2u : 0u) << r;
  EXPECT_FALSE(h.csrs().mstatus_mie());
  EXPECT_EQ(h.minstret(), 0u);
  EXPECT_EQ(h.mcycle(), 0u);
}

}  // namespace
}  // namespace spinlab::isa::test
