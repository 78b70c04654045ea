// `spinlab sweep`: one run per value of a config key (or per pair of values
// of two keys), in parallel processes, and a table of what happened at each;
// with --plot, a picture of the cycles each run took (sim/plot.h).
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace spinlab {

struct SweepParam {
  std::string key;  // "timer.phase_cycles"
  int64_t from = 0, to = 0, step = 1;
  std::vector<int64_t> values() const;
};

// Parses "KEY=FROM..TO:STEP" (":STEP" optional, default 1). Throws
// spinlab::Error (usage) with the reason.
SweepParam parse_sweep_param(const std::string& text);

// At most this many --param: the plot has two dimensions to give them (x, and
// one curve per value of the second).
constexpr size_t kMaxSweepParams = 2;

// What one `spinlab run` in a child process gave: its exit code, and what
// its --report says (the cycles, the monitor's finding kinds).
struct RunRow {
  int exit_code = 0;
  std::string outcome;  // "ok", "deadlock", "cycle limit", "asleep", "exit 3", "error: ..."
  uint64_t cycles = 0;
  bool have_cycles = false;
  std::vector<std::string> findings;  // the monitor's finding kinds, each once, in the order found
  std::string output;  // what it printed on stdout (the firmware's output, with --quiet)
  nlohmann::json report;  // its --report (null when it wrote none): the findings in full
};

struct SweepRow : RunRow {
  std::vector<int64_t> values;  // one per SweepParam, in --param order
};

// Runs `self` once per argument list (each `run TARGET ...`; --quiet and
// --report FILE are added), at most `jobs` at a time, and returns one row
// per list, in their order. `spinlab sweep` and `spinlab protection-table`
// run their runs with it.
std::vector<RunRow> run_children(const std::string& self, const std::vector<std::vector<std::string>>& runs,
                                 unsigned jobs);

// The files a run writes, which would collide if every run of a sweep wrote
// the same one: each run gets its own, named by the value (sweep_output_path).
struct SweepOutputs {
  std::string vcd;       // trace.vcd or --vcd ("" = none)
  std::string timeline;  // trace.timeline or --timeline ("" = none)
};

// `path` for the run at `value` of `key`: "out/p.vcd" becomes
// "out/p.timer_phase-140.vcd" for firmware.params.timer_phase = 140 (the
// key's last part; the value as a decimal).
std::string sweep_output_path(const std::string& path, const std::string& key, int64_t value);

// Runs `spinlab run target --set key=value... -q --report R` for every value
// of one param, or every pair of values of two, at most `jobs` at a time, and
// returns the rows in value order: the first param's values outermost.
// Throws spinlab::Error (usage) for no params, more than kMaxSweepParams, one
// key given twice, or more than 100000 runs.
std::vector<SweepRow> run_sweep(const std::string& self, const std::string& target,
                                const std::vector<SweepParam>& params, const std::vector<std::string>& extra_args,
                                unsigned jobs, const SweepOutputs& outputs = {});
void check_sweep_params(const std::vector<SweepParam>& params);

void print_sweep_table(std::FILE* out, const std::vector<SweepParam>& params, const std::vector<SweepRow>& rows);
void print_sweep_csv(std::FILE* out, const std::vector<SweepParam>& params, const std::vector<SweepRow>& rows);

}  // namespace spinlab
