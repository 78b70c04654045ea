// `--report FILE.json`: the outcome of a run for autograders and scripts.
// The schema is documented in docs/report.md; the monitor adds its findings.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/load/config.h"
#include "sim/load/elf.h"
#include "sim/load/error.h"
#include "sim/out/run_result.h"

namespace spinlab {

// The report of a finished run (stop, cycles, per-hart counters, the
// firmware's output in outcome.uart, the settings: cfg's keys that differ
// from the defaults and every key `overrides` set). With `expected` (an
// --expect outcome, sim/out/expect.h), whether the run showed it.
nlohmann::json make_report(const Config& cfg, const ElfImage& elf, const RunOutcome& outcome,
                           const std::vector<Override>& overrides = {}, const std::string& expected = "");

// Writes `report` to `path`, pretty-printed. Returns the Error (no_input)
// when the file cannot be written, whole, rather than throwing it: the
// callers keep the first of several output failures and go on writing.
std::optional<Error> write_report(const std::string& path, const nlohmann::json& report);

// The stop reason as the report names it: "finisher", "tohost", ...
const char* report_name(models::StopReason r);

}  // namespace spinlab
