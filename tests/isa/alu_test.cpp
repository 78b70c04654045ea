// RV32I and M computation: every register-register and register-immediate
// instruction, with the corner cases the specs pin down.
#include <gtest/gtest.h>

#include <string>

#include "isa/decode.h"
#include "tests/isa/harness.h"

namespace spinlab::isa::test {
namespace {

constexpr uint32_t kMin = 0x8000'0000u;  // INT32_MIN
constexpr uint32_t kAll = 0xffff'ffffu;  // -1

struct RegRegCase {
  const char* label;
  const char* name;  // the row the word must decode to
  uint32_t funct3, funct7;
  uint32_t rs1, rs2, rd;
};

// clang-format off
const RegRegCase kRegReg[] = {
  {"add",              "add",    0, 0x00, 5, 7, 12},
  {"add_wraps",        "add",    0, 0x00, kAll, 1, 0},
  {"sub",              "sub",    0, 0x20, 5, 7, 0xffff'fffe},
  {"sll",              "sll",    1, 0x00, 1, 31, kMin},
  {"sll_masks_to_5",   "sll",    1, 0x00, 1, 33, 2},
  {"slt_signed",       "slt",    2, 0x00, kAll, 1, 1},
  {"slt_false",        "slt",    2, 0x00, 1, kAll, 0},
  {"sltu_unsigned",    "sltu",   3, 0x00, 1, kAll, 1},
  {"sltu_false",       "sltu",   3, 0x00, kAll, 1, 0},
  {"xor",              "xor",    4, 0x00, 0xff00'ff00, 0x0ff0'0ff0, 0xf0f0'f0f0},
  {"srl",              "srl",    5, 0x00, kMin, 31, 1},
  {"srl_masks_to_5",   "srl",    5, 0x00, kMin, 35, 0x1000'0000},
  {"sra_negative",     "sra",    5, 0x20, kMin, 4, 0xf800'0000},
  {"sra_masks_to_5",   "sra",    5, 0x20, kMin, 36, 0xf800'0000},
  {"sra_positive",     "sra",    5, 0x20, 0x4000'0000, 1, 0x2000'0000},
  {"sra_by_31",        "sra",    5, 0x20, kMin, 31, kAll},
  {"or",               "or",     6, 0x00, 0xff00'0000, 0x0000'00ff, 0xff00'00ff},
  {"and",              "and",    7, 0x00, 0xff00'ff00, 0x0ff0'0ff0, 0x0f00'0f00},
  {"mul",              "mul",    0, 0x01, 7, static_cast<uint32_t>(-3), static_cast<uint32_t>(-21)},
  {"mul_low_half",     "mul",    0, 0x01, kMin, 2, 0},
  {"mulh_neg_neg",     "mulh",   1, 0x01, kAll, kAll, 0},
  {"mulh_min_min",     "mulh",   1, 0x01, kMin, kMin, 0x4000'0000},
  {"mulh_neg_pos",     "mulh",   1, 0x01, static_cast<uint32_t>(-2), 3, kAll},
  {"mulhsu_neg_max",   "mulhsu", 2, 0x01, kAll, kAll, kAll},
  {"mulhsu_min_max",   "mulhsu", 2, 0x01, kMin, kAll, kMin},
  {"mulhsu_pos",       "mulhsu", 2, 0x01, 2, kAll, 1},
  {"mulhu_max_max",    "mulhu",  3, 0x01, kAll, kAll, 0xffff'fffe},
  {"div_truncates",    "div",    4, 0x01, static_cast<uint32_t>(-7), 2, static_cast<uint32_t>(-3)},
  {"div_by_zero",      "div",    4, 0x01, 7, 0, kAll},
  {"div_overflow",     "div",    4, 0x01, kMin, kAll, kMin},
  {"divu",             "divu",   5, 0x01, 7, 2, 3},
  {"divu_large",       "divu",   5, 0x01, kAll, 2, 0x7fff'ffff},
  {"divu_by_zero",     "divu",   5, 0x01, 7, 0, kAll},
  {"rem_sign_of_dividend", "rem", 6, 0x01, static_cast<uint32_t>(-7), 2, kAll},
  {"rem_neg_divisor",  "rem",    6, 0x01, 7, static_cast<uint32_t>(-2), 1},
  {"rem_by_zero",      "rem",    6, 0x01, static_cast<uint32_t>(-7), 0, static_cast<uint32_t>(-7)},
  {"rem_overflow",     "rem",    6, 0x01, kMin, kAll, 0},
  {"remu",             "remu",   7, 0x01, 7, 2, 1},
  {"remu_by_zero",     "remu",   7, 0x01, 0x8000'0001, 0, 0x8000'0001},
};
// clang-format on

class RegReg : public ::testing::TestWithParam<RegRegCase> {};

TEST_P(RegReg, WritesRd) {
  const RegRegCase& c = GetParam();
  Machine m;
  m.program({enc::r(enc::OP, c.funct3, c.funct7, a0, a1, a2)});
  m.hart().set_x(a1, c.rs1);
  m.hart().set_x(a2, c.rs2);
  ASSERT_EQ(m.step(), StepStatus::retired);
  ASSERT_NE(m.hart().last_desc(), nullptr);
  EXPECT_STREQ(m.hart().last_desc()->name, c.name);
  EXPECT_EQ(m.hart().x(a0), c.rd);
  EXPECT_EQ(m.hart().pc(), kRamBase + 4);
  EXPECT_EQ(m.hart().minstret(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Rv32im, RegReg, ::testing::ValuesIn(kRegReg),
                         [](const auto& info) { return std::string(info.param.label); });

TEST(RegReg, CostClasses) {
  Machine m;
  m.program({enc::add(a0, a1, a2), enc::r(enc::OP, 0, 1, a0, a1, a2), enc::r(enc::OP, 4, 1, a0, a1, a2)});
  m.step();
  EXPECT_EQ(m.hart().cost(), Cost::alu);
  m.step();
  EXPECT_EQ(m.hart().cost(), Cost::mul);
  m.step();
  EXPECT_EQ(m.hart().cost(), Cost::div);
}

struct RegImmCase {
  const char* label;
  const char* name;
  uint32_t funct3;
  int32_t imm;  // 12-bit field; for shifts funct7 and shamt
  uint32_t rs1, rd;
};

// clang-format off
const RegImmCase kRegImm[] = {
  {"addi_negative",   "addi",  0, -16, 5, static_cast<uint32_t>(-11)},
  {"addi_max",        "addi",  0, 2047, 1, 2048},
  {"addi_min",        "addi",  0, -2048, 0, static_cast<uint32_t>(-2048)},
  {"slti_signed",     "slti",  2, -4, static_cast<uint32_t>(-5), 1},
  {"slti_false",      "slti",  2, -4, 0, 0},
  {"sltiu_sign_extended_imm", "sltiu", 3, -1, 5, 1},
  {"sltiu_false",     "sltiu", 3, 1, 1, 0},
  {"xori_not",        "xori",  4, -1, 0x1234'5678, 0xedcb'a987},
  {"ori",             "ori",   6, 0x0f0, 0x0000'0f00, 0x0000'0ff0},
  {"andi_sign_extended_imm", "andi", 7, -16, 0xf0f0'f0ff, 0xf0f0'f0f0},
  {"slli",            "slli",  1, 31, 1, kMin},
  {"slli_zero",       "slli",  1, 0, 0x1234, 0x1234},
  {"srli",            "srli",  5, 31, kMin, 1},
  {"srai",            "srai",  5, 0x400 | 4, kMin, 0xf800'0000},
  {"srai_positive",   "srai",  5, 0x400 | 1, 0x4000'0000, 0x2000'0000},
};
// clang-format on

class RegImm : public ::testing::TestWithParam<RegImmCase> {};

TEST_P(RegImm, WritesRd) {
  const RegImmCase& c = GetParam();
  Machine m;
  m.program({enc::i(enc::OP_IMM, c.funct3, a0, a1, c.imm)});
  m.hart().set_x(a1, c.rs1);
  ASSERT_EQ(m.step(), StepStatus::retired);
  ASSERT_NE(m.hart().last_desc(), nullptr);
  EXPECT_STREQ(m.hart().last_desc()->name, c.name);
  EXPECT_EQ(m.hart().x(a0), c.rd);
}

INSTANTIATE_TEST_SUITE_P(Rv32i, RegImm, ::testing::ValuesIn(kRegImm),
                         [](const auto& info) { return std::string(info.param.label); });

// On RV32 a shift immediate with imm[5] set (RV64's shamt[5]) is reserved.
TEST(RegImm, ShiftWithShamtBit5IsIllegal) {
  Machine m;
  const uint32_t srli_32 = enc::i(enc::OP_IMM, 5, a0, a1, 32);
  m.program({srli_32});
  EXPECT_EQ(m.step(), StepStatus::exception);
  EXPECT_EQ(m.hart().csrs().mcause, 2u);
  EXPECT_EQ(m.hart().csrs().mtval, srli_32);
}

TEST(Upper, LuiLoadsUpperBits) {
  Machine m;
  m.program({enc::lui(a0, 0xfffff), enc::lui(a1, 0x12345)});
  m.run(2);
  EXPECT_EQ(m.hart().x(a0), 0xffff'f000u);
  EXPECT_EQ(m.hart().x(a1), 0x1234'5000u);
  EXPECT_STREQ(m.hart().last_desc()->name, "lui");
}

TEST(Upper, AuipcAddsToPc) {
  Machine m;
  m.program({enc::nop, enc::u(enc::AUIPC, a0, 0x12345), enc::u(enc::AUIPC, a1, 0xfffff)});
  m.run(3);
  EXPECT_EQ(m.hart().x(a0), kRamBase + 4 + 0x1234'5000u);
  EXPECT_EQ(m.hart().x(a1), kRamBase + 8 - 0x1000u);
  EXPECT_STREQ(m.hart().last_desc()->name, "auipc");
}

// x0 is hardwired to zero for every kind of write (2.1).
TEST(Zero, WritesToX0AreIgnored) {
  Machine m;
  m.mem().set_word(kRamBase + 0x100, 0xdead'beef);
  m.program({
      enc::addi(zero, zero, 5),
      enc::lui(zero, 0xfffff),
      enc::add(zero, a1, a1),
      enc::lw(zero, a2, 0),
      enc::csrrs(zero, 0xF14, zero),  // mhartid
      enc::jal(zero, 4),
      enc::add(a0, zero, zero),
      enc::addi(a3, zero, 0),
  });
  m.hart().set_x(a0, 99);
  m.hart().set_x(a1, 7);
  m.hart().set_x(a2, kRamBase + 0x100);
  m.hart().set_x(a3, 99);
  for (int k = 0; k < 8; ++k) {
    ASSERT_EQ(m.step(), StepStatus::retired) << "instruction " << k;
    EXPECT_EQ(m.hart().x(zero), 0u) << "instruction " << k;
  }
  EXPECT_EQ(m.hart().x(a0), 0u);
  EXPECT_EQ(m.hart().x(a3), 0u);
  m.hart().set_x(zero, 1);
  EXPECT_EQ(m.hart().x(zero), 0u);
}

TEST(Fence, FencesRetireAsNoOps) {
  Machine m;
  m.program({0x0ff0000f /* fence iorw,iorw */, 0x8330000f /* fence.tso */, 0x0000100f /* fence.i */,
             0x00b5100f /* fence.i, reserved fields set: ignored */});
  for (int k = 0; k < 4; ++k) {
    ASSERT_EQ(m.step(), StepStatus::retired);
    EXPECT_EQ(m.hart().cost(), Cost::fence);
  }
  EXPECT_EQ(m.hart().pc(), kRamBase + 16);
  EXPECT_EQ(m.hart().minstret(), 4u);
}

}  // namespace
}  // namespace spinlab::isa::test
