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

using ExecFn = StepStatus (*)(Hart&, Insn);

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

// objdump -d -M no-aliases style: "addi\tsp,sp,-16", "lw\ta5,12(sp)",
// "jal\tra,80000010" (branch/jump targets absolute, hex, no 0x), "csrrs\ta5,mstatus,zero".
// Words that are not instructions of the subset disassemble as ".4byte\t0x%x"
// (no zero padding), as objdump prints words it cannot decode.
std::string disassemble(uint32_t bits, uint32_t pc);

// ABI register names: zero, ra, sp, ... t6.
const char* reg_name(unsigned r);

}  // namespace spinlab::isa
