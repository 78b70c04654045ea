// `spinlab run NAME --explain`: after the narrative and the summary, the
// lesson's rule and what this run showed, in plain words (docs/terminal.md).
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "sim/load/config.h"
#include "sim/out/run_result.h"

namespace spinlab {

// A lesson's "## The rule" (or "## The rules") section, up to the next
// heading, as plain text: the heading first, then the body with Markdown's
// ** and ` marks dropped and [text](link) shown as text. Throws
// spinlab::Error: no_input when the file cannot be read, bad_input when it
// has no such section.
std::string lesson_rule(const std::string& path);

// What the run showed, in sentences wrapped to `width` columns: each
// finding as a story, the locks' key numbers, how the run ended and the
// firmware's last line (`firmware_lines`: the lines it printed, oldest first).
std::string explain_outcome(const RunOutcome& o, const std::vector<std::string>& firmware_lines, size_t width = 78);

// The rule of cfg's lesson (cfg.scenario.lesson, under docs_dir()), or ""
// when cfg is not a scenario. Read before the run, so that a missing lesson
// is said at once, not after a long run. Throws as lesson_rule() does.
std::string scenario_rule(const Config& cfg);

// The whole explanation: the lesson and its `rule` (scenario_rule(cfg)), or
// that there is none, then explain_outcome().
void print_explanation(std::FILE* out, const Config& cfg, const std::string& rule, const RunOutcome& o, bool color);

}  // namespace spinlab
