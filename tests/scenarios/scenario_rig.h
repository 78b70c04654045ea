// What the scenario tests share: a scenario run the way a student runs it
// (`spinlab run NAME`), its output and report, and readers for both.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace scenario_rig {

using nlohmann::json;

struct Outcome {
  int exit_code = -1;
  std::string output;
  json report;
};

inline Outcome run(const std::string& name, const std::string& args = "") {
  // The process id keeps runs of two build trees at once apart.
  const std::string dir = ::testing::TempDir() + "/" + std::to_string(getpid());
  const std::string report = dir + "-scenario-" + name + ".json";
  const std::string out = dir + "-scenario-" + name + ".out";
  std::string cmd = std::string(SPINLAB_BINARY) + " run " + name + " -q --report " + report + " " + args + " >" + out +
                    " 2>&1";
  int status = std::system(cmd.c_str());
  Outcome o;
  o.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream in(out);
  std::stringstream ss;
  ss << in.rdbuf();
  o.output = ss.str();
  std::ifstream r(report);
  if (r) o.report = json::parse(r, nullptr, false);
  std::remove(report.c_str());
  std::remove(out.c_str());
  return o;
}

// What `spinlab run NAME ARGS` prints on stdout, as a student sees it.
inline std::string terminal(const std::string& name, const std::string& args = "") {
  std::string cmd = std::string(SPINLAB_BINARY) + " run " + name + " " + args;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return "";
  std::string text;
  char buf[4096];
  while (size_t n = fread(buf, 1, sizeof buf, p)) text.append(buf, n);
  pclose(p);
  return text;
}

inline bool starts_with(const std::string& s, const std::string& prefix) { return s.compare(0, prefix.size(), prefix) == 0; }

inline std::vector<json> findings_of(const Outcome& o, const std::string& kind) {
  std::vector<json> out;
  for (const json& f : o.report["findings"])
    if (f["kind"] == kind) out.push_back(f);
  return out;
}

inline bool has(const Outcome& o, const std::string& text) { return o.output.find(text) != std::string::npos; }

inline std::vector<std::string> kinds_of(const Outcome& o) {
  std::vector<std::string> out;
  for (const json& f : o.report["findings"]) out.push_back(f["kind"]);
  return out;
}

// The function a place was called from ("" when the report names none).
inline std::string caller_of(const json& site) { return site.value("caller", json::object()).value("symbol", ""); }

inline bool lesson_exists(const json& finding) {
  return std::ifstream(std::string(SPINLAB_SOURCE_DIR) + "/" + finding["lesson"].get<std::string>()).good();
}

// The number after `label` in the firmware's output, or -1.
inline long number_after(const Outcome& o, const std::string& label) {
  size_t at = o.output.find(label);
  if (at == std::string::npos) return -1;
  return std::strtol(o.output.c_str() + at + label.size(), nullptr, 10);
}

}  // namespace scenario_rig
