// RV32 executables: checked, loaded and named with elfutils' libelf and libdw.
//
// The file is read into memory whole and its headers are checked against the
// file size here, before libelf sees it: libelf refuses some truncated files
// with a generic message and trusts the sizes in others, and a user deserves
// to hear which part is cut off.
#include "sim/load/elf.h"

#include <fcntl.h>
#include <gelf.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <set>
#include <tuple>

#include <elfutils/libdw.h>
#include <fmt/format.h>

#include "sim/load/error.h"
#include "sim/load/files.h"

namespace spinlab {

namespace {

struct ElfCloser {
  void operator()(Elf* elf) const { elf_end(elf); }
};
struct DwarfCloser {
  void operator()(Dwarf* dwarf) const { dwarf_end(dwarf); }
};
using ElfPtr = std::unique_ptr<Elf, ElfCloser>;
using DwarfPtr = std::unique_ptr<Dwarf, DwarfCloser>;

// Little-endian fields of the raw file; callers check the bounds first.
uint32_t le(const std::vector<char>& b, size_t offset, size_t size) {
  uint32_t v = 0;
  for (size_t i = 0; i < size; ++i) v |= uint32_t(static_cast<uint8_t>(b[offset + i])) << (8 * i);
  return v;
}

std::string machine_name(uint32_t machine) {
  switch (machine) {
    case EM_NONE: return "none";
    case EM_386: return "x86";
    case EM_X86_64: return "x86-64";
    case EM_ARM: return "ARM";
    case EM_AARCH64: return "AArch64";
    case EM_MIPS: return "MIPS";
    case EM_PPC: return "PowerPC";
    case EM_PPC64: return "PowerPC64";
    case EM_S390: return "S/390";
    default: return "";
  }
}

std::string range(uint64_t begin, uint64_t end) {
  return fmt::format("[{:#010x}, {:#010x})", begin, end);
}

// Checks the ELF header and that the header tables lie inside the file.
// Returns the number of program headers.
size_t check_headers(const std::string& path, const std::vector<char>& b) {
  // What kind of file it is needs no offset; where it is cut off does.
  auto refuse = [&](const std::string& msg) { return Error(ExitCode::bad_input, Place{path}, msg); };
  auto bad = [&](int64_t offset, const std::string& msg) {
    return Error(ExitCode::bad_input, Place{path, 0, 0, offset}, msg);
  };
  const uint64_t size = b.size();
  if (size == 0) throw refuse("is empty, not an ELF file");
  if (size < SELFMAG || std::memcmp(b.data(), ELFMAG, SELFMAG) != 0) throw refuse("not an ELF file");
  if (size < EI_NIDENT)
    throw bad(0, fmt::format("is truncated: {} bytes, shorter than the ELF identification", size));

  const uint8_t elf_class = uint8_t(b[EI_CLASS]);
  const uint8_t data = uint8_t(b[EI_DATA]);
  if (elf_class != ELFCLASS32 && elf_class != ELFCLASS64)
    throw refuse(fmt::format("has an invalid ELF class {}", elf_class));
  if (data == ELFDATA2MSB) throw refuse("is a big-endian ELF; spinlab runs little-endian RV32 programs");
  if (data != ELFDATA2LSB) throw refuse(fmt::format("has an invalid ELF data encoding {}", data));
  // libelf refuses any other version, and says only "no error".
  if (const uint8_t version = uint8_t(b[EI_VERSION]); version != EV_CURRENT)
    throw bad(EI_VERSION,
              fmt::format("has ELF version {} (e_ident[EI_VERSION]); the only one is {}", version, int{EV_CURRENT}));

  // e_type and e_machine sit at the same offsets in ELF32 and ELF64.
  if (size < 20) throw bad(0, fmt::format("is truncated: {} bytes, ending inside the ELF header", size));
  const uint32_t machine = le(b, 18, 2);
  if (machine != EM_RISCV) {
    std::string name = machine_name(machine);
    throw refuse(fmt::format("is not a RISC-V program (e_machine {}{}); spinlab runs RV32 RISC-V programs",
                             machine, name.empty() ? "" : ": " + name));
  }
  if (elf_class == ELFCLASS64) throw refuse("is a 64-bit ELF; spinlab runs RV32 programs");

  if (size < sizeof(Elf32_Ehdr))
    throw bad(0, fmt::format("is truncated: {} bytes, shorter than the {}-byte ELF header", size,
                             sizeof(Elf32_Ehdr)));
  Elf32_Ehdr eh{};
  eh.e_type = uint16_t(le(b, offsetof(Elf32_Ehdr, e_type), 2));
  eh.e_phoff = le(b, offsetof(Elf32_Ehdr, e_phoff), 4);
  eh.e_shoff = le(b, offsetof(Elf32_Ehdr, e_shoff), 4);
  eh.e_phentsize = uint16_t(le(b, offsetof(Elf32_Ehdr, e_phentsize), 2));
  eh.e_phnum = uint16_t(le(b, offsetof(Elf32_Ehdr, e_phnum), 2));
  eh.e_shentsize = uint16_t(le(b, offsetof(Elf32_Ehdr, e_shentsize), 2));
  eh.e_shnum = uint16_t(le(b, offsetof(Elf32_Ehdr, e_shnum), 2));

  switch (eh.e_type) {
    case ET_EXEC: break;
    case ET_REL: throw refuse("is a relocatable object file (ET_REL), not an executable; link it first");
    case ET_DYN:
      throw refuse("is a shared object or position-independent executable (ET_DYN); "
                   "link a static executable (ET_EXEC)");
    case ET_CORE: throw refuse("is a core dump (ET_CORE), not an executable");
    default: throw refuse(fmt::format("is not an executable (e_type {})", eh.e_type));
  }

  // With 0xffff or more program headers, or 0xff00 or more sections, the
  // counts are in section 0's header.
  auto section0 = [&](size_t field) -> uint64_t {
    if (eh.e_shoff == 0) return 0;
    if (uint64_t(eh.e_shoff) + sizeof(Elf32_Shdr) > size)
      throw bad(eh.e_shoff, fmt::format("is truncated: its section headers start at {:#x} but the file is "
                                        "{:#x} bytes",
                                        eh.e_shoff, size));
    return le(b, eh.e_shoff + field, 4);
  };

  // Program headers first: they are what loading needs.
  const uint64_t phnum = eh.e_phnum == PN_XNUM ? section0(offsetof(Elf32_Shdr, sh_info)) : eh.e_phnum;
  if (phnum == 0) throw refuse("has no program headers: nothing to load");
  if (eh.e_phentsize != sizeof(Elf32_Phdr))
    throw bad(offsetof(Elf32_Ehdr, e_phentsize),
              fmt::format("has {}-byte program headers; ELF32 ones are {}", eh.e_phentsize,
                          sizeof(Elf32_Phdr)));
  const uint64_t ph_end = uint64_t(eh.e_phoff) + phnum * sizeof(Elf32_Phdr);
  if (ph_end > size)
    throw bad(eh.e_phoff, fmt::format("is truncated: its program headers end at {:#x} but the file is "
                                      "{:#x} bytes",
                                      ph_end, size));

  if (eh.e_shoff != 0) {
    if (eh.e_shentsize != sizeof(Elf32_Shdr))
      throw bad(offsetof(Elf32_Ehdr, e_shentsize),
                fmt::format("has {}-byte section headers; ELF32 ones are {}", eh.e_shentsize,
                            sizeof(Elf32_Shdr)));
    const uint64_t shnum = eh.e_shnum == 0 ? section0(offsetof(Elf32_Shdr, sh_size)) : eh.e_shnum;
    const uint64_t sh_end = uint64_t(eh.e_shoff) + std::max<uint64_t>(shnum, 1) * sizeof(Elf32_Shdr);
    if (sh_end > size)
      throw bad(eh.e_shoff, fmt::format("is truncated: its section headers end at {:#x} but the file "
                                        "is {:#x} bytes",
                                        sh_end, size));
  }
  return size_t(phnum);
}

// Symbols worth naming an address by: functions, objects, and plain labels
// that are not assembler-local (".L1", "$x").
bool wanted(const GElf_Sym& sym, const char* name) {
  if (!name || !*name || name[0] == '$') return false;
  if (sym.st_shndx == SHN_UNDEF || sym.st_shndx >= SHN_LORESERVE) return false;
  switch (GELF_ST_TYPE(sym.st_info)) {
    case STT_FUNC:
    case STT_OBJECT: return std::strncmp(name, ".L", 2) != 0;
    case STT_NOTYPE: return name[0] != '.';
    default: return false;
  }
}

// The file in memory, checked, with libelf's view of it.
struct File {
  std::string path;
  std::vector<char> bytes;
  size_t phnum = 0;
  ElfPtr elf;
  GElf_Ehdr eh{};

