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

}  // namespace
}  // namespace spinlab::isa::test
