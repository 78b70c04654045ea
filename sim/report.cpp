#include "sim/report.h"

#include <fstream>
#include <optional>

#include "sim/error.h"

namespace spinlab {

const char* report_name(models::StopReason r) {
  switch (r) {
    case models::StopReason::running: return "running";
    case models::StopReason::finisher: return "finisher";
    case models::StopReason::tohost: return "tohost";
    case models::StopReason::cycle_limit: return "cycle_limit";
    case models::StopReason::asleep: return "asleep";
    case models::StopReason::deadlock: return "deadlock";
  }
  return "?";
}

nlohmann::json make_report(const Config& cfg, const ElfImage& elf, const RunOutcome& o) {
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
  bool firmware_ended = o.reason == models::StopReason::finisher || o.reason == models::StopReason::tohost;
  return {
      {"schema", 1},
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
      {"findings", o.monitor.is_object() && o.monitor.contains("findings") ? o.monitor["findings"] : json::array()},
      {"locks", o.monitor.is_object() && o.monitor.contains("locks") ? o.monitor["locks"] : json::array()},
  };
}

void write_report(const std::string& path, const nlohmann::json& report) {
  std::ofstream out(path);
  if (!out) throw Error(ExitCode::no_input, {path}, "cannot write the report here");
  out << report.dump(2) << '\n';
  if (!out) throw Error(ExitCode::no_input, {path}, "writing the report failed");
}

}  // namespace spinlab
