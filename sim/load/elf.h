// Loading a RISC-V RV32 executable with elfutils' libelf, and naming
// addresses by its symbols ("acquire+0x14") and, with debug info, source lines.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace spinlab {

// A PT_LOAD segment. It is loaded at paddr, as QEMU loads it; vaddr is where
// the program uses it (they differ for `.data : { ... } > ram AT > rom`).
struct Segment {
  uint32_t vaddr = 0;
  uint32_t paddr = 0;
  uint32_t memsz = 0;
  std::vector<uint8_t> data;  // filesz bytes; the rest up to memsz is zero
  bool executable = false;    // PF_X
};

// An allocated, executable section (.text): what `spinlab disasm` lists.
struct CodeSection {
  std::string name;
  uint32_t addr = 0;
  std::vector<uint8_t> data;
};

struct Symbol {
  std::string name;
  uint32_t addr = 0;
  uint32_t size = 0;
  bool function = false;
};

class ElfImage {
 public:
  // Loads PT_LOAD segments (at their physical addresses). Throws
  // spinlab::Error (bad_input or no_input) naming the file for: not ELF,
  // ELF64, not RISC-V, big-endian, not an executable, a segment loaded
  // outside [ram_base, ram_base + ram_bytes), two segments claiming the same
  // memory (file bytes over file bytes, or over a .bss where it runs),
  // truncated, an entry point outside the loaded segments.
  static ElfImage load(const std::string& path, uint32_t ram_base, uint32_t ram_bytes);

  const std::string& path() const { return path_; }
  uint32_t entry() const { return entry_; }
  // The ELF header's EF_RISCV_RVC flag: the code may hold 16-bit (C
  // extension) instructions. Disassembly names them only then, as objdump.
  bool compressed() const { return compressed_; }
  const std::vector<Segment>& segments() const { return segments_; }
  const std::vector<Symbol>& symbols() const { return symbols_; }  // sorted by address
  const std::vector<CodeSection>& code_sections() const { return code_; }  // sorted by address

  std::optional<uint32_t> lookup(std::string_view name) const;
  // Where the initial value of the byte the program sees at `addr` is
  // loaded: addr itself unless a segment's file bytes run there from
  // elsewhere (`AT > rom` data, which start-up code copies). What a value
  // set before the run (firmware.params) must be written to.
  uint32_t load_address(uint32_t addr) const;
  // The 32-bit word the program sees at `addr` before it runs (its segment's
  // file bytes, zero in .bss), or nullopt when no segment holds all of it:
  // a firmware param's default (FIRMWARE_PARAM), for `spinlab list`.
  std::optional<uint32_t> initial_word(uint32_t addr) const;
  // The symbol containing addr, or nullptr: a function or object by its
  // size; a label (size 0) up to the next symbol or the end of its section.
  const Symbol* containing(uint32_t addr) const;
  // "acquire+0x14", "main" or "0x800001a4" when no symbol covers addr.
  std::string describe(uint32_t addr) const;
  // True when a "$d" mapping symbol marks the bytes at addr as data, within
  // the section that starts at section_start (objdump prints them as .word).
  bool is_data(uint32_t addr, uint32_t section_start) const;
  // "spinlock.c:42" when the ELF has DWARF line info for addr.
  std::optional<std::string> source_line(uint32_t addr) const;

 struct Mark {
    uint32_t addr;
    bool data;  // "$d": data from here on; "$x": instructions
  };

 private:
  std::string path_;
  uint32_t entry_ = 0;
  bool compressed_ = false;
  std::vector<Segment> segments_;
  std::vector<Symbol> symbols_;
  std::vector<Mark> marks_;  // mapping symbols, sorted by address
  std::vector<CodeSection> code_;
  struct Line { uint32_t addr; std::string where; };  // where empty: no line here
  std::vector<Line> lines_;  // sorted by address
  // Disjoint address ranges, sorted, each naming the symbol containing it
  // (an index into symbols_): what containing() searches.
  struct Span { uint32_t begin; uint64_t end; uint32_t symbol; };
  std::vector<Span> spans_;
};

}  // namespace spinlab
