// What a run ended with: why it stopped, the cycles, the per-hart and
// per-NIC counts, the monitor's findings and what was written. The run
// (sim/cli/run.h) fills it; the outputs (the summary, the JSON report,
// --explain, --expect) read it without knowing how a run is made.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "models/bus.h"
#include "models/machine.h"
#include "sim/load/error.h"
#include "sim/monitor/monitor.h"

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
  std::string vcd;         // the VCD trace written ("" = none)
  std::string timeline;    // the timeline written ("" = none; docs/timeline.md)
  nlohmann::json monitor;  // the monitor's findings and lock table (null: monitor off)
  uint64_t vcd_bytes = 0;
  std::vector<Finding> findings;             // the monitor's (empty: none, or monitor off)
  std::vector<LockStats> locks;              // the lock table: the words taken as locks
  std::vector<std::string> firmware_output;  // RunExtras::keep_output: the firmware's last lines
  std::string uart;  // RunExtras::keep_uart: everything the firmware printed (UART and HTIF console), in order
  // The first output (VCD, timeline, save file) that could not be written
  // whole; the others and the report are still written, then this ends the
  // command (exit 66).
  std::optional<Error> output_error;
  int signal = 0;  // StopReason::interrupted: the signal that asked (SIGINT, SIGTERM)
};

// The process exit code for an outcome (docs/exit-codes.md).
int exit_status(const RunOutcome& outcome);

}  // namespace spinlab
