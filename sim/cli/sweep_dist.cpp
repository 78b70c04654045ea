#include "sim/cli/sweep_dist.h"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "sim/load/error.h"
#include "sim/load/files.h"

extern char** environ;

namespace spinlab {

namespace fs = std::filesystem;

namespace {

// The sweep file's first key: how --merge DIR tells it from the reports.
constexpr const char* kSweepFileKey = "spinlab_sweep";

bool parse_size(const std::string& s, size_t& v) {
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && ptr == s.data() + s.size() && !s.empty();
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string directory_of(const std::string& path) {
  fs::path dir = fs::path(path).parent_path();
  return dir.empty() ? "." : dir.string();
}

// A sweep file begins with its key; the first bytes tell, without parsing
// a thousand reports.
bool is_sweep_file(const fs::path& path) {
  std::ifstream in(path);
  char head[64] = {};
  in.read(head, sizeof head - 1);
  return std::strstr(head, (std::string("\"") + kSweepFileKey + "\"").c_str()) != nullptr;
}

std::string find_sweep_file(const std::string& dir) {
  std::vector<std::string> found;
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ec))
    if (e.is_regular_file() && e.path().extension() == ".json" && is_sweep_file(e.path())) found.push_back(e.path().string());
  if (ec) throw Error(ExitCode::no_input, {dir}, fmt::format("cannot read the directory: {}", ec.message()));
  std::sort(found.begin(), found.end());
  if (found.empty())
    throw Error(ExitCode::no_input, {dir},
                "no sweep file here (the --report FILE.json a sweep or --emit-commands wrote)");
  if (found.size() > 1)
    throw Error(ExitCode::usage, {dir},
                fmt::format("{} sweep files here ({}, ...): name the one to merge", found.size(), found[0]));
  return found[0];
}

}  // namespace

void parse_shard(const std::string& text, size_t& shard, size_t& shards) {
  size_t slash = text.find('/');
  if (slash == std::string::npos || !parse_size(text.substr(0, slash), shard) ||
      !parse_size(text.substr(slash + 1), shards) || shards == 0 || shard == 0 || shard > shards)
    throw Error(ExitCode::usage, {},
                fmt::format("--shard {}: expected I/N with 1 <= I <= N, e.g. --shard 2/8 (a Slurm array's "
                            "--array=1-8 gives I as $SLURM_ARRAY_TASK_ID)",
                            text));
}

std::string shell_quote(const std::string& text) {
  const bool safe = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::strchr("_@%+=:,./-", c);
  });
  if (safe) return text;
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string command_name(const std::string& self) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    fs::path candidate = fs::path(dir.empty() ? "." : dir) / "spinlab";
    if (::access(candidate.c_str(), X_OK) != 0) continue;
    // The first on PATH is the one a shell runs: it must be this one.
    std::error_code ec;
    return fs::equivalent(candidate, self, ec) ? "spinlab" : self;
  }
  return self;
}

void emit_sweep_commands(std::FILE* out, const std::string& self, const std::vector<SweepRun>& runs,
                         const std::string& expect) {
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e)
    if (std::strncmp(*e, "SPINLAB_", 8) == 0) {
      std::string var = *e;
      size_t eq = var.find('=');
      env.push_back(var.substr(0, eq + 1) + shell_quote(var.substr(eq + 1)));
    }
  std::sort(env.begin(), env.end());
  std::string prefix;
  for (const std::string& v : env) prefix += v + " ";
  prefix += shell_quote(command_name(self));
  for (const SweepRun& r : runs) {
    std::string line = prefix;
    for (const std::string& a : child_argv(r.child, r.child.report)) line += " " + shell_quote(a);
    if (!expect.empty()) line += " --expect " + shell_quote(expect);
    fmt::print(out, "{}\n", line);
  }
}

void write_sweep_file(const std::string& path, const SweepOptions& options, const std::vector<SweepRun>& runs) {
  nlohmann::ordered_json j;
  j[kSweepFileKey] = 1;
  j["target"] = options.target;
  nlohmann::ordered_json params = nlohmann::ordered_json::array();
  for (const SweepParam& p : options.params)
    params.push_back({{"key", p.key}, {"from", p.from}, {"to", p.to}, {"step", p.step}});
  j["params"] = params;
  j["expect"] = options.expect.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(options.expect);
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const SweepRun& r : runs)
    list.push_back({{"values", r.values}, {"report", fs::path(r.child.report).filename().string()}});
  j["runs"] = list;
  // The sweep's files go into a directory of their own; make it, as a
  // shell script would have to on every machine.
  std::error_code mkdir_error;
  fs::create_directories(directory_of(path), mkdir_error);
  require_writable(path, "report");
  // The rename below would put the file in the place of what is there: a
  // device (as root, /dev/full itself) or a FIFO is refused, not replaced.
  if (something_at(path))
    if (const std::string why = not_a_regular_file(path, "a sweep file"); !why.empty())
      throw Error(ExitCode::no_input, {path}, why);
  // Every shard of a Slurm array writes this same file at once: each writes
  // its own and renames it, so a reader never meets half of one.
  const std::string tmp = fmt::format("{}.{}.tmp", path, ::getpid());
  try {
    write_whole_file(tmp, j.dump(2) + "\n", "sweep file");
  } catch (const Error&) {
    std::remove(tmp.c_str());
    throw;
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) throw Error(ExitCode::no_input, {path}, fmt::format("cannot write the sweep file: {}", ec.message()));
}

SweepTable merge_sweep(const std::string& path) {
  std::error_code ec;
  const std::string file = fs::is_directory(path, ec) ? find_sweep_file(path) : path;
  require_regular_file(file, "a sweep file or a directory");  // /dev/null is no "no such file"
  nlohmann::json j = nlohmann::json::parse(slurp(file), nullptr, false);
  auto bad = [&](const std::string& why) {
    return Error(ExitCode::bad_input, {file}, fmt::format("not a sweep file: {}", why));
  };
  if (j.is_discarded() || !j.is_object() || !j.contains(kSweepFileKey)) throw bad(fmt::format("no \"{}\"", kSweepFileKey));
  SweepTable table;
  try {
    table.target = j.at("target").get<std::string>();
    for (const nlohmann::json& p : j.at("params")) {
      SweepParam param;
      param.key = p.at("key").get<std::string>();
      param.from = p.at("from").get<int64_t>();
      param.to = p.at("to").get<int64_t>();
      param.step = p.at("step").get<int64_t>();
      table.params.push_back(param);
    }
    if (j.at("expect").is_string()) table.expect = j["expect"].get<std::string>();
    const std::string dir = directory_of(file);
    for (const nlohmann::json& r : j.at("runs")) {
      std::vector<int64_t> values = r.at("values").get<std::vector<int64_t>>();
      if (values.size() != table.params.size()) throw bad("a run's values do not match the params");
      const std::string report = (fs::path(dir) / r.at("report").get<std::string>()).string();
      RunRow run;
      const std::string text = slurp(report);
      if (!read_run_report(run, nlohmann::json::parse(text, nullptr, false))) {
        run.exit_code = int(ExitCode::no_input);
        run.outcome = text.empty() ? fmt::format("error: no report {}", report)
                                   : fmt::format("error: {} is not a run's report", report);
      }
      table.rows.push_back(sweep_row(values, std::move(run), table.expect));
    }
  } catch (const nlohmann::json::exception& e) {
    throw bad(e.what());
  }
  return table;
}

}  // namespace spinlab
