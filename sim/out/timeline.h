// The timeline (--timeline, trace.timeline): the lock monitor's events as a
// Chrome trace event file ({"traceEvents": [...]}) that ui.perfetto.dev and
// chrome://tracing open. One track per hart; on it, spans for interrupt and
// exception handlers, lock holds and waits, user-mode code, and an instant
// for each finding.
// Layout, units and the nesting rule: docs/timeline.md.
//
// Wiring (sim/cli/run.cpp):
//   Timeline timeline(*monitor, {path, title, harts, clock_hz});
//   monitor->add_listener([&](const Event& e) { timeline.add(e); });
//   ... run ...
//   timeline.write_file(machine.cycles(), monitor->findings());
//
// The listener only records the event (a copy of a few numbers); names, spans
// and JSON are made once, at the end. Events need not come in cycle order:
// the monitor tells of a hold or a spin late, when it learns the word is a
// lock, with the cycle it began.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "sim/monitor/monitor.h"

namespace spinlab {

struct TimelineOptions {
  std::string path;              // the file to write
  std::string title = "spinlab"; // the process track's name (the config's name)
  unsigned harts = 1;            // one track each, even a hart with no events
  uint64_t clock_hz = 100'000'000;
};

class Timeline {
 public:
  // `names` names locks and places (Monitor::lock_name, Monitor::site); it
  // must outlive the timeline.
  Timeline(const Monitor& names, TimelineOptions options);

  // A monitor listener (Monitor::add_listener).
  void add(const Event& e) { events_.push_back(e); }

  // Writes the trace: every event recorded, each of `findings` as an instant,
  // and every span still open ended at `final_cycle` ({"unfinished": true}).
  // The same events and findings give the same bytes.
  void write(std::ostream& out, uint64_t final_cycle, const std::vector<Finding>& findings) const;
  // The same, into options.path; throws spinlab::Error naming the path when
  // it cannot be written.
  void write_file(uint64_t final_cycle, const std::vector<Finding>& findings) const;

  const std::string& path() const { return options_.path; }
  size_t events() const { return events_.size(); }

 private:
  const Monitor& names_;
  TimelineOptions options_;
  std::vector<Event> events_;  // in the order the monitor told them
};

// The name of a handler's span: "timer interrupt", "external interrupt",
// "interrupt 16" (sim/out/words.h); "exception:ecall", "exception:illegal-instruction", ...
std::string handler_span_name(uint32_t mcause);

}  // namespace spinlab
