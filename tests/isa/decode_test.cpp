// The instruction table itself: well-formed rows, no overlapping encodings,
// an index that agrees with a plain scan, and exactly the designed subset.
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <set>
#include <string>

#include "isa/decode.h"

namespace spinlab::isa {
namespace {

TEST(Table, EveryMatchSatisfiesItsMask) {
  for (const InsnDesc& d : instruction_table()) {
    EXPECT_EQ(d.match & ~d.mask, 0u) << d.name;
    EXPECT_EQ(d.match & 3, 3u) << d.name << ": a 32-bit encoding";
    EXPECT_EQ(d.mask & 0x7f, 0x7fu) << d.name << ": the opcode is always fixed";
    EXPECT_NE(d.exec, nullptr) << d.name;
  }
}

// Two rows overlap when some word matches both: that is when their match
// values agree on every bit both masks fix.
TEST(Table, NoTwoRowsOverlap) {
  const auto& table = instruction_table();
  for (size_t i = 0; i < table.size(); ++i)
    for (size_t j = i + 1; j < table.size(); ++j) {
      const uint32_t common = table[i].mask & table[j].mask;
      EXPECT_NE((table[i].match ^ table[j].match) & common, 0u) << table[i].name << " vs " << table[j].name;
    }
}

TEST(Table, NamesAreUnique) {
  std::set<std::string> names;
  for (const InsnDesc& d : instruction_table())
    EXPECT_TRUE(names.insert(d.name).second) << d.name;
}

// Exactly the subset DESIGN.md names: RV32I (+ fence.i), M, A, Zicsr, mret, wfi.
TEST(Table, IsTheDesignedSubset) {
  const std::set<std::string> expected = {
      "lui", "auipc", "jal", "jalr", "beq", "bne", "blt", "bge", "bltu", "bgeu", "lb", "lh", "lw", "lbu",
      "lhu", "sb", "sh", "sw", "addi", "slti", "sltiu", "xori", "ori", "andi", "slli", "srli", "srai",
      "add", "sub", "sll", "slt", "sltu", "xor", "srl", "sra", "or", "and", "fence", "fence.i", "ecall",
      "ebreak", "mul", "mulh", "mulhsu", "mulhu", "div", "divu", "rem", "remu", "lr.w", "sc.w",
      "amoswap.w", "amoadd.w", "amoxor.w", "amoand.w", "amoor.w", "amomin.w", "amomax.w", "amominu.w",
      "amomaxu.w", "csrrw", "csrrs", "csrrc", "csrrwi", "csrrsi", "csrrci", "mret", "wfi"};
  std::set<std::string> names;
  for (const InsnDesc& d : instruction_table())
    names.insert(d.name);
  EXPECT_EQ(names, expected);
}

TEST(Decode, EveryRowDecodesItsOwnMatch) {
  for (const InsnDesc& d : instruction_table())
    EXPECT_EQ(decode(d.match), &d) << d.name;
}

const InsnDesc* linear_decode(uint32_t bits) {
  for (const InsnDesc& d : instruction_table())
    if ((bits & d.mask) == d.match)
      return &d;
  return nullptr;
}

// The opcode/funct3 index must find what a scan of the whole table finds:
// random words, and random words with each row's fixed bits forced in.
TEST(Decode, IndexAgreesWithLinearScan) {
  std::mt19937 rng(12345);
  for (int k = 0; k < 200000; ++k) {
    const uint32_t w = rng();
    ASSERT_EQ(decode(w), linear_decode(w)) << std::hex << w;
  }
  for (const InsnDesc& d : instruction_table())
    for (int k = 0; k < 2000; ++k) {
      const uint32_t w = (rng() & ~d.mask) | d.match;
      ASSERT_EQ(decode(w), &d) << d.name << " " << std::hex << w;
    }
}

TEST(Decode, SixteenBitEncodingsAreNotInstructions) {
  for (uint32_t w : {0x0000'0000u, 0x0000'0001u, 0x0000'0002u, 0x0000'4501u})
    EXPECT_EQ(decode(w), nullptr) << std::hex << w;
}

TEST(Insn, ImmediatesSignExtend) {
  // beq zero,zero,-4096 ; jal zero,-1048576 ; sw zero,-2048(zero)
  EXPECT_EQ(Insn{0x80000063}.imm_b(), -4096);
  EXPECT_EQ(Insn{0x7e000fe3}.imm_b(), 4094);
  EXPECT_EQ(Insn{0x8000006f}.imm_j(), -1048576);
  EXPECT_EQ(Insn{0x7ffff06f}.imm_j(), 1048574);
  EXPECT_EQ(Insn{0x80002023}.imm_s(), -2048);
  EXPECT_EQ(Insn{0x7e002fa3}.imm_s(), 2047);
  EXPECT_EQ(Insn{0x80000013}.imm_i(), -2048);
  EXPECT_EQ(Insn{0xfffff037}.imm_u(), static_cast<int32_t>(0xfffff000u));
}

TEST(RegName, AbiNames) {
  EXPECT_STREQ(reg_name(0), "zero");
  EXPECT_STREQ(reg_name(2), "sp");
  EXPECT_STREQ(reg_name(8), "s0");
  EXPECT_STREQ(reg_name(10), "a0");
  EXPECT_STREQ(reg_name(27), "s11");
  EXPECT_STREQ(reg_name(31), "t6");
}

}  // namespace
}  // namespace spinlab::isa
