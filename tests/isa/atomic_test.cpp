// The A extension: LR/SC and reservations across harts, the nine AMOs with
// their signed/unsigned edges, aq/rl, alignment and access faults.
#include <gtest/gtest.h>

#include <string>

#include "isa/decode.h"
#include "tests/isa/harness.h"

namespace spinlab::isa::test {
namespace {

constexpr uint32_t kLock = kRamBase + 0x1000;
constexpr uint32_t kMisalignedLoad = 4, kLoadAccess = 5, kMisalignedStore = 6, kStoreAccess = 7;

// hart h: a0 = lr.w (a1) at +0, then sc.w a2, a3, (a1) at +4.
void program_lr_sc(Machine& m, unsigned h, uint32_t at) {
  m.program({enc::lr_w(a0, a1), enc::sc_w(a2, a1, a3)}, at);
  m.hart(h).reset(at);
  m.hart(h).set_x(a1, kLock);
  m.hart(h).set_x(a2, 0x5555);
  m.hart(h).set_x(a3, 0x100 + h);
}

TEST(LrSc, SucceedsWithReservation) {
  Machine m;
  m.mem().set_word(kLock, 7);
  program_lr_sc(m, 0, kRamBase);
  ASSERT_EQ(m.step(), StepStatus::retired);
  EXPECT_EQ(m.hart().x(a0), 7u);
  EXPECT_STREQ(m.hart().last_desc()->name, "lr.w");
  ASSERT_EQ(m.step(), StepStatus::retired);
  EXPECT_STREQ(m.hart().last_desc()->name, "sc.w");
  EXPECT_EQ(m.hart().x(a2), 0u) << "0 = success";
  EXPECT_EQ(m.mem().word(kLock), 0x100u);
}

// Without a reservation sc.w writes exactly 1 to rd and does not store.
TEST(LrSc, FailsWithoutReservation) {
  Machine m;
  m.mem().set_word(kLock, 7);
  m.program({enc::sc_w(a2, a1, a3)});
  m.hart().set_x(a1, kLock);
  m.hart().set_x(a2, 0x5555);
  m.hart().set_x(a3, 0x100);
  ASSERT_EQ(m.step(), StepStatus::retired);
  EXPECT_EQ(m.hart().x(a2), 1u);
  EXPECT_EQ(m.mem().word(kLock), 7u);
  EXPECT_EQ(m.hart().minstret(), 1u) << "a failed sc still retires";
}

TEST(LrSc, SuccessConsumesTheReservation) {
  Machine m;
  program_lr_sc(m, 0, kRamBase);
  m.program({enc::sc_w(a4, a1, a3)}, kRamBase + 8);
  m.hart().set_x(a3, 0x100);
  m.run(3);
  EXPECT_EQ(m.hart().x(a2), 0u);
  EXPECT_EQ(m.hart().x(a4), 1u) << "the second sc has no reservation left";
}

// An SC to another address fails and still consumes the reservation.
TEST(LrSc, FailedScConsumesTheReservation) {
  Machine m;
  m.program({enc::lr_w(a0, a1), enc::sc_w(a2, a5, a3), enc::sc_w(a4, a1, a3)});
  m.hart().set_x(a1, kLock);
  m.hart().set_x(a5, kLock + 8);
  m.hart().set_x(a3, 0x99);
  m.run(3);
  EXPECT_EQ(m.hart().x(a2), 1u);
  EXPECT_EQ(m.hart().x(a4), 1u);
  EXPECT_EQ(m.mem().word(kLock), 0u);
  EXPECT_EQ(m.mem().word(kLock + 8), 0u);
}

// Any store by another hart into the reserved granule breaks the reservation,
// even a single byte of it (A extension, LR/SC; DESIGN.md section 1).
TEST(LrSc, OtherHartsStoreBreaksReservation) {
  Machine m(2);
  program_lr_sc(m, 0, kRamBase);
  m.program({enc::sb(a0, a1, 3)}, kRamBase + 0x100);
  m.hart(1).reset(kRamBase + 0x100);
  m.hart(1).set_x(a1, kLock);
  m.hart(1).set_x(a0, 0xee);
  m.step(0);         // hart 0: lr
  m.step(1);         // hart 1: sb into the granule
  m.step(0);         // hart 0: sc
  EXPECT_EQ(m.hart(0).x(a2), 1u);
  EXPECT_EQ(m.mem().word(kLock), 0xee00'0000u);
}

TEST(LrSc, OtherHartsStoreElsewhereKeepsReservation) {
  Machine m(2);
  program_lr_sc(m, 0, kRamBase);
  m.program({enc::sw(a0, a1, 4)}, kRamBase + 0x100);
  m.hart(1).reset(kRamBase + 0x100);
  m.hart(1).set_x(a1, kLock);
  m.step(0);
  m.step(1);
  m.step(0);
  EXPECT_EQ(m.hart(0).x(a2), 0u);
  EXPECT_EQ(m.mem().word(kLock), 0x100u);
}

TEST(LrSc, OtherHartsScBreaksReservation) {
  Machine m(2);
  program_lr_sc(m, 0, kRamBase);
  program_lr_sc(m, 1, kRamBase + 0x100);
  m.step(0);  // lr
  m.step(1);  // lr
  m.step(1);  // sc: succeeds and writes
  m.step(0);  // sc: fails
  EXPECT_EQ(m.hart(1).x(a2), 0u);
  EXPECT_EQ(m.hart(0).x(a2), 1u);
  EXPECT_EQ(m.mem().word(kLock), 0x101u);
}

TEST(LrSc, OtherHartsAmoBreaksReservation) {
  Machine m(2);
  program_lr_sc(m, 0, kRamBase);
  m.program({enc::amo(0x00, zero, a1, a0)}, kRamBase + 0x100);  // amoadd.w zero,a0,(a1)
  m.hart(1).reset(kRamBase + 0x100);
  m.hart(1).set_x(a1, kLock);
  m.hart(1).set_x(a0, 1);
  m.step(0);
  m.step(1);
  m.step(0);
  EXPECT_EQ(m.hart(0).x(a2), 1u);
  EXPECT_EQ(m.mem().word(kLock), 1u);
}

struct AmoCase {
  const char* label;
  const char* name;
  uint32_t funct5;
  uint32_t old_value, operand, new_value;
};

// clang-format off
const AmoCase kAmos[] = {
  {"swap",               "amoswap.w", 0x01, 5, 9, 9},
  {"add_wraps",          "amoadd.w",  0x00, 0xffff'ffff, 2, 1},
  {"xor",                "amoxor.w",  0x04, 0xff00'ff00, 0x0ff0'0ff0, 0xf0f0'f0f0},
  {"and",                "amoand.w",  0x0c, 0xff00'ff00, 0x0ff0'0ff0, 0x0f00'0f00},
  {"or",                 "amoor.w",   0x08, 0xff00'0000, 0x0000'00ff, 0xff00'00ff},
  {"min_int_min",        "amomin.w",  0x10, 0x8000'0000, 0x7fff'ffff, 0x8000'0000},
  {"min_negative",       "amomin.w",  0x10, 1, 0xffff'ffff, 0xffff'ffff},
  {"max_int_max",        "amomax.w",  0x14, 0x8000'0000, 0x7fff'ffff, 0x7fff'ffff},
  {"max_zero_over_neg",  "amomax.w",  0x14, 0xffff'ffff, 0, 0},
  {"minu_high_bit",      "amominu.w", 0x18, 0x8000'0000, 0x7fff'ffff, 0x7fff'ffff},
  {"minu_zero",          "amominu.w", 0x18, 0, 0xffff'ffff, 0},
  {"maxu_high_bit",      "amomaxu.w", 0x1c, 0x8000'0000, 0x7fff'ffff, 0x8000'0000},
  {"maxu_all_ones",      "amomaxu.w", 0x1c, 0xffff'ffff, 0, 0xffff'ffff},
};
// clang-format on

class Amo : public ::testing::TestWithParam<AmoCase> {};

// rd gets the old word and memory the result, for every aq/rl combination.
TEST_P(Amo, ReadModifyWrite) {
  const AmoCase& c = GetParam();
  for (unsigned order = 0; order < 4; ++order) {
    const bool aq = order & 2, rl = order & 1;
    Machine m;
    m.mem().set_word(kLock, c.old_value);
    m.program({enc::amo(c.funct5, a0, a1, a2, aq, rl)});
    m.hart().set_x(a1, kLock);
    m.hart().set_x(a2, c.operand);
    ASSERT_EQ(m.hart().step(), StepStatus::memory);
    const MemRequest r = m.hart().mem_request();
    EXPECT_EQ(r.op, MemOp::amo);
    EXPECT_EQ(r.aq, aq);
    EXPECT_EQ(r.rl, rl);
    EXPECT_EQ(r.wdata, c.operand);
    const MemResponse resp = perform(r, 0, m.mem(), m.reservations());
    EXPECT_TRUE(resp.wrote);
    ASSERT_EQ(m.hart().complete_memory(resp), StepStatus::retired);
    EXPECT_STREQ(m.hart().last_desc()->name, c.name) << "aq=" << aq << " rl=" << rl;
    EXPECT_EQ(m.hart().x(a0), c.old_value);
    EXPECT_EQ(m.mem().word(kLock), c.new_value);
    EXPECT_EQ(m.hart().cost(), Cost::amo);
    EXPECT_EQ(amo_apply(r.amo, c.old_value, c.operand), c.new_value);
  }
}

INSTANTIATE_TEST_SUITE_P(RvA, Amo, ::testing::ValuesIn(kAmos),
                         [](const auto& info) { return std::string(info.param.label); });

TEST(Amo, LrAndScAcceptEveryOrdering) {
  for (unsigned order = 0; order < 4; ++order) {
    const bool aq = order & 2, rl = order & 1;
    Machine m;
    m.mem().set_word(kLock, 3);
    m.program({enc::amo(0x02, a0, a1, 0, aq, rl), enc::amo(0x03, a2, a1, a3, aq, rl)});
    m.hart().set_x(a1, kLock);
    m.hart().set_x(a3, 4);
    ASSERT_EQ(m.step(), StepStatus::retired);
    ASSERT_EQ(m.step(), StepStatus::retired);
    EXPECT_EQ(m.hart().x(a0), 3u);
    EXPECT_EQ(m.hart().x(a2), 0u);
    EXPECT_EQ(m.mem().word(kLock), 4u);
  }
}

TEST(Amo, RdX0StillUpdatesMemory) {
  Machine m;
  m.mem().set_word(kLock, 1);
  m.program({enc::amo(0x01, zero, a1, a2)});
  m.hart().set_x(a1, kLock);
  m.hart().set_x(a2, 0);
  m.step();
  EXPECT_EQ(m.mem().word(kLock), 0u);
  EXPECT_EQ(m.hart().x(zero), 0u);
}

// lr.w with rs2 != 0 is a reserved encoding.
TEST(Amo, LrWithRs2IsIllegal) {
  Machine m;
  m.program({enc::amo(0x02, a0, a1, a2)});
  m.hart().set_x(a1, kLock);
  EXPECT_EQ(m.step(), StepStatus::exception);
  EXPECT_EQ(m.hart().csrs().mcause, 2u);
}

struct AtomicMisalignedCase {
  const char* label;
  uint32_t word;
  uint32_t cause;
};

// Atomics must be aligned even when ordinary accesses may not be: lr is a
// load (cause 4), sc and AMOs store/AMO (cause 6).
// clang-format off
const AtomicMisalignedCase kAtomicMisaligned[] = {
  {"lr",      enc::lr_w(a0, a1),            kMisalignedLoad},
  {"sc",      enc::sc_w(a0, a1, a2),        kMisalignedStore},
  {"amoswap", enc::amo(0x01, a0, a1, a2),   kMisalignedStore},
  {"amoadd",  enc::amo(0x00, a0, a1, a2),   kMisalignedStore},
  {"amomaxu", enc::amo(0x1c, a0, a1, a2),   kMisalignedStore},
};
// clang-format on

class AtomicMisaligned : public ::testing::TestWithParam<AtomicMisalignedCase> {};

TEST_P(AtomicMisaligned, AlwaysTraps) {
  const AtomicMisalignedCase& c = GetParam();
  for (bool allowed : {false, true}) {
    for (uint32_t offset : {1u, 2u, 3u}) {
      Machine m;
      m.hart().set_misaligned_allowed(allowed);
      m.program({c.word});
      m.hart().set_x(a1, kLock + offset);
      m.hart().set_x(a0, 0x5555);
      EXPECT_EQ(m.hart().step(), StepStatus::exception);
      EXPECT_EQ(m.hart().csrs().mcause, c.cause);
      EXPECT_EQ(m.hart().csrs().mtval, kLock + offset);
      EXPECT_EQ(m.hart().csrs().mepc, kRamBase);
      EXPECT_EQ(m.hart().x(a0), 0x5555u);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(RvA, AtomicMisaligned, ::testing::ValuesIn(kAtomicMisaligned),
                         [](const auto& info) { return std::string(info.param.label); });

TEST(AtomicAccessFault, LrFaultsAsLoad) {
  Machine m;
  m.program({enc::lr_w(a0, a1)});
  m.hart().set_x(a1, kNoDevice);
  EXPECT_EQ(m.step(), StepStatus::exception);
  EXPECT_EQ(m.hart().csrs().mcause, kLoadAccess);
  EXPECT_EQ(m.hart().csrs().mtval, kNoDevice);
}

TEST(AtomicAccessFault, AmoFaultsAsStore) {
  Machine m;
  m.program({enc::amo(0x08, a0, a1, a2)});
  m.hart().set_x(a1, kNoDevice);
  m.hart().set_x(a0, 0x5555);
  EXPECT_EQ(m.step(), StepStatus::exception);
  EXPECT_EQ(m.hart().csrs().mcause, kStoreAccess);
  EXPECT_EQ(m.hart().csrs().mtval, kNoDevice);
  EXPECT_EQ(m.hart().x(a0), 0x5555u);
}

TEST(AtomicAccessFault, ScWithReservationFaultsAsStore) {
  Machine m;
  m.reservations().reserve(0, kNoDevice);
  m.program({enc::sc_w(a0, a1, a2)});
  m.hart().set_x(a1, kNoDevice);
  EXPECT_EQ(m.step(), StepStatus::exception);
  EXPECT_EQ(m.hart().csrs().mcause, kStoreAccess);
  EXPECT_EQ(m.hart().csrs().mtval, kNoDevice);
}

TEST(ReservationSet, OnWriteCoversEveryGranuleTouched) {
  Reservations res(3);
  res.reserve(0, kLock + 2);  // granule kLock
  res.reserve(1, kLock + 4);
  res.reserve(2, kLock + 8);
  res.on_write(2, kLock + 3, 2);  // a misaligned halfword over kLock+3..kLock+4
  EXPECT_FALSE(res.consume(0, kLock));
  EXPECT_FALSE(res.consume(1, kLock + 4));
  EXPECT_TRUE(res.consume(2, kLock + 8)) << "the writer's own reservation stays";
}

TEST(ReservationSet, ConsumeMatchesTheGranule) {
  Reservations res(1);
  res.reserve(0, kLock + 1);
  EXPECT_TRUE(res.consume(0, kLock));
  EXPECT_FALSE(res.consume(0, kLock)) << "consumed";
  res.reserve(0, kLock);
  res.clear(0);
  EXPECT_FALSE(res.consume(0, kLock));
}

}  // namespace
}  // namespace spinlab::isa::test
