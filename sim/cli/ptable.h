// `spinlab protection-table`: ULK's Table 5-6 ("Protection required by data
// structures accessed by kernel control paths") measured from runs of one
// program (firmware/scenarios/protection.c, configs/protection.toml): every
// combination of kernel control paths, under every protection, on 1 and 2
// harts; each cell names the weakest protection that lost no update and
// raised no finding, with the run of the next weaker one failing.
// docs/lessons/protection-table.md explains it.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/cli/sweep.h"

namespace spinlab {

// The parts a protection is made of; a pair of them is both.
enum ProtectionPart : unsigned {
  kSemaphore = 1,   // a sleeping lock
  kBhOff = 2,       // local softirq disabling
  kIrqOff = 4,      // local interrupt disabling
  kSpin = 8,        // a spin lock
};

// One protection, as the firmware's `protect` param numbers it. The table
// lists them weakest first (docs/lessons/protection-table.md says why
// that order).
struct Protection {
  int param;            // firmware.params.protect
  const char* name;     // "spin_lock_irqsave"
  unsigned parts;       // ProtectionPart bits
};
const std::vector<Protection>& protections();

// The book's words for a set of parts: "local interrupt disabling", "spin
// lock", "none" for no part.
std::string part_words(unsigned parts);

// The kernel control paths, as the firmware's `paths` bitmask.
enum PathBits : unsigned { kExceptions = 1, kInterrupts = 2, kDeferrable = 4 };

// A row of the table: the paths that share the data, and the book's answer.
struct PtableRow {
  unsigned paths;
  int deferred;             // 0: the deferrable function is a softirq; 1: a tasklet
  const char* name;         // "Exceptions + interrupts"
  unsigned book_up;         // parts
  unsigned book_mp;         // parts further needed on a multiprocessor
};
// The seven combinations, deferrable functions alone twice (softirq, tasklet).
const std::vector<PtableRow>& ptable_rows();

// One run of the matrix and what it showed.
struct PtableRun : RunRow {
  size_t row = 0;           // index in ptable_rows()
  size_t protection = 0;    // index in protections()
  int harts = 1;
  bool counted = false;     // the firmware printed its count line
  uint64_t expected = 0, actual = 0;
  std::vector<std::string> kernel_bugs;  // the kernel's own BUG lines ("scheduling while atomic")
  std::vector<std::string> judged;       // the finding kinds that judge the protection (finding_counts)
  std::vector<std::string> ignored;      // the others: about the kernel's own words only
  bool passed() const;      // nothing lost, no deadlock or hang, no finding, no BUG
  std::string failure() const;  // what went wrong, in a few words ("12 of 240 updates lost")
};

// The `spinlab run` argument list of one run ("run", "protection", "--set", ...).
std::vector<std::string> ptable_run_args(const PtableRow& row, const Protection& p, int harts,
                                         const std::vector<std::string>& extra_args);

// Runs the whole matrix through run_children (sweep's runner), `jobs` at a
// time. Throws spinlab::Error when a run could not run at all.
std::vector<PtableRun> run_protection_table(const std::string& self, const std::vector<std::string>& extra_args,
                                            unsigned jobs);

// Does a monitor finding judge the protection? Deadlocks and sleeping or
// switching where one must not always do; a warning about words (a lock
// order, a release, a lock held with interrupts on) only when every word it
// names is one of the program's own (countlock, countsem): the monitor may
// take a kernel word for a lock (a thread's flags, set by one hart and
// cleared by another), and that says nothing about the counter's protection.
bool finding_counts(const nlohmann::json& finding);

// Reads a run's count line, the kernel's BUG lines and its findings.
void read_ptable_output(PtableRun& run);

// The cell of one row on `harts` harts: the index of the weakest protection
// that passed (-1: none did).
int weakest_passing(const std::vector<PtableRun>& runs, size_t row, int harts);

void print_protection_table(std::FILE* out, const std::vector<PtableRun>& runs);
nlohmann::json protection_table_json(const std::vector<PtableRun>& runs);

}  // namespace spinlab
