// ElfImage on programs built from programs/ by the cross compiler, and on
// every kind of bad input made from them.
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "sim/load/elf.h"
#include "sim/load/error.h"
#include "testutil.h"

namespace spinlab {
namespace {

using test::catch_error;
using test::read_bytes;
using test::TempDir;
using test::write_bytes;

constexpr uint32_t kRamBase = 0x8000'0000;
constexpr uint32_t kRamBytes = 16u << 20;

std::string program(const std::string& name) { return std::string(SIM_TEST_PROGRAMS) + "/" + name; }

ElfImage load(const std::string& path, uint32_t ram_bytes = kRamBytes) {
  return ElfImage::load(path, kRamBase, ram_bytes);
}

// The 1-based line of programs/FILE holding `text`.
int line_of(const std::string& file, const std::string& text) {
  std::ifstream in(std::string(SIM_TEST_PROGRAMS_SRC) + "/" + file);
  int n = 0;
  for (std::string line; std::getline(in, line);) {
    ++n;
    if (line.find(text) != std::string::npos) return n;
  }
  ADD_FAILURE() << "no line with " << text << " in " << file;
  return 0;
}

const Symbol* find_symbol(const ElfImage& elf, const std::string& name) {
  for (const Symbol& s : elf.symbols())
    if (s.name == name) return &s;
  return nullptr;
}

// --- a good program ---------------------------------------------------------

TEST(ElfLoad, EntryAndSegments) {
  ElfImage elf = load(program("prog.elf"));
  EXPECT_EQ(elf.path(), program("prog.elf"));
  EXPECT_EQ(elf.entry(), kRamBase);
  ASSERT_EQ(elf.segments().size(), 1u);
  const Segment& seg = elf.segments()[0];
  EXPECT_EQ(seg.vaddr, kRamBase);
  // .text in the file, then .sbss and .bss (with the 8 KiB stack) in memory only.
  EXPECT_GT(seg.data.size(), 16u);
  EXPECT_GE(seg.memsz, seg.data.size() + 8192);
  // The first instruction is `la sp, stack_top`: auipc sp, ...
  uint32_t first;
  std::memcpy(&first, seg.data.data(), 4);
  EXPECT_EQ(first & 0x7f, 0x17u);        // AUIPC
  EXPECT_EQ((first >> 7) & 0x1f, 2u);  // rd = sp
}

TEST(ElfLoad, CodeSections) {
  ElfImage elf = load(program("prog.elf"));
  ASSERT_EQ(elf.code_sections().size(), 1u);
  const CodeSection& text = elf.code_sections()[0];
  EXPECT_EQ(text.name, ".text");
  EXPECT_EQ(text.addr, kRamBase);
  const Segment& seg = elf.segments()[0];
  ASSERT_LE(text.data.size(), seg.data.size());
  EXPECT_TRUE(std::equal(text.data.begin(), text.data.end(), seg.data.begin()));
}

TEST(ElfLoad, SymbolsAreFunctionsObjectsAndLabels) {
  ElfImage elf = load(program("prog.elf"));
  const auto& syms = elf.symbols();
  EXPECT_TRUE(std::is_sorted(syms.begin(), syms.end(),
                             [](const Symbol& a, const Symbol& b) { return a.addr < b.addr; }));
  for (const Symbol& s : syms) {
    EXPECT_FALSE(s.name.empty());
    EXPECT_NE(s.name[0], '.') << s.name;
    EXPECT_NE(s.name[0], '$') << s.name;
  }
  const Symbol* acquire = find_symbol(elf, "acquire");
  ASSERT_TRUE(acquire);
  EXPECT_TRUE(acquire->function);
  EXPECT_GT(acquire->size, 8u);
  const Symbol* lock = find_symbol(elf, "tickslock");
  ASSERT_TRUE(lock);
  EXPECT_FALSE(lock->function);
  EXPECT_EQ(lock->size, 8u);
  const Symbol* scratch = find_symbol(elf, "scratch");  // a static (local) object
  ASSERT_TRUE(scratch);
  EXPECT_EQ(scratch->size, 64u);
  const Symbol* start = find_symbol(elf, "_start");
  ASSERT_TRUE(start);
  EXPECT_EQ(start->size, 0u);
  EXPECT_TRUE(find_symbol(elf, "halt"));  // a local label in start.S
  // __global_pointer$ is absolute: a number, not a place in the program.
  EXPECT_FALSE(find_symbol(elf, "__global_pointer$"));
}

TEST(ElfLoad, Lookup) {
  ElfImage elf = load(program("prog.elf"));
  EXPECT_EQ(elf.lookup("_start"), elf.entry());
  ASSERT_TRUE(elf.lookup("main"));
  ASSERT_TRUE(elf.lookup("release"));
  EXPECT_GT(*elf.lookup("main"), kRamBase);
  EXPECT_EQ(elf.lookup("tickslock"), find_symbol(elf, "tickslock")->addr);
  EXPECT_FALSE(elf.lookup("nosuchsymbol"));
  EXPECT_FALSE(elf.lookup(""));
}

TEST(ElfLoad, DescribeNamesAddresses) {
  ElfImage elf = load(program("prog.elf"));
  const uint32_t acquire = *elf.lookup("acquire");
  EXPECT_EQ(elf.describe(acquire), "acquire");
  EXPECT_EQ(elf.describe(acquire + 0x4), "acquire+0x4");
  EXPECT_EQ(elf.describe(acquire + find_symbol(elf, "acquire")->size - 4),
            fmt::format("acquire+{:#x}", find_symbol(elf, "acquire")->size - 4));
  EXPECT_EQ(elf.describe(*elf.lookup("main")), "main");
  EXPECT_EQ(elf.describe(*elf.lookup("tickslock") + 4), "tickslock+0x4");
  EXPECT_EQ(elf.describe(*elf.lookup("scratch") + 63), "scratch+0x3f");
  // Labels without a size cover up to the next symbol.
  EXPECT_EQ(elf.describe(elf.entry()), "_start");
  EXPECT_EQ(elf.describe(elf.entry() + 4), "_start+0x4");
  const uint32_t halt = *elf.lookup("halt");
  EXPECT_EQ(elf.describe(halt + 4), "halt+0x4");
  EXPECT_EQ(elf.containing(halt + 4), find_symbol(elf, "halt"));
  // Nothing there.
  EXPECT_EQ(elf.describe(0x80f0'0000), "0x80f00000");
  EXPECT_EQ(elf.describe(0x7fff'fffc), "0x7ffffffc");
  EXPECT_EQ(elf.describe(0), "0x00000000");
  EXPECT_EQ(elf.containing(0x80f0'0000), nullptr);
}

TEST(ElfLoad, SizedSymbolsEndWhereTheirSizeSays) {
  ElfImage elf = load(program("prog.elf"));
  const Symbol* lock = find_symbol(elf, "tickslock");
  ASSERT_TRUE(lock);
  EXPECT_EQ(elf.containing(lock->addr + lock->size - 1), lock);
  EXPECT_NE(elf.containing(lock->addr + lock->size), lock);
}

TEST(ElfLoad, SourceLines) {
  ElfImage elf = load(program("prog.elf"));
  EXPECT_EQ(elf.source_line(elf.entry()), "start.S:" + std::to_string(line_of("start.S", "la sp, stack_top")));
  // Where several rows share an address the last counts, as for addr2line:
  // a function's first instruction is its first statement, not its opening line.
  EXPECT_EQ(elf.source_line(*elf.lookup("acquire")),
            "prog.c:" + std::to_string(line_of("prog.c", "/* acquire: spin */")));
  EXPECT_EQ(elf.source_line(*elf.lookup("release")),
            "prog.c:" + std::to_string(line_of("prog.c", "/* release: fence */")));
  // Every instruction of acquire maps into prog.c, within the function.
  const Symbol* acquire = find_symbol(elf, "acquire");
  const int first = line_of("prog.c", "void acquire("), last = line_of("prog.c", "__sync_synchronize();") + 1;
  for (uint32_t a = acquire->addr; a < acquire->addr + acquire->size; a += 2) {
    auto where = elf.source_line(a);
    ASSERT_TRUE(where) << std::hex << a;
    ASSERT_EQ(where->rfind("prog.c:", 0), 0u) << *where;
    int line = std::stoi(where->substr(7));
    EXPECT_GE(line, first);
    EXPECT_LE(line, last);
  }
  EXPECT_FALSE(elf.source_line(0x80f0'0000));
  EXPECT_FALSE(elf.source_line(0));
}

TEST(ElfLoad, NoDebugInfoMeansNoSourceLines) {
  ElfImage elf = load(program("prog_nodebug.elf"));
  EXPECT_FALSE(elf.source_line(elf.entry()));
  EXPECT_FALSE(elf.source_line(*elf.lookup("acquire")));
  EXPECT_EQ(elf.describe(*elf.lookup("acquire") + 8), "acquire+0x8");
}

TEST(ElfLoad, StrippedProgramHasNoSymbols) {
  TempDir dir;
  // Drop the section headers' symbol table by renaming its type to NULL.
  std::vector<char> b = read_bytes(program("prog_nodebug.elf"));
  uint32_t shoff, shnum16 = 0;
  std::memcpy(&shoff, &b[32], 4);
  std::memcpy(&shnum16, &b[48], 2);
  for (uint32_t i = 0; i < shnum16; ++i) {
    uint32_t type;
    std::memcpy(&type, &b[shoff + i * 40 + 4], 4);
    if (type == 2 /* SHT_SYMTAB */) {
      uint32_t null_type = 0;
      std::memcpy(&b[shoff + i * 40 + 4], &null_type, 4);
    }
  }
  write_bytes(dir / "stripped.elf", b);
  ElfImage elf = load(dir / "stripped.elf");
  EXPECT_TRUE(elf.symbols().empty());
  EXPECT_EQ(elf.describe(elf.entry()), "0x80000000");
  EXPECT_FALSE(elf.lookup("_start"));
}

// --- bad inputs: one line naming the file, the right exit code -------------

// Loads `path`, which must fail with `code`; returns the message after "path: ".
std::string refusal(const std::string& path, ExitCode code, uint32_t ram_bytes = kRamBytes) {
  Error e = catch_error([&] { load(path, ram_bytes); });
  EXPECT_EQ(e.code(), code) << e.what();
  const std::string what = e.what();
  EXPECT_EQ(what.find('\n'), std::string::npos) << what;
  EXPECT_EQ(e.place().file, path);
  EXPECT_EQ(what.rfind(path + ": ", 0), 0u) << what;
  return e.message();
}

// A copy of prog.elf in `dir` with `patch` applied to its bytes.
std::string patched(const TempDir& dir, const std::string& name, void (*patch)(std::vector<char>&)) {
  std::vector<char> b = read_bytes(program("prog.elf"));
  patch(b);
  write_bytes(dir / name, b);
  return dir / name;
}

TEST(ElfRefuses, MissingFile) {
  TempDir dir;
  EXPECT_EQ(refusal(dir / "missing.elf", ExitCode::no_input), "no such file");
}

TEST(ElfRefuses, Directory) {
  TempDir dir;
  EXPECT_EQ(refusal(dir.path().string(), ExitCode::no_input), "is a directory, not an ELF file");
}

TEST(ElfRefuses, TextFile) {
  TempDir dir;
  EXPECT_EQ(refusal(dir.write("notes.txt", "#!/bin/sh\necho hello\n"), ExitCode::bad_input), "not an ELF file");
  EXPECT_EQ(refusal(dir.write("tiny", "\x7f"), ExitCode::bad_input), "not an ELF file");
  EXPECT_EQ(refusal(dir.write("empty.elf", ""), ExitCode::bad_input), "is empty, not an ELF file");
}

TEST(ElfRefuses, Elf64) {
  EXPECT_EQ(refusal(program("prog64.elf"), ExitCode::bad_input), "is a 64-bit ELF; spinlab runs RV32 programs");
}

TEST(ElfRefuses, HostProgram) {
  TempDir dir;
  std::string host = dir / "true";
  std::filesystem::copy_file("/bin/true", host);
  std::string msg = refusal(host, ExitCode::bad_input);
  EXPECT_EQ(msg.rfind("is not a RISC-V program (e_machine ", 0), 0u) << msg;
}

TEST(ElfRefuses, NotRiscV) {
  TempDir dir;
  std::string arm = patched(dir, "arm.elf", [](std::vector<char>& b) { b[18] = 40, b[19] = 0; });
  Error e = catch_error([&] { load(arm); });
  EXPECT_STREQ(e.what(), (arm + ": is not a RISC-V program (e_machine 40: ARM); spinlab runs RV32 "
                                "RISC-V programs")
                             .c_str());
  EXPECT_EQ(refusal(patched(dir, "odd.elf", [](std::vector<char>& b) { b[18] = 0x34, b[19] = 0x12; }),
                    ExitCode::bad_input),
            "is not a RISC-V program (e_machine 4660); spinlab runs RV32 RISC-V programs");
}

TEST(ElfRefuses, BigEndian) {
  TempDir dir;
  std::string be = patched(dir, "be.elf", [](std::vector<char>& b) { b[5] = 2; /* ELFDATA2MSB */ });
  EXPECT_EQ(refusal(be, ExitCode::bad_input), "is a big-endian ELF; spinlab runs little-endian RV32 programs");
}

TEST(ElfRefuses, ObjectFile) {
  EXPECT_EQ(refusal(program("prog.o"), ExitCode::bad_input),
            "is a relocatable object file (ET_REL), not an executable; link it first");
}

TEST(ElfRefuses, SharedObject) {
  TempDir dir;
  EXPECT_EQ(refusal(patched(dir, "dyn.elf", [](std::vector<char>& b) { b[16] = 3; /* ET_DYN */ }),
                    ExitCode::bad_input),
            "is a shared object or position-independent executable (ET_DYN); link a static executable (ET_EXEC)");
}

TEST(ElfRefuses, NoProgramHeaders) {
  TempDir dir;
  EXPECT_EQ(refusal(patched(dir, "noph.elf", [](std::vector<char>& b) { b[44] = 0, b[45] = 0; /* e_phnum */ }),
                    ExitCode::bad_input),
            "has no program headers: nothing to load");
}

TEST(ElfRefuses, SegmentOutsideRam) {
  std::string msg = refusal(program("prog_low.elf"), ExitCode::bad_input);
  EXPECT_EQ(msg.rfind("segment [0x00001000, 0x0000", 0), 0u) << msg;
  EXPECT_NE(msg.find(") is outside RAM [0x80000000, 0x81000000); link the program at 0x80000000"), std::string::npos)
      << msg;
}

TEST(ElfRefuses, SegmentLargerThanRam) {
  // prog.elf needs more than 8 KiB (its stack alone is 8 KiB).
  std::string msg = refusal(program("prog.elf"), ExitCode::bad_input, 8192);
  EXPECT_EQ(msg.rfind("segment [0x80000000, 0x8000", 0), 0u) << msg;
  EXPECT_NE(msg.find(") is outside RAM [0x80000000, 0x80002000); give the machine more machine.ram_bytes"),
            std::string::npos)
      << msg;
}

TEST(ElfRefuses, HeadersMappedBelowRam) {
  // Linked with -Ttext alone, ld maps the ELF headers a page below .text.
  std::string msg = refusal(program("prog_headers.elf"), ExitCode::bad_input);
  EXPECT_EQ(msg.rfind("segment [0x7ffff000, ", 0), 0u) << msg;
  EXPECT_NE(msg.find("it holds the ELF headers: link with -Wl,--nmagic or a linker script"), std::string::npos) << msg;
}

// Program header `index` of a raw ELF32: sets the 32-bit field at `field`
// (4: p_offset, 8: p_vaddr, 12: p_paddr, 16: p_filesz, 20: p_memsz).
void set_ph(std::vector<char>& b, uint32_t index, uint32_t field, uint32_t value) {
  uint32_t phoff;
  std::memcpy(&phoff, &b[28], 4);
  std::memcpy(&b[phoff + 32 * index + field], &value, 4);
}
uint32_t get_ph(const std::vector<char>& b, uint32_t index, uint32_t field) {
  uint32_t phoff, value;
  std::memcpy(&phoff, &b[28], 4);
  std::memcpy(&value, &b[phoff + 32 * index + field], 4);
  return value;
}
// prog.elf: program header 0 is .riscv.attributes, 1 the PT_LOAD.
constexpr uint32_t kLoadPh = 1;
// Makes program header 0 a second PT_LOAD (its file bytes: the attributes).
void second_load(std::vector<char>& b, uint32_t vaddr, uint32_t paddr, uint32_t filesz, uint32_t memsz) {
  set_ph(b, 0, 0, 1);  // PT_LOAD
  set_ph(b, 0, 8, vaddr);
  set_ph(b, 0, 12, paddr);
  set_ph(b, 0, 16, filesz);
  set_ph(b, 0, 20, memsz);
}

TEST(ElfLoad, SegmentsLoadAtTheirPhysicalAddress) {
  // Runs in RAM, loads 1 MiB further up: paddr is where the bytes go, as in
  // QEMU; the entry moves with the code segment that holds it.
  TempDir dir;
  std::string path = patched(dir, "lma.elf", [](std::vector<char>& b) { set_ph(b, kLoadPh, 12, 0x80100000); });
  ElfImage elf = load(path);
  ASSERT_EQ(elf.segments().size(), 1u);
  EXPECT_EQ(elf.segments()[0].vaddr, kRamBase);
  EXPECT_EQ(elf.segments()[0].paddr, 0x80100000u);
  EXPECT_EQ(elf.entry(), 0x80100000u);
  EXPECT_EQ(elf.lookup("_start"), kRamBase);  // symbols stay where the program runs
  // An initial value the program reads at kRamBase + 8 is loaded 1 MiB up.
  EXPECT_EQ(elf.load_address(kRamBase + 8), 0x80100008u);
  // Past the file bytes (.bss), or outside the segment, nothing moves.
  const uint32_t bss = kRamBase + static_cast<uint32_t>(elf.segments()[0].data.size());
  EXPECT_EQ(elf.load_address(bss), bss);
  EXPECT_EQ(elf.load_address(0x10), 0x10u);
}

TEST(ElfLoad, InitialWordIsWhatTheProgramSeesBeforeItRuns) {
  // A firmware param's default (spinlab list): the segment's file bytes,
  // little-endian, read where the program sees them (vaddr), even when they
  // are loaded elsewhere; zero past the file bytes; nothing outside.
  TempDir dir;
  std::string path = patched(dir, "lma.elf", [](std::vector<char>& b) { set_ph(b, kLoadPh, 12, 0x80100000); });
  ElfImage elf = load(path);
  const Segment& seg = elf.segments()[0];
  ASSERT_GE(seg.data.size(), 12u);
  uint32_t want = 0;
  std::memcpy(&want, &seg.data[8], 4);
  EXPECT_EQ(elf.initial_word(kRamBase + 8), want);
  if (seg.memsz >= seg.data.size() + 4) {
    EXPECT_EQ(elf.initial_word(kRamBase + static_cast<uint32_t>(seg.data.size())), 0u);
  }
  EXPECT_EQ(elf.initial_word(kRamBase + seg.memsz - 2), std::nullopt);  // runs off the end
  EXPECT_EQ(elf.initial_word(0x10), std::nullopt);
}

TEST(ElfRefuses, EntryLeftBehindByADataSegment) {
  // Not executable, the segment moves and the entry does not (QEMU's rule):
  // nothing is loaded where the harts would start.
  TempDir dir;
  std::string path = patched(dir, "data.elf", [](std::vector<char>& b) {
    set_ph(b, kLoadPh, 12, 0x80100000);
    set_ph(b, kLoadPh, 24, 6);  // p_flags = R|W
  });
  EXPECT_EQ(refusal(path, ExitCode::bad_input), "entry point 0x80000000 is not in any loadable segment");
}

TEST(ElfLoad, VaddrOutsideRamPaddrInside) {
  // QEMU loads by paddr alone: so does spinlab.
  TempDir dir;
  std::string path = patched(dir, "low.elf", [](std::vector<char>& b) { set_ph(b, kLoadPh, 8, 0x1000); });
  ElfImage elf = load(path);
  EXPECT_EQ(elf.segments()[0].vaddr, 0x1000u);
  EXPECT_EQ(elf.segments()[0].paddr, kRamBase);
}

TEST(ElfRefuses, PaddrOutsideRamVaddrInside) {
  TempDir dir;
  std::string path = patched(dir, "rom.elf", [](std::vector<char>& b) { set_ph(b, kLoadPh, 12, 0x20000000); });
  std::string msg = refusal(path, ExitCode::bad_input);
  EXPECT_EQ(msg.rfind("segment [0x80000000, 0x8000", 0), 0u) << msg;
  EXPECT_NE(msg.find(" (loaded at [0x20000000, 0x2000"), std::string::npos) << msg;
  EXPECT_NE(msg.find("is outside RAM [0x80000000, 0x81000000); its load address (AT in the linker script) must be "
                     "in RAM too"),
            std::string::npos)
      << msg;
}

TEST(ElfRefuses, SegmentsLoadedOverEachOther) {
  // The attributes header made a second PT_LOAD whose file bytes land 16
  // bytes into the first one's: both named by index and memory, at the
  // later header.
  TempDir dir;
  std::string path = patched(dir, "overlap.elf", [](std::vector<char>& b) {
    second_load(b, 0x80000010, 0x80000010, get_ph(b, 0, 16), get_ph(b, 0, 16));
  });
  Error e = catch_error([&] { load(path); });
  EXPECT_EQ(e.code(), ExitCode::bad_input);
  EXPECT_EQ(e.place().offset, 0x34 + 32);
  EXPECT_EQ(e.message().rfind("segment 0's file bytes [0x80000010, 0x80000058) and segment 1's file bytes "
                              "[0x80000000, 0x800000a0) overlap; each PT_LOAD segment needs memory of its own",
                              0),
            0u)
      << e.message();
}

TEST(ElfRefuses, FileBytesOverABssWhereItRuns) {
  // A .bss (no file bytes) that runs where it loads, over the code: the
  // program would zero its own code, or its code would be its data.
  TempDir dir;
  std::string path =
      patched(dir, "bss.elf", [](std::vector<char>& b) { second_load(b, 0x80000010, 0x80000010, 0, 0x100); });
  EXPECT_EQ(refusal(path, ExitCode::bad_input)
                .rfind("segment 0's zero fill (.bss) [0x80000010, 0x80000110) and "
                       "segment 1's file bytes [0x80000000, 0x800000a0) overlap",
                       0),
            0u);
}

TEST(ElfLoad, ZeroFillMayOverlapAnotherSegment) {
  // A segment with no file bytes whose load address is apart from where it
  // runs (a NOLOAD .bss that ld gave a load address in rom) over the code:
  // that zero fill is never used, and the code stays whole.
  TempDir dir;
  std::string path = patched(dir, "bss.elf", [](std::vector<char>& b) { second_load(b, 0x80100000, 0x80000010, 0, 0x100); });
  ElfImage elf = load(path);
  EXPECT_EQ(elf.segments().size(), 2u);
}

TEST(ElfRefuses, FileBytesWithNoMemory) {
  // p_memsz 0 with file bytes: skipping the segment as empty would drop them.
  TempDir dir;
  std::string path = patched(dir, "nomem.elf", [](std::vector<char>& b) { set_ph(b, kLoadPh, 20, 0); });
  EXPECT_EQ(refusal(path, ExitCode::bad_input).rfind("segment [0x80000000, 0x80000000) has more file bytes (0x", 0),
            0u);
}

TEST(ElfRefuses, TruncatedInHalf) {
  TempDir dir;
  std::vector<char> b = read_bytes(program("prog.elf"));
  b.resize(b.size() / 2);
  write_bytes(dir / "half.elf", b);
  std::string msg = refusal(dir / "half.elf", ExitCode::bad_input);
  EXPECT_EQ(msg.rfind("is truncated: its section headers end at 0x", 0), 0u) << msg;
}

TEST(ElfRefuses, TruncatedAfterTheHeader) {
  TempDir dir;
  std::vector<char> b = read_bytes(program("prog.elf"));
  b.resize(52);  // sizeof(Elf32_Ehdr)
  write_bytes(dir / "header.elf", b);
  Error e = catch_error([&] { load(dir / "header.elf"); });
  EXPECT_EQ(e.place().offset, 0x34);
  EXPECT_EQ(e.message(), "is truncated: its program headers end at 0x74 but the file is 0x34 bytes");
}

TEST(ElfRefuses, TruncatedInsideTheHeader) {
  TempDir dir;
  std::vector<char> b = read_bytes(program("prog.elf"));
  b.resize(40);
  write_bytes(dir / "cut.elf", b);
  EXPECT_EQ(refusal(dir / "cut.elf", ExitCode::bad_input),
            "is truncated: 40 bytes, shorter than the 52-byte ELF header");
}

TEST(ElfRefuses, SegmentDataBeyondTheFile) {
  TempDir dir;
  // p_filesz of the PT_LOAD (program header 1, at 52 + 32) made huge.
  std::string path = patched(dir, "seg.elf", [](std::vector<char>& b) {
    uint32_t phoff;
    std::memcpy(&phoff, &b[28], 4);
    for (uint32_t i = 0; i < 2; ++i) {
      uint32_t type;
      std::memcpy(&type, &b[phoff + 32 * i], 4);
      if (type == 1 /* PT_LOAD */) {
        uint32_t big = 0x100000;
        std::memcpy(&b[phoff + 32 * i + 16], &big, 4);  // p_filesz
        std::memcpy(&b[phoff + 32 * i + 20], &big, 4);  // p_memsz
      }
    }
  });
  std::string msg = refusal(path, ExitCode::bad_input);
  EXPECT_EQ(msg.rfind("is truncated: segment [0x80000000, 0x80100000) needs file bytes up to 0x", 0), 0u) << msg;
}

TEST(ElfRefuses, SectionHeadersBeyondTheFile) {
  TempDir dir;
  std::string path = patched(dir, "sh.elf", [](std::vector<char>& b) {
    uint32_t far = 0x7fff0000;
    std::memcpy(&b[32], &far, 4);  // e_shoff
  });
  Error e = catch_error([&] { load(path); });
  EXPECT_EQ(e.place().offset, 0x7fff0000);
  EXPECT_EQ(e.message().rfind("is truncated: its section headers end at 0x7fff", 0), 0u) << e.what();
}

TEST(ElfRefuses, EntryOutsideTheProgram) {
  TempDir dir;
  std::string path = patched(dir, "entry.elf", [](std::vector<char>& b) {
    uint32_t entry = 0x80800000;
    std::memcpy(&b[24], &entry, 4);
  });
  EXPECT_EQ(refusal(path, ExitCode::bad_input), "entry point 0x80800000 is not in any loadable segment");
}

// Every prefix of a good program is refused cleanly (or, whole, loads): no
// crash, one line naming the file. The sanitizer build makes this strict.
TEST(ElfRefuses, EveryTruncationIsReportedCleanly) {
  TempDir dir;
  const std::vector<char> whole = read_bytes(program("prog.elf"));
  const std::string path = dir / "cut.elf";
  for (size_t n = 0; n < whole.size(); n += (n < 256 ? 1 : 29)) {
    write_bytes(path, std::vector<char>(whole.begin(), whole.begin() + int64_t(n)));
    try {
      load(path);
      ADD_FAILURE() << "a " << n << "-byte prefix loaded";
    } catch (const Error& e) {
      ASSERT_EQ(e.code(), ExitCode::bad_input) << e.what();
      ASSERT_EQ(std::string(e.what()).rfind(path + ": ", 0), 0u) << e.what();
      ASSERT_EQ(std::string(e.what()).find('\n'), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace spinlab