  Error bad(int64_t offset, const std::string& msg) const {
    return Error(ExitCode::bad_input, Place{path, 0, 0, offset}, msg);
  }
};

File open_elf(const std::string& path) {
  static const bool libelf_ready = elf_version(EV_CURRENT) != EV_NONE;
  if (!libelf_ready) throw Error(ExitCode::internal, Place{path}, "libelf version mismatch");
  File f;
  f.path = path;
  f.bytes = read_whole_file(path, "an ELF file");
  f.phnum = check_headers(path, f.bytes);
  f.elf.reset(elf_memory(f.bytes.data(), f.bytes.size()));
  if (!f.elf || elf_kind(f.elf.get()) != ELF_K_ELF || !gelf_getehdr(f.elf.get(), &f.eh))
    throw Error(ExitCode::bad_input, Place{path}, fmt::format("is not a valid ELF file: {}", elf_errmsg(-1)));
  return f;
}

// What a segment puts in memory, for the overlap check: its file bytes, or
// the zero fill after them (p_filesz..p_memsz, the .bss).
struct Claim {
  uint64_t begin, end;
  size_t header;  // the program header's index, as readelf -l and QEMU number them
  bool zeros;

  std::string text() const {
    return fmt::format("segment {}'s {} {}", header, zeros ? "zero fill (.bss)" : "file bytes", range(begin, end));
  }
};

// Refuses two segments that claim the same memory. File bytes always claim
// theirs: two sets loaded over each other would leave RAM holding whichever
// came last, and QEMU refuses them too (overlapping ROM regions). A zero fill
// claims its memory only where the segment runs (p_vaddr = p_paddr): there
// it is the program's .bss, and code or data loaded over it would be zeroed
// or overwritten by the program itself. A zero fill at a load address apart
// from where the segment runs is never used, and ld gives one to a NOLOAD
// .bss that follows `AT > rom` data: it claims nothing, and file bytes go on
// top of it (QEMU drops such a zero fill).
void check_overlaps(const File& f, std::vector<Claim> claims) {
  std::sort(claims.begin(), claims.end(),
            [](const Claim& a, const Claim& b) { return std::tie(a.begin, a.header) < std::tie(b.begin, b.header); });
  // Sorted by start, some pair overlaps exactly when some neighbours do.
  for (size_t k = 1; k < claims.size(); ++k) {
    const Claim& a = claims[k - 1];
    const Claim& b = claims[k];
    if (a.end > b.begin && a.header != b.header) {
      const Claim& first = a.header < b.header ? a : b;
      const Claim& second = a.header < b.header ? b : a;
      throw f.bad(int64_t(f.eh.e_phoff + second.header * sizeof(Elf32_Phdr)),
                  fmt::format("{} and {} overlap; each PT_LOAD segment needs memory of its own (see the linker "
                              "script, and readelf -l)",
                              first.text(), second.text()));
    }
  }
}

// The PT_LOAD segments, each inside the file and loaded inside RAM, no two
// claiming the same memory (check_overlaps).
//
// A segment loads at its physical address p_paddr, as QEMU's ELF loader does
// for `-kernel` (include/hw/elf_ops.h): a linker script's `> ram AT > rom`
// puts .data's initial bytes at its load address, and the start-up code
// copies them to where .data runs (p_vaddr). The entry point and the symbols
// stay virtual addresses, as in QEMU; with no MMU they are the pc and the
// data addresses the harts use (the entry moves only with a code segment
// that loads apart from where it runs: entry_point()).
std::vector<Segment> load_segments(const File& f, uint32_t ram_base, uint32_t ram_bytes) {
  const uint64_t ram_end = uint64_t(ram_base) + ram_bytes, file_size = f.bytes.size();
  std::vector<Segment> segments;
  std::vector<Claim> claims;
  for (size_t i = 0; i < f.phnum; ++i) {
    GElf_Phdr ph;
    const int64_t ph_at = int64_t(f.eh.e_phoff + i * sizeof(Elf32_Phdr));
    if (!gelf_getphdr(f.elf.get(), int(i), &ph))
      throw f.bad(ph_at, fmt::format("cannot read program header {}: {}", i, elf_errmsg(-1)));
    if (ph.p_type != PT_LOAD) continue;
    const uint64_t begin = ph.p_paddr, end = ph.p_paddr + ph.p_memsz;
    // A segment is named by where it loads, and also where it runs when that differs.
    std::string name = range(begin, end);
    if (ph.p_vaddr != ph.p_paddr)
      name = fmt::format("{} (loaded at {})", range(ph.p_vaddr, ph.p_vaddr + ph.p_memsz), name);
    // Before skipping an empty segment: file bytes with no memory to go to
    // would be dropped without a word.
    if (ph.p_filesz > ph.p_memsz)
      throw f.bad(ph_at, fmt::format("segment {} has more file bytes ({:#x}) than memory bytes ({:#x})", name,
                                     ph.p_filesz, ph.p_memsz));
    if (ph.p_memsz == 0) continue;
    if (ph.p_offset + ph.p_filesz > file_size)
      throw f.bad(int64_t(ph.p_offset),
                  fmt::format("is truncated: segment {} needs file bytes up to {:#x} but the file is "
                              "{:#x} bytes",
                              name, ph.p_offset + ph.p_filesz, file_size));
    if (begin < ram_base || end > ram_end) {
      std::string hint;
      const bool runs_in_ram = ph.p_vaddr >= ram_base && ph.p_vaddr + ph.p_memsz <= ram_end;
      if (ph.p_vaddr != ph.p_paddr && runs_in_ram)
        hint = "its load address (AT in the linker script) must be in RAM too: spinlab, like QEMU, loads a "
               "segment at its physical address";
      else if (begin >= ram_base)
        hint = "give the machine more machine.ram_bytes";
      else if (ph.p_offset == 0 && end > ram_base)
        // ld's default layout maps the ELF headers just below -Ttext's address.
        hint = "it holds the ELF headers: link with -Wl,--nmagic or a linker script";
      else
        hint = fmt::format("link the program at {:#x}", ram_base);
      throw f.bad(ph_at, fmt::format("segment {} is outside RAM {}; {}", name, range(ram_base, ram_end), hint));
    }
    Segment seg;
    seg.vaddr = uint32_t(ph.p_vaddr);
    seg.paddr = uint32_t(ph.p_paddr);
    seg.memsz = uint32_t(ph.p_memsz);
    seg.executable = (ph.p_flags & PF_X) != 0;
    seg.data.assign(f.bytes.begin() + int64_t(ph.p_offset),
                    f.bytes.begin() + int64_t(ph.p_offset + ph.p_filesz));
    segments.push_back(std::move(seg));
    if (ph.p_filesz > 0) claims.push_back({begin, begin + ph.p_filesz, i, false});
    if (ph.p_memsz > ph.p_filesz && ph.p_vaddr == ph.p_paddr) claims.push_back({begin + ph.p_filesz, end, i, true});
  }
  if (segments.empty()) throw f.bad(int64_t(f.eh.e_phoff), "has no loadable segments");
  check_overlaps(f, std::move(claims));
  return segments;
}

// The entry point: e_entry, except that when the executable segment holding
// it loads apart from where it runs, the entry moves with the segment, as
// QEMU's load_elf does. Throws when nothing is loaded there.
uint32_t entry_point(const File& f, const std::vector<Segment>& segments) {
  uint64_t entry = f.eh.e_entry;
  for (size_t i = 0; i < f.phnum; ++i) {
    GElf_Phdr ph;
    if (!gelf_getphdr(f.elf.get(), int(i), &ph) || ph.p_type != PT_LOAD || !(ph.p_flags & PF_X)) continue;
    if (ph.p_vaddr != ph.p_paddr && f.eh.e_entry >= ph.p_vaddr && f.eh.e_entry < ph.p_vaddr + ph.p_filesz) {
      entry = f.eh.e_entry - ph.p_vaddr + ph.p_paddr;
      break;
    }
  }
  // No RISC-V instruction starts at an odd address (IALIGN is 16 or 32):
  // a hart reset there could not fetch its first instruction.
  if (entry % 2 != 0)
    throw f.bad(offsetof(Elf32_Ehdr, e_entry),
                fmt::format("entry point {:#010x} is misaligned: instructions start at even addresses", entry));
  for (const Segment& s : segments)
    if (entry >= s.paddr && entry < uint64_t(s.paddr) + s.memsz) return uint32_t(entry);
  throw f.bad(offsetof(Elf32_Ehdr, e_entry),
              fmt::format("entry point {:#010x} is not in any loadable segment", f.eh.e_entry));
}

struct Sections {
  struct Range {
    uint64_t begin = 0, end = 0;
    bool alloc = false;
  };
  std::vector<Range> ranges;  // by section index: where labels end
  std::vector<CodeSection> code;
  Elf_Scn* symtab = nullptr;
  GElf_Shdr symtab_hdr{};
};

// Checks that every section's bytes are inside the file; collects the code,
// the address range of each section and the symbol table.
Sections scan_sections(const File& f) {
  const uint64_t file_size = f.bytes.size();
  size_t shstrndx = 0;
  if (elf_getshdrstrndx(f.elf.get(), &shstrndx) != 0) shstrndx = 0;
  auto name_of = [&](const GElf_Shdr& sh, size_t index) {
    const char* name = shstrndx ? elf_strptr(f.elf.get(), shstrndx, sh.sh_name) : nullptr;
    return name && *name ? std::string(name) : fmt::format("{}", index);
  };
  Sections out;
  for (Elf_Scn* scn = elf_nextscn(f.elf.get(), nullptr); scn; scn = elf_nextscn(f.elf.get(), scn)) {
    GElf_Shdr sh;
    if (!gelf_getshdr(scn, &sh)) continue;
    const size_t index = elf_ndxscn(scn);
    if (sh.sh_type != SHT_NOBITS && sh.sh_offset + sh.sh_size > file_size)
      throw f.bad(int64_t(sh.sh_offset),
                  fmt::format("is truncated: section {} needs file bytes up to {:#x} but the file is "
                              "{:#x} bytes",
                              name_of(sh, index), sh.sh_offset + sh.sh_size, file_size));
    if (out.ranges.size() <= index) out.ranges.resize(index + 1);
    out.ranges[index] = {sh.sh_addr, sh.sh_addr + sh.sh_size, (sh.sh_flags & SHF_ALLOC) != 0};
    if (sh.sh_type == SHT_PROGBITS && (sh.sh_flags & SHF_ALLOC) && (sh.sh_flags & SHF_EXECINSTR) &&
        sh.sh_size > 0) {
      CodeSection code;
      code.name = name_of(sh, index);
      code.addr = uint32_t(sh.sh_addr);
      code.data.assign(f.bytes.begin() + int64_t(sh.sh_offset),
                       f.bytes.begin() + int64_t(sh.sh_offset + sh.sh_size));
      out.code.push_back(std::move(code));
    }
    if (sh.sh_type == SHT_SYMTAB && !out.symtab) {
      out.symtab = scn;
      out.symtab_hdr = sh;
    }
  }
  std::stable_sort(out.code.begin(), out.code.end(),
                   [](const CodeSection& a, const CodeSection& b) { return a.addr < b.addr; });
  return out;
}

struct Candidate {
  Symbol sym;
  size_t section;
  int rank;  // 0 best: global function/object, ..., 3: local label
  // Among equals, a name with fewer leading underscores: `stacks` reads
  // better than the linker's `__bss_end` at the same address.
  size_t underscores;
};

// The symbols worth naming addresses by, sorted by address; at one address
// the better name first.
std::vector<Candidate> read_symbols(const File& f, const Sections& sections, std::vector<ElfImage::Mark>& marks) {
  std::vector<Candidate> found;
  if (!sections.symtab || sections.symtab_hdr.sh_entsize != sizeof(Elf32_Sym)) return found;
  Elf_Data* data = elf_getdata(sections.symtab, nullptr);
  const size_t count = data ? data->d_size / sizeof(Elf32_Sym) : 0;
  for (size_t i = 1; i < count; ++i) {
    GElf_Sym s;
    if (!gelf_getsym(data, int(i), &s)) continue;
    const char* name = elf_strptr(f.elf.get(), sections.symtab_hdr.sh_link, s.st_name);
    // RISC-V mapping symbols: "$d" starts data, "$x..." starts instructions
    // (psABI, "Mapping Symbol"); the disassembler prints data as .word.
    if (name && name[0] == '$' && (name[1] == 'd' || name[1] == 'x') && s.st_shndx != SHN_UNDEF &&
        s.st_shndx < SHN_LORESERVE)
      marks.push_back({uint32_t(s.st_value), name[1] == 'd'});
    if (!wanted(s, name) || s.st_shndx >= sections.ranges.size() || !sections.ranges[s.st_shndx].alloc)
      continue;
    const bool typed = GELF_ST_TYPE(s.st_info) != STT_NOTYPE;
    const bool global = GELF_ST_BIND(s.st_info) != STB_LOCAL;
    Symbol sym{name, uint32_t(s.st_value), uint32_t(s.st_size), GELF_ST_TYPE(s.st_info) == STT_FUNC};
    found.push_back({std::move(sym), s.st_shndx, (typed ? 0 : 2) + (global ? 0 : 1), std::strspn(name, "_")});
  }
  std::stable_sort(found.begin(), found.end(), [](const Candidate& a, const Candidate& b) {
    return std::tie(a.sym.addr, a.rank, a.underscores, a.sym.name) <
           std::tie(b.sym.addr, b.rank, b.underscores, b.sym.name);
  });
  return found;
}

struct Cover {
  uint32_t begin;
  uint64_t end;
  uint32_t symbol;  // index into the sorted symbols
};

// Which symbol contains each address, as disjoint sorted ranges. A sized
// symbol covers [addr, addr+size); a label (size 0) covers up to the next
// symbol or the end of its section. Where ranges overlap, a sized symbol wins
// over a label, then the smaller, then the better-ranked.
std::vector<Cover> cover(const std::vector<Candidate>& syms, const Sections& sections) {
  std::vector<Cover> intervals;
  for (size_t i = 0; i < syms.size(); ++i) {
    const Candidate& c = syms[i];
    uint64_t begin = c.sym.addr, end = begin + c.sym.size;
    if (c.sym.size == 0) {
      end = sections.ranges[c.section].end;
      for (size_t j = i + 1; j < syms.size(); ++j)
        if (syms[j].sym.addr > begin) {
          end = std::min<uint64_t>(end, syms[j].sym.addr);
          break;
        }
    }
    if (end > begin) intervals.push_back({uint32_t(begin), end, uint32_t(i)});
  }
  auto priority = [&](uint32_t i) {
    const Candidate& c = syms[i];
    return std::make_tuple(c.sym.size == 0, c.sym.size, c.rank, i);
  };
  std::vector<uint64_t> points;
  for (const Cover& iv : intervals) {
    points.push_back(iv.begin);
    points.push_back(iv.end);
  }
  std::sort(points.begin(), points.end());
  points.erase(std::unique(points.begin(), points.end()), points.end());

  // Sweep the boundaries, keeping the intervals open at each by priority.
  std::vector<Cover> by_begin = intervals, by_end = intervals;
  std::sort(by_begin.begin(), by_begin.end(), [](auto& a, auto& b) { return a.begin < b.begin; });
  std::sort(by_end.begin(), by_end.end(), [](auto& a, auto& b) { return a.end < b.end; });
  std::set<std::tuple<bool, uint32_t, int, uint32_t>> open;
  std::vector<Cover> out;
  size_t next_begin = 0, next_end = 0;
  for (size_t p = 0; p + 1 < points.size(); ++p) {
    const uint64_t at = points[p];
    while (next_end < by_end.size() && by_end[next_end].end <= at) open.erase(priority(by_end[next_end++].symbol));
    while (next_begin < by_begin.size() && by_begin[next_begin].begin <= at)
      open.insert(priority(by_begin[next_begin++].symbol));
    if (open.empty()) continue;
    const uint32_t best = std::get<3>(*open.begin());
    if (!out.empty() && out.back().end == at && out.back().symbol == best)
      out.back().end = points[p + 1];
    else
      out.push_back({uint32_t(at), points[p + 1], best});
  }
  return out;
}

// (address, "file.c:42") from the DWARF line tables, sorted; an empty place
// marks an address with no line (a sequence's end, line 0). None without -g.
std::vector<std::pair<uint32_t, std::string>> read_lines(Elf* elf) {
  std::vector<std::pair<uint32_t, std::string>> out;
  DwarfPtr dwarf(dwarf_begin_elf(elf, DWARF_C_READ, nullptr));
  if (!dwarf) return out;
  struct Row {
    uint64_t addr;
    bool end;
    std::string where;
  };
  std::vector<Row> rows;
  Dwarf_CU* cu = nullptr;
  Dwarf_CU* next = nullptr;
  Dwarf_Half version = 0;
  uint8_t unit_type = 0;
  Dwarf_Die cudie;
  while (dwarf_get_units(dwarf.get(), cu, &next, &version, &unit_type, &cudie, nullptr) == 0) {
    cu = next;
    Dwarf_Lines* lines = nullptr;
    size_t nlines = 0;
    if (dwarf_getsrclines(&cudie, &lines, &nlines) != 0) continue;
    for (size_t i = 0; i < nlines; ++i) {
      Dwarf_Line* line = dwarf_onesrcline(lines, i);
      Dwarf_Addr addr = 0;
      int lineno = 0;
      bool end = false;
      if (!line || dwarf_lineaddr(line, &addr) != 0 || addr > UINT32_MAX) continue;
      dwarf_lineno(line, &lineno);
      dwarf_lineendsequence(line, &end);
      const char* file = dwarf_linesrc(line, nullptr, nullptr);
      std::string where;
      if (!end && file && lineno > 0) {
        const char* slash = std::strrchr(file, '/');
        where = fmt::format("{}:{}", slash ? slash + 1 : file, lineno);
      }
      rows.push_back({addr, end, std::move(where)});
    }
  }
  // At one address the last row counts, as for addr2line; a sequence's end
  // sorts before a sequence starting at the same address.
  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return std::make_pair(a.addr, !a.end) < std::make_pair(b.addr, !b.end);
  });
  for (size_t i = 0; i < rows.size(); ++i) {
    if (i + 1 < rows.size() && rows[i + 1].addr == rows[i].addr) continue;  // shadowed
    if (!out.empty() && out.back().second == rows[i].where) continue;       // same line goes on
    if (out.empty() && rows[i].where.empty()) continue;
    out.emplace_back(uint32_t(rows[i].addr), std::move(rows[i].where));
  }
  return out;
}

}  // namespace

