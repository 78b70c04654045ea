// One run: build the machine a Config describes, load the ELF, run it, and
// say what happened (the steps: sim/cli/run.cpp's Run).
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
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
  // --expect's outcome ("": none): under GDB, W reports the graded status.
  std::string expect;
  // What the narrative and the instruction trace show (--narrate=LOCK,...,
  // --harts, --cycles; sim/out/narrate.h).
  NarrateFilter filter;
};

// Runs `elf` in a fresh machine built from cfg; the UART writes to `console`.
// With cfg.trace.vcd set, writes the VCD trace there (sim/out/vcd.h), with the
// words of cfg.trace.words; with cfg.trace.timeline set, the timeline there
// (sim/out/timeline.h; needs the monitor). Call once per SystemC kernel.
RunOutcome run_machine(const Config& cfg, const ElfImage& elf, std::FILE* console, const RunExtras& extras = {});

class Run;  // sim/cli/run.cpp

// run_machine's steps around an sc_start someone else calls: libspinlab's
// Platform, an sc_module in a user's sc_main. The constructor builds the
// machine (an sc_module "machine", a child of the module being built, if
// any) and what watches it, during elaboration; the caller maps its devices
// on machine(), calls reset() once they are bound, and finish() after
// SystemC ran the machine to its end (the machine's thread calls sc_stop).
class StagedRun {
 public:
  StagedRun(const Config& cfg, const ElfImage& elf, std::FILE* console, const RunExtras& extras = {});
  ~StagedRun();
  StagedRun(const StagedRun&) = delete;
  StagedRun& operator=(const StagedRun&) = delete;

  models::Machine& machine();
  void reset();
  RunOutcome finish();

 private:
  const RunExtras extras_;  // the Run holds a reference
  std::unique_ptr<Run> run_;
  uint32_t entry_;
};

}  // namespace spinlab
