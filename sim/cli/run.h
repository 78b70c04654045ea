// One run: build the machine a Config describes, load the ELF, run it, and
// say what happened (the steps: sim/cli/run.cpp's Run).
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "sim/load/config.h"
#include "sim/load/elf.h"
#include "sim/load/plugin.h"
#include "sim/load/firmware.h"  // load_firmware, load_segments, traced_words: what a run loads
#include "sim/out/narrate.h"
#include "sim/out/run_result.h"  // RunOutcome, exit_status
#include "sim/out/summary.h"     // print_summary, format_exceptions

namespace spinlab {

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

// Runs `elf` in a fresh machine built from cfg; the UART writes to `console`.
// With cfg.trace.vcd set, writes the VCD trace there (sim/out/vcd.h), with the
// words of cfg.trace.words; with cfg.trace.timeline set, the timeline there
// (sim/out/timeline.h; needs the monitor). Call once per SystemC kernel.
RunOutcome run_machine(const Config& cfg, const ElfImage& elf, std::FILE* console, const RunExtras& extras = {});

}  // namespace spinlab