ElfImage ElfImage::load(const std::string& path, uint32_t ram_base, uint32_t ram_bytes) {
  File f = open_elf(path);
  ElfImage image;
  image.path_ = path;
  image.compressed_ = (f.eh.e_flags & EF_RISCV_RVC) != 0;
  image.segments_ = load_segments(f, ram_base, ram_bytes);
  image.entry_ = entry_point(f, image.segments_);
  Sections sections = scan_sections(f);
  image.code_ = std::move(sections.code);
  const std::vector<Candidate> symbols = read_symbols(f, sections, image.marks_);
  std::stable_sort(image.marks_.begin(), image.marks_.end(),
                   [](const Mark& a, const Mark& b) { return a.addr < b.addr; });
  for (const Candidate& c : symbols) image.symbols_.push_back(c.sym);
  for (const Cover& c : cover(symbols, sections)) image.spans_.push_back({c.begin, c.end, c.symbol});
  for (auto& [addr, where] : read_lines(f.elf.get())) image.lines_.push_back({addr, std::move(where)});
  return image;
}

std::optional<uint32_t> ElfImage::lookup(std::string_view name) const {
  for (const Symbol& s : symbols_)
    if (s.name == name) return s.addr;
  return std::nullopt;
}

uint32_t ElfImage::load_address(uint32_t addr) const {
  for (const Segment& s : segments_)
    if (addr - s.vaddr < s.data.size()) return s.paddr + (addr - s.vaddr);
  return addr;
}

