// The bundled teaching scenarios, configs/scenarios/NN-NAME.toml: finding
// one by its name, and `spinlab list`, which lists every one of them.
#pragma once

#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

namespace spinlab {

// A knob a student may turn, with the value a run uses when nobody sets it.
struct ScenarioParamInfo {
  std::string name;       // "timer_phase": --set firmware.params.timer_phase=N
  int64_t default_value;  // the config's [firmware.params] value, else the ELF's initial word
  std::string help;
  uint32_t min = 0;  // the values that make sense ([[scenario.param]] min, max)
  uint32_t max = UINT32_MAX;
};

struct ScenarioInfo {
  std::string name;     // "irq-deadlock" for 03-irq-deadlock.toml
  std::string file;     // the config file
  std::string summary;  // scenario.summary
  std::string lesson;   // scenario.lesson, relative to the docs directory
  std::vector<ScenarioParamInfo> params;
};

// A scenario's name: the config file's name without the .toml suffix and
// without an "NN-" order prefix ("03-irq-deadlock.toml" -> "irq-deadlock").
std::string scenario_name(const std::string& file);

// The scenario config named `name`: configs/scenarios/NAME.toml or
// configs/scenarios/NN-NAME.toml; "" when there is none.
std::string scenario_config(const std::string& name);

// Every configs/scenarios/*.toml, in file-name order.
std::vector<std::string> scenario_files();
// Every configs/*.toml beside them (default, protection), likewise.
std::vector<std::string> config_files();

// The scenario config that runs the bundled program `program` (its
// firmware.program is that name: "pushoff_order" -> 06-pushoff-order.toml);
// "" when none does. The first in file-name order, should two share one.
std::string scenario_of_program(const std::string& program);
// Every scenario's program, mapped to its config file, as above.
std::map<std::string, std::string> scenario_programs();

// Reads one scenario config and its ELF. Throws spinlab::Error, with the
// file and place, for a config that cannot be loaded, a scenario without
// scenario.summary or scenario.lesson, or a param the program has no word for.
ScenarioInfo describe_scenario(const std::string& path);

// `spinlab list`: one line per scenario, the name (padded to one column)
// then the summary; or the JSON array documented in docs/config.md.
void print_scenario_list(std::FILE* out, const std::vector<ScenarioInfo>& scenarios);
std::string scenario_list_json(const std::vector<ScenarioInfo>& scenarios);

}  // namespace spinlab
