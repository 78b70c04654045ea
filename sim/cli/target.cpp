#include "sim/cli/target.h"

#include <filesystem>
#include <map>

#include <fmt/format.h>

#include "sim/load/error.h"
#include "sim/load/files.h"
#include "sim/cli/scenarios.h"
#include "sim/cli/suggest.h"

namespace spinlab {

namespace fs = std::filesystem;

namespace {

bool is_file(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

bool has_suffix(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

std::vector<std::string> bundled_names() {
  std::vector<std::string> names;
  for (const std::string& file : scenario_files()) names.push_back(scenario_name(file));
  for (const std::string& file : config_files()) names.push_back(fs::path(file).stem().string());
  const std::map<std::string, std::string> owned = scenario_programs();
  for (const std::string& name : bundled_programs())
    if (!owned.count(name)) names.push_back(name);
  return names;
}

Config resolve_target(const std::string& target, const std::vector<Override>& overrides, std::FILE* notes) {
  if (has_suffix(target, ".toml")) return load_config(target, overrides);
  if (is_file(target)) return config_for_elf(target, overrides);
  // A path names a file, never a bundled name: say what is there instead.
  if (target.find('/') != std::string::npos) require_regular_file(target, "an ELF file or a config");
  // "hello.elf" where there is none: the bundled program is "hello". One
  // that is there but no file (a FIFO, a directory, a link to nothing) is
  // said to be what it is, as ./hello.elf would be.
  if (has_suffix(target, ".elf")) {
    if (something_at(target)) require_regular_file(target, "an ELF file or a config");
    throw Error(ExitCode::no_input, {target},
                "no such file" + did_you_mean(nearest_names(target.substr(0, target.size() - 4), bundled_names())));
  }
  const std::string config = config_dir() + "/" + target + ".toml";
  if (is_file(config)) return load_config(config, overrides);
  const std::string scenario = scenario_config(target);
  if (!scenario.empty()) return load_config(scenario, overrides);
  const std::string elf = firmware_dir() + "/" + target + ".elf";
  if (is_file(elf)) {
    // The lesson's numbers hold on the scenario's machine only: a student
    // who typed the program's name meant the lesson.
    const std::string owner = scenario_of_program(target);
    if (owner.empty()) return config_for_elf(elf, overrides);
    Config cfg = load_config(owner, overrides);
    if (notes)
      fmt::print(notes,
                 "spinlab: {}: the program of scenario {}: running the scenario (its machine and params); "
                 "give the program's path to run it on the default machine\n",
                 target, scenario_name(owner));
    return cfg;
  }
  // Something by that name is here but is no file (a directory, a FIFO, a
  // link loop), and no bundled name matches: say what it is.
  if (something_at(target)) require_regular_file(target, "an ELF file or a config");
  std::string msg = "no such file, and no bundled config or program of that name";
  std::vector<std::string> guesses = nearest_names(target, bundled_names());
  msg += guesses.empty() ? std::string("; spinlab list shows the scenarios") : did_you_mean(guesses);
  throw Error(ExitCode::no_input, {target}, msg);
}

}  // namespace spinlab
