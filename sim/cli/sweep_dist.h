// A sweep past one machine: its runs as shell commands for an engine that
// already spreads work (GNU parallel, a Slurm job array), one share of them
// (--shard I/N), and the table built back from the reports they wrote
// (--merge). docs/sweep.md.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "sim/cli/sweep.h"

namespace spinlab {

// Parses --shard "I/N" (1 <= I <= N). Throws spinlab::Error (usage).
void parse_shard(const std::string& text, size_t& shard, size_t& shards);

// `text` as one word for sh: unchanged when it holds only safe characters,
// else in single quotes.
std::string shell_quote(const std::string& text);

// How a command line names this spinlab: "spinlab" when that is what PATH
// finds (the same file), else `self`, its absolute path.
std::string command_name(const std::string& self);

// Prints one `spinlab run` line per run: the SPINLAB_* variables set in the
// environment first (a remote shell has not got them), then the command,
// each word shell-quoted, with --expect OUTCOME when `expect` is not empty
// (the line's exit code is then the verdict, for parallel's --joblog or a
// Slurm job's state).
void emit_sweep_commands(std::FILE* out, const std::string& self, const std::vector<SweepRun>& runs,
                         const std::string& expect);

// The sweep file: the untagged --report name (the runs write
// NAME.KEY-VALUE.json beside it). It lists the params, --expect and every
// run's values and report, relative to its own directory, so that the
// directory can be copied back from a cluster. Written (atomically: shards
// write the same file at once) before any run; its directory is made.
void write_sweep_file(const std::string& path, const SweepOptions& options, const std::vector<SweepRun>& runs);

// --merge PATH: the sweep file PATH, or the one sweep file in the directory
// PATH. Reads every run's report and returns the table the sweep itself
// would print; a run with no report (not run yet, or failed to start) is an
// "error: no report FILE" row. Throws spinlab::Error (no_input, bad_input).
SweepTable merge_sweep(const std::string& path);

}  // namespace spinlab
