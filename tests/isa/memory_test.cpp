// Loads and stores: every width, sign and zero extension, offsets, the
// misaligned trap or byte-wise access, and access faults.
#include <gtest/gtest.h>

#include <string>

#include "isa/decode.h"
#include "tests/isa/harness.h"

namespace spinlab::isa::test {
namespace {

constexpr uint32_t kData = kRamBase + 0x1000;
constexpr uint32_t kMisalignedLoad = 4, kLoadAccess = 5, kMisalignedStore = 6, kStoreAccess = 7;

struct LoadCase {
  const char* label;
  const char* name;
  uint32_t funct3;
  int32_t offset;
  uint32_t rd;
};

// Memory at kData: 80 8f 7f 71 | 01 80 ff 7f (little-endian words 0x717f8f80, 0x7fff8001).
// clang-format off
const LoadCase kLoads[] = {
  {"lb_sign_extends",      "lb",  0, 0, 0xffff'ff80},
  {"lb_byte1",             "lb",  0, 1, 0xffff'ff8f},
  {"lb_positive",          "lb",  0, 2, 0x0000'007f},
  {"lbu_zero_extends",     "lbu", 4, 0, 0x0000'0080},
  {"lbu_byte3",            "lbu", 4, 3, 0x0000'0071},
  {"lh_sign_extends",      "lh",  1, 0, 0xffff'8f80},
  {"lh_positive",          "lh",  1, 2, 0x0000'717f},
  {"lh_upper_half",        "lh",  1, 6, 0x0000'7fff},
  {"lh_second_word",       "lh",  1, 4, 0xffff'8001},
  {"lhu_zero_extends",     "lhu", 5, 0, 0x0000'8f80},
  {"lhu_second_word",      "lhu", 5, 4, 0x0000'8001},
  {"lw",                   "lw",  2, 0, 0x717f'8f80},
  {"lw_second_word",       "lw",  2, 4, 0x7fff'8001},
};
// clang-format on

class Load : public ::testing::TestWithParam<LoadCase> {};

TEST_P(Load, ExtendsIntoRd) {
  const LoadCase& c = GetParam();
  Machine m;
  m.mem().set_word(kData, 0x717f'8f80);
  m.mem().set_word(kData + 4, 0x7fff'8001);
  // Base register points past the data: also checks negative offsets.
  m.program({enc::i(enc::LOAD, c.funct3, a0, a1, c.offset - 16)});
  m.hart().set_x(a1, kData + 16);
  ASSERT_EQ(m.hart().step(), StepStatus::memory);
  const MemRequest& r = m.hart().mem_request();
  EXPECT_EQ(r.op, MemOp::load);
  EXPECT_EQ(r.addr, kData + static_cast<uint32_t>(c.offset));
  EXPECT_EQ(m.hart().pc(), kRamBase) << "pc moves only when the access completes";
  ASSERT_EQ(m.hart().complete_memory(perform(r, 0, m.mem(), m.reservations())), StepStatus::retired);
  EXPECT_STREQ(m.hart().last_desc()->name, c.name);
  EXPECT_EQ(m.hart().x(a0), c.rd);
  EXPECT_EQ(m.hart().pc(), kRamBase + 4);
  EXPECT_EQ(m.hart().cost(), Cost::load);
  EXPECT_EQ(m.hart().minstret(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Rv32i, Load, ::testing::ValuesIn(kLoads),
                         [](const auto& info) { return std::string(info.param.label); });

struct StoreCase {
  const char* label;
  const char* name;
  uint32_t funct3;
  int32_t offset;
  uint32_t word0, word1;  // memory after storing 0xa1b2c3d4 into zeroed words
};

// clang-format off
const StoreCase kStores[] = {
  {"sb_low_byte_only",  "sb", 0, 1, 0x0000'd400, 0},
  {"sb_byte3",          "sb", 0, 3, 0xd400'0000, 0},
  {"sh_low_half_only",  "sh", 1, 2, 0xc3d4'0000, 0},
  {"sh_second_word",    "sh", 1, 4, 0, 0x0000'c3d4},
  {"sw",                "sw", 2, 0, 0xa1b2'c3d4, 0},
  {"sw_second_word",    "sw", 2, 4, 0, 0xa1b2'c3d4},
};
// clang-format on

class Store : public ::testing::TestWithParam<StoreCase> {};

TEST_P(Store, WritesOnlyItsBytes) {
  const StoreCase& c = GetParam();
  Machine m;
  m.program({enc::s(c.funct3, a1, a2, c.offset - 2048)});
  m.hart().set_x(a1, kData + 2048);
  m.hart().set_x(a2, 0xa1b2'c3d4);
  ASSERT_EQ(m.step(), StepStatus::retired);
  EXPECT_STREQ(m.hart().last_desc()->name, c.name);
  EXPECT_EQ(m.mem().word(kData), c.word0);
  EXPECT_EQ(m.mem().word(kData + 4), c.word1);
  EXPECT_EQ(m.hart().cost(), Cost::store);
  EXPECT_EQ(m.hart().pc(), kRamBase + 4);
}

INSTANTIATE_TEST_SUITE_P(Rv32i, Store, ::testing::ValuesIn(kStores),
                         [](const auto& info) { return std::string(info.param.label); });

TEST(Store, RequestCarriesOnlyTheStoredBytes) {
  Machine m;
  m.program({enc::sb(a2, a1, 0)});
  m.hart().set_x(a1, kData);
  m.hart().set_x(a2, 0xa1b2'c3d4);
  ASSERT_EQ(m.hart().step(), StepStatus::memory);
  EXPECT_EQ(m.hart().mem_request().op, MemOp::store);
  EXPECT_EQ(m.hart().mem_request().size, 1);
  EXPECT_EQ(m.hart().mem_request().wdata, 0xd4u);
}

struct MisalignedCase {
  const char* label;
  uint32_t word;  // instruction, with rs1 = a1 and rd/rs2 = a0
  uint32_t addr;
  uint32_t cause;
};

// clang-format off
const MisalignedCase kMisaligned[] = {
  {"lh_odd",   enc::i(enc::LOAD, 1, a0, a1, 1), kData + 1, kMisalignedLoad},
  {"lhu_odd",  enc::i(enc::LOAD, 5, a0, a1, 3), kData + 3, kMisalignedLoad},
  {"lw_half",  enc::i(enc::LOAD, 2, a0, a1, 2), kData + 2, kMisalignedLoad},
  {"lw_byte",  enc::i(enc::LOAD, 2, a0, a1, 1), kData + 1, kMisalignedLoad},
  {"sh_odd",   enc::s(1, a1, a0, 1),            kData + 1, kMisalignedStore},
  {"sw_half",  enc::s(2, a1, a0, 2),            kData + 2, kMisalignedStore},
  {"sw_byte",  enc::s(2, a1, a0, 3),            kData + 3, kMisalignedStore},
};
// clang-format on

class Misaligned : public ::testing::TestWithParam<MisalignedCase> {};

TEST_P(Misaligned, TrapsByDefault) {
  const MisalignedCase& c = GetParam();
  Machine m;
  m.hart().csrs().mtvec = kRamBase + 0x800;
  m.program({c.word});
  m.hart().set_x(a1, kData);
  m.hart().set_x(a0, 0x5555);
  EXPECT_EQ(m.hart().step(), StepStatus::exception) << "no memory request is issued";
  EXPECT_EQ(m.hart().csrs().mcause, c.cause);
  EXPECT_EQ(m.hart().csrs().mtval, c.addr);
  EXPECT_EQ(m.hart().csrs().mepc, kRamBase);
  EXPECT_EQ(m.hart().pc(), kRamBase + 0x800);
  EXPECT_EQ(m.hart().x(a0), 0x5555u);
  EXPECT_EQ(m.mem().word(kData), 0u);
  EXPECT_EQ(m.hart().minstret(), 0u);
}

TEST_P(Misaligned, PerformedBytewiseWhenAllowed) {
  const MisalignedCase& c = GetParam();
  Machine m;
  m.hart().set_misaligned_allowed(true);
  m.mem().set_word(kData, 0x4433'2211);
  m.mem().set_word(kData + 4, 0x8877'6655);
  m.program({c.word});
  m.hart().set_x(a1, kData);
  m.hart().set_x(a0, 0xa1b2'c3d4);
  ASSERT_EQ(m.step(), StepStatus::retired);
  EXPECT_EQ(m.mem().misaligned_accesses, 0u) << "targets only see aligned accesses";
  const MemRequest& r = m.hart().mem_request();
  EXPECT_EQ(r.addr, c.addr);
  if (c.cause == kMisalignedLoad) {
    const uint64_t both = uint64_t{0x8877'6655} << 32 | 0x4433'2211u;
    const uint32_t raw = static_cast<uint32_t>(both >> (8 * (c.addr - kData)));
    const uint32_t expected = r.size == 4 ? raw : r.sign_extend ? static_cast<uint32_t>(static_cast<int16_t>(raw))
                                                                : (raw & 0xffff);
    EXPECT_EQ(m.hart().x(a0), expected);
  } else {
    EXPECT_EQ(m.mem().byte(c.addr), 0xd4);
    EXPECT_EQ(m.mem().byte(c.addr + 1), 0xc3);
    EXPECT_EQ(m.mem().byte(c.addr - 1), (0x4433'2211u >> (8 * (c.addr - 1 - kData))) & 0xff) << "byte before";
  }
}

INSTANTIATE_TEST_SUITE_P(Rv32i, Misaligned, ::testing::ValuesIn(kMisaligned),
                         [](const auto& info) { return std::string(info.param.label); });

TEST(Misaligned, WordStoreAcrossWordsWhenAllowed) {
  Machine m;
  m.hart().set_misaligned_allowed(true);
  m.program({enc::sw(a0, a1, 3)});
  m.hart().set_x(a1, kData);
  m.hart().set_x(a0, 0xa1b2'c3d4);
  ASSERT_EQ(m.step(), StepStatus::retired);
  EXPECT_EQ(m.mem().word(kData), 0xd400'0000u);
  EXPECT_EQ(m.mem().word(kData + 4), 0x00a1'b2c3u);
}

TEST(Misaligned, ByteAccessesAreNeverMisaligned) {
  Machine m;
  m.mem().set_word(kData, 0x4433'2211);
  m.program({enc::i(enc::LOAD, 4, a0, a1, 3), enc::sb(a0, a1, 5)});
  m.hart().set_x(a1, kData);
  EXPECT_EQ(m.step(), StepStatus::retired);
  EXPECT_EQ(m.hart().x(a0), 0x44u);
  EXPECT_EQ(m.step(), StepStatus::retired);
  EXPECT_EQ(m.mem().byte(kData + 5), 0x44);
}

// Access faults come back from the memory system: loads cause 5, stores 7,
// mtval = the address; the instruction does not retire or write rd.
TEST(AccessFault, LoadFromNothing) {
  Machine m;
  m.hart().csrs().mtvec = kRamBase + 0x800;
  m.program({enc::lw(a0, a1, 4)});
  m.hart().set_x(a1, kNoDevice);
  m.hart().set_x(a0, 0x5555);
  EXPECT_EQ(m.step(), StepStatus::exception);
  EXPECT_EQ(m.hart().csrs().mcause, kLoadAccess);
  EXPECT_EQ(m.hart().csrs().mtval, kNoDevice + 4);
  EXPECT_EQ(m.hart().csrs().mepc, kRamBase);
  EXPECT_EQ(m.hart().pc(), kRamBase + 0x800);
  EXPECT_EQ(m.hart().x(a0), 0x5555u);
  EXPECT_EQ(m.hart().minstret(), 0u);
}

TEST(AccessFault, StoreToNothing) {
  Machine m;
  m.program({enc::sb(a0, a1, -1)});
  m.hart().set_x(a1, kNoDevice);
  EXPECT_EQ(m.step(), StepStatus::exception);
  EXPECT_EQ(m.hart().csrs().mcause, kStoreAccess);
  EXPECT_EQ(m.hart().csrs().mtval, kNoDevice - 1);
  EXPECT_EQ(m.hart().csrs().mepc, kRamBase);
}

// A misaligned access performed byte by byte that runs off the end of RAM
// faults at the first byte that is not there: mtval names that byte, "the
// portion of the access that caused the fault" (privileged 3.1.16), not
// the access's own address.
TEST(AccessFault, ASplitAccessNamesThePartThatFaulted) {
  const uint32_t end = kRamBase + kRamBytes;
  for (uint32_t insn : {enc::lw(a0, a1, 0), enc::sw(a0, a1, 0)}) {
    for (uint32_t addr : {end - 3, end - 1}) {
      Machine m;
      m.hart().set_misaligned_allowed(true);
      m.program({insn});
      m.hart().set_x(a1, addr);
      EXPECT_EQ(m.step(), StepStatus::exception);
      EXPECT_EQ(m.hart().csrs().mcause, insn == enc::lw(a0, a1, 0) ? kLoadAccess : kStoreAccess);
      EXPECT_EQ(m.hart().csrs().mtval, end) << std::hex << addr;
    }
  }
}

}  // namespace
}  // namespace spinlab::isa::test
