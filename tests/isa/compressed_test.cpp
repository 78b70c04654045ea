// The C extension (RV32 Zca): every compressed form executes as its 32-bit
// expansion, reserved encodings are illegal with mtval = the parcel, and the
// hart handles 2-byte instructions (link = pc + 2, IALIGN = 16, fetch at the
// end of RAM, misa.C, mepc). The parcels below were assembled by gas
// (-march=rv32imac), independent of isa/compressed.cpp.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "isa/decode.h"
#include "tests/isa/harness.h"

namespace spinlab::isa::test {
namespace {

constexpr uint32_t kData = kRamBase + 0x1000;
constexpr uint32_t kTrapVector = kRamBase + 0x800;
constexpr uint32_t kIllegalInstruction = 2, kBreakpoint = 3, kFetchAccess = 1, kMisalignedFetch = 0;

// One compressed instruction at kRamBase: registers and a memory word
// before, then either a register or (store) the memory word after, and pc.
struct CCase {
  const char* label;
  uint16_t parcel;
  const char* runs_as;  // the 32-bit row that executes it
  std::vector<std::pair<unsigned, uint32_t>> before;
  unsigned reg;         // the register checked after (ignored for a store)
  uint32_t want;        // its value, or the memory word's for a store
  uint32_t next_pc;     // pc after, relative to kRamBase
  uint32_t mem_addr = 0;  // a word preset (load) or checked (store); 0: none
  uint32_t mem_before = 0;
  bool store = false;
};

// clang-format off
const CCase kCases[] = {
  {"addi4spn",        0x0808, "addi",  {{sp, 0x1000}},                 a0, 0x1010, 2},
  {"addi4spn_max",    0x1fe4, "addi",  {{sp, 0x1000}},                 s1, 0x1000 + 1020, 2},
  {"lw",              0x4510, "lw",    {{a0, kData}},                  a2, 0xdeadbeef, 2, kData + 8, 0xdeadbeef},
  {"lw_max",          0x5cfc, "lw",    {{s1, kData}},                  a5, 0x12345678, 2, kData + 124, 0x12345678},
  {"sw",              0xc510, "sw",    {{a0, kData}, {a2, 0xcafef00d}}, 0, 0xcafef00d, 2, kData + 8, 0, true},
  {"sw_max",          0xdcfc, "sw",    {{s1, kData}, {a5, 0x01020304}}, 0, 0x01020304, 2, kData + 124, 0, true},
  {"nop",             0x0001, "addi",  {{a0, 7}},                      a0, 7, 2},
  {"addi_neg",        0x157d, "addi",  {{a0, 5}},                      a0, 4, 2},
  {"addi_max",        0x0ffd, "addi",  {{t6, 1}},                      t6, 32, 2},
  {"jal_links_pc_2",  0x2201, "jal",   {},                             ra, kRamBase + 2, 0x100},
  {"jal_back",        0x3001, "jal",   {},                             ra, kRamBase + 2, static_cast<uint32_t>(-2048)},
  {"li_neg",          0x5501, "addi",  {{a0, 99}},                     a0, 0xffffffe0, 2},
  {"li_max",          0x4dfd, "addi",  {},                             s11, 31, 2},
  {"addi16sp_neg",    0x7101, "addi",  {{sp, 0x1000}},                 sp, 0xe00, 2},
  {"addi16sp_pos",    0x617d, "addi",  {{sp, 0x1000}},                 sp, 0x11f0, 2},
  {"lui",             0x6505, "lui",   {},                             a0, 0x1000, 2},
  {"lui_neg",         0x7f81, "lui",   {},                             t6, 0xfffe0000, 2},
  {"srli",            0x8105, "srli",  {{a0, 0x80000000}},             a0, 0x40000000, 2},
  {"srli_31",         0x80fd, "srli",  {{s1, 0x80000000}},             s1, 1, 2},
  {"srai",            0x8505, "srai",  {{a0, 0x80000000}},             a0, 0xc0000000, 2},
  {"srai_31",         0x87fd, "srai",  {{a5, 0x80000000}},             a5, 0xffffffff, 2},
  {"andi_neg",        0x997d, "andi",  {{a0, 0xdeadbeef}},             a0, 0xdeadbeef, 2},
  {"andi",            0x8995, "andi",  {{a1, 0xff}},                   a1, 5, 2},
  {"sub",             0x8d0d, "sub",   {{a0, 10}, {a1, 3}},            a0, 7, 2},
  {"xor",             0x8d2d, "xor",   {{a0, 0xff00}, {a1, 0x0ff0}},   a0, 0xf0f0, 2},
  {"or",              0x8d4d, "or",    {{a0, 0xff00}, {a1, 0x0ff0}},   a0, 0xfff0, 2},
  {"and",             0x8d6d, "and",   {{a0, 0xff00}, {a1, 0x0ff0}},   a0, 0x0f00, 2},
  {"j_does_not_link", 0xaffd, "jal",   {{ra, 0x55}},                   ra, 0x55, 2046},
  {"j_back",          0xb001, "jal",   {{ra, 0x55}},                   ra, 0x55, static_cast<uint32_t>(-2048)},
  {"beqz_taken",      0xcd7d, "beq",   {{a0, 0}},                      a0, 0, 254},
  {"beqz_not_taken",  0xd101, "beq",   {{a0, 1}},                      a0, 1, 2},
  {"beqz_back",       0xd101, "beq",   {{a0, 0}},                      a0, 0, static_cast<uint32_t>(-256)},
  {"bnez_taken",      0xe881, "bne",   {{s1, 1}},                      s1, 1, 16},
  {"bnez_not_taken",  0xe881, "bne",   {{s1, 0}},                      s1, 0, 2},
  {"slli",            0x0506, "slli",  {{a0, 0x40000001}},             a0, 0x80000002, 2},
  {"slli_31",         0x0ffe, "slli",  {{t6, 3}},                      t6, 0x80000000, 2},
  {"lwsp",            0x4082, "lw",    {{sp, kData}},                  ra, 0x11223344, 2, kData, 0x11223344},
  {"lwsp_max",        0x5ffe, "lw",    {{sp, kData}},                  t6, 0x55667788, 2, kData + 252, 0x55667788},
  {"jr",              0x8082, "jalr",  {{ra, kRamBase + 0x40}},        ra, kRamBase + 0x40, 0x40},
  {"jr_clears_bit0",  0x8f82, "jalr",  {{t6, kRamBase + 0x81}},        t6, kRamBase + 0x81, 0x80},
  {"mv",              0x852e, "add",   {{a0, 1}, {a1, 0x77}},          a0, 0x77, 2},
  {"jalr_links_pc_2", 0x9782, "jalr",  {{a5, kRamBase + 0x80}},        ra, kRamBase + 2, 0x80},
  {"jalr_ra_old_ra",  0x9082, "jalr",  {{ra, kRamBase + 0x40}},        ra, kRamBase + 2, 0x40},
  {"add",             0x952e, "add",   {{a0, 5}, {a1, 6}},             a0, 11, 2},
  {"swsp",            0xc006, "sw",    {{sp, kData}, {ra, 0xabcdef01}}, 0, 0xabcdef01, 2, kData, 0, true},
  {"swsp_max",        0xdffe, "sw",    {{sp, kData}, {t6, 0x0badcafe}}, 0, 0x0badcafe, 2, kData + 252, 0, true},
  // HINTs execute as the no-ops they expand to (chapter "C", RVC HINTs).
  {"hint_addi_zero",  0x0005, "addi",  {},                             zero, 0, 2},
  {"hint_addi_nz0",   0x0501, "addi",  {{a0, 9}},                      a0, 9, 2},
  {"hint_li_zero",    0x4015, "addi",  {},                             zero, 0, 2},
  {"hint_lui_zero",   0x6005, "lui",   {},                             zero, 0, 2},
  {"hint_mv_zero",    0x802e, "add",   {{a1, 3}},                      zero, 0, 2},
  {"hint_add_zero",   0x902e, "add",   {{a1, 3}},                      zero, 0, 2},
  {"hint_slli64",     0x0502, "slli",  {{a0, 0x1234}},                 a0, 0x1234, 2},
  {"hint_srli64",     0x8001, "srli",  {{s0, 0x1234}},                 s0, 0x1234, 2},
  {"hint_srai64",     0x8401, "srai",  {{s0, 0x80000000}},             s0, 0x80000000, 2},
};
// clang-format on

class Compressed : public ::testing::TestWithParam<CCase> {};

TEST_P(Compressed, RunsAsItsExpansion) {
  const CCase& c = GetParam();
  Machine m;
  m.program16({c.parcel});
  for (auto [r, v] : c.before)
    m.hart().set_x(r, v);
  if (c.mem_addr && !c.store)
    m.mem().set_word(c.mem_addr, c.mem_before);
  ASSERT_EQ(m.step(), StepStatus::retired);
  ASSERT_NE(m.hart().last_desc(), nullptr);
  EXPECT_STREQ(m.hart().last_desc()->name, c.runs_as);
  EXPECT_EQ(m.hart().last_bits(), c.parcel) << "traces see the parcel";
  EXPECT_EQ(m.hart().last_length(), 2u);
  EXPECT_EQ(m.hart().last_insn(), expand_compressed(c.parcel));
  if (c.store) {
    EXPECT_EQ(m.mem().word(c.mem_addr), c.want);
  } else {
    EXPECT_EQ(m.hart().x(c.reg), c.want);
  }
  EXPECT_EQ(m.hart().pc(), kRamBase + c.next_pc);
  EXPECT_EQ(m.hart().minstret(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Rv32c, Compressed, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return std::string(info.param.label); });

// Every row is exercised by some case above.
TEST(CompressedCases, CoverEveryRowThatExecutes) {
  std::set<std::string> seen;
  for (const CCase& c : kCases)
    seen.insert(decode_compressed(c.parcel)->name);
  for (const CompressedDesc& d : compressed_table())
    if (d.expands_to && std::string(d.name) != "c.ebreak") {
      EXPECT_EQ(seen.count(d.name), 1u) << d.name << " has no case";
    }
}

// A compressed instruction costs what its expansion costs.
TEST(CompressedCost, IsTheExpansionsCost) {
  const std::pair<uint16_t, Cost> cases[] = {
      {0x4510, Cost::load}, {0xc510, Cost::store}, {0xaffd, Cost::jump}, {0x9782, Cost::jump},
      {0x952e, Cost::alu},  {0xe881, Cost::branch}};  // ..., c.add, c.bnez s1 taken
  for (auto [parcel, cost] : cases) {
    Machine m;
    m.program16({parcel});
    m.hart().set_x(a0, kData);
    m.hart().set_x(s1, 1);
    m.step();
    EXPECT_EQ(m.hart().cost(), cost) << std::hex << parcel;
  }
  Machine m;
  m.program16({0xd101});  // c.beqz a0 not taken
  m.hart().set_x(a0, 1);
  m.step();
  EXPECT_EQ(m.hart().cost(), Cost::alu);
}

TEST(CompressedTrap, EbreakReportsItsPc) {
  Machine m;
  m.hart().csrs().mtvec = kTrapVector;
  m.program16({0x0001, 0x9002});
  m.step();
  EXPECT_EQ(m.step(), StepStatus::exception);
  EXPECT_EQ(m.hart().csrs().mcause, kBreakpoint);
  EXPECT_EQ(m.hart().csrs().mepc, kRamBase + 2);
  EXPECT_EQ(m.hart().csrs().mtval, kRamBase + 2);
  EXPECT_STREQ(m.hart().last_desc()->name, "ebreak");
}

struct ReservedCase {
  const char* label;
  uint16_t parcel;
};

// clang-format off
const ReservedCase kReserved[] = {
  {"all_zeros_c_unimp",     0x0000},
  {"addi4spn_nzuimm_0",     0x0004},
  {"fld",                   0x2008},
  {"flw",                   0x6008},
  {"q0_funct3_100",         0x8000},
  {"fsd",                   0xa008},
  {"fsw",                   0xe008},
  {"addi16sp_0",            0x6101},
  {"lui_imm_0",             0x6501},
  {"lui_zero_imm_0",        0x6001},
  {"srli_shamt5",           0x9101},
  {"srai_shamt5",           0x9501},
  {"subw_rv64",             0x9d01},
  {"addw_rv64",             0x9d21},
  {"q1_reserved_10",        0x9d41},
  {"q1_reserved_11",        0x9d61},
  {"slli_shamt5",           0x1502},
  {"fldsp",                 0x2502},
  {"lwsp_rd_0",             0x4002},
  {"flwsp",                 0x6502},
  {"jr_rs1_0",              0x8002},
  {"fsdsp",                 0xa002},
  {"fswsp",                 0xe002},
};
// clang-format on

class Reserved : public ::testing::TestWithParam<ReservedCase> {};

// Illegal instruction with mtval = the parcel, zero-extended (privileged
// 3.1.16), whatever the next halfword holds.
TEST_P(Reserved, IsIllegalWithTheParcelInMtval) {
  const ReservedCase& c = GetParam();
  Machine m;
  m.hart().csrs().mtvec = kTrapVector;
  m.program16({0x0001, c.parcel, 0xffff});
  m.step();
  EXPECT_EQ(m.step(), StepStatus::exception);
  EXPECT_EQ(m.hart().csrs().mcause, kIllegalInstruction);
  EXPECT_EQ(m.hart().csrs().mepc, kRamBase + 2);
  EXPECT_EQ(m.hart().csrs().mtval, c.parcel);
  EXPECT_EQ(m.hart().last_bits(), c.parcel);
  EXPECT_EQ(m.hart().last_desc(), nullptr);
  EXPECT_EQ(m.hart().minstret(), 1u);
  EXPECT_EQ(expand_compressed(c.parcel), 0u);
}

INSTANTIATE_TEST_SUITE_P(Rv32c, Reserved, ::testing::ValuesIn(kReserved),
                         [](const auto& info) { return std::string(info.param.label); });

// --- the table ------------------------------------------------------------------

TEST(CompressedTable, RowsAreWellFormed) {
  std::set<std::string> names;
  std::set<std::string> rows32;
  for (const InsnDesc& d : instruction_table())
    rows32.insert(d.name);
  for (const CompressedDesc& d : compressed_table()) {
    EXPECT_TRUE(names.insert(d.name).second) << d.name;
    EXPECT_EQ(d.match & ~d.mask, 0) << d.name;
    EXPECT_NE(d.match & 3, 3) << d.name << ": a 16-bit encoding";
    EXPECT_EQ(d.mask & 0xe003, 0xe003) << d.name << ": quadrant and funct3 are always fixed";
    if (d.expands_to) {
      EXPECT_EQ(rows32.count(d.expands_to), 1u) << d.name << " expands to " << d.expands_to;
    }
  }
}

// Over all 2^16 parcels: a legal one is named by a row and expands to that
// row's 32-bit instruction; the only named parcels that do not expand are
// the ones the spec reserves.
TEST(CompressedTable, EveryParcelExpandsToItsRowsInstruction) {
  unsigned legal = 0;
  for (uint32_t p = 0; p < (1u << 16); ++p) {
    const uint16_t parcel = static_cast<uint16_t>(p);
    const CompressedDesc* d = decode_compressed(parcel);
    const uint32_t x = expand_compressed(parcel);
    if ((p & 3) == 3) {
      EXPECT_EQ(d, nullptr);
      EXPECT_EQ(x, 0u);
      continue;
    }
    if (x == 0) {
      if (!d)
        continue;
      const std::string n = d->name;
      const CInsn c{parcel};
      const bool reserved = n == "c.unimp" || (n == "c.addi16sp" && c.imm_addi16sp() == 0) ||
                            ((n == "c.slli" || n == "c.srli" || n == "c.srai") && (c.uimm6() & 0x20));
      EXPECT_TRUE(reserved) << std::hex << p << " " << n;
      continue;
    }
    ++legal;
    ASSERT_NE(d, nullptr) << std::hex << p;
    const InsnDesc* row = decode(x);
    ASSERT_NE(row, nullptr) << std::hex << p << " -> " << x;
    EXPECT_STREQ(row->name, d->expands_to) << std::hex << p;
  }
  // Counted from objdump's listing of all parcels (tests/isa/all_insns_c.S)
  // minus the reserved ones it still names: 30361 named, less c.unimp, 1
  // c.addi16sp sp,0 and the 1024 + 512 shifts with shamt[5] = 1.
  EXPECT_EQ(legal, 30361u - 1 - 1 - 1024 - 512);
}

// --- the hart with 2-byte instructions ------------------------------------------

TEST(CompressedHart, MixesLengths) {
  Machine m;
  // c.li a0,1; addi a0,a0,2 (at pc+2, 2-aligned); c.addi a0,-1
  m.program16({0x4505, 0x0513, 0x0025, 0x157d});
  EXPECT_EQ(m.run(3), StepStatus::retired);
  EXPECT_EQ(m.hart().x(a0), 2u);
  EXPECT_EQ(m.hart().pc(), kRamBase + 8);
  EXPECT_EQ(m.hart().minstret(), 3u);
}

// IALIGN = 16: a 32-bit jump or branch to a 2-aligned target does not trap,
// and a 32-bit jal links pc + 4 even at a 2-aligned pc.
TEST(CompressedHart, TwoAlignedTargetsDoNotTrap) {
  Machine m;
  m.program({enc::jal(ra, 6)});
  ASSERT_EQ(m.step(), StepStatus::retired);
  EXPECT_EQ(m.hart().pc(), kRamBase + 6);
  EXPECT_EQ(m.hart().x(ra), kRamBase + 4);
  m.program16({0x0001}, kRamBase + 6);  // c.nop
  m.program({enc::beq(zero, zero, -2)}, kRamBase + 8);
  m.run(2);
  EXPECT_EQ(m.hart().pc(), kRamBase + 6);
}

TEST(CompressedHart, CompressedAtTheEndOfRamRuns) {
  Machine m;
  const uint32_t last = kRamBase + kRamBytes - 2;
  m.program16({0x4505}, last);  // c.li a0,1
  m.hart().set_pc(last);
  EXPECT_EQ(m.step(), StepStatus::retired);
  EXPECT_EQ(m.hart().x(a0), 1u);
}

// A 32-bit instruction whose second half lies past the end of RAM: fetch
// access fault with mepc = the instruction and mtval = the missing half
// (privileged 3.1.16).
TEST(CompressedHart, StraddlingTheEndOfRamFaultsAtTheMissingHalf) {
  Machine m;
  m.hart().csrs().mtvec = kTrapVector;
  const uint32_t last = kRamBase + kRamBytes - 2;
  m.program16({0x0513}, last);  // the low half of an addi
  m.hart().set_pc(last);
  EXPECT_EQ(m.step(), StepStatus::exception);
  EXPECT_EQ(m.hart().csrs().mcause, kFetchAccess);
  EXPECT_EQ(m.hart().csrs().mepc, last);
  EXPECT_EQ(m.hart().csrs().mtval, last + 2);
}

TEST(CompressedHart, OddPcIsMisaligned) {
  Machine m;
  m.hart().csrs().mtvec = kTrapVector;
  m.hart().set_pc(kRamBase + 1);
  EXPECT_EQ(m.step(), StepStatus::exception);
  EXPECT_EQ(m.hart().csrs().mcause, kMisalignedFetch);
  EXPECT_EQ(m.hart().csrs().mtval, kRamBase + 1);
}

// mepc[0] is always 0; bit 1 only without C (privileged 3.1.14). mret goes
// to a 2-aligned mepc.
TEST(CompressedHart, MepcKeepsBit1AndMretUsesIt) {
  Machine m;
  m.hart().set_x(a1, kRamBase + 0x43);
  m.program({enc::csrrw(zero, csr::mepc, a1), enc::mret});
  m.run(2);
  EXPECT_EQ(m.hart().csrs().mepc, kRamBase + 0x42);
  EXPECT_EQ(m.hart().pc(), kRamBase + 0x42);

  Machine off;
  off.hart().set_compressed(false);
  off.hart().set_x(a1, kRamBase + 0x43);
  off.program({enc::csrrw(zero, csr::mepc, a1)});
  off.step();
  EXPECT_EQ(off.hart().csrs().mepc, kRamBase + 0x40);
}

TEST(CompressedHart, MisaHasCOnlyWithC) {
  for (bool on : {true, false}) {
    Machine m;
    m.hart().set_compressed(on);
    uint32_t misa = 0;
    ASSERT_TRUE(m.hart().csr_read(csr::misa, misa));
    EXPECT_EQ(misa, on ? 0x4010'1105u : 0x4010'1101u) << "MXL=1, A, (C,) I, M, U";
  }
}

// Without C a 16-bit encoding is read as (part of) a 32-bit word, which is
// illegal with the whole word in mtval, as before the C extension.
TEST(CompressedOff, ParcelsAreIllegalWords) {
  Machine m;
  m.hart().set_compressed(false);
  m.hart().csrs().mtvec = kTrapVector;
  m.program({0x0000'4505});  // c.li a0,1; c.unimp
  EXPECT_EQ(m.step(), StepStatus::exception);
  EXPECT_EQ(m.hart().csrs().mcause, kIllegalInstruction);
  EXPECT_EQ(m.hart().csrs().mtval, 0x0000'4505u);
  EXPECT_EQ(m.hart().x(a0), 0u);
}

}  // namespace
}  // namespace spinlab::isa::test
