#include "sim/out/report.h"

#include <optional>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "sim/load/error.h"
#include "sim/load/files.h"
#include "sim/out/expect.h"

#ifndef SPINLAB_VERSION
#define SPINLAB_VERSION "unknown"
#endif

namespace spinlab {

const char* report_name(models::StopReason r) {
  switch (r) {
    case models::StopReason::running: return "running";
    case models::StopReason::finisher: return "finisher";
    case models::StopReason::tohost: return "tohost";
    case models::StopReason::cycle_limit: return "cycle_limit";
    case models::StopReason::asleep: return "asleep";
    case models::StopReason::deadlock: return "deadlock";
    case models::StopReason::killed: return "killed";
    case models::StopReason::interrupted: return "interrupted";
  }
  return "?";
}

namespace {

// A TOML value as JSON: integers, strings, booleans, arrays and tables.
nlohmann::json toml_to_json(const toml::node& node) {
  using nlohmann::json;
  if (auto v = node.as_integer()) return v->get();
  if (auto v = node.as_string()) return v->get();
  if (auto v = node.as_boolean()) return v->get();
  if (auto v = node.as_floating_point()) return v->get();
  if (auto a = node.as_array()) {
    json out = json::array();
    for (const toml::node& item : *a) out.push_back(toml_to_json(item));
    return out;
  }
  if (auto t = node.as_table()) {
    json out = json::object();
    for (const auto& [k, v] : *t) out[std::string(k.str())] = toml_to_json(v);
    return out;
  }
  return nullptr;
}

// "settings": cfg's keys that differ from the defaults and every --set,
// keyed "table.key", each with its value as JSON.
nlohmann::json settings_json(const Config& cfg, const ElfImage& elf, const std::vector<Override>& overrides) {
  std::map<std::string, uint32_t> param_defaults;  // the program's own values
  for (const auto& [name, value] : cfg.firmware_params) {
    std::optional<uint32_t> addr = elf.lookup(name);
    std::optional<uint32_t> word = addr ? elf.initial_word(*addr) : std::nullopt;
    if (word) param_defaults[name] = *word;
  }
  nlohmann::json out = nlohmann::json::object();
  for (const Setting& s : changed_settings(cfg, overrides, param_defaults)) {
    // Every value comes from a key's own show(), valid TOML but for a path
    // that is not UTF-8: that one is kept as its text.
    try {
      toml::table parsed = toml::parse("v = " + s.toml);
      out[s.key] = toml_to_json(*parsed.get("v"));
    } catch (const toml::parse_error&) {
      out[s.key] = s.toml;
    }
  }
  return out;
}

}  // namespace

nlohmann::json make_report(const Config& cfg, const ElfImage& elf, const RunOutcome& o,
                           const std::vector<Override>& overrides, const std::string& expected) {
  using nlohmann::json;
  json harts = json::array();
  for (size_t h = 0; h < o.harts.size(); ++h) {
    const HartSummary& s = o.harts[h];
    const models::ExceptionStats& e = s.exceptions;
    json first = nullptr;
    if (e.count) {
      std::optional<std::string> line = elf.source_line(e.first_pc);
      first = {{"cause", e.first_cause},
               {"name", isa::exception_words(e.first_cause)},
               {"pc", e.first_pc},
               {"pc_symbol", elf.describe(e.first_pc)},
               {"line", line ? json(*line) : json(nullptr)},
               {"mtval", e.first_mtval},
               {"cycle", e.first_cycle}};
    }
    harts.push_back({{"hart", h},
                     {"instret", s.instret},
                     {"pc", s.pc},
                     {"pc_symbol", elf.describe(s.pc)},
                     {"bus", {{"transactions", s.bus.transactions},
                              {"wait_cycles", s.bus.wait_cycles},
                              {"hold_cycles", s.bus.hold_cycles}}},
                     {"exceptions", {{"count", e.count}, {"first", first}}}});
  }
  json nics = json::array();
  for (const NicSummary& n : o.nics)
    nics.push_back({{"name", n.name}, {"arrived", n.arrived}, {"received", n.received}, {"overruns", n.overruns}});
  json devices = json::array();  // [[device]]s as the plugins got them: params as text
  for (const DeviceConfig& d : cfg.devices) {
    json params = json::object();
    for (const auto& [k, v] : d.params) params[k] = v;
    devices.push_back({{"name", d.name},
                       {"plugin", d.plugin},
                       {"base", d.base},
                       {"size", d.size},
                       {"irq", d.irq ? json(d.irq) : json(nullptr)},
                       {"params", params}});
  }
  bool firmware_ended = o.reason == models::StopReason::finisher || o.reason == models::StopReason::tohost;
  json report = {
      {"schema", 1},
      {"version", SPINLAB_VERSION},
      {"config", cfg.source},
      {"firmware", cfg.firmware},
      {"stop",
       {{"reason", report_name(o.reason)},
        {"description", models::to_string(o.reason)},
        {"exit_code", exit_status(o)},
        {"firmware_exit_code", firmware_ended ? json(o.exit_code) : json(nullptr)}}},
      {"cycles", o.cycles},
      {"seconds", static_cast<double>(o.cycles) / static_cast<double>(cfg.machine.clock_hz)},
      {"harts", harts},
      {"nics", nics},
      {"devices", devices},
      {"findings", o.monitor.is_object() && o.monitor.contains("findings") ? o.monitor["findings"] : json::array()},
      {"locks", o.monitor.is_object() && o.monitor.contains("locks") ? o.monitor["locks"] : json::array()},
      {"uart", o.uart},
      {"settings", settings_json(cfg, elf, overrides)},
      {"outcomes", run_outcomes(o)},
  };
  if (!expected.empty()) report["expect"] = {{"outcome", expected}, {"met", showed(o, expected)}};
  return report;
}

std::optional<Error> write_report(const std::string& path, const nlohmann::json& report) {
  // The firmware's output may hold bytes that are not UTF-8: each such
  // byte becomes U+FFFD rather than failing the whole report.
  try {
    write_whole_file(path, report.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + '\n', "report");
  } catch (const Error& e) {
    return e;
  }
  return std::nullopt;
}

}  // namespace spinlab
