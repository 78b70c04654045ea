#include "sim/cli/sweep.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "sim/load/config.h"
#include "sim/load/error.h"
#include "sim/monitor/monitor.h"

extern char** environ;

namespace spinlab {

namespace {

bool parse_int(const std::string& s, int64_t& v) {
  const char* first = s.data();
  const char* last = s.data() + s.size();
  int base = 10;
  bool negative = false;
  if (first != last && *first == '-') negative = true, ++first;
  if (last - first > 2 && first[0] == '0' && (first[1] == 'x' || first[1] == 'X')) base = 16, first += 2;
  uint64_t u = 0;
  auto [ptr, ec] = std::from_chars(first, last, u, base);
  if (ec != std::errc() || ptr != last || first == last || u > uint64_t(INT64_MAX)) return false;
  v = negative ? -int64_t(u) : int64_t(u);
  return true;
}

std::string outcome_of(int code) {
  switch (code) {
    case 0: return "ok";
    case int(ExitCode::cycle_limit): return "cycle limit";
    case int(ExitCode::asleep): return "asleep";
    case int(ExitCode::deadlock): return "deadlock";
    default: return fmt::format("exit {}", code);
  }
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Job {
  pid_t pid;
  size_t row;
  std::string report, output, errors;
};

}  // namespace

uint64_t SweepParam::count() const {
  // In unsigned arithmetic: to - from may not fit in int64_t.
  const uint64_t span = step > 0 ? uint64_t(to) - uint64_t(from) : uint64_t(from) - uint64_t(to);
  const uint64_t stride = step > 0 ? uint64_t(step) : uint64_t(0) - uint64_t(step);
  return span / stride + 1;
}

std::vector<int64_t> SweepParam::values() const {
  // Counted, not stepped until past TO: the last step could overflow.
  const uint64_t n = count();
  std::vector<int64_t> v;
  v.reserve(n);
  for (uint64_t i = 0; i < n; ++i) v.push_back(int64_t(uint64_t(from) + i * uint64_t(step)));
  return v;
}

SweepParam parse_sweep_param(const std::string& text) {
  auto bad = [&](const std::string& why) {
    return Error(ExitCode::usage, {}, fmt::format("--param {}: {} (expected KEY=FROM..TO:STEP, e.g. firmware.params.timer_phase=0..400:10)", text, why));
  };
  SweepParam p;
  size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0) throw bad("no KEY=");
  p.key = text.substr(0, eq);
  std::string range = text.substr(eq + 1);
  size_t dots = range.find("..");
  if (dots == std::string::npos) throw bad("no FROM..TO range");
  std::string to = range.substr(dots + 2), step = "1";
  if (size_t colon = to.find(':'); colon != std::string::npos) step = to.substr(colon + 1), to = to.substr(0, colon);
  if (!parse_int(range.substr(0, dots), p.from)) throw bad("FROM is not an integer");
  if (!parse_int(to, p.to)) throw bad("TO is not an integer");
  if (!parse_int(step, p.step) || p.step == 0) throw bad("STEP is not a non-zero integer");
  if ((p.step > 0 && p.from > p.to) || (p.step < 0 && p.from < p.to)) throw bad("the range is empty");
  if (p.count() > 100000) throw bad(fmt::format("{} values, more than 100000", p.count()));
  return p;
}

std::string sweep_output_path(const std::string& path, const std::string& key, int64_t value) {
  std::string name = key.substr(key.rfind('.') + 1);
  size_t slash = path.rfind('/');
  size_t dot = path.rfind('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash) || dot == slash + 1) dot = path.size();
  return fmt::format("{}.{}-{}{}", path.substr(0, dot), name, value, path.substr(dot));
}

void check_sweep_params(const std::vector<SweepParam>& params) {
  if (params.empty()) throw Error(ExitCode::usage, {}, "sweep: missing --param KEY=FROM..TO:STEP");
  if (params.size() > kMaxSweepParams)
    throw Error(ExitCode::usage, {}, fmt::format("sweep: {} --param given, at most {}", params.size(), kMaxSweepParams));
  size_t runs = 1;
  for (size_t i = 0; i < params.size(); ++i) {
    for (size_t j = 0; j < i; ++j)
      if (params[j].key == params[i].key)
        throw Error(ExitCode::usage, {}, fmt::format("sweep: --param {} given twice", params[i].key));
    runs *= params[i].count();
  }
  if (runs > 100000) throw Error(ExitCode::usage, {}, fmt::format("sweep: {} runs, more than 100000", runs));
}

std::vector<std::string> child_argv(const ChildRun& run, const std::string& report) {
  std::vector<std::string> args = run.args;
  if (run.quiet) args.push_back("--quiet");
  args.insert(args.end(), {"--report", report});
  return args;
}

bool read_run_report(RunRow& row, const nlohmann::json& report) {
  if (!report.is_object() || !report.contains("cycles") || !report.contains("stop") || !report["stop"].is_object())
    return false;
  const nlohmann::json& stop = report["stop"];
  const std::string reason = stop.value("reason", "");
  if (reason == "finisher" || reason == "tohost")
    row.exit_code = stop.contains("firmware_exit_code") && stop["firmware_exit_code"].is_number_integer()
                        ? int(stop["firmware_exit_code"].get<int64_t>() & 0xff)
                        : int(ExitCode::internal);
  else if (reason == "cycle_limit") row.exit_code = int(ExitCode::cycle_limit);
  else if (reason == "asleep") row.exit_code = int(ExitCode::asleep);
  else if (reason == "deadlock") row.exit_code = int(ExitCode::deadlock);
  else return false;
  row.outcome = outcome_of(row.exit_code);
  row.report = report;
  row.cycles = report["cycles"].get<uint64_t>();
  row.have_cycles = true;
  row.findings.clear();
  for (const nlohmann::json& f : report.value("findings", nlohmann::json::array())) {
    std::string kind = f.value("kind", "");
    if (!kind.empty() && std::find(row.findings.begin(), row.findings.end(), kind) == row.findings.end())
      row.findings.push_back(kind);
  }
  return true;
}

std::vector<RunRow> run_children(const std::string& self, const std::vector<std::vector<std::string>>& runs,
                                 unsigned jobs) {
  std::vector<ChildRun> children;
  for (const std::vector<std::string>& args : runs) children.push_back({args, "", true});
  return run_children(self, children, jobs);
}

std::vector<RunRow> run_children(const std::string& self, const std::vector<ChildRun>& runs, unsigned jobs) {
  std::vector<RunRow> rows(runs.size());
  char dir_template[] = "/tmp/spinlab-runs-XXXXXX";
  if (!mkdtemp(dir_template)) throw Error(ExitCode::internal, {}, "cannot make a temporary directory for the runs");
  const std::string dir = dir_template;

  std::map<pid_t, Job> running;
  size_t next = 0;
  auto start = [&](size_t i) {
    Job job{0, i, runs[i].report.empty() ? fmt::format("{}/{}.json", dir, i) : runs[i].report,
            fmt::format("{}/{}.out", dir, i), fmt::format("{}/{}.err", dir, i)};
    std::vector<std::string> args = {self};
    for (std::string& a : child_argv(runs[i], job.report)) args.push_back(std::move(a));
    // A report left by an earlier sweep must not pass for this run's.
    if (!runs[i].report.empty()) std::remove(job.report.c_str());
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, job.output.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, job.errors.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int rc = posix_spawn(&job.pid, self.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw Error(ExitCode::internal, {self}, fmt::format("cannot start a run: {}", std::strerror(rc)));
    running[job.pid] = job;
  };

  while (next < runs.size() || !running.empty()) {
    while (next < runs.size() && running.size() < std::max(1u, jobs)) start(next++);
    int status = 0;
    pid_t pid = waitpid(-1, &status, 0);
    if (pid < 0) {
      if (errno == EINTR) continue;
      break;
    }
    auto it = running.find(pid);
    if (it == running.end()) continue;
    Job job = it->second;
    running.erase(it);
    RunRow& row = rows[job.row];
    row.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    row.outcome = outcome_of(row.exit_code);
    row.output = read_file(job.output);
    if (!read_run_report(row, nlohmann::json::parse(read_file(job.report), nullptr, false))) {
      std::string err = read_file(job.errors);
      if (!err.empty() && err.back() == '\n') err.pop_back();
      row.outcome = "error: " + (err.empty() ? outcome_of(row.exit_code) : err);
    }
    for (const std::string& f : {job.output, job.errors}) std::remove(f.c_str());
    if (runs[job.row].report.empty()) std::remove(job.report.c_str());
  }
  rmdir(dir.c_str());
  return rows;
}

std::vector<SweepRun> plan_sweep(const SweepOptions& options) {
  const std::vector<SweepParam>& params = options.params;
  check_sweep_params(params);
  // Every combination, the first param's values outermost.
  std::vector<std::vector<int64_t>> combos = {{}};
  for (const SweepParam& p : params) {
    std::vector<std::vector<int64_t>> grown;
    for (const std::vector<int64_t>& c : combos)
      for (int64_t v : p.values()) {
        grown.push_back(c);
        grown.back().push_back(v);
      }
    combos = std::move(grown);
  }
  std::vector<SweepRun> runs;
  for (const std::vector<int64_t>& combo : combos) {
    SweepRun run;
    run.values = combo;
    std::vector<std::string>& args = run.child.args;
    args = {"run", options.target};
    SweepOutputs out = options.outputs;
    for (size_t k = 0; k < params.size(); ++k) {
      args.insert(args.end(), {"--set", fmt::format("{}={}", params[k].key, combo[k])});
      for (std::string* path : {&out.vcd, &out.timeline, &out.report})
        if (!path->empty()) *path = sweep_output_path(*path, params[k].key, combo[k]);
    }
    args.insert(args.end(), options.extra_args.begin(), options.extra_args.end());
    if (!out.vcd.empty()) args.insert(args.end(), {"--vcd", out.vcd});
    if (!out.timeline.empty()) args.insert(args.end(), {"--timeline", out.timeline});
    run.child.report = out.report;
    run.child.quiet = options.quiet;
    runs.push_back(std::move(run));
  }
  return runs;
}

std::vector<SweepRun> shard_runs(const std::vector<SweepRun>& runs, size_t shard, size_t shards) {
  std::vector<SweepRun> mine;
  for (size_t i = shard - 1; i < runs.size(); i += shards) mine.push_back(runs[i]);
  return mine;
}

SweepRow sweep_row(const std::vector<int64_t>& values, RunRow run, const std::string& expect) {
  SweepRow row;
  static_cast<RunRow&>(row) = std::move(run);
  row.values = values;
  row.expect_met = expect.empty() || (row.have_cycles && report_shows(row.report, expect));
  return row;
}

SweepTable run_sweep(const std::string& self, const SweepOptions& options, unsigned jobs) {
  std::vector<SweepRun> runs = shard_runs(plan_sweep(options), options.shard, options.shards);
  // The sweep judges --expect from each report, as --merge must: a child
  // run with --expect would exit 0 or 1, and the table wants the outcome.
  std::vector<ChildRun> children;
  for (const SweepRun& r : runs) children.push_back(r.child);
  std::vector<RunRow> results = run_children(self, children, jobs);
  SweepTable table{options.target, options.params, options.expect, {}};
  for (size_t i = 0; i < runs.size(); ++i) table.rows.push_back(sweep_row(runs[i].values, std::move(results[i]), options.expect));
  return table;
}

namespace {
std::string join_findings(const SweepRow& r, const char* sep) {
  std::string out;
  for (const std::string& k : r.findings) out += (out.empty() ? "" : sep) + k;
  return out;
}
}  // namespace

void print_sweep_table(std::FILE* out, const SweepTable& table) {
  const std::vector<SweepParam>& params = table.params;
  const bool expect = !table.expect.empty();
  std::vector<size_t> widths;
  for (const SweepParam& p : params) widths.push_back(std::max<size_t>(p.key.size(), 6));
  size_t outcome_width = 7;
  for (const SweepRow& r : table.rows) outcome_width = std::max(outcome_width, r.outcome.size());
  std::string head;
  for (size_t k = 0; k < params.size(); ++k) head += fmt::format("{:>{}}  ", params[k].key, widths[k]);
  fmt::print(out, "{}{:>12}  {:<{}}  {}{}\n", head, "cycles", "outcome", outcome_width,
             expect ? fmt::format("{:<7}  ", "expect") : "", "findings");
  std::map<std::string, size_t> tally;
  size_t met = 0;
  for (const SweepRow& r : table.rows) {
    std::string values;
    for (size_t k = 0; k < params.size(); ++k) values += fmt::format("{:>{}}  ", r.values[k], widths[k]);
    fmt::print(out, "{}{:>12}  {:<{}}  {}{}\n", values, r.have_cycles ? std::to_string(r.cycles) : "-",
               r.outcome, outcome_width, expect ? fmt::format("{:<7}  ", r.expect_met ? "met" : "not met") : "",
               r.findings.empty() ? "-" : join_findings(r, ", "));
    ++tally[r.outcome];
    met += r.expect_met;
  }
  std::string summary;
  for (const auto& [outcome, n] : tally) summary += fmt::format("{}{} {}", summary.empty() ? "" : ", ", n, outcome);
  fmt::print(out, "{} runs: {}\n", table.rows.size(), summary);
  if (expect) fmt::print(out, "--expect {}: {} met, {} not met\n", table.expect, met, table.rows.size() - met);
}

void print_sweep_csv(std::FILE* out, const SweepTable& table) {
  const bool expect = !table.expect.empty();
  std::string head;
  for (const SweepParam& p : table.params) head += p.key + ",";
  fmt::print(out, "{}exit_code,outcome,cycles,{}findings\n", head, expect ? "expect," : "");
  for (const SweepRow& r : table.rows) {
    std::string outcome = r.outcome;
    std::replace(outcome.begin(), outcome.end(), '"', '\'');
    std::string values;
    for (int64_t v : r.values) values += std::to_string(v) + ",";
    fmt::print(out, "{}{},\"{}\",{},{}{}\n", values, r.exit_code, outcome, r.have_cycles ? std::to_string(r.cycles) : "",
               expect ? (r.expect_met ? "met," : "not met,") : "", join_findings(r, " "));
  }
}

int sweep_exit_code(const SweepTable& table) {
  for (const SweepRow& r : table.rows)
    if (table.expect.empty() ? r.exit_code != 0 || !r.have_cycles : !r.expect_met) return 1;
  return 0;
}

// One rule for what a run showed: the run's own (sim/out/expect.cpp), as its
// report lists it in `outcomes`, so a sweep, a merge and `run --expect` agree.
bool report_shows(const nlohmann::json& report, const std::string& outcome) {
  const nlohmann::json outcomes = report.value("outcomes", nlohmann::json::array());
  return std::find(outcomes.begin(), outcomes.end(), outcome) != outcomes.end();
}

}  // namespace spinlab
