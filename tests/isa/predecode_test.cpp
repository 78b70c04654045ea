// The predecoded instructions (Hart::Decoded): a pc's entry is used only
// while the bytes at the pc are the ones it was decoded from, so code that
// changes under the hart (its own stores, another hart's, a debugger's)
// runs as it is now, with no invalidation.
#include <gtest/gtest.h>

#include "isa/decode.h"
#include "tests/isa/harness.h"

namespace spinlab::isa::test {
namespace {

constexpr uint32_t kIllegalInstruction = 2;
constexpr uint16_t kCAddiA0_1 = 0x0505;  // c.addi a0,1
constexpr uint16_t kCAddiA0_2 = 0x0509;  // c.addi a0,2
constexpr uint16_t kCNop = 0x0001;

TEST(Predecode, CodeWrittenFromOutsideRunsAsWritten) {
  Machine m;
  m.program({enc::addi(a0, a0, 1), enc::jal(zero, -4)});
  m.run(4);  // twice round the loop: the entries exist
  EXPECT_EQ(m.hart().x(a0), 2u);
  m.mem().set_word(kRamBase, enc::addi(a0, a0, 100));
  m.run(2);
  EXPECT_EQ(m.hart().x(a0), 102u);
  EXPECT_EQ(m.hart().last_bits(), enc::jal(zero, -4));
}

TEST(Predecode, TheHartsOwnStoreToItsNextInstruction) {
  Machine m;
  // sw t1, 8(t0) overwrites the addi at +8 before it runs.
  m.program({enc::sw(t1, t0, 8), enc::nop, enc::addi(a0, a0, 1), enc::jal(zero, -12)});
  m.hart().set_x(t0, kRamBase);
  m.hart().set_x(t1, enc::addi(a0, a0, 7));
  m.run(4);  // sw, nop, addi (now +7), jal
  EXPECT_EQ(m.hart().x(a0), 7u);
  m.hart().set_x(t1, enc::addi(a0, a0, 30));
  m.run(3);  // sw, nop, the addi again, rewritten
  EXPECT_EQ(m.hart().x(a0), 37u);
}

// A compressed instruction's entry holds the next parcel too: a change there
// is a miss, and the parcel itself still decodes right.
TEST(Predecode, CompressedParcelAndItsNeighbour) {
  Machine m;
  m.program16({kCAddiA0_1, kCNop});
  m.program({enc::jal(zero, -4)}, kRamBase + 4);
  m.run(3);
  EXPECT_EQ(m.hart().x(a0), 1u);
  m.program16({kCAddiA0_2}, kRamBase + 2);
  m.run(3);
  EXPECT_EQ(m.hart().x(a0), 4u);
  EXPECT_EQ(m.hart().last_length(), 4u);  // the jal
  m.step();
  EXPECT_EQ(m.hart().last_bits(), kCAddiA0_1);
  EXPECT_EQ(m.hart().last_length(), 2u);
  EXPECT_STREQ(m.hart().last_desc()->name, "addi");
}

// Without C the same bytes are an illegal instruction, also after they ran
// as a compressed one.
TEST(Predecode, TurningCOffDecodesAgain) {
  Machine m;
  m.program16({kCAddiA0_1, kCNop});
  m.program({enc::jal(zero, -4)}, kRamBase + 4);
  m.run(3);
  EXPECT_EQ(m.hart().pc(), kRamBase);
  m.hart().set_compressed(false);
  EXPECT_EQ(m.step(), StepStatus::exception);
  EXPECT_EQ(m.hart().csrs().mcause, kIllegalInstruction);
  EXPECT_EQ(m.hart().csrs().mtval, uint32_t{kCAddiA0_1} | uint32_t{kCNop} << 16);
}

// --- the plain path (Hart::plain_entry, run_plain) ---------------------------

// Whether the instruction at the pc is plain once it has run there (the path
// takes only what was decoded before).
bool plain_after_a_run(uint32_t word, bool compressed = true) {
  Machine m;
  m.hart().set_compressed(compressed);
  m.program({word, enc::jal(zero, -4)});
  m.hart().set_x(t0, kRamBase + 0x100);  // a loadable address for lw
  m.step();
  m.hart().set_pc(kRamBase);
  return m.hart().plain_entry() != nullptr;
}

TEST(Plain, ComputingInstructionsThatLeaveSpAlone) {
  EXPECT_TRUE(plain_after_a_run(enc::addi(a0, a0, 1)));
  EXPECT_TRUE(plain_after_a_run(enc::add(a0, a1, a2)));
  EXPECT_TRUE(plain_after_a_run(enc::r(enc::OP, 4, 1, a0, a1, a2)));  // div
  EXPECT_TRUE(plain_after_a_run(enc::lui(a0, 5)));
  EXPECT_TRUE(plain_after_a_run(enc::beq(a0, a1, 8)));
  EXPECT_TRUE(plain_after_a_run(enc::jal(ra, 8)));
  // sp: the lock monitor hears of its changes.
  EXPECT_FALSE(plain_after_a_run(enc::addi(sp, sp, -16)));
  EXPECT_FALSE(plain_after_a_run(enc::lui(sp, 5)));
  // Memory, CSRs, traps, wfi, fences.
  EXPECT_FALSE(plain_after_a_run(enc::lw(a0, t0, 0)));
  EXPECT_FALSE(plain_after_a_run(enc::csrrs(a0, 0x300, zero)));
  EXPECT_FALSE(plain_after_a_run(enc::ecall));
  EXPECT_FALSE(plain_after_a_run(enc::wfi));
  EXPECT_FALSE(plain_after_a_run(0x0000000f));  // fence
  EXPECT_FALSE(plain_after_a_run(0xffffffff));  // illegal
  // Without C a jump or branch can trap (a target that is not 4-aligned).
  EXPECT_FALSE(plain_after_a_run(enc::jal(ra, 8), false));
  EXPECT_FALSE(plain_after_a_run(enc::beq(a0, a1, 8), false));
  EXPECT_TRUE(plain_after_a_run(enc::addi(a0, a0, 1), false));
}

TEST(Plain, OnlyWhatWasDecodedFromTheBytesThereNow) {
  Machine m;
  m.program({enc::addi(a0, a0, 1), enc::jal(zero, -4)});
  EXPECT_EQ(m.hart().plain_entry(), nullptr) << "not decoded yet";
  m.step();
  m.hart().set_pc(kRamBase);
  ASSERT_NE(m.hart().plain_entry(), nullptr);
  m.mem().set_word(kRamBase, enc::addi(a0, a0, 2));
  EXPECT_EQ(m.hart().plain_entry(), nullptr) << "the bytes changed";
}

// A plain run does what step() does: registers, pc, minstret, the last
// instruction and its cost.
TEST(Plain, RunningOneIsAStep) {
  Machine a, b;
  for (Machine* m : {&a, &b}) {
    m->program({enc::addi(a0, a0, 3), enc::beq(zero, zero, -4)});
    m->run(2);  // decoded
  }
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(b.hart().plain_ready());
    const Hart::Decoded* d = b.hart().plain_entry();
    ASSERT_NE(d, nullptr);
    a.step();
    b.hart().run_plain(*d);
    EXPECT_EQ(b.hart().x(a0), a.hart().x(a0));
    EXPECT_EQ(b.hart().pc(), a.hart().pc());
    EXPECT_EQ(b.hart().minstret(), a.hart().minstret());
    EXPECT_EQ(b.hart().last_pc(), a.hart().last_pc());
    EXPECT_EQ(b.hart().last_insn(), a.hart().last_insn());
    EXPECT_EQ(b.hart().cost(), a.hart().cost()) << "a taken branch costs Cost::branch";
  }
}

// Not ready while an interrupt is to be taken or fetch checks apply.
TEST(Plain, NotReadyWithAnInterruptToTake) {
  Machine m;
  m.program({enc::addi(a0, a0, 1), enc::jal(zero, -4)});
  EXPECT_TRUE(m.hart().plain_ready());
  m.hart().csrs().mie = 1u << 7;
  m.hart().set_pending(Interrupt::timer, true);
  EXPECT_TRUE(m.hart().plain_ready()) << "MIE is off";
  m.hart().csrs().mstatus |= 1u << 3;
  EXPECT_FALSE(m.hart().plain_ready());
}

}  // namespace
}  // namespace spinlab::isa::test
