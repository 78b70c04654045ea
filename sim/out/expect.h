// `--expect OUTCOME` on run and trace: grading a run by what it showed, for
// autograders and sweeps (docs/exit-codes.md, docs/grading.md). With it the
// process exits 0 when the run showed the outcome and 1 when it did not.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "sim/monitor/monitor.h"
#include "sim/out/run_result.h"

namespace spinlab {

// The outcomes --expect takes: "deadlock", "clean", "race", then every
// finding kind as the report spells it ("irq-deadlock", ...).
std::vector<std::string> expect_outcomes();

// Every finding kind, in declaration order.
std::vector<FindingKind> finding_kinds();

// The finding kinds an outcome other than "clean" stands for: "deadlock"
// the four deadlock kinds, "race" mutual-exclusion, a kind itself. Empty
// for "clean" and for a word that is no outcome. run.gdb_stop_on takes the
// same words.
std::vector<FindingKind> outcome_kinds(const std::string& outcome);

// Checks an --expect argument before the run; returns it. Throws
// spinlab::Error (usage) naming the valid outcomes, with the nearest as a
// suggestion.
std::string parse_expect(const std::string& outcome);

// Every outcome the run showed, in expect_outcomes() order: "clean" alone,
// or "deadlock" and "race" when they showed, then each finding kind found.
// Empty for a run that showed none (a cycle limit with no finding, a
// firmware exit code other than 0 with no finding).
std::vector<std::string> run_outcomes(const RunOutcome& o);

// Whether the run showed `outcome` (one of expect_outcomes()).
bool showed(const RunOutcome& o, const std::string& outcome);

// The process exit code under --expect: 0 when the run showed `expected`;
// else 1, after one line on `err` saying what was expected and what the
// run showed.
int grade_run(const RunOutcome& o, const std::string& expected, std::FILE* err);

}  // namespace spinlab
