// A machine and run described by a TOML config file (or defaults for an ELF
// given directly). Every key is declared once in config.cpp with its default,
// unit, help text and check; docs/config.md is tested against that list.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace spinlab {

// Cycles the bus is held for one access to each target.
struct Latencies {
  uint32_t ram = 1;
  uint32_t uart = 2;
  uint32_t clint = 2;
  uint32_t plic = 2;
  uint32_t finisher = 1;
};

// Cycles an instruction of each class occupies the hart (loads, stores and
// AMOs add the bus wait and the target's latency on top).
struct Costs {
  uint32_t alu = 1;
  uint32_t mul = 3;
  uint32_t div = 33;
  uint32_t branch_taken = 2;  // a not-taken branch costs alu
  uint32_t jump = 2;
  uint32_t load = 1;
  uint32_t store = 1;
  uint32_t amo = 1;
  uint32_t csr = 1;
  uint32_t fence = 1;
  uint32_t system = 1;      // ecall, ebreak (the trap entry is charged on top)
  uint32_t trap_entry = 4;
  uint32_t mret = 3;
  uint32_t wfi = 1;
};

enum class Misaligned { trap, emulate };

struct MachineConfig {
  uint32_t harts = 1;
  uint64_t clock_hz = 100'000'000;
  uint32_t ram_bytes = 16u << 20;
  Misaligned misaligned = Misaligned::trap;
  Latencies latency;
  Costs cost;
};

struct RunConfig {
  uint64_t max_cycles = 1'000'000'000;
};

struct Config {
  std::string source;    // the config file, or the ELF when run directly
  std::string firmware;  // resolved path of the ELF to run
  MachineConfig machine;
  RunConfig run;
};

// "section.key=value" from --set. The value is parsed as TOML (so strings
// may be given bare: --set firmware.program=hello).
struct Override {
  std::string text;
};

// Reads a config file; errors (spinlab::Error) carry file:line:col.
Config load_config(const std::string& path, const std::vector<Override>& overrides);
// The default machine running `elf_path`, with overrides applied.
Config config_for_elf(const std::string& elf_path, const std::vector<Override>& overrides);

// Where bundled programs and scenario configs live.
std::string firmware_dir();
std::string config_dir();

}  // namespace spinlab
