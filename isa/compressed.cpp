// The C extension for RV32 (Zca: every compressed instruction but the
// floating-point loads and stores): one row per compressed form, each with the
// 32-bit instruction it expands to (unprivileged spec, chapter "C" Standard
// Extension for Compressed Instructions, "RVC Instruction Set Listings").
// The expansion executes through its own row of isa/exec.cpp, so a compressed
// instruction has exactly the semantics and the Cost of its expansion.
#include <cstring>
#include <cstdlib>
#include <vector>

#include "isa/decode.h"

namespace spinlab::isa {

// Immediates (chapter "C", figures of the CIW, CL/CS, CI/CSS, CB and CJ
// formats): each gathers scrambled bit fields into an offset.
uint32_t CInsn::uimm_addi4spn() const {
  // nzuimm[5:4|9:6|2|3] = bits[12:11|10:7|6|5]
  return ((bits >> 7) & 0x30) | ((bits >> 1) & 0x3c0) | ((bits >> 4) & 0x4) | ((bits >> 2) & 0x8);
}

int32_t CInsn::imm_addi16sp() const {
  // nzimm[9] = bit 12, nzimm[4|6|8:7|5] = bits[6|5|4:3|2]
  uint32_t v = ((bits >> 3) & 0x200) | ((bits >> 2) & 0x10) | ((bits << 1) & 0x40) | ((bits << 4) & 0x180) |
               ((bits << 3) & 0x20);
  return static_cast<int32_t>(v << 22) >> 22;
}

uint32_t CInsn::uimm_lw() const {
  // offset[5:3] = bits[12:10], offset[2|6] = bits[6|5]
  return ((bits >> 7) & 0x38) | ((bits >> 4) & 0x4) | ((bits << 1) & 0x40);
}

uint32_t CInsn::uimm_lwsp() const {
  // offset[5] = bit 12, offset[4:2|7:6] = bits[6:4|3:2]
  return ((bits >> 7) & 0x20) | ((bits >> 2) & 0x1c) | ((bits << 4) & 0xc0);
}

uint32_t CInsn::uimm_swsp() const {
  // offset[5:2|7:6] = bits[12:9|8:7]
  return ((bits >> 7) & 0x3c) | ((bits >> 1) & 0xc0);
}

int32_t CInsn::imm_cb() const {
  // offset[8|4:3] = bits[12:10], offset[7:6|2:1|5] = bits[6:5|4:3|2]
  uint32_t v = ((bits >> 4) & 0x100) | ((bits >> 7) & 0x18) | ((bits << 1) & 0xc0) | ((bits >> 2) & 0x6) |
               ((bits << 3) & 0x20);
  return static_cast<int32_t>(v << 23) >> 23;
}

int32_t CInsn::imm_cj() const {
  // offset[11|4|9:8|10|6|7|3:1|5] = bits[12|11|10:9|8|7|6|5:3|2]
  uint32_t v = ((bits >> 1) & 0x800) | ((bits >> 7) & 0x10) | ((bits >> 1) & 0x300) | ((bits << 2) & 0x400) |
               ((bits >> 1) & 0x40) | ((bits << 1) & 0x80) | ((bits >> 2) & 0xe) | ((bits << 3) & 0x20);
  return static_cast<int32_t>(v << 20) >> 20;
}

namespace {

// 32-bit encodings from the match bits of a row (unprivileged 2.2-2.3).
uint32_t r_type(uint32_t base, unsigned rd, unsigned rs1, unsigned rs2) {
  return base | rd << 7 | rs1 << 15 | rs2 << 20;
}
uint32_t i_type(uint32_t base, unsigned rd, unsigned rs1, int32_t imm) {
  return base | rd << 7 | rs1 << 15 | static_cast<uint32_t>(imm) << 20;
}
uint32_t s_type(uint32_t base, unsigned rs1, unsigned rs2, int32_t imm) {
  const uint32_t v = static_cast<uint32_t>(imm);
  return base | (v & 0x1f) << 7 | rs1 << 15 | rs2 << 20 | (v >> 5 & 0x7f) << 25;
}
uint32_t b_type(uint32_t base, unsigned rs1, unsigned rs2, int32_t imm) {
  const uint32_t v = static_cast<uint32_t>(imm);
  return base | (v >> 11 & 1) << 7 | (v >> 1 & 0xf) << 8 | rs1 << 15 | rs2 << 20 | (v >> 5 & 0x3f) << 25 |
         (v >> 12 & 1) << 31;
}
uint32_t j_type(uint32_t base, unsigned rd, int32_t imm) {
  const uint32_t v = static_cast<uint32_t>(imm);
  return base | rd << 7 | (v & 0xff000) | (v >> 11 & 1) << 20 | (v >> 1 & 0x3ff) << 21 | (v >> 20 & 1) << 31;
}

constexpr unsigned kZero = 0, kRa = 1, kSp = 2;

// On RV32 a shift amount with bit 5 set is reserved (NSE); shamt = 0 is a
// HINT and executes as the no-op it expands to.
uint32_t shift(uint32_t base, unsigned rd, uint32_t shamt) {
  return shamt & 0x20 ? 0 : i_type(base, rd, rd, static_cast<int32_t>(shamt));
}

// clang-format off
uint32_t x_addi4spn(CInsn c, uint32_t b) { return i_type(b, c.rd_p(), kSp, static_cast<int32_t>(c.uimm_addi4spn())); }
uint32_t x_lw(CInsn c, uint32_t b) { return i_type(b, c.rd_p(), c.rs1_p(), static_cast<int32_t>(c.uimm_lw())); }
uint32_t x_sw(CInsn c, uint32_t b) { return s_type(b, c.rs1_p(), c.rd_p(), static_cast<int32_t>(c.uimm_lw())); }
uint32_t x_addi(CInsn c, uint32_t b) { return i_type(b, c.rd(), c.rd(), c.imm6()); }
uint32_t x_li(CInsn c, uint32_t b) { return i_type(b, c.rd(), kZero, c.imm6()); }
// nzimm = 0 is reserved.
uint32_t x_addi16sp(CInsn c, uint32_t b) { return c.imm_addi16sp() ? i_type(b, kSp, kSp, c.imm_addi16sp()) : 0; }
uint32_t x_lui(CInsn c, uint32_t b) { return b | c.rd() << 7 | (static_cast<uint32_t>(c.imm6()) << 12); }
uint32_t x_slli(CInsn c, uint32_t b) { return shift(b, c.rd(), c.uimm6()); }
uint32_t x_cb_shift(CInsn c, uint32_t b) { return shift(b, c.rs1_p(), c.uimm6()); }
uint32_t x_andi(CInsn c, uint32_t b) { return i_type(b, c.rs1_p(), c.rs1_p(), c.imm6()); }
uint32_t x_ca(CInsn c, uint32_t b) { return r_type(b, c.rs1_p(), c.rs1_p(), c.rd_p()); }
uint32_t x_j(CInsn c, uint32_t b) { return j_type(b, kZero, c.imm_cj()); }
uint32_t x_jal(CInsn c, uint32_t b) { return j_type(b, kRa, c.imm_cj()); }
uint32_t x_beqz(CInsn c, uint32_t b) { return b_type(b, c.rs1_p(), kZero, c.imm_cb()); }
uint32_t x_lwsp(CInsn c, uint32_t b) { return i_type(b, c.rd(), kSp, static_cast<int32_t>(c.uimm_lwsp())); }
uint32_t x_swsp(CInsn c, uint32_t b) { return s_type(b, kSp, c.rs2(), static_cast<int32_t>(c.uimm_swsp())); }
uint32_t x_jr(CInsn c, uint32_t b) { return i_type(b, kZero, c.rd(), 0); }
uint32_t x_jalr(CInsn c, uint32_t b) { return i_type(b, kRa, c.rd(), 0); }
uint32_t x_mv(CInsn c, uint32_t b) { return r_type(b, c.rd(), kZero, c.rs2()); }
uint32_t x_add(CInsn c, uint32_t b) { return r_type(b, c.rd(), c.rd(), c.rs2()); }
uint32_t x_same(CInsn, uint32_t b) { return b; }
uint32_t x_reserved(CInsn, uint32_t) { return 0; }
// clang-format on

}  // namespace

// The one list of compressed instructions. match/mask from the RVC opcode
// map; where a parcel matches two rows the first wins (c.addi16sp before
// c.lui, the *64 shift forms before the shifts, c.jr before c.mv, c.ebreak
// before c.jalr before c.add). `nonzero` and the order reproduce which
// parcels objdump (binutils 2.40) names; the expander then refuses the named
// ones the spec reserves. HINTs (c.addi with rd = 0, c.li zero, c.lui zero,
// c.mv zero, c.slli64, ...) expand to the no-op they are. Absent on purpose:
// the floating-point forms (c.flw, c.fsw, c.fld, c.fsd and their sp forms),
// which are illegal instructions here, and the RV64/RV128-only forms.
const std::vector<CompressedDesc>& compressed_table() {
  // clang-format off
  static const std::vector<CompressedDesc> table = {
    // Quadrant 0. All zeros is defined to be illegal (c.unimp).
    {"c.unimp",    0x0000, 0xffff, 0x0000, CFormat::none,       nullptr, x_reserved},
    {"c.addi4spn", 0x0000, 0xe003, 0x1fe0, CFormat::ciw,        "addi",  x_addi4spn},
    {"c.lw",       0x4000, 0xe003, 0x0000, CFormat::cl,         "lw",    x_lw},
    {"c.sw",       0xc000, 0xe003, 0x0000, CFormat::cs,         "sw",    x_sw},
    // Quadrant 1. c.nop is c.addi zero,0 to objdump.
    {"c.addi",     0x0001, 0xe003, 0x0000, CFormat::ci,         "addi",  x_addi},
    {"c.jal",      0x2001, 0xe003, 0x0000, CFormat::cj,         "jal",   x_jal},
    {"c.li",       0x4001, 0xe003, 0x0000, CFormat::ci,         "addi",  x_li},
    {"c.addi16sp", 0x6101, 0xef83, 0x0000, CFormat::addi16sp,   "addi",  x_addi16sp},
    {"c.lui",      0x6001, 0xe003, 0x107c, CFormat::lui,        "lui",   x_lui},
    {"c.srli64",   0x8001, 0xfc7f, 0x0000, CFormat::cb_shift64, "srli",  x_cb_shift},
    {"c.srai64",   0x8401, 0xfc7f, 0x0000, CFormat::cb_shift64, "srai",  x_cb_shift},
    {"c.srli",     0x8001, 0xec03, 0x0000, CFormat::cb_shift,   "srli",  x_cb_shift},
    {"c.srai",     0x8401, 0xec03, 0x0000, CFormat::cb_shift,   "srai",  x_cb_shift},
    {"c.andi",     0x8801, 0xec03, 0x0000, CFormat::cb_imm,     "andi",  x_andi},
    {"c.sub",      0x8c01, 0xfc63, 0x0000, CFormat::ca,         "sub",   x_ca},
    {"c.xor",      0x8c21, 0xfc63, 0x0000, CFormat::ca,         "xor",   x_ca},
    {"c.or",       0x8c41, 0xfc63, 0x0000, CFormat::ca,         "or",    x_ca},
    {"c.and",      0x8c61, 0xfc63, 0x0000, CFormat::ca,         "and",   x_ca},
    {"c.j",        0xa001, 0xe003, 0x0000, CFormat::cj,         "jal",   x_j},
    {"c.beqz",     0xc001, 0xe003, 0x0000, CFormat::cb,         "beq",   x_beqz},
    {"c.bnez",     0xe001, 0xe003, 0x0000, CFormat::cb,         "bne",   x_beqz},
    // Quadrant 2.
    {"c.slli64",   0x0002, 0xf07f, 0x0000, CFormat::shift64,    "slli",  x_slli},
    {"c.slli",     0x0002, 0xe003, 0x0000, CFormat::shift,      "slli",  x_slli},
    {"c.lwsp",     0x4002, 0xe003, 0x0f80, CFormat::lwsp,       "lw",    x_lwsp},
    {"c.jr",       0x8002, 0xf07f, 0x0f80, CFormat::cr_jump,    "jalr",  x_jr},
    {"c.mv",       0x8002, 0xf003, 0x007c, CFormat::cr,         "add",   x_mv},
    {"c.ebreak",   0x9002, 0xffff, 0x0000, CFormat::none,       "ebreak", x_same},
    {"c.jalr",     0x9002, 0xf07f, 0x0f80, CFormat::cr_jump,    "jalr",  x_jalr},
    {"c.add",      0x9002, 0xf003, 0x007c, CFormat::cr,         "add",   x_add},
    {"c.swsp",     0xc002, 0xe003, 0x0000, CFormat::swsp,       "sw",    x_swsp},
  };
  // clang-format on
  return table;
}

const CompressedDesc* decode_compressed(uint16_t parcel) {
  if ((parcel & 3) == 3)
    return nullptr;
  // Not on the hot path (the hart expands a parcel when its predecode entry
  // misses): a scan will do.
  for (const CompressedDesc& d : compressed_table())
    if ((parcel & d.mask) == d.match && (d.nonzero == 0 || (parcel & d.nonzero) != 0))
      return &d;
  return nullptr;
}

namespace {

// The match bits of the 32-bit row named `name`.
uint32_t base_of(const char* name) {
  for (const InsnDesc& d : instruction_table())
    if (std::strcmp(d.name, name) == 0)
      return d.match;
  std::abort();  // a compressed row names a 32-bit row that does not exist
}

// Each row's 32-bit base (the match bits of the row it expands to), looked
// up by name once.
const std::vector<uint32_t>& bases() {
  static const std::vector<uint32_t> b = [] {
    std::vector<uint32_t> v;
    for (const CompressedDesc& d : compressed_table()) v.push_back(d.expands_to ? base_of(d.expands_to) : 0);
    return v;
  }();
  return b;
}

}  // namespace

// Computed per call, not from a table of all 2^16 parcels: the hart expands
// a parcel only when its predecode entry misses, and building the table cost
// every run 12 M host instructions at start-up (callgrind), more than a
// short run's misses.
uint32_t expand_compressed(uint16_t parcel) {
  const CompressedDesc* d = decode_compressed(parcel);
  if (!d) return 0;
  return d->expand(CInsn{parcel}, bases()[static_cast<size_t>(d - compressed_table().data())]);
}

}  // namespace spinlab::isa
