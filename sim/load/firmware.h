// The firmware a config names: its ELF loaded and checked, the addresses
// of its params' words and of the words a trace follows, and its bytes put
// into a machine's RAM.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "models/machine.h"
#include "sim/load/config.h"
#include "sim/load/elf.h"

namespace spinlab {

// Loads cfg.firmware for cfg's machine; throws spinlab::Error for a bad ELF
// and for a firmware param it has no word for (firmware_param_address).
ElfImage load_firmware(const Config& cfg);

// The address of firmware param `name`'s word: its symbol in `elf`. Throws
// spinlab::Error (bad_input) when there is none, at the place that set it
// (the config's line, or the --set), with the nearest declared param (or
// data symbol) as a "did you mean".
uint32_t firmware_param_address(const Config& cfg, const ElfImage& elf, const std::string& name);

// Loads the ELF's segments into the machine's RAM at their load (physical)
// addresses; throws spinlab::Error (bad_input) when one does not fit.
void load_segments(models::Machine& machine, const ElfImage& elf);

// Writes each of cfg.firmware_params into its word in the machine's RAM;
// throws spinlab::Error (bad_input) at the place that set it when the word
// is not in RAM.
void load_params(models::Machine& machine, const Config& cfg, const ElfImage& elf);

// cfg.trace.words as RAM word addresses, in order: symbols are looked up in
// `elf`. Throws spinlab::Error (bad_input) for an unknown symbol or an address
// outside RAM.
std::vector<uint32_t> traced_words(const Config& cfg, const ElfImage& elf);

// The ELF symbol closest to `name`, if one is close (for "did you mean").
std::optional<std::string> nearest_symbol(const ElfImage& elf, const std::string& name);

}  // namespace spinlab
