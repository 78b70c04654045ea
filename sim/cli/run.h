// One run: build the machine a Config describes, load the ELF, run it, and
// say what happened.
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/bus.h"
#include "models/machine.h"
#include "sim/load/config.h"
#include "sim/load/elf.h"
#include "sim/load/plugin.h"
#include "sim/monitor/monitor.h"
#include "sim/out/narrate.h"

namespace spinlab {

struct HartSummary {
  uint64_t instret = 0;
  uint32_t pc = 0;
  models::BusStats bus;
  models::ExceptionStats exceptions;  // other than ecall
};

// A NIC's counters at the end of the run (models/nic.h).
struct NicSummary {
  std::string name;
  uint64_t arrived = 0;   // frames that arrived
  uint64_t received = 0;  // written into the ring
  uint64_t overruns = 0;  // dropped: the ring was full (or there was none)
};

struct RunOutcome {
  models::StopReason reason = models::StopReason::running;
  int exit_code = 0;  // the firmware's, when it ended the run
  uint64_t cycles = 0;
  std::vector<HartSummary> harts;
  std::vector<NicSummary> nics;
  std::string vcd;          // the VCD trace written ("" = none)
  std::string timeline;     // the timeline written ("" = none; docs/timeline.md)
  nlohmann::json monitor;   // the monitor's findings and lock table (null: monitor off)
  uint64_t vcd_bytes = 0;
  std::vector<Finding> findings;  // the monitor's (empty: none, or monitor off)
  std::vector<LockStats> locks;   // the lock table: the words taken as locks
  std::vector<std::string> firmware_output;  // RunExtras::keep_output: the firmware's last lines
  std::string uart;  // RunExtras::keep_uart: everything the firmware printed (UART and HTIF console), in order
};

// What a person at a terminal gets on top of a run (sim/out/terminal.h,
// docs/terminal.md). All off, the run's output is the same bytes as ever.
struct RunExtras {
  bool progress = false;     // a progress line on stderr (want_progress())
  bool color = false;        // the narrative and the findings in colour
  bool insn_trace = false;   // every step of every hart on the console (sim/out/insn_trace.h)
  bool keep_output = false;  // fill RunOutcome::firmware_output (--explain)
  bool keep_uart = false;    // fill RunOutcome::uart (--report)
  // What the narrative and the instruction trace show (--narrate=LOCK,...,
  // --harts, --cycles; sim/out/narrate.h).
  NarrateFilter filter;
  // Devices of the caller's own, mapped after the config's [[device]]s
  // (libspinlab's Platform::attach; sim/load/plugin.h).
  std::vector<OwnDevice> devices;
};

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

// Runs `elf` in a fresh machine built from cfg; the UART writes to `console`.
// With cfg.trace.vcd set, writes the VCD trace there (sim/out/vcd.h), with the
// words of cfg.trace.words; with cfg.trace.timeline set, the timeline there
// (sim/out/timeline.h; needs the monitor). Call once per SystemC kernel.
RunOutcome run_machine(const Config& cfg, const ElfImage& elf, std::FILE* console, const RunExtras& extras = {});

// cfg.trace.words as RAM word addresses, in order: symbols are looked up in
// `elf`. Throws spinlab::Error (bad_input) for an unknown symbol or an address
// outside RAM.
std::vector<uint32_t> traced_words(const Config& cfg, const ElfImage& elf);

// The ELF symbol closest to `name`, if one is close (for "did you mean").
std::optional<std::string> nearest_symbol(const ElfImage& elf, const std::string& name);

// The process exit code for an outcome (docs/exit-codes.md).
int exit_status(const RunOutcome& outcome);

// A hart's exceptions for the summary: "12 exceptions, first: illegal
// instruction at foo+0x8 (foo.c:12), mtval 0x00000000, cycle 1234"; empty
// when it took none.
std::string format_exceptions(const ElfImage& elf, const models::ExceptionStats& e);

// The end-of-run summary: why it stopped, cycles, exit code, per-hart counts
// and, for a hart that took exceptions (other than ecall), the first of them.
void print_summary(std::FILE* out, const Config& cfg, const ElfImage& elf, const RunOutcome& outcome);

}  // namespace spinlab
