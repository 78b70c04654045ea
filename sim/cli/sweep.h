// `spinlab sweep`: one run per value of a config key (or per pair of values
// of two keys), in parallel processes, and a table of what happened at each;
// with --plot, a picture of the cycles each run took (sim/cli/plot.h). Runs on
// other machines: sim/cli/sweep_dist.h (--emit-commands, --shard, --merge).
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace spinlab {

struct SweepParam {
  std::string key;  // "firmware.params.timer_phase"
  int64_t from = 0, to = 0, step = 1;
  // How many values FROM..TO:STEP has, without making them (a range of 4e9
  // values is refused by its count, not after building it). The range is
  // not empty: parse_sweep_param refuses that.
  uint64_t count() const;
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

// Fills `row` from a run's --report alone: the exit code `spinlab run` gave
// (from stop.reason and the firmware's exit code, not the process's status,
// which --expect changes), its outcome, cycles and finding kinds. A sweep
// and a --merge of its reports read each run this way, so they print the
// same table. False when `report` is not a run's report.
bool read_run_report(RunRow& row, const nlohmann::json& report);

// One child run: `spinlab` + args, with --report REPORT (a temporary file
// when empty, removed after it is read) and --quiet unless `quiet` is false.
struct ChildRun {
  std::vector<std::string> args;  // "run", TARGET, ...
  std::string report;
  bool quiet = true;
};

// The arguments a child gets after `self`: `args`, then --quiet, --report.
// --emit-commands prints the same list a sweep runs.
std::vector<std::string> child_argv(const ChildRun& run, const std::string& report);

// Runs `self` once per ChildRun, at most `jobs` at a time, and returns one
// row per run, in their order. `spinlab sweep` and `spinlab
// protection-table` run their runs with it.
std::vector<RunRow> run_children(const std::string& self, const std::vector<ChildRun>& runs, unsigned jobs);
std::vector<RunRow> run_children(const std::string& self, const std::vector<std::vector<std::string>>& runs,
                                 unsigned jobs);

// The files a run writes, which would collide if every run of a sweep wrote
// the same one: each run gets its own, named by the value (sweep_output_path).
struct SweepOutputs {
  std::string vcd;       // trace.vcd or --vcd ("" = none)
  std::string timeline;  // trace.timeline or --timeline ("" = none)
  std::string report;    // --report ("" = a temporary file per run)
};

// What `spinlab sweep` was asked to run.
struct SweepOptions {
  std::string target;
  std::vector<SweepParam> params;
  std::vector<std::string> extra_args;  // passed to every run: --set, --max-cycles, --narrate, --explain
  SweepOutputs outputs;
  std::string expect;  // --expect OUTCOME ("" = none): judged from each run's report
  size_t shard = 1, shards = 1;  // --shard I/N: this share of the runs
  bool quiet = true;   // false with --narrate or --explain: the one run prints what `run` would
};

// One row of a sweep's table.
struct SweepRow : RunRow {
  std::vector<int64_t> values;  // one per SweepParam, in --param order
  bool expect_met = true;       // with --expect: the run showed the outcome
};

// A sweep's table: what print_sweep_table and --csv print, from runs or
// from their reports (--merge).
struct SweepTable {
  std::string target;  // for the plot's title
  std::vector<SweepParam> params;
  std::string expect;  // "" = no --expect
  std::vector<SweepRow> rows;
};

// One run of a sweep: its values (one per param), its `spinlab run`
// arguments and its report ("" = none asked for).
struct SweepRun {
  std::vector<int64_t> values;
  ChildRun child;
};

// Every run of the sweep, all shards, in value order: the first param's
// values outermost. Throws spinlab::Error (usage) for no params, more than
// kMaxSweepParams, one key given twice, or more than 100000 runs.
std::vector<SweepRun> plan_sweep(const SweepOptions& options);

// The runs of shard I of N: every Nth, from the Ith (1-based), so that
// neighbouring values, which take alike times, spread over the shards.
std::vector<SweepRun> shard_runs(const std::vector<SweepRun>& runs, size_t shard, size_t shards);

// `path` for the run at `value` of `key`: "out/p.vcd" becomes
// "out/p.timer_phase-140.vcd" for firmware.params.timer_phase = 140 (the
// key's last part; the value as a decimal).
std::string sweep_output_path(const std::string& path, const std::string& key, int64_t value);

// Runs `spinlab run target --set key=value... -q --report R` for every run
// of the options' shard, at most `jobs` at a time, and returns the rows in
// value order.
SweepTable run_sweep(const std::string& self, const SweepOptions& options, unsigned jobs);
void check_sweep_params(const std::vector<SweepParam>& params);

// The row of one run, from what it gave: values, outcome, --expect.
SweepRow sweep_row(const std::vector<int64_t>& values, RunRow run, const std::string& expect);

void print_sweep_table(std::FILE* out, const SweepTable& table);
void print_sweep_csv(std::FILE* out, const SweepTable& table);

// The sweep's exit code: 0 when every run exited 0 (with --expect: showed
// the outcome expected), else 1 (docs/sweep.md, docs/exit-codes.md).
int sweep_exit_code(const SweepTable& table);

// Did the run whose report this is show `outcome`? Its report's `outcomes`
// (sim/out/expect.h: the rule of `spinlab run --expect`; docs/report.md).
bool report_shows(const nlohmann::json& report, const std::string& outcome);

}  // namespace spinlab
