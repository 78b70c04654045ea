// An instruction as text, with the one set of disassembly options: what
// `spinlab disasm`, the instruction trace and the GTKWave insn filter show
// differ only by InsnTextOptions, chosen by listing_options() or
// filter_options(). isa::disassemble gives objdump -d -M no-aliases' text
// (ABI register names, no pseudo-instructions, absolute hex targets); the
// options say what goes around it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace spinlab {

class ElfImage;
struct CodeSection;

struct InsnTextOptions {
  // 16-bit parcels are instructions (an ELF built with C, ElfImage::compressed());
  // otherwise ".2byte", as objdump prints them.
  bool compressed_known = true;
  // A branch or jal's target: objdump's absolute address with " <symbol+off>"
  // after it, the absolute address alone, or "pc+0x10" (for text that holds
  // for the instruction wherever it is, as a filter keyed by its bits).
  enum class Target { symbol, absolute, pc_relative } target = Target::symbol;
  // objdump's tab between the mnemonic and its operands; false: a space.
  bool tab = true;
};

// objdump -d's text: `spinlab disasm` and the instruction trace.
InsnTextOptions listing_options(const ElfImage& elf);
// The GTKWave insn filter's: targets relative to the pc, spaces.
InsnTextOptions filter_options(const ElfImage& elf);

// The instruction `bits` at `pc` as text, with `options`.
std::string insn_text(const ElfImage& elf, uint32_t bits, uint32_t pc, const InsnTextOptions& options);

// One instruction as `spinlab disasm` shows it: objdump's text
// ("jal\tra,80000010") and, for a branch or jal, " <symbol+off>" of the
// target: insn_text with listing_options.
std::string describe_insn(const ElfImage& elf, uint32_t bits, uint32_t pc);

// Where a branch or jal at `pc` goes (objdump's "<symbol+off>" annotation,
// the GTKWave insn filter's "pc+off"), also for their compressed forms
// (c.j, c.jal, c.beqz, c.bnez) when `compressed`; false for any other
// instruction.
bool jump_target(uint32_t bits, uint32_t pc, uint32_t& target, bool compressed = true);

// The instruction at byte `off` of a code section, as objdump walks code: a
// 16-bit parcel (zero-extended) when its bits[1:0] != 0b11, `length` 2;
// otherwise a 32-bit word, `length` 4. `length` 0 at the end of the section
// (and for a 32-bit word the end cuts).
uint32_t insn_at(const CodeSection& sec, size_t off, unsigned& length);

}  // namespace spinlab
