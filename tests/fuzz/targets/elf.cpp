// The ELF loader (sim/load/elf.*) and `spinlab disasm` on arbitrary bytes.
// A file it cannot use is refused with a spinlab::Error carrying a message;
// one it loads is asked what a run and a listing ask of it (names of
// addresses, source lines, the initial words of params), and listed.
#include <cstdio>
#include <string>

#include "firmware/include/memmap.h"
#include "sim/cli/disasm.h"
#include "sim/load/elf.h"
#include "sim/load/error.h"
#include "tests/fuzz/targets.h"

namespace spinlab::fuzz {
namespace {

constexpr uint32_t kRamBytes = 16u << 20;  // the default machine's (machine.ram_bytes)

void check_error(const Error& e, const char* what) {
  if (e.message().empty()) fail(std::string(what) + " threw an Error without a message");
  if (e.code() != ExitCode::bad_input && e.code() != ExitCode::no_input)
    fail(std::string(what) + " threw an Error with exit code " + std::to_string(static_cast<int>(e.code())) + ": " +
         e.what());
}

void ask(const ElfImage& elf) {
  for (const Segment& s : elf.segments()) {
    for (uint32_t a : {s.vaddr, s.paddr, s.vaddr + s.memsz / 2, s.vaddr + s.memsz}) {
      elf.describe(a);
      elf.source_line(a);
      elf.initial_word(a);
      elf.load_address(a);
      elf.is_data(a, s.vaddr);
    }
  }
  for (const Symbol& s : elf.symbols()) {
    if (elf.lookup(s.name) == std::nullopt) fail("symbol " + s.name + " is listed but not found by name");
    elf.describe(s.addr + s.size / 2);
  }
  elf.describe(elf.entry());
  elf.source_line(elf.entry());
}

}  // namespace

void elf_one(const uint8_t* data, size_t size) {
  const std::string path = scratch_path("input.elf");
  write_file(path, data, size);
  try {
    ask(ElfImage::load(path, RAM_BASE, kRamBytes));
  } catch (const Error& e) {
    check_error(e, "ElfImage::load");
  }
  try {
    disassemble_elf(path, null_sink());
  } catch (const Error& e) {
    check_error(e, "disassemble_elf");
  }
}

}  // namespace spinlab::fuzz
