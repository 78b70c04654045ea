#include "sim/out/insn_text.h"

#include <algorithm>

#include <fmt/format.h>

#include "isa/decode.h"
#include "sim/load/elf.h"

namespace spinlab {

bool jump_target(uint32_t bits, uint32_t pc, uint32_t& target, bool compressed) {
  // A compressed jump expands to a jal or branch with the same offset.
  if (isa::insn_length(bits) == 2) bits = compressed ? isa::expand_compressed(static_cast<uint16_t>(bits)) : 0;
  const isa::InsnDesc* d = isa::decode(bits);
  if (!d) return false;
  isa::Insn i{bits};
  if (d->format == isa::Format::B) target = pc + static_cast<uint32_t>(i.imm_b());
  else if (d->format == isa::Format::J) target = pc + static_cast<uint32_t>(i.imm_j());
  else return false;
  return true;
}

uint32_t insn_at(const CodeSection& sec, size_t off, unsigned& length) {
  length = 0;
  if (off + 2 > sec.data.size()) return 0;
  const uint8_t* p = sec.data.data() + off;
  uint32_t bits = uint32_t{p[0]} | uint32_t{p[1]} << 8;  // RISC-V is little-endian
  if (isa::insn_length(bits) == 2) {
    length = 2;
    return bits;
  }
  if (off + 4 > sec.data.size()) return 0;
  length = 4;
  return bits | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}

InsnTextOptions listing_options(const ElfImage& elf) {
  InsnTextOptions o;
  o.compressed_known = elf.compressed();
  return o;
}

InsnTextOptions filter_options(const ElfImage& elf) {
  InsnTextOptions o = listing_options(elf);
  o.target = InsnTextOptions::Target::pc_relative;
  o.tab = false;
  return o;
}

std::string insn_text(const ElfImage& elf, uint32_t bits, uint32_t pc, const InsnTextOptions& options) {
  std::string text = isa::disassemble(bits, pc, options.compressed_known);
  uint32_t target = 0;
  if (options.target != InsnTextOptions::Target::absolute && jump_target(bits, pc, target, options.compressed_known)) {
    if (options.target == InsnTextOptions::Target::symbol) {
      text += fmt::format(" <{}>", elf.describe(target));
    } else {
      // The target, the last operand, relative to the pc.
      const auto offset = static_cast<int32_t>(target - pc);
      text = text.substr(0, text.find_last_of(",\t ") + 1) +
             (offset < 0 ? fmt::format("pc-{:#x}", -int64_t{offset}) : fmt::format("pc+{:#x}", offset));
    }
  }
  if (!options.tab) std::replace(text.begin(), text.end(), '\t', ' ');
  return text;
}

std::string describe_insn(const ElfImage& elf, uint32_t bits, uint32_t pc) {
  return insn_text(elf, bits, pc, listing_options(elf));
}

}  // namespace spinlab
