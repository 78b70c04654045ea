// What a command's TARGET names (`spinlab run`, `trace`, `disasm`, `sweep`):
// a config file, an ELF, or a bundled name. One resolution for every
// command, so a name that runs also disassembles (docs/loading.md).
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "sim/load/config.h"

namespace spinlab {

// The config TARGET names, with `overrides` applied:
// - a path ending in .toml: that config file;
// - an existing file: that ELF on the default machine;
// - a bare name (no `/`, no .elf): configs/NAME.toml, then the scenario NAME
//   (configs/scenarios/[NN-]NAME.toml), then the bundled program NAME.elf.
//   A bundled program that is a scenario's (its firmware.program) runs that
//   scenario's config, so the lesson's machine and params apply; one line
//   on `notes` (when not null) says so. Its path runs it on the default
//   machine.
// Throws spinlab::Error (no_input) for a name that is none of these, with
// the nearest bundled names as a "did you mean".
Config resolve_target(const std::string& target, const std::vector<Override>& overrides,
                      std::FILE* notes = stderr);

// Every bare name resolve_target takes, for suggestions: the configs, the
// scenarios, and the bundled programs that are no scenario's.
std::vector<std::string> bundled_names();

}  // namespace spinlab
