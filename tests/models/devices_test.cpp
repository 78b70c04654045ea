// The CLINT and the PLIC through their registers, as firmware sees them.
#include <gtest/gtest.h>

#include <memory>

#include "firmware/include/memmap.h"
#include "models/clint.h"
#include "models/kernel.h"
#include "models/plic.h"

namespace spinlab::models {
namespace {

uint32_t rd(isa::Target& t, uint32_t addr) {
  uint32_t v = 0xdeadbeef;
  EXPECT_TRUE(t.read(addr, 4, v));
  return v;
}
void wr(isa::Target& t, uint32_t addr, uint32_t v) { EXPECT_TRUE(t.write(addr, 4, v)); }

TEST(Clint, MtimeCountsCyclesDividedByTheDivider) {
  fresh_systemc_kernel();
  uint64_t now = 0;
  Clint clint(2, 10, &now);
  EXPECT_EQ(rd(clint, CLINT_MTIME), 0u);
  now = 99;
  EXPECT_EQ(rd(clint, CLINT_MTIME), 9u);
  now = 10ull * 0x1'0000'0003ull;  // carries into the high half
  EXPECT_EQ(rd(clint, CLINT_MTIME), 3u);
  EXPECT_EQ(rd(clint, CLINT_MTIME + 4), 1u);
  EXPECT_EQ(clint.mtime(), 0x1'0000'0003ull);
}

TEST(Clint, WritingMtimeRestartsItFromTheWrittenValue) {
  fresh_systemc_kernel();
  uint64_t now = 1000;
  Clint clint(1, 10, &now);
  wr(clint, CLINT_MTIME, 5);
  EXPECT_EQ(clint.mtime(), 5u);
  now = 1025;
  EXPECT_EQ(clint.mtime(), 7u);
}

TEST(Clint, TimerInterruptRisesExactlyWhenMtimeReachesMtimecmp) {
  fresh_systemc_kernel();
  uint64_t now = 0;
  Clint clint(2, 10, &now);
  EXPECT_EQ(clint.mtip_rises_at(0), Clint::kNever);  // reset: no timer armed
  EXPECT_FALSE(clint.mtip_at(0, 1'000'000));
  wr(clint, CLINT_MTIMECMP(1), 50);
  wr(clint, CLINT_MTIMECMP(1) + 4, 0);
  EXPECT_EQ(clint.mtimecmp(1), 50u);
  EXPECT_EQ(clint.mtip_rises_at(1), 500u);
  EXPECT_FALSE(clint.mtip_at(1, 499));
  EXPECT_TRUE(clint.mtip_at(1, 500));
  EXPECT_EQ(clint.mtip_rises_at(0), Clint::kNever);  // per hart
  now = 600;
  EXPECT_EQ(clint.mtip_rises_at(1), 600u);  // already due
}

TEST(Clint, MsipIsOneBitPerHart) {
  fresh_systemc_kernel();
  uint64_t now = 0;
  Clint clint(4, 1, &now);
  wr(clint, CLINT_MSIP(2), 0xffffffff);
  EXPECT_TRUE(clint.msip(2));
  EXPECT_FALSE(clint.msip(1));
  EXPECT_EQ(rd(clint, CLINT_MSIP(2)), 1u);
  wr(clint, CLINT_MSIP(2), 0);
  EXPECT_FALSE(clint.msip(2));
}

TEST(Clint, OnlyWordAccessesAreAccepted) {
  fresh_systemc_kernel();
  uint64_t now = 0;
  Clint clint(1, 1, &now);
  uint32_t v;
  EXPECT_FALSE(clint.read(CLINT_MTIME, 1, v));
  EXPECT_FALSE(clint.write(CLINT_MSIP(0), 2, 1));
}

struct PlicTest : testing::Test {
  PlicTest() { fresh_systemc_kernel(); }
  std::unique_ptr<Plic> made = std::make_unique<Plic>(8, 2);
  Plic& plic = *made;
  uint32_t claim(unsigned hart) { return rd(plic, PLIC_CLAIM(PLIC_MCONTEXT(hart))); }
  void complete(unsigned hart, uint32_t s) { wr(plic, PLIC_CLAIM(PLIC_MCONTEXT(hart)), s); }
  void enable(unsigned hart, uint32_t mask) { wr(plic, PLIC_ENABLE(PLIC_MCONTEXT(hart)), mask); }
};

TEST_F(PlicTest, ASourceWithPriorityZeroNeverInterrupts) {
  enable(0, 1u << 3);
  plic.set_line(3, true);
  EXPECT_TRUE(plic.pending(3));
  EXPECT_FALSE(plic.meip(0));
  wr(plic, PLIC_PRIORITY(3), 1);
  EXPECT_TRUE(plic.meip(0));
  EXPECT_FALSE(plic.meip(1));  // not enabled for hart 1
}

TEST_F(PlicTest, ClaimReturnsTheHighestPriorityThenTheLowestId) {
  enable(0, 0x1fe);
  for (unsigned s : {2u, 5u, 7u}) plic.set_line(s, true);
  wr(plic, PLIC_PRIORITY(2), 3);
  wr(plic, PLIC_PRIORITY(5), 6);
  wr(plic, PLIC_PRIORITY(7), 6);
  EXPECT_EQ(rd(plic, PLIC_PENDING), (1u << 2) | (1u << 5) | (1u << 7));
  EXPECT_EQ(claim(0), 5u);
  EXPECT_EQ(claim(0), 7u);
  EXPECT_EQ(claim(0), 2u);
  EXPECT_EQ(claim(0), 0u);  // nothing left
  EXPECT_FALSE(plic.meip(0));
}

TEST_F(PlicTest, TheThresholdMasksPrioritiesAtOrBelowIt) {
  enable(0, 1u << 4);
  wr(plic, PLIC_PRIORITY(4), 2);
  plic.set_line(4, true);
  wr(plic, PLIC_THRESHOLD(PLIC_MCONTEXT(0)), 2);
  EXPECT_FALSE(plic.meip(0));
  EXPECT_EQ(claim(0), 0u);
  wr(plic, PLIC_THRESHOLD(PLIC_MCONTEXT(0)), 1);
  EXPECT_TRUE(plic.meip(0));
  EXPECT_EQ(claim(0), 4u);
}

TEST_F(PlicTest, AClaimedSourceIsNotDeliveredAgainUntilCompleted) {
  enable(0, 1u << 1);
  wr(plic, PLIC_PRIORITY(1), 1);
  plic.set_line(1, true);
  EXPECT_EQ(claim(0), 1u);
  EXPECT_FALSE(plic.pending(1));
  EXPECT_FALSE(plic.meip(0));  // line still high, but in flight
  plic.set_line(1, true);
  EXPECT_FALSE(plic.pending(1));
  complete(0, 1);
  EXPECT_TRUE(plic.pending(1));  // still asserted: pending again
  EXPECT_EQ(claim(0), 1u);
  plic.set_line(1, false);
  complete(0, 1);
  EXPECT_FALSE(plic.pending(1));
}

TEST_F(PlicTest, CompletionOfASourceNotEnabledForTheContextIsIgnored) {
  enable(0, 1u << 1);
  wr(plic, PLIC_PRIORITY(1), 1);
  plic.set_line(1, true);
  EXPECT_EQ(claim(0), 1u);
  complete(1, 1);  // hart 1 never enabled it
  EXPECT_FALSE(plic.pending(1));
  complete(0, 1);
  EXPECT_TRUE(plic.pending(1));
}

TEST_F(PlicTest, ADebugReadOfTheClaimRegisterClaimsNothing) {
  enable(0, 1u << 2);
  wr(plic, PLIC_PRIORITY(2), 1);
  plic.set_line(2, true);
  uint32_t v = 0;
  EXPECT_TRUE(plic.peek(PLIC_CLAIM(PLIC_MCONTEXT(0)), 4, v));
  EXPECT_EQ(v, 2u);
  EXPECT_TRUE(plic.pending(2));
  EXPECT_TRUE(plic.meip(0));
  EXPECT_EQ(claim(0), 2u);  // the bus read does claim
  EXPECT_FALSE(plic.pending(2));
}

TEST_F(PlicTest, UnimplementedBitsReadZero) {
  enable(0, 0xffffffff);
  EXPECT_EQ(rd(plic, PLIC_ENABLE(PLIC_MCONTEXT(0))), 0x1feu);  // sources 1..8
  wr(plic, PLIC_PRIORITY(1), 0xff);
  EXPECT_EQ(rd(plic, PLIC_PRIORITY(1)), Plic::kPriorityMask);
  wr(plic, PLIC_PENDING, 0xffffffff);  // read-only
  EXPECT_EQ(rd(plic, PLIC_PENDING), 0u);
}

}  // namespace
}  // namespace spinlab::models