std::optional<uint32_t> ElfImage::initial_word(uint32_t addr) const {
  uint32_t word = 0;
  for (unsigned i = 0; i < 4; ++i) {
    const uint32_t a = addr + i;
    const Segment* in = nullptr;
    for (const Segment& s : segments_)
      if (a - s.vaddr < s.memsz) in = &s;
    if (!in) return std::nullopt;
    // Past the file bytes, up to memsz, is .bss: zero.
    const uint32_t off = a - in->vaddr;
    const uint32_t byte = off < in->data.size() ? in->data[off] : 0;
    word |= byte << (8 * i);  // RISC-V is little-endian
  }
  return word;
}

const Symbol* ElfImage::containing(uint32_t addr) const {
  auto it = std::upper_bound(spans_.begin(), spans_.end(), addr,
                             [](uint32_t a, const Span& s) { return a < s.begin; });
  if (it == spans_.begin()) return nullptr;
  --it;
  return addr < it->end ? &symbols_[it->symbol] : nullptr;
}

std::string ElfImage::describe(uint32_t addr) const {
  const Symbol* s = containing(addr);
  if (!s) return fmt::format("{:#010x}", addr);
  if (addr == s->addr) return s->name;
  return fmt::format("{}+{:#x}", s->name, addr - s->addr);
}

bool ElfImage::is_data(uint32_t addr, uint32_t section_start) const {
  auto it = std::upper_bound(marks_.begin(), marks_.end(), addr,
                             [](uint32_t a, const Mark& m) { return a < m.addr; });
  if (it == marks_.begin()) return false;
  --it;
  return it->addr >= section_start && it->data;
}

std::optional<std::string> ElfImage::source_line(uint32_t addr) const {
  auto it = std::upper_bound(lines_.begin(), lines_.end(), addr,
                             [](uint32_t a, const Line& l) { return a < l.addr; });
  if (it == lines_.begin()) return std::nullopt;
  --it;
  if (it->where.empty()) return std::nullopt;
  return it->where;
}

}  // namespace spinlab
