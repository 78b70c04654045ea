// The instruction table: one row per instruction drives decoding, execution
// dispatch, the disassembler, cost classes and the tests. Nothing else lists
// the instructions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "isa/hart.h"

namespace spinlab::isa {

// Operand layout, for the decoder's immediate extraction and the disassembler.
enum class Format : uint8_t { R, I, I_shift, I_load, S, B, U, J, jalr, csr, csri, amo, lr, sc, fence, none };

// A raw instruction word with field accessors (unprivileged spec, 2.2-2.3).
struct Insn {
  uint32_t bits;
  unsigned rd() const { return (bits >> 7) & 31; }
  unsigned rs1() const { return (bits >> 15) & 31; }
  unsigned rs2() const { return (bits >> 20) & 31; }
  unsigned funct3() const { return (bits >> 12) & 7; }
  uint16_t csr() const { return static_cast<uint16_t>(bits >> 20); }
  int32_t imm_i() const { return static_cast<int32_t>(bits) >> 20; }
  int32_t imm_s() const;
  int32_t imm_b() const;
  int32_t imm_u() const { return static_cast<int32_t>(bits & 0xfffff000u); }
  int32_t imm_j() const;
  unsigned shamt() const { return (bits >> 20) & 31; }
};

struct InsnDesc {
  const char* name;  // objdump's canonical (no-aliases) mnemonic
  uint32_t match;
  uint32_t mask;
  Format format;
  Cost cost;
  ExecFn exec;
};

// Every row of the table.
const std::vector<InsnDesc>& instruction_table();
// The row matching `bits`, or nullptr (illegal instruction). Fast: indexed by
// opcode and funct3, then a short mask/match scan.
const InsnDesc* decode(uint32_t bits);
// The operands of `bits` as row d's format lays them out (d may be nullptr:
// only bits is set).
Op make_op(uint32_t bits, const InsnDesc* d);

// --- the C extension (unprivileged spec chapter "C", RV32 Zca) ---------------
// A compressed instruction is a 16-bit parcel (bits[1:0] != 0b11) that
// expands to one 32-bit instruction of the table above, which then executes
// through its own row: same semantics, same Cost. isa/compressed.cpp holds
// one row per compressed form; nothing else lists them.

// Operand layout of a compressed form, for the disassembler (objdump's).
enum class CFormat : uint8_t {
  ciw,        // c.addi4spn  rd',sp,uimm
  cl,         // c.lw        rd',off(rs1')
  cs,         // c.sw        rs2',off(rs1')
  ci,         // c.addi/li   rd,simm
  addi16sp,   // c.addi16sp  sp,simm
  lui,        // c.lui       rd,0x(imm>>12)
  shift,      // c.slli      rd,0xshamt
  shift64,    // c.slli64    rd (shamt = 0)
  cb_shift,   // c.srli/srai rs1',0xshamt
  cb_shift64, // c.srli64    rs1'
  cb_imm,     // c.andi      rs1',simm
  ca,         // c.sub ...   rd',rs2'
  cb,         // c.beqz      rs1',target
  cj,         // c.j/c.jal   target
  cr_jump,    // c.jr/c.jalr rs1
  cr,         // c.mv/c.add  rd,rs2
  lwsp,       // c.lwsp      rd,off(sp)
  swsp,       // c.swsp      rs2,off(sp)
  none,       // c.ebreak, c.unimp
};

// A 16-bit parcel with the C extension's field and immediate accessors
// (unprivileged spec, "Compressed Instruction Formats").
struct CInsn {
  uint16_t bits;
  unsigned rd() const { return (bits >> 7) & 31; }          // rd/rs1, CR and CI
  unsigned rs2() const { return (bits >> 2) & 31; }         // CR and CSS
  unsigned rd_p() const { return 8 + ((bits >> 2) & 7); }   // rd' (CIW, CL) or rs2' (CS, CA)
  unsigned rs1_p() const { return 8 + ((bits >> 7) & 7); }  // rs1' (CL, CS, CB) or rd' (CA, CB)
  uint32_t uimm6() const { return ((bits >> 7) & 0x20) | ((bits >> 2) & 0x1f); }  // CI: shamt
  int32_t imm6() const { return static_cast<int32_t>(uimm6() << 26) >> 26; }       // CI: sign-extended
  uint32_t uimm_addi4spn() const;
  int32_t imm_addi16sp() const;
  uint32_t uimm_lw() const;    // c.lw / c.sw
  uint32_t uimm_lwsp() const;
  uint32_t uimm_swsp() const;
  int32_t imm_cb() const;      // c.beqz / c.bnez
  int32_t imm_cj() const;      // c.j / c.jal
};

// Builds the 32-bit instruction from the parcel and the match bits of the
// 32-bit row it expands to; 0 when this encoding is reserved.
using ExpandFn = uint32_t (*)(CInsn, uint32_t base);

struct CompressedDesc {
  const char* name;  // objdump's no-aliases mnemonic, "c.addi"
  uint16_t match;
  uint16_t mask;
  // Bits of which at least one must be set for objdump to name the parcel
  // (nzuimm, rs1 != 0, ...); 0 when the row has no such rule.
  uint16_t nonzero;
  CFormat format;
  const char* expands_to;  // the 32-bit row's name; nullptr for c.unimp
  ExpandFn expand;
};

// Every compressed row.
const std::vector<CompressedDesc>& compressed_table();
// The row objdump names `parcel` with, or nullptr (it prints ".2byte").
// Some named parcels are reserved all the same (c.addi16sp sp,0, RV32
// c.slli with shamt[5] = 1, c.unimp): expand_compressed says which.
const CompressedDesc* decode_compressed(uint16_t parcel);
// The 32-bit instruction a compressed parcel expands to, or 0 when it is
// illegal. A scan of the rows: the hart calls it when a predecode entry
// misses, not per step.
uint32_t expand_compressed(uint16_t parcel);
// 2 for a compressed parcel (bits[1:0] != 0b11), else 4 (unprivileged 1.5).
inline unsigned insn_length(uint32_t bits) { return (bits & 3) == 3 ? 4 : 2; }

// objdump -d -M no-aliases style: "addi\tsp,sp,-16", "lw\ta5,12(sp)",
// "jal\tra,80000010" (branch/jump targets absolute, hex, no 0x), "csrrs\ta5,mstatus,zero".
// Words that are not instructions of the subset disassemble as ".4byte\t0x%x"
// (no zero padding), as objdump prints words it cannot decode. A word whose
// bits[1:0] != 0b11 is a 16-bit parcel (its low half; the upper half is
// ignored): "c.addi\ta0,1"; one objdump cannot name, or any when
// !compressed_known (an ELF built without C), ".2byte\t0x%x".
std::string disassemble(uint32_t bits, uint32_t pc, bool compressed_known = true);

// ABI register names: zero, ra, sp, ... t6.
const char* reg_name(unsigned r);

}  // namespace spinlab::isa
