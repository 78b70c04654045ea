#include "sim/cli/scenarios.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <toml++/toml.h>

#include "sim/load/config.h"
#include "sim/load/elf.h"
#include "sim/load/error.h"
#include "sim/cli/run.h"

namespace spinlab {

namespace fs = std::filesystem;

namespace {

bool is_regular(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

// Where `key` of the [scenario] table (or of its param number `index`) is
// written in the file, for an error found after loading: load_config keeps
// no places, so this reads the file again. The file alone when not found.
Place place_in(const std::string& path, const std::string& key, std::optional<size_t> index = std::nullopt) {
  Place file{path};
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error&) {
    return file;  // load_config read it: not reached
  }
  toml::node_view<toml::node> node = root["scenario"];
  if (index) node = node["param"][*index];
  if (!key.empty()) node = node[key];
  if (!node) node = index ? root["scenario"]["param"][*index] : root["scenario"];
  if (!node || node.node()->source().begin.line == 0) return file;
  const auto& at = node.node()->source().begin;
  return Place{path, at.line, at.column};
}

}  // namespace

std::string scenario_name(const std::string& file) {
  std::string stem = fs::path(file).stem().string();
  size_t digits = 0;
  while (digits < stem.size() && std::isdigit(static_cast<unsigned char>(stem[digits]))) ++digits;
  if (digits > 0 && digits < stem.size() && stem[digits] == '-') return stem.substr(digits + 1);
  return stem;
}

namespace {

// Every DIR/*.toml, in file-name order.
std::vector<std::string> toml_files(const fs::path& dir) {
  std::vector<std::string> files;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->path().extension() == ".toml" && is_regular(it->path())) files.push_back(it->path().string());
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

std::vector<std::string> scenario_files() { return toml_files(fs::path(config_dir()) / "scenarios"); }

std::vector<std::string> config_files() { return toml_files(config_dir()); }

std::string scenario_config(const std::string& name) {
  const fs::path exact = fs::path(config_dir()) / "scenarios" / (name + ".toml");
  if (is_regular(exact)) return exact.string();
  for (const std::string& file : scenario_files())
    if (scenario_name(file) == name) return file;
  return std::string();
}

std::map<std::string, std::string> scenario_programs() {
  std::map<std::string, std::string> programs;
  for (const std::string& file : scenario_files()) {
    // Only firmware.program is read: a scenario that is broken elsewhere
    // says so when it runs, and costs no other program its run.
    toml::table root;
    try {
      root = toml::parse_file(file);
    } catch (const toml::parse_error&) {
      continue;
    }
    if (std::optional<std::string> program = root["firmware"]["program"].value<std::string>())
      programs.emplace(*program, file);  // the first file keeps it
  }
  return programs;
}

std::string scenario_of_program(const std::string& program) {
  const std::map<std::string, std::string> programs = scenario_programs();
  auto it = programs.find(program);
  return it == programs.end() ? std::string() : it->second;
}

ScenarioInfo describe_scenario(const std::string& path) {
  const Config cfg = load_config(path, {});
  ScenarioInfo info;
  info.name = scenario_name(path);
  info.file = path;
  info.summary = cfg.scenario.summary;
  info.lesson = cfg.scenario.lesson;
  // A bundled scenario without these would list as a bare name: refuse it,
  // so a new scenario cannot ship without them.
  for (const auto& [key, value] : {std::pair{"summary", &info.summary}, std::pair{"lesson", &info.lesson}})
    if (value->empty())
      throw Error(ExitCode::bad_input, place_in(path, ""),
                  fmt::format("missing key `scenario.{}`: every config in configs/scenarios needs one for "
                              "spinlab list, e.g. [scenario] {} = \"...\"",
                              key, key));
  const ElfImage elf = load_firmware(cfg);
  for (size_t i = 0; i < cfg.scenario.params.size(); ++i) {
    const ScenarioParam& p = cfg.scenario.params[i];
    ScenarioParamInfo out{p.name, 0, p.help, p.min, p.max};
    // The word must exist even when the config sets it: a run would fail.
    std::optional<uint32_t> addr = elf.lookup(p.name);
    std::optional<uint32_t> word = addr ? elf.initial_word(*addr) : std::nullopt;
    if (!word)
      throw Error(ExitCode::bad_input, place_in(path, "name", i),
                  fmt::format("scenario.param[{}].name: the program {} has no {} `{}` to set", i, cfg.firmware,
                              addr ? "initialised word at" : "symbol", p.name));
    auto set = cfg.firmware_params.find(p.name);
    out.default_value = set != cfg.firmware_params.end() ? set->second : int64_t(*word);
    info.params.push_back(std::move(out));
  }
  return info;
}

void print_scenario_list(std::FILE* out, const std::vector<ScenarioInfo>& scenarios) {
  size_t width = 0;
  for (const ScenarioInfo& s : scenarios) width = std::max(width, s.name.size());
  for (const ScenarioInfo& s : scenarios) fmt::print(out, "{:<{}}  {}\n", s.name, width, s.summary);
}

std::string scenario_list_json(const std::vector<ScenarioInfo>& scenarios) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const ScenarioInfo& s : scenarios) {
    nlohmann::ordered_json params = nlohmann::ordered_json::array();
    for (const ScenarioParamInfo& p : s.params)
      params.push_back(
          {{"name", p.name}, {"default", p.default_value}, {"min", p.min}, {"max", p.max}, {"help", p.help}});
    list.push_back({{"name", s.name}, {"summary", s.summary}, {"lesson", s.lesson}, {"params", params}});
  }
  return list.dump(2) + "\n";
}

}  // namespace spinlab
