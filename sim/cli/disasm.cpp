#include "sim/cli/disasm.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include <fmt/format.h>

#include "firmware/include/memmap.h"
#include "isa/decode.h"
#include "sim/load/elf.h"
#include "sim/load/error.h"

namespace spinlab {

namespace {

// How many zero bytes from `off` objdump leaves out, printing "..." instead
// (binutils objdump.c, skip_zeroes): a run of 8 or more, or one shorter than
// 3 that reaches the next symbol or the section's end. 0 when it prints them.
// It matters with C, where a zero halfword is an instruction (c.unimp).
size_t zeros_objdump_skips(const ElfImage& elf, const CodeSection& sec, size_t off) {
  size_t stop = sec.data.size();
  const uint32_t pc = sec.addr + static_cast<uint32_t>(off);
  const std::vector<Symbol>& syms = elf.symbols();
  auto next = std::upper_bound(syms.begin(), syms.end(), pc, [](uint32_t a, const Symbol& s) { return a < s.addr; });
  if (next != syms.end() && next->addr - sec.addr < stop) stop = next->addr - sec.addr;
  size_t end = off;
  while (end < stop && sec.data[end] == 0) ++end;
  const size_t n = end - off;
  return n >= 8 || (n > 0 && end == stop && n < 3) ? n : 0;
}

}  // namespace

void disassemble_elf(const std::string& path, std::FILE* out) {
  // Any address in the upper half is acceptable RAM for a listing.
  ElfImage elf = ElfImage::load(path, RAM_BASE, 0x8000'0000u);
  std::vector<CodeSection> listing = elf.code_sections();
  // A stripped ELF without section headers still runs: list its
  // executable segments instead (objdump would print nothing).
  if (listing.empty())
    for (const Segment& seg : elf.segments())
      if (seg.executable && !seg.data.empty())
        listing.push_back({fmt::format("segment {:#010x} (no section headers)", seg.vaddr), seg.vaddr, seg.data});
  if (listing.empty())
    throw Error(ExitCode::bad_input, Place{path}, "has nothing to disassemble: no executable section or segment");
  for (const CodeSection& sec : listing) {
    fmt::print(out, "\nDisassembly of section {}:\n", sec.name);
    // Instructions are 2 or 4 bytes (unprivileged 1.5); data marked by "$d"
    // goes a word at a time, as objdump prints it.
    unsigned length = 0;
    for (size_t off = 0; off + 2 <= sec.data.size(); off += length) {
      uint32_t pc = sec.addr + static_cast<uint32_t>(off);
      const Symbol* sym = elf.containing(pc);
      if (sym && sym->addr == pc) fmt::print(out, "\n{:08x} <{}>:\n", pc, sym->name);
      if (elf.is_data(pc, sec.addr) && off + 4 <= sec.data.size()) {
        uint32_t word;
        std::memcpy(&word, sec.data.data() + off, 4);
        fmt::print(out, "{:08x}:\t{:08x}\t.word\t{:#010x}\n", pc, word, word);
        length = 4;
        continue;
      }
      if (size_t zeros = zeros_objdump_skips(elf, sec, off)) {
        fmt::print(out, "\t...\n");
        length = static_cast<unsigned>(zeros);
        continue;
      }
      const uint32_t bits = insn_at(sec, off, length);
      if (length == 0) break;  // a 32-bit word cut by the section's end
      // objdump shows a 16-bit parcel as four hex digits.
      const std::string hex = length == 2 ? fmt::format("{:04x}    ", bits) : fmt::format("{:08x}", bits);
      fmt::print(out, "{:08x}:\t{}\t{}\n", pc, hex, describe_insn(elf, bits, pc));
    }
  }
}

}  // namespace spinlab
