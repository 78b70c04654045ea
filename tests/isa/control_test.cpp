// Jumps and branches: link values, targets, cost classes, and the
// misaligned-target trap taken at the jump itself.
#include <gtest/gtest.h>

#include <string>

#include "isa/decode.h"
#include "tests/isa/harness.h"

namespace spinlab::isa::test {
namespace {

constexpr uint32_t kMisalignedFetch = 0;

TEST(Jal, LinksAndJumpsForward) {
  Machine m;
  m.program({enc::nop, enc::jal(ra, 0x100)});
  m.run(2);
  EXPECT_EQ(m.hart().x(ra), kRamBase + 8);
  EXPECT_EQ(m.hart().pc(), kRamBase + 4 + 0x100);
  EXPECT_EQ(m.hart().cost(), Cost::jump);
  EXPECT_STREQ(m.hart().last_desc()->name, "jal");
}

TEST(Jal, JumpsBackward) {
  Machine m;
  m.program({enc::nop, enc::nop, enc::jal(t0, -8)});
  m.run(3);
  EXPECT_EQ(m.hart().x(t0), kRamBase + 12);
  EXPECT_EQ(m.hart().pc(), kRamBase);
}

TEST(Jalr, TargetIsRs1PlusImmWithBit0Cleared) {
  Machine m;
  m.program({enc::i(enc::JALR, 0, ra, a1, -1)});
  m.hart().set_x(a1, kRamBase + 0x21);
  ASSERT_EQ(m.step(), StepStatus::retired);
  EXPECT_EQ(m.hart().pc(), kRamBase + 0x20);
  EXPECT_EQ(m.hart().x(ra), kRamBase + 4);
  EXPECT_EQ(m.hart().cost(), Cost::jump);
  EXPECT_STREQ(m.hart().last_desc()->name, "jalr");
}

// The target is computed from rs1 before rd is written (rd == rs1).
TEST(Jalr, RdEqualToRs1UsesOldValue) {
  Machine m;
  m.program({enc::i(enc::JALR, 0, a0, a0, 8)});
  m.hart().set_x(a0, kRamBase + 0x40);
  m.step();
  EXPECT_EQ(m.hart().pc(), kRamBase + 0x48);
  EXPECT_EQ(m.hart().x(a0), kRamBase + 4);
}

struct BranchCase {
  const char* label;
  const char* name;
  uint32_t funct3;
  uint32_t rs1, rs2;
  bool taken;
};

// clang-format off
const BranchCase kBranches[] = {
  {"beq_taken",          "beq",  0, 5, 5, true},
  {"beq_not_taken",      "beq",  0, 5, 6, false},
  {"bne_taken",          "bne",  1, 5, 6, true},
  {"bne_not_taken",      "bne",  1, 5, 5, false},
  {"blt_signed_taken",   "blt",  4, 0xffff'ffff, 1, true},
  {"blt_not_taken",      "blt",  4, 1, 0xffff'ffff, false},
  {"blt_equal",          "blt",  4, 3, 3, false},
  {"bge_taken",          "bge",  5, 1, 0xffff'ffff, true},
  {"bge_equal_taken",    "bge",  5, 3, 3, true},
  {"bge_not_taken",      "bge",  5, 0x8000'0000, 0x7fff'ffff, false},
  {"bltu_taken",         "bltu", 6, 1, 0xffff'ffff, true},
  {"bltu_not_taken",     "bltu", 6, 0xffff'ffff, 1, false},
  {"bgeu_taken",         "bgeu", 7, 0xffff'ffff, 1, true},
  {"bgeu_equal_taken",   "bgeu", 7, 0, 0, true},
  {"bgeu_not_taken",     "bgeu", 7, 1, 0xffff'ffff, false},
};
// clang-format on

class Branch : public ::testing::TestWithParam<BranchCase> {};

// A taken branch costs Cost::branch, one not taken Cost::alu.
TEST_P(Branch, TakenOrNot) {
  const BranchCase& c = GetParam();
  Machine m;
  m.program({enc::nop, enc::b(c.funct3, a1, a2, -4)});
  m.hart().set_x(a1, c.rs1);
  m.hart().set_x(a2, c.rs2);
  m.step();
  ASSERT_EQ(m.step(), StepStatus::retired);
  EXPECT_STREQ(m.hart().last_desc()->name, c.name);
  EXPECT_EQ(m.hart().pc(), c.taken ? kRamBase : kRamBase + 8);
  EXPECT_EQ(m.hart().cost(), c.taken ? Cost::branch : Cost::alu);
}

INSTANTIATE_TEST_SUITE_P(Rv32i, Branch, ::testing::ValuesIn(kBranches),
                         [](const auto& info) { return std::string(info.param.label); });

TEST(Branch, LongForwardOffset) {
  Machine m;
  m.program({enc::beq(zero, zero, 4094 & ~3)});
  m.step();
  EXPECT_EQ(m.hart().pc(), kRamBase + (4094 & ~3));
}

// IALIGN=32 (without C, machine.isa = "rv32ima"): a taken jump or branch to
// an address that is not 4-aligned traps at the jump: mepc = its pc, mtval =
// the target, rd not written. With C these targets are fine
// (compressed_test.cpp).
void expect_misaligned_target_trap(Machine& m, uint32_t jump_pc, uint32_t target) {
  EXPECT_EQ(m.hart().csrs().mcause, kMisalignedFetch);
  EXPECT_EQ(m.hart().csrs().mepc, jump_pc);
  EXPECT_EQ(m.hart().csrs().mtval, target);
  EXPECT_EQ(m.hart().pc(), m.hart().csrs().mtvec);
  EXPECT_EQ(m.hart().minstret(), 0u);
}

TEST(MisalignedTarget, JalTrapsAtTheJump) {
  Machine m;
  m.hart().set_compressed(false);
  m.hart().csrs().mtvec = kRamBase + 0x800;
  m.program({enc::jal(ra, 6)});
  m.hart().set_x(ra, 0x1234);
  EXPECT_EQ(m.step(), StepStatus::exception);
  expect_misaligned_target_trap(m, kRamBase, kRamBase + 6);
  EXPECT_EQ(m.hart().x(ra), 0x1234u);
}

TEST(MisalignedTarget, JalrTrapsWhenBit1IsSet) {
  Machine m;
  m.hart().set_compressed(false);
  m.hart().csrs().mtvec = kRamBase + 0x800;
  m.program({enc::i(enc::JALR, 0, ra, a1, 2)});
  m.hart().set_x(a1, kRamBase + 0x40);
  m.hart().set_x(ra, 0x1234);
  EXPECT_EQ(m.step(), StepStatus::exception);
  expect_misaligned_target_trap(m, kRamBase, kRamBase + 0x42);
  EXPECT_EQ(m.hart().x(ra), 0x1234u);
}

TEST(MisalignedTarget, TakenBranchTraps) {
  Machine m;
  m.hart().set_compressed(false);
  m.hart().csrs().mtvec = kRamBase + 0x800;
  m.program({enc::nop, enc::beq(zero, zero, 6)});
  m.step();
  EXPECT_EQ(m.step(), StepStatus::exception);
  EXPECT_EQ(m.hart().csrs().mcause, kMisalignedFetch);
  EXPECT_EQ(m.hart().csrs().mepc, kRamBase + 4);
  EXPECT_EQ(m.hart().csrs().mtval, kRamBase + 10);
}

TEST(MisalignedTarget, BranchNotTakenDoesNotTrap) {
  Machine m;
  m.hart().set_compressed(false);
  m.program({enc::b(1, zero, zero, 6)});  // bne zero,zero: never taken
  EXPECT_EQ(m.step(), StepStatus::retired);
  EXPECT_EQ(m.hart().pc(), kRamBase + 4);
}

}  // namespace
}  // namespace spinlab::isa::test
