#include "sim/out/expect.h"

#include <algorithm>
#include <string_view>

#include <fmt/format.h>

#include "sim/load/config.h"
#include "sim/load/error.h"
#include "sim/cli/suggest.h"
#include "sim/monitor/monitor.h"

namespace spinlab {

namespace {

// The firmware ended the run itself (not a limit, a sleep or the monitor).
bool firmware_ended(const RunOutcome& o) {
  return o.reason == models::StopReason::finisher || o.reason == models::StopReason::tohost;
}

bool found(const RunOutcome& o, FindingKind kind) {
  return std::any_of(o.findings.begin(), o.findings.end(), [kind](const Finding& f) { return f.kind == kind; });
}

// How the run ended, in a few words, for the line of a failed --expect.
std::string ending(const RunOutcome& o) {
  switch (o.reason) {
    case models::StopReason::finisher:
    case models::StopReason::tohost: return fmt::format("the firmware exited {}", o.exit_code);
    case models::StopReason::cycle_limit: return "run.max_cycles was reached";
    case models::StopReason::asleep: return "every hart sleeps for good";
    case models::StopReason::deadlock: return "the monitor stopped the run";
    case models::StopReason::killed: return "the debugger killed the run";
    case models::StopReason::interrupted: return "a signal interrupted the run";
    case models::StopReason::running: break;
  }
  return "the run did not end";
}

}  // namespace

// The monitor's to_string() is the one list of the kinds (it names each
// kind and says "?" past the last).
std::vector<FindingKind> finding_kinds() {
  std::vector<FindingKind> kinds;
  for (unsigned k = 0; k < 256; ++k) {
    auto kind = static_cast<FindingKind>(k);
    if (std::string_view(to_string(kind)) == "?") break;
    kinds.push_back(kind);
  }
  return kinds;
}

std::vector<FindingKind> outcome_kinds(const std::string& outcome) {
  std::vector<FindingKind> kinds;
  for (FindingKind k : finding_kinds())
    if ((outcome == "deadlock" && is_deadlock(k)) || (outcome == "race" && k == FindingKind::mutual_exclusion) ||
        outcome == to_string(k))
      kinds.push_back(k);
  return kinds;
}

std::vector<std::string> expect_outcomes() {
  std::vector<std::string> out = {"deadlock", "clean", "race"};
  for (FindingKind k : finding_kinds()) out.emplace_back(to_string(k));
  return out;
}

std::string parse_expect(const std::string& outcome) {
  const std::vector<std::string> valid = expect_outcomes();
  if (std::find(valid.begin(), valid.end(), outcome) != valid.end()) return outcome;
  std::string list;
  for (const std::string& v : valid) list += (list.empty() ? "" : ", ") + v;
  throw Error(ExitCode::usage, {},
              fmt::format("--expect {}: unknown outcome; expected one of {}{}", outcome, list,
                          did_you_mean(nearest_names(outcome, valid))));
}

bool showed(const RunOutcome& o, const std::string& outcome) {
  if (outcome == "clean")
    // The firmware's own exit code, not the process's 8 bits of it: 256 is no success.
    return firmware_ended(o) && o.exit_code == 0 && o.findings.empty();
  const std::vector<FindingKind> kinds = outcome_kinds(outcome);
  return std::any_of(kinds.begin(), kinds.end(), [&](FindingKind k) { return found(o, k); });
}

std::vector<std::string> run_outcomes(const RunOutcome& o) {
  std::vector<std::string> out;
  for (const std::string& v : expect_outcomes())
    if (showed(o, v)) out.push_back(v);
  return out;
}

int grade_run(const RunOutcome& o, const std::string& expected, std::FILE* err) {
  if (showed(o, expected)) return 0;
  std::vector<std::string> got = run_outcomes(o);
  std::string shown;
  for (const std::string& g : got) shown += (shown.empty() ? "" : ", ") + g;
  if (shown.empty()) shown = o.findings.empty() ? "no finding" : "?";
  std::fflush(stdout);
  fmt::print(err, "spinlab: --expect {}: expected {}, got {} ({})\n", expected, expected, shown, ending(o));
  return 1;
}

}  // namespace spinlab
