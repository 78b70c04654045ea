// The monitor's JSON for `--report FILE.json` (docs/monitor.md).
#include <nlohmann/json.hpp>

#include "sim/monitor/monitor.h"

namespace spinlab {

namespace {

nlohmann::json site_json(const Site& s) {
  nlohmann::json j = {{"pc", s.pc}, {"symbol", s.where}, {"line", s.line.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.line)}};
  if (s.caller_pc)
    j["caller"] = {{"pc", s.caller_pc},
                   {"symbol", s.caller},
                   {"line", s.caller_line.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.caller_line)}};
  return j;
}

nlohmann::json lock_json(const Lock& l) { return {{"addr", l.addr}, {"name", l.name}}; }

// {"id": 2, "name": "worker"}, or null for no thread. The name is the one
// the thread has by the end of the run: a finding told before a second
// thread showed the first one's start function to be a trampoline
// (docs/monitor.md) printed the trampoline's name.
nlohmann::json thread_json(const Monitor& m, const ThreadRef& t) {
  if (t.id < 0) return nullptr;
  return {{"id", t.id}, {"name", m.thread_name(t.id)}};
}

}  // namespace

nlohmann::json monitor_json(const Monitor& m) {
  using nlohmann::json;
  json findings = json::array();
  for (const Finding& f : m.findings()) {
    json holds = json::array(), waits = json::array();
    for (const Hold& h : f.holds) {
      json j = {{"lock", lock_json(h.lock)},       {"hart", h.hart}, {"thread", thread_json(m, h.thread)},
                {"context", to_string(h.context)}, {"user", h.user},
                {"interrupts_enabled", h.interrupts_enabled},
                {"since", h.since},                {"taken_at", site_json(h.taken_at)}};
      if (h.enabled_later) j["enabled_later"] = {{"cycle", h.enabled_cycle}, {"at", site_json(h.enabled_at)}};
      if (h.tested) j["tested"] = h.tested;
      if (h.mie != ~0u) j["mie"] = h.mie;
      holds.push_back(j);
    }
    for (const Wait& w : f.waits)
      waits.push_back({{"lock", lock_json(w.lock)},
                       {"hart", w.hart},
                       {"thread", thread_json(m, w.thread)},
                       {"context", to_string(w.context)},
                       {"since", w.since},
                       {"attempts", w.attempts},
                       {"at", site_json(w.at)}});
    json j = {{"kind", to_string(f.kind)}, {"deadlock", is_deadlock(f.kind)}, {"cycle", f.cycle},
              {"hart", f.hart},            {"at", site_json(f.at)},         {"lock", lock_json(f.lock)},
              {"holds", holds},            {"waits", waits},                {"rule", f.rule},
              {"lesson", f.lesson},        {"text", format_finding(f)}};
    if (f.thread.id >= 0) j["thread"] = thread_json(m, f.thread);
    if (f.to_thread.id >= 0) j["to_thread"] = thread_json(m, f.to_thread);
    if (f.has_interrupt)
      j["interrupt"] = {{"hart", f.interrupt.hart},
                        {"cause", to_string(f.interrupt.cause)},
                        {"mcause", f.interrupt.mcause},
                        {"cycle", f.interrupt.cycle},
                        {"interrupted_at", site_json(f.interrupt.interrupted_at)}};
    if (!f.chain.empty()) {
      json chain = json::array();
      for (const Dependency& d : f.chain)
        chain.push_back({{"from", lock_json(d.from)},
                         {"to", lock_json(d.to)},
                         {"hart", d.hart},
                         {"context", to_string(d.context)},
                         {"user", d.user},
                         {"interrupts_enabled", d.interrupts_enabled},
                         {"cycle", d.cycle},
                         {"attempt", d.attempt},
                         {"to_at", site_json(d.to_at)},
                         {"from_since", d.from_since},
                         {"from_at", site_json(d.from_at)}});
      j["chain"] = chain;
    }
    findings.push_back(j);
  }
  json locks = json::array();
  for (const LockStats& s : m.lock_stats())
    locks.push_back({{"lock", lock_json(s.lock)},
                     {"acquisitions", s.acquisitions},
                     {"irq_acquisitions", s.irq_acquisitions},
                     {"hold_cycles_total", s.hold_cycles_total},
                     {"hold_cycles_max", s.hold_cycles_max},
                     {"waits", s.waits},
                     {"attempts", s.attempts},
                     {"wait_cycles_total", s.wait_cycles_total},
                     {"wait_cycles_max", s.wait_cycles_max},
                     {"overlaps", s.overlaps},
                     {"held_at_end", s.held_at_end}});
  return {{"findings", findings}, {"locks", locks}};
}

}  // namespace spinlab
