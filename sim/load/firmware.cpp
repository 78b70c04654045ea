#include "sim/load/firmware.h"

#include <cstddef>
#include <filesystem>

#include <elf.h>

#include <fmt/format.h>

#include "firmware/include/memmap.h"
#include "sim/cli/suggest.h"
#include "sim/load/error.h"

namespace spinlab {

namespace {

// The program's symbols a misspelt name may have meant: not the mapping
// symbols ($x, $d).
std::vector<std::string> symbol_names(const ElfImage& elf, bool data_only) {
  std::vector<std::string> names;
  for (const Symbol& s : elf.symbols())
    if (!s.name.empty() && s.name[0] != '$' && !(data_only && s.function)) names.push_back(s.name);
  return names;
}

// Where a firmware param was set, for an error about it: its line in the
// config file, the --set, or else the config (or ELF) as a whole.
Place param_place(const Config& cfg, const std::string& name) {
  auto it = cfg.firmware_param_places.find(name);
  return it != cfg.firmware_param_places.end() ? it->second : Place{cfg.source};
}

}  // namespace

std::optional<std::string> nearest_symbol(const ElfImage& elf, const std::string& name) {
  std::vector<std::string> near = nearest_names(name, symbol_names(elf, false), 1);
  if (near.empty()) return std::nullopt;
  return near.front();
}

std::vector<uint32_t> traced_words(const Config& cfg, const ElfImage& elf) {
  std::vector<uint32_t> addrs;
  for (const std::string& w : cfg.trace.words) {
    uint32_t addr = 0;
    if (w.size() > 2 && w[0] == '0' && (w[1] == 'x' || w[1] == 'X')) {
      addr = static_cast<uint32_t>(std::stoul(w.substr(2), nullptr, 16));  // checked by config.cpp
    } else if (std::optional<uint32_t> a = elf.lookup(w)) {
      addr = *a & ~3u;  // the word holding the symbol
    } else {
      std::string msg = fmt::format("trace.words: no symbol `{}`", w);
      if (cfg.source != elf.path()) msg += " in " + elf.path();
      msg += did_you_mean(nearest_names(w, symbol_names(elf, false)));
      throw Error(ExitCode::bad_input, {cfg.source}, msg);
    }
    if (addr - RAM_BASE >= cfg.machine.ram_bytes)
      throw Error(ExitCode::bad_input, {cfg.source},
                  fmt::format("trace.words: `{}` ({:#010x}) is not in RAM ({:#010x}..{:#010x})", w, addr, RAM_BASE,
                              RAM_BASE + cfg.machine.ram_bytes - 1));
    addrs.push_back(addr);
  }
  return addrs;
}

void load_segments(models::Machine& machine, const ElfImage& elf) {
  // At the load address, the bytes beyond the file's are zeroed, as QEMU
  // does; all zero fill first, so a zero fill that overlaps another
  // segment's file bytes (ElfImage::load allows it) leaves them whole.
  for (int pass = 0; pass < 2; ++pass)
    for (const Segment& s : elf.segments()) {
      const auto filesz = static_cast<uint32_t>(s.data.size());
      const bool ok = pass == 0 ? machine.load(s.paddr + filesz, nullptr, 0, s.memsz - filesz)
                                : machine.load(s.paddr, s.data.data(), filesz);
      if (!ok)
        throw Error(ExitCode::bad_input, {elf.path()}, fmt::format("segment at {:#x} does not fit in RAM", s.paddr));
    }
}

ElfImage load_firmware(const Config& cfg) {
  ElfImage elf = ElfImage::load(cfg.firmware, RAM_BASE, cfg.machine.ram_bytes);
  // Without C every instruction is 4 bytes at a 4-byte boundary (IALIGN=32).
  if (cfg.machine.isa == Isa::rv32ima && elf.entry() % 4 != 0)
    throw Error(ExitCode::bad_input, Place{cfg.firmware, 0, 0, offsetof(Elf32_Ehdr, e_entry)},
                fmt::format("entry point {:#010x} is not 4-byte aligned, and machine.isa = \"rv32ima\" has no "
                            "16-bit instructions; use machine.isa = \"rv32imac\"",
                            elf.entry()));
  for (const auto& entry : cfg.firmware_params) firmware_param_address(cfg, elf, entry.first);
  return elf;
}

uint32_t firmware_param_address(const Config& cfg, const ElfImage& elf, const std::string& name) {
  if (std::optional<uint32_t> addr = elf.lookup(name)) return *addr;
  std::string msg = fmt::format("firmware.params.{}: the program {} has no symbol `{}` to set", name,
                                std::filesystem::path(cfg.firmware).filename().string(), name);
  // The params the config declares come first: a scenario's knobs are what
  // a student turns; any other word of the program after them.
  std::vector<std::string> declared;
  for (const ScenarioParam& p : cfg.scenario.params) declared.push_back(p.name);
  for (const auto& entry : cfg.firmware_params)
    if (entry.first != name && elf.lookup(entry.first)) declared.push_back(entry.first);
  std::vector<std::string> guesses = nearest_names(name, declared);
  if (guesses.empty()) guesses = nearest_names(name, symbol_names(elf, true));
  if (!guesses.empty()) msg += did_you_mean(guesses);
  else if (!cfg.scenario.params.empty()) {
    msg += "; its params are ";
    for (size_t i = 0; i < cfg.scenario.params.size(); ++i)
      msg += (i ? ", `" : "`") + cfg.scenario.params[i].name + "`";
  }
  throw Error(ExitCode::bad_input, param_place(cfg, name), msg);
}

void load_params(models::Machine& machine, const Config& cfg, const ElfImage& elf) {
  for (const auto& [name, value] : cfg.firmware_params) {
    uint32_t word = static_cast<uint32_t>(value);
    // At its load address: start-up code that copies .data carries it along.
    if (!machine.load(elf.load_address(firmware_param_address(cfg, elf, name)), reinterpret_cast<const uint8_t*>(&word),
                      4))
      throw Error(ExitCode::bad_input, param_place(cfg, name),
                  fmt::format("firmware.params.{}: `{}` is not in RAM", name, name));
  }
}

}  // namespace spinlab
