#include "sim/disasm.h"

#include <cstring>

#include <fmt/format.h>

#include "firmware/include/memmap.h"
#include "isa/decode.h"
#include "sim/elf.h"

namespace spinlab {

bool jump_target(uint32_t bits, uint32_t pc, uint32_t& target) {
  const isa::InsnDesc* d = isa::decode(bits);
  if (!d) return false;
  isa::Insn i{bits};
  if (d->format == isa::Format::B) target = pc + static_cast<uint32_t>(i.imm_b());
  else if (d->format == isa::Format::J) target = pc + static_cast<uint32_t>(i.imm_j());
  else return false;
  return true;
}

std::string describe_insn(const ElfImage& elf, uint32_t bits, uint32_t pc) {
  std::string text = isa::disassemble(bits, pc);
  uint32_t target;
  if (jump_target(bits, pc, target)) text += fmt::format(" <{}>", elf.describe(target));
  return text;
}

void disassemble_elf(const std::string& path, std::FILE* out) {
  // Any address in the upper half is acceptable RAM for a listing.
  ElfImage elf = ElfImage::load(path, RAM_BASE, 0x8000'0000u);
  for (const CodeSection& sec : elf.code_sections()) {
    fmt::print(out, "\nDisassembly of section {}:\n", sec.name);
    for (size_t off = 0; off + 4 <= sec.data.size(); off += 4) {
      uint32_t pc = sec.addr + static_cast<uint32_t>(off);
      uint32_t bits;
      std::memcpy(&bits, sec.data.data() + off, 4);
      const Symbol* sym = elf.containing(pc);
      if (sym && sym->addr == pc) fmt::print(out, "\n{:08x} <{}>:\n", pc, sym->name);
      if (elf.is_data(pc, sec.addr)) {
        fmt::print(out, "{:08x}:\t{:08x}\t.word\t{:#010x}\n", pc, bits, bits);
        continue;
      }
      fmt::print(out, "{:08x}:\t{:08x}\t{}\n", pc, bits, describe_insn(elf, bits, pc));
    }
  }
}

}  // namespace spinlab
