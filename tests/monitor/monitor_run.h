// The lock monitor's whole runs, shared by its tests: a program of
// programs/ runs on a fresh machine with the monitor attached (as `spinlab
// run` attaches it), optionally traced to a VCD; the Outcome holds what the
// monitor found and told. MONITOR_PRINT=1 prints the narrative and every
// report.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "firmware/include/memmap.h"
#include "models/kernel.h"
#include "models/machine.h"
#include "sim/load/elf.h"
#include "sim/out/gtkwave.h"
#include "sim/monitor/monitor.h"
#include "sim/cli/run.h"
#include "sim/out/vcd.h"

namespace spinlab {
namespace monitor_run {

struct Outcome {
  models::StopReason reason = models::StopReason::running;
  int exit_code = 0;
  uint64_t cycles = 0;
  int stop_requests = 0;
  std::vector<Finding> findings;
  std::vector<LockStats> locks;
  uint64_t acquire_events = 0;  // what the narrative and the timeline were told
  uint64_t release_events = 0;
  std::string text;  // every report, as the terminal would show it
  std::vector<Event> switches;       // thread_switch events
  std::vector<Event> events;         // every event, in the order told
  std::string narrative;             // every event as the narrative says it (Monitor::describe)
  nlohmann::json report;             // the JSON of `--report FILE.json` (monitor_json)
  std::vector<std::string> threads;  // the monitor's threads' names, by id
};

// What a run keeps beyond the findings.
struct RunOptions {
  std::string vcd;       // traced there, the monitor's signals included (as `spinlab run --vcd` traces it)
  bool narrate = false;  // Outcome::events and Outcome::narrative
};

inline Outcome run_elf(const std::string& path, unsigned harts, const RunOptions& opt = {}) {
  const std::string& vcd = opt.vcd;
  models::fresh_systemc_kernel();
  constexpr uint32_t kRamBytes = 16u << 20;
  ElfImage elf = ElfImage::load(path, RAM_BASE, kRamBytes);
  models::MachineSpec spec;
  spec.tohost = elf.lookup("tohost");
  spec.harts = harts;
  spec.ram_bytes = kRamBytes;
  spec.max_cycles = 5'000'000;  // a missed deadlock ends here, not in a hang
  Outcome out;
  {
    models::Machine machine("machine", spec);
    load_segments(machine, elf);
    std::unique_ptr<VcdTracer> tracer;
    if (!vcd.empty()) {
      VcdOptions o;
      o.path = vcd;
      o.harts = harts;
      o.lock_holders = o.threads = true;
      o.lookahead_cycles = 1u << 16;
      tracer = std::make_unique<VcdTracer>(std::move(o));
      machine.add_hooks(*tracer);
    }
    Monitor monitor(&elf, harts);
    monitor.set_return_address([&](unsigned h) { return machine.hart(h).x(1); });
    monitor.set_interrupt_enables([&](unsigned h) { return machine.hart(h).csrs().mie; });
    monitor.set_stack_reader([&](unsigned h, int32_t offset) {
      return machine.peek(machine.hart(h).x(2) + static_cast<uint32_t>(offset));
    });
    monitor.set_on_finding([&](const Finding& f) { out.text += format_finding(f) + "\n"; });
    monitor.set_on_deadlock([&](const Finding&) {
      ++out.stop_requests;
      machine.request_stop(models::StopReason::deadlock);
    });
    monitor.add_listener([&](const Event& e) {
      out.acquire_events += e.kind == EventKind::acquire;
      out.release_events += e.kind == EventKind::release;
      if (e.kind == EventKind::thread_switch) out.switches.push_back(e);
      if (!opt.narrate) return;
      out.events.push_back(e);
      out.narrative += monitor.describe(e) + "\n";
    });
    std::unique_ptr<LockHolderTrace> holders;
    if (tracer) {
      holders = std::make_unique<LockHolderTrace>(*tracer, std::vector<uint32_t>{});
      monitor.add_listener([&](const Event& e) { holders->on_event(e); });
    }
    if (std::getenv("MONITOR_PRINT"))
      monitor.add_listener([&](const Event& e) { out.text += monitor.describe(e) + "\n"; });
    machine.add_hooks(monitor);
    machine.reset(elf.entry());
    machine.run();
    out.reason = machine.stop_reason();
    out.exit_code = machine.exit_code();
    out.cycles = machine.cycles();
    out.findings = monitor.findings();
    out.locks = monitor.lock_stats();
    for (int id = 0; monitor.thread_name(id) != "-"; ++id) out.threads.push_back(monitor.thread_name(id));
    out.text += format_lock_stats(out.locks);
    out.report = monitor_json(monitor);
    if (tracer) tracer->finish(out.cycles);
  }
  if (std::getenv("MONITOR_PRINT")) std::printf("--- %s\n%s\n", path.c_str(), out.text.c_str());
  return out;
}

inline Outcome run(const std::string& program, unsigned harts, const RunOptions& opt = {}) {
  return run_elf(std::string(MONITOR_TEST_PROGRAMS) + "/" + program + ".elf", harts, opt);
}

inline std::vector<FindingKind> kinds(const Outcome& o) {
  std::vector<FindingKind> k;
  for (const Finding& f : o.findings) k.push_back(f.kind);
  return k;
}

inline bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

// The place is in `function` (at some offset), named from the source file.
inline void expect_in(const Site& s, const std::string& function, const std::string& file) {
  EXPECT_TRUE(starts_with(s.where, function + "+")) << s.where << ", wanted " << function;
  EXPECT_TRUE(starts_with(s.line, file + ":")) << s.line << ", wanted " << file;
}

// ...called from `function`, at a line of `file` (the call, not the line after it).
inline void expect_called_from(const Site& s, const std::string& function, const std::string& file) {
  EXPECT_TRUE(starts_with(s.caller, function + "+")) << "called from '" << s.caller << "', wanted " << function;
  EXPECT_TRUE(starts_with(s.caller_line, file + ":")) << s.caller_line << ", wanted " << file;
}

}  // namespace monitor_run
}  // namespace spinlab
