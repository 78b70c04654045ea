// `spinlab disasm`: a program's code, one instruction a line, with the
// symbols as labels, in objdump's layout.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

namespace spinlab {

class ElfImage;

// One instruction as `spinlab disasm` shows it: objdump's text
// ("jal\tra,80000010") and, for a branch or jal, " <symbol+off>" of the
// target. The one place both the listing and the instruction trace
// (sim/out/insn_trace.h) format an instruction.
std::string describe_insn(const ElfImage& elf, uint32_t bits, uint32_t pc);

// Where a branch or jal at `pc` goes (objdump's "<symbol+off>" annotation,
// the GTKWave insn filter's "pc+off"), also for their compressed forms
// (c.j, c.jal, c.beqz, c.bnez) when `compressed`; false for any other
// instruction.
bool jump_target(uint32_t bits, uint32_t pc, uint32_t& target, bool compressed = true);

struct CodeSection;
// The instruction at byte `off` of a code section, as objdump walks code: a
// 16-bit parcel (zero-extended) when its bits[1:0] != 0b11, `length` 2;
// otherwise a 32-bit word, `length` 4. `length` 0 at the end of the section
// (and for a 32-bit word the end cuts).
uint32_t insn_at(const CodeSection& sec, size_t off, unsigned& length);

// Throws spinlab::Error for a file that is not a usable RV32 ELF.
void disassemble_elf(const std::string& path, std::FILE* out);

}  // namespace spinlab
