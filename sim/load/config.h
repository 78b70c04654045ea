// A machine and run described by a TOML config file (or defaults for an ELF
// given directly). Every key is declared once in config.cpp with its default,
// unit, help text and check; docs/config.md is tested against that list.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "models/timing.h"
#include "sim/load/devices.h"
#include "sim/load/error.h"
#include "sim/monitor/monitor.h"
#include "sim/monitor/options.h"

namespace spinlab {

enum class Misaligned { trap, emulate };

// The harts' instruction set: with or without the C extension.
enum class Isa { rv32imac, rv32ima };

// Which harts run from cycle 0.
enum class StartMode {
  all,    // every hart starts at the ELF entry (QEMU virt with -bios none)
  hart0,  // hart 0 runs; the others wait until their msip is set (an IPI)
};

struct MachineConfig {
  uint32_t harts = 1;
  Isa isa = Isa::rv32imac;
  uint64_t clock_hz = 100'000'000;
  uint32_t ram_bytes = 16u << 20;
  Misaligned misaligned = Misaligned::trap;
  uint32_t pmp_granularity_bytes = 4;  // PMP granularity: a power of two >= 4
  StartMode start = StartMode::all;
  Arbitration arbitration = Arbitration::round_robin;
  uint32_t mtime_divider = 10;  // mtime ticks every mtime_divider cycles (10 MHz at 100 MHz, as QEMU virt)
  uint32_t plic_sources = 31;   // PLIC sources 1..plic_sources
  Latencies latency;
  Costs cost;
  std::vector<IrqSourceSpec> irq_sources;  // [[irq_source]] tables
  std::vector<NicSpec> nics;               // [[nic]] tables
};

struct TraceConfig {
  std::string vcd;                 // VCD file to write ("" = no trace); relative to the config file
  std::vector<std::string> words;  // RAM words to trace: ELF symbol names or addresses ("0x80001000")
  std::string timeline;            // Chrome trace event file to write ("" = none); relative to the config file
  std::string window;              // "FROM..TO": the cycles the VCD holds ("" = all of them; parse_cycle_window)
};

enum class OnDeadlock { stop, go_on };
enum class Switch { on, off };

struct RunConfig {
  uint64_t max_cycles = 1'000'000'000;
  Switch monitor = Switch::on;            // the lock monitor watches the run
  OnDeadlock on_deadlock = OnDeadlock::stop;
  bool narrate = false;                   // --narrate: every lock and interrupt event on the terminal
  bool quiet = false;                     // --quiet: the firmware's output only
  // Jump over cycles in which nothing happens. Only the command line turns
  // it off (--no-idle-skip), to check that skipping changes nothing.
  bool skip_idle = true;
  // The GDB stub (docs/debugging.md): "[HOST:]PORT" to wait for GDB on
  // before the first cycle (sim/gdb/connection.h parses it); "" = no GDB.
  std::string gdb;
  // The finding kinds that stop the run in GDB: deadlocks and races.
  // In declaration order (the config keeps them so).
  std::vector<FindingKind> gdb_stop_on = {FindingKind::irq_deadlock, FindingKind::recursive_deadlock,
                                          FindingKind::cross_cpu_deadlock, FindingKind::mutual_exclusion,
                                          FindingKind::thread_deadlock};
  // Cycles between the checkpoints reverse execution re-runs from; 0: no
  // reverse execution.
  uint64_t gdb_checkpoint = 1'000'000;
};

// A knob of a scenario a student may turn: a [firmware.params] name, with
// what it does. Its default is not here: `spinlab list` reads it from the
// config's [firmware.params] or, failing that, from the ELF, so the listing
// says what a run would use.
struct ScenarioParam {
  std::string name;  // a symbol of the program ("timer_phase")
  std::string help;  // one sentence
  // The values that make sense (1 for a switch that is 0 or 1): a value
  // set outside them is refused where it was set. The word's range by default.
  uint32_t min = 0;
  uint32_t max = UINT32_MAX;
};

// A teaching scenario's own keys.
struct ScenarioConfig {
  // Its lesson, relative to the documentation directory (docs_dir()):
  // "lessons/03-irq-deadlock.md"; "" for a config that is not a scenario.
  std::string lesson;
  std::string summary;                // one line for `spinlab list`
  std::vector<ScenarioParam> params;  // [[scenario.param]] tables
};

struct Config {
  std::string source;    // the config file, or the ELF when run directly
  std::string firmware;  // resolved path of the ELF to run
  // [firmware.params]: NAME = value writes the 32-bit value into the word at
  // ELF symbol NAME before the harts start (a scenario's knobs).
  std::map<std::string, int64_t> firmware_params;
  // Where each of them was set, for an error about it found with the ELF:
  // the config file's line and column, or the --set that set it last.
  std::map<std::string, Place> firmware_param_places;
  MachineConfig machine;
  RunConfig run;
  TraceConfig trace;
  MonitorOptions monitor;  // [monitor]: the lock monitor's thresholds
  ScenarioConfig scenario;
  std::vector<DeviceConfig> devices;  // [[device]] tables: plugged-in devices (docs/devices.md)
};

// "section.key=value" from --set. The value is parsed as TOML (so strings
// may be given bare: --set firmware.program=hello).
struct Override {
  Override(std::string text, std::string shown = {}) : text(std::move(text)), shown(std::move(shown)) {}
  std::string text;
  std::string shown;  // how the command line said it ("--max-cycles 5"), for messages; "": "--set " + text
};

// One config key as declared in config.cpp: the list --help prints and
// docs/config.md is tested against.
struct KeyInfo {
  std::string key;            // "machine.harts"; a key of each [[irq_source]]: "irq_source[].line"
  std::string type;           // "integer", "string", "array of strings" or "array of tables"
  std::string default_value;  // as TOML ("1", "\"trap\""); empty when required
  std::string unit;           // "cycles", "bytes", "Hz"; empty when none
  std::string accepts;        // what the check allows: "an integer from 1 to 64"
  std::string help;           // one sentence
  bool required = false;      // must be given in a config file (irq_source[].*: in each table)
};

// Every key, in declaration order.
const std::vector<KeyInfo>& config_keys();

// Reads a config file; errors (spinlab::Error) carry file:line:col.
Config load_config(const std::string& path, const std::vector<Override>& overrides);
// The default machine running `elf_path`, with overrides applied.
Config config_for_elf(const std::string& elf_path, const std::vector<Override>& overrides);

// A key's effective value, as TOML ("4", "\"trap\"", "[\"countlock\"]").
struct Setting {
  std::string key;
  std::string toml;
};

// The settings a run's report lists (docs/report.md), in declaration order:
// each key whose value in `cfg` differs from the default, and each key a
// --set in `overrides` names (a --set of a table, every key in it), even at
// its default. The scenario table describes the scenario, not the run, and
// comes only when a --set names it. A firmware param's default is the
// program's own value, `param_defaults[NAME]` (read from the ELF; a param
// missing there counts as changed).
std::vector<Setting> changed_settings(const Config& cfg, const std::vector<Override>& overrides,
                                      const std::map<std::string, uint32_t>& param_defaults);

// The key a --set names: "machine.harts" for "machine.harts = 4".
std::string override_key(const Override& o);

// Where bundled programs and scenario configs live.
std::string firmware_dir();
std::string config_dir();
// The bundled programs' names (firmware_dir()'s NAME.elf), sorted.
std::vector<std::string> bundled_programs();
// Where the documentation (the lessons) lives: SPINLAB_DOCS_DIR, or docs/ in
// the source tree.
std::string docs_dir();

}  // namespace spinlab
