// What GDB learns from the lock monitor: `monitor CMD` (qRcmd) and the words
// `info threads` shows beside each hart (qThreadExtraInfo).
#include <fmt/format.h>

#include "sim/gdb/connection.h"
#include "sim/gdb/packet.h"
#include "sim/gdb/server.h"

namespace spinlab::gdb {

namespace {

constexpr const char* kHelp =
    "spinlab monitor commands:\n"
    "  monitor locks          the lock table, as the run prints it at its end\n"
    "  monitor findings       what the lock monitor found so far\n"
    "  monitor cycle          the machine's cycle\n"
    "  monitor narrate on|off every lock and interrupt event on GDB's console, as the run goes\n"
    "  monitor help           this list\n";

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

}  // namespace

// "hart1, timer interrupt handler, holds tickslock, spins on tickslock".
std::string Server::thread_extra_info(unsigned hart) const {
  std::string s = fmt::format("hart{}", hart);
  if (machine_.asleep(hart)) s += ", asleep";
  if (!monitor_) return s;
  const Context c = monitor_->context(hart);
  if (c == Context::softirq) s += ", bottom half (softirq)";
  else if (c != Context::process) s += fmt::format(", {} handler", to_string(c));
  const std::vector<uint32_t> held = monitor_->held(hart);
  for (size_t i = 0; i < held.size(); ++i)
    s += fmt::format("{}{}", i ? " and " : ", holds ", monitor_->lock_name(held[i]));
  if (uint32_t spin = monitor_->spinning_on(hart)) s += fmt::format(", spins on {}", monitor_->lock_name(spin));
  return s;
}

void Server::handle_monitor(std::string_view hex) {
  std::optional<std::string> cmd = hex_decode(hex);
  if (!cmd) return conn_.send("E.qRcmd: the command is not hex");
  std::string out = monitor_command(trim(*cmd));
  if (!out.empty()) console(out);
  conn_.send("OK");
}

std::string Server::monitor_command(std::string_view cmd) {
  constexpr std::string_view no_monitor = "the lock monitor is off in this run (run.monitor = \"off\")\n";
  if (cmd == "help" || cmd.empty()) return kHelp;
  if (cmd == "cycle") return fmt::format("cycle {}\n", machine_.cycles());
  if (cmd == "locks") {
    if (!monitor_) return std::string(no_monitor);
    std::string table = options_.lock_table ? options_.lock_table() : "";
    return table.empty() ? "no lock taken so far\n" : table;
  }
  if (cmd == "findings") {
    if (!monitor_) return std::string(no_monitor);
    const std::vector<Finding>& all = monitor_->findings();
    if (all.empty()) return fmt::format("no finding so far (cycle {})\n", machine_.cycles());
    std::string s;
    for (const Finding& f : all) s += format_finding(f);
    return s;
  }
  if (cmd == "narrate on" || cmd == "narrate off") {
    const bool on = cmd == "narrate on";
    if (!options_.narrate || !options_.narrate(on)) return "this run cannot narrate (run.monitor = \"off\")\n";
    return on ? "narrative on (here, while the target runs)\n" : "narrative off\n";
  }
  return fmt::format("unknown monitor command `{}`\n{}", cmd, kHelp);
}

}  // namespace spinlab::gdb
