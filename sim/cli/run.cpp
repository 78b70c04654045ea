// One run, in named steps (Run below): check the outputs can be written,
// set up the terminal (progress line, taps, narrative), build the machine
// (its spec, the RAM's bytes, the params), attach what watches it (VCD,
// monitor, timeline, lock holder trace, instruction trace), run, finish the
// terminal, collect the outcome, write the traces.
#include "sim/cli/run.h"

#include <algorithm>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>

#include <fmt/format.h>

#include "sim/gdb/connection.h"
#include "sim/gdb/console_gate.h"
#include "sim/gdb/server.h"
#include "sim/load/error.h"
#include "sim/out/expect.h"
#include "sim/out/gtkwave.h"
#include "sim/out/insn_trace.h"
#include "sim/cli/signals.h"
#include "sim/monitor/monitor.h"
#include "sim/out/terminal.h"
#include "sim/out/timeline.h"
#include "sim/out/vcd.h"

namespace spinlab {

namespace {

models::MachineSpec machine_spec(const Config& cfg, const ElfImage& elf, std::FILE* console) {
  models::MachineSpec spec;
  spec.harts = cfg.machine.harts;
  spec.clock_hz = cfg.machine.clock_hz;
  spec.ram_bytes = cfg.machine.ram_bytes;
  spec.misaligned_emulate = cfg.machine.misaligned == Misaligned::emulate;
  spec.compressed = cfg.machine.isa == Isa::rv32imac;
  spec.pmp_granularity_bytes = cfg.machine.pmp_granularity_bytes;
  spec.start_hart0_only = cfg.machine.start == StartMode::hart0;
  spec.arbitration = cfg.machine.arbitration;
  spec.mtime_divider = cfg.machine.mtime_divider;
  spec.plic_sources = cfg.machine.plic_sources;
  spec.irq_sources = cfg.machine.irq_sources;
  spec.nics = cfg.machine.nics;
  spec.skip_idle = cfg.run.skip_idle;
  spec.latency = cfg.machine.latency;
  spec.cost = cfg.machine.cost;
  spec.max_cycles = cfg.run.max_cycles;
  spec.tohost = elf.lookup("tohost");
  spec.fromhost = elf.lookup("fromhost");
  // One line naming the firmware, the hart and the store's place.
  spec.htif_warn = [&elf](unsigned hart, uint32_t pc, const std::string& what) {
    fmt::print(stderr, "spinlab: warning: {}: hart{} at {} ({:#010x}): {}\n", elf.path(), hart, elf.describe(pc), pc,
               what);
  };
  spec.console = console;
  return spec;
}

// How far past the machine's current cycle it may date a traced value: a
// hart's next state comes at most one instruction's cost (plus a trap entry)
// ahead, a bus release one latency ahead. Doubled, for slack: a larger bound
// only makes the writer hold a few more values.
uint64_t trace_lookahead(const Costs& c, const Latencies& l) {
  uint32_t cost = std::max(
      {c.alu, c.mul, c.div, c.branch_taken, c.jump, c.load, c.store, c.amo, c.csr, c.fence, c.system, c.mret, c.wfi});
  uint32_t latency = std::max({l.ram, l.uart, l.clint, l.plic, l.finisher, l.irqsrc, l.nic});
  return 2 * (uint64_t{cost} + c.trap_entry + latency) + 16;
}

// The table lists what was used as a lock: a word only ever spun on (an
// LR/SC retry, say) and never taken is no lock to report.
std::vector<LockStats> taken_locks(const Monitor& m) {
  std::vector<LockStats> locks = m.lock_stats();
  locks.erase(std::remove_if(locks.begin(), locks.end(), [](const LockStats& l) { return l.acquisitions == 0; }),
              locks.end());
  return locks;
}

}  // namespace

// One run's parts and the steps that make, join and read them (declared in
// run.h for StagedRun, which takes the same steps around someone else's
// sc_start). The members
// are declared in the order they are made: they are destroyed in reverse
// (the instruction trace and the tracers before the machine they watch, the
// narrator and the monitor after it, the console taps last).
class Run {
 public:
  Run(const Config& cfg, const ElfImage& elf, std::FILE* console, const RunExtras& extras)
      : cfg_(cfg), elf_(elf), console_(console), extras_(extras) {}
  Run(const Run&) = delete;
  Run& operator=(const Run&) = delete;

  void check_outputs() const;
  void open_terminal();
  void build_machine();
  void attach_vcd();
  void attach_monitor();
  void attach_timeline();
  void attach_lock_holders();
  void attach_insn_trace();
  void run();
  void run_with_gdb();
  void finish_terminal();
  RunOutcome collect();
  void write_traces(RunOutcome& out);
  models::Machine& machine() { return *machine_; }
  // The firmware's output so far, out of the stdio buffer (Machine::run
  // does it after each sc_start; StagedRun when the user's returns).
  void flush_uart() const { std::fflush(uart_out_); }

 private:
  // The earliest cycle the monitor may still tell of, dated in the past
  // (Monitor::earliest_untold; UINT64_MAX without it), for the narrative's
  // order and the VCD writer's.
  std::function<uint64_t()> untold_from() {
    return [this] { return monitor_ ? monitor_->earliest_untold() : UINT64_MAX; };
  }

  const Config& cfg_;
  const ElfImage& elf_;
  std::FILE* console_;
  const RunExtras& extras_;
  // Under GDB, what reaches the terminal, once (sim/gdb/console_gate.h):
  // first in, last out.
  std::unique_ptr<gdb::ConsoleGate> gate_;
  // With a progress line, everything printed goes through a tap that clears
  // it first; the firmware's output goes through one that keeps its lines.
  std::unique_ptr<ProgressLine> progress_;
  std::unique_ptr<ConsoleTap> uart_tap_, text_tap_;
  std::FILE* uart_out_ = nullptr;  // the firmware's output (UART, HTIF console)
  std::FILE* text_out_ = nullptr;  // the narrative, the findings, the lock table
  std::unique_ptr<Monitor> monitor_;
  std::unique_ptr<Narrator> narrator_;
  std::vector<uint32_t> words_;  // cfg.trace.words' addresses
  std::unique_ptr<models::Machine> machine_;
  AttachedDevices devices_;  // the [[device]]s: after the machine they plug into
  std::unique_ptr<VcdTracer> vcd_;
  std::unique_ptr<Timeline> timeline_;
  std::unique_ptr<LockHolderTrace> holders_;
  std::unique_ptr<InsnTrace> insns_;
  // With run.gdb: the narrative can be turned on and off from GDB (`monitor
  // narrate`), so the narrator is there from the start, silent while off.
  bool narrating_ = false;
  bool narrating_to_gdb_ = false;  // `monitor narrate on`: to GDB's console
  std::unique_ptr<gdb::Connection> gdb_link_;
  std::unique_ptr<gdb::Server> gdb_;
};

// The timeline shows what the monitor sees: without it there is nothing to
// show, and running it anyway would change the run (its findings, a stop at
// a deadlock). Said before anything is written (docs/timeline.md).
void Run::check_outputs() const {
  if (!cfg_.trace.timeline.empty() && cfg_.run.monitor != Switch::on)
    throw Error(ExitCode::bad_input, {cfg_.source},
                "trace.timeline: the timeline shows what the lock monitor sees, but run.monitor is \"off\"; "
                "set run.monitor = \"on\" (--set run.monitor=on) or drop the timeline");
  if (!cfg_.trace.timeline.empty()) require_writable(cfg_.trace.timeline, "timeline");  // written after the run
}

// The progress line, the taps, and the narrator: the narrative and the
// instruction trace go out in cycle order, with the firmware's lines whole
// among them (sim/out/narrate.h). Sets uart_out_, where the UART writes.
void Run::open_terminal() {
  if (!cfg_.run.gdb.empty() && cfg_.run.gdb_checkpoint > 0) {
    gate_ = std::make_unique<gdb::ConsoleGate>(console_);
    console_ = gate_->file();
  }
  uart_out_ = console_;
  if (extras_.progress) progress_ = std::make_unique<ProgressLine>(stderr, cfg_.run.max_cycles);
  if (progress_ || extras_.keep_output || extras_.keep_uart) {
    uart_tap_ =
        std::make_unique<ConsoleTap>(console_, progress_.get(), extras_.keep_output ? 64 : 0, extras_.keep_uart);
    uart_out_ = uart_tap_->file();
  }
  if (progress_) text_tap_ = std::make_unique<ConsoleTap>(console_, progress_.get(), 0);
  text_out_ = text_tap_ ? text_tap_->file() : console_;
  narrating_ = cfg_.run.narrate;
  const bool can_narrate = cfg_.run.narrate || !cfg_.run.gdb.empty();
  if ((can_narrate && cfg_.run.monitor == Switch::on) || extras_.insn_trace) {
    narrator_ = std::make_unique<Narrator>(
        text_out_, uart_out_, [this] { return machine_ ? machine_->cycles() : 0; }, untold_from(),
        trace_lookahead(cfg_.machine.cost, cfg_.machine.latency));
    uart_out_ = narrator_->uart_file();
  }
}

// The machine the config describes, with the program and its params in RAM.
void Run::build_machine() {
  models::MachineSpec spec = machine_spec(cfg_, elf_, uart_out_);
  words_ = traced_words(cfg_, elf_);  // checked even without a trace
  if (!cfg_.trace.vcd.empty()) spec.watch = words_;
  machine_ = std::make_unique<models::Machine>("machine", spec);
  load_segments(*machine_, elf_);
  load_params(*machine_, cfg_, elf_);
  devices_ = attach_devices(cfg_, *machine_);
}

void Run::attach_vcd() {
  if (cfg_.trace.vcd.empty()) return;
  models::Machine& machine = *machine_;
  VcdOptions o;
  o.path = cfg_.trace.vcd;
  o.harts = cfg_.machine.harts;
  o.clock_hz = cfg_.machine.clock_hz;
  o.plic_sources = cfg_.machine.plic_sources;
  o.words = cfg_.trace.words;
  o.mtime_at = [&machine](uint64_t cycle) { return machine.clint().mtime_at(cycle); };
  o.lookahead_cycles = trace_lookahead(cfg_.machine.cost, cfg_.machine.latency);
  o.lock_holders = cfg_.run.monitor == Switch::on;  // locks.NAME, from the monitor's events
  o.threads = o.lock_holders;                       // hartN.thread, from the monitor's events too
  if (o.lock_holders) {
    o.late_cycles = kLockHolderLookahead;
    o.untold = untold_from();
  }
  if (std::optional<CycleWindow> w = parse_cycle_window(cfg_.trace.window)) {  // checked when read
    o.window_from = w->from;
    o.window_to = w->to;
  }
  vcd_ = std::make_unique<VcdTracer>(std::move(o));
  machine.add_hooks(*vcd_);  // before reset(), which reports cycle 0
}

// The lock monitor: findings as they happen, the lock table at the end.
void Run::attach_monitor() {
  if (cfg_.run.monitor != Switch::on) return;
  models::Machine& machine = *machine_;
  monitor_ = std::make_unique<Monitor>(&elf_, cfg_.machine.harts, cfg_.monitor);
  monitor_->set_return_address([&machine](unsigned h) { return machine.hart(h).x(1); });
  monitor_->set_interrupt_enables([&machine](unsigned h) { return machine.hart(h).csrs().mie; });
  monitor_->set_stack_reader([&machine](unsigned h, int32_t offset) {
    return machine.peek(machine.hart(h).x(2) + static_cast<uint32_t>(offset));
  });
  // On the terminal (unless --quiet), and to GDB, which stops at the kinds
  // of run.gdb_stop_on (the server is made later, in run_with_gdb()).
  if (!cfg_.run.quiet || !cfg_.run.gdb.empty())
    monitor_->set_on_finding([this, text_out = text_out_, n = narrator_.get(), &machine, quiet = cfg_.run.quiet,
                              color = extras_.color](const Finding& f) {
      if (gdb_) gdb_->on_finding(f);
      if (quiet) return;
      std::string text = format_finding(f);
      if (color) text = paint_finding(text, f);
      // At the cycle it was found: some findings date what they found
      // earlier (a switch holding a lock, told at the next switch).
      if (n) return n->add(std::max(f.cycle, machine.cycles()), std::move(text));
      std::fflush(text_out);
      std::fputs(text.c_str(), text_out);
    });
  if (cfg_.run.on_deadlock == OnDeadlock::stop)
    monitor_->set_on_deadlock([&machine](const Finding&) { machine.request_stop(models::StopReason::deadlock); });
  if (cfg_.run.narrate || (narrator_ && !cfg_.run.gdb.empty()))
    monitor_->add_listener([this, n = narrator_.get(), m = monitor_.get(), &filter = extras_.filter,
                            color = extras_.color](const Event& e) {
      if (!(narrating_ || narrating_to_gdb_) || !filter.event(e)) return;
      std::string line = m->describe(e);
      if (narrating_to_gdb_ && gdb_) gdb_->narrate(line + "\n");
      if (narrating_) n->add(e.cycle, color ? paint_event(line, e, *m) : line);
    });
  machine.add_hooks(*monitor_);
}

// The timeline records the monitor's events and is written at the end.
void Run::attach_timeline() {
  if (!monitor_ || cfg_.trace.timeline.empty()) return;
  TimelineOptions o;
  o.path = cfg_.trace.timeline;
  std::string name = std::filesystem::path(cfg_.source).stem().string();
  o.title = name.empty() ? "spinlab" : "spinlab " + name;
  o.harts = cfg_.machine.harts;
  o.clock_hz = cfg_.machine.clock_hz;
  timeline_ = std::make_unique<Timeline>(*monitor_, std::move(o));
  monitor_->add_listener([t = timeline_.get()](const Event& e) { t->add(e); });
}

// The VCD's lock holder signals follow the monitor's acquires and releases.
void Run::attach_lock_holders() {
  if (!monitor_ || !vcd_) return;
  holders_ = std::make_unique<LockHolderTrace>(*vcd_, words_);
  monitor_->add_listener([h = holders_.get()](const Event& e) { h->on_event(e); });
}

void Run::attach_insn_trace() {
  if (!extras_.insn_trace) return;
  insns_ = std::make_unique<InsnTrace>(elf_, text_out_);
  insns_->set_narrator(narrator_.get(), &extras_.filter);
  machine_->add_hooks(*insns_);
}

void Run::run() {
  machine_->reset(elf_.entry());
  if (!cfg_.run.gdb.empty()) return run_with_gdb();
  // Ctrl-C and SIGTERM stop the run at a cycle boundary, its outputs written
  // (not under GDB: there Ctrl-C is GDB's, and a checkpoint must not stop).
  catch_stop_signals();
  machine_->set_progress(
      [p = progress_.get(), &m = *machine_](uint64_t cycle) {
        if (p) p->tick(cycle);
        if (stop_signal() != 0) m.request_stop(models::StopReason::interrupted);
      },
      kSignalCheckCycles);
  machine_->run();
}

// GDB drives the run (sim/gdb/server.h) until it ends, or until GDB
// detaches, kills it or goes away; what is left of it then runs without
// stops (nothing, after a kill or the end).
void Run::run_with_gdb() {
  std::string why;
  std::optional<gdb::GdbAddress> at = gdb::parse_gdb_address(cfg_.run.gdb, &why);
  if (!at) throw Error(ExitCode::bad_input, {cfg_.source}, fmt::format("run.gdb: expected [HOST:]PORT, got {}", why));
  gdb_link_ = gdb::listen_for_gdb(at->host, at->port, stderr);
  gdb::ServerOptions o;
  o.stop_on = cfg_.run.gdb_stop_on;
  o.checkpoint_interval = cfg_.run.gdb_checkpoint;
  o.console_gate = gate_.get();
  if (monitor_)
    o.lock_table = [m = monitor_.get()] {
      std::vector<LockStats> locks = taken_locks(*m);
      return locks.empty() ? std::string() : format_lock_stats(locks);
    };
  if (monitor_ && narrator_) o.narrate = [this](bool on) { return narrating_to_gdb_ = on, true; };
  // What `spinlab run` will return (main.cpp), graded when --expect is given.
  o.exit_status = [this] {
    RunOutcome out;
    out.reason = machine_->stop_reason();
    out.exit_code = machine_->exit_code();
    if (monitor_) out.findings = monitor_->findings();
    if (extras_.expect.empty()) return exit_status(out);
    return showed(out, extras_.expect) ? 0 : 1;
  };
  gdb_ = std::make_unique<gdb::Server>(*machine_, monitor_.get(), *gdb_link_, std::move(o));
  machine_->set_progress(
      [p = progress_.get(), s = gdb_.get()](uint64_t cycle) {
        if (p) p->tick(cycle);
        s->poll();
      },
      gdb::Server::kPollCycles);
  gdb_->serve();
  machine_->run();
}

// What is still held for the terminal goes out, with the warnings of a run
// that printed less than it should have.
void Run::finish_terminal() {
  if (narrator_) {
    narrator_->finish();
    if (narrator_->late() > 0)
      fmt::print(stderr,
                 "spinlab: warning: {} narrative lines were learnt too late to be printed in cycle order "
                 "(held {} cycles at most; docs/terminal.md)\n",
                 narrator_->late(), kNarrateHorizon);
  }
  // A name in --narrate=LOCK,... that never was a lock: its silence is no news.
  if (monitor_ && cfg_.run.narrate) {
    const std::vector<LockStats> seen = monitor_->lock_stats();
    for (size_t i = 0; i < extras_.filter.locks.size(); ++i)
      if (std::none_of(seen.begin(), seen.end(), [&](const LockStats& l) {
            return l.lock.addr == extras_.filter.locks[i] && l.acquisitions > 0;
          }))
        fmt::print(stderr, "spinlab: warning: --narrate: `{}` was never taken as a lock in this run\n",
                   extras_.filter.lock_names[i]);
  }
  if (progress_) progress_->clear();
  if (insns_ && insns_->out_of_order() > 0)
    fmt::print(stderr,
               "spinlab: warning: {} steps reached the instruction trace out of cycle order (a spinlab bug; "
               "please report it)\n",
               insns_->out_of_order());
}

// The outcome, and the lock table on the terminal.
RunOutcome Run::collect() {
  const models::Machine& machine = *machine_;
  RunOutcome out;
  if (monitor_) {
    out.monitor = monitor_json(*monitor_);
    std::vector<LockStats> locks = taken_locks(*monitor_);
    if (!locks.empty() && !cfg_.run.quiet) std::fputs(format_lock_stats(locks).c_str(), text_out_);
    out.findings = monitor_->findings();
    out.locks = locks;
  }
  if (extras_.keep_output) {
    std::deque<std::string> lines = uart_tap_->lines();
    out.firmware_output.assign(lines.begin(), lines.end());
  }
  if (extras_.keep_uart) out.uart = uart_tap_->text();
  out.reason = machine.stop_reason();
  if (out.reason == models::StopReason::interrupted) out.signal = stop_signal();
  out.exit_code = machine.exit_code();
  out.cycles = machine.cycles();
  for (unsigned h = 0; h < machine.harts(); ++h) {
    const isa::Hart& hart = machine.hart(h);
    out.harts.push_back({hart.minstret(), hart.pc(), machine.bus().stats()[h], machine.exceptions(h)});
  }
  for (unsigned i = 0; i < machine.nics(); ++i) {
    const models::Nic& n = machine.nic(i);
    out.nics.push_back({n.spec().name, n.arrived(), n.received(), n.overruns()});
  }
  return out;
}

// The timeline and the VCD (with its GTKWave files), now that the run is over.
void Run::write_traces(RunOutcome& out) {
  // Each output is written even when another failed: a full disk that cut
  // the VCD short leaves the timeline and the report to be written. The
  // first failure is kept for the caller to report (exit 66) after them.
  auto keep_first = [&out](const Error& e) {
    if (!out.output_error) out.output_error = e;
  };
  if (timeline_) {
    try {
      timeline_->write_file(out.cycles, monitor_->findings());
      out.timeline = timeline_->path();
    } catch (const Error& e) {
      keep_first(e);
    }
  }
  if (vcd_) {
    vcd_->finish(out.cycles);  // the machine has finished it already; this is a no-op then
    if (!vcd_->write_error().empty()) {
      keep_first(Error(ExitCode::no_input, {vcd_->path()},
                       fmt::format("writing the VCD trace failed: {}", vcd_->write_error())));
      return;  // no save file for a VCD that is not whole
    }
    if (vcd_->late_values() > 0)
      fmt::print(stderr,
                 "spinlab: warning: {} values reached the VCD trace later than the machine promised and were "
                 "written late (a spinlab bug; please report it)\n",
                 vcd_->late_values());
    out.vcd = vcd_->path();
    out.vcd_bytes = vcd_->bytes_written();
    try {
      write_gtkwave(cfg_, elf_, *vcd_, monitor_.get(), out.cycles);  // FILE.gtkw and its filters
    } catch (const Error& e) {
      keep_first(e);
    }
  }
}

StagedRun::StagedRun(const Config& cfg, const ElfImage& elf, std::FILE* console, const RunExtras& extras)
    : extras_(extras), run_(std::make_unique<Run>(cfg, elf, console, extras_)), entry_(elf.entry()) {
  run_->check_outputs();
  run_->open_terminal();
  run_->build_machine();
  run_->attach_vcd();
  run_->attach_monitor();
  run_->attach_timeline();
  run_->attach_lock_holders();
  run_->attach_insn_trace();
}

StagedRun::~StagedRun() = default;

models::Machine& StagedRun::machine() { return run_->machine(); }

void StagedRun::reset() { run_->machine().reset(entry_); }

RunOutcome StagedRun::finish() {
  run_->flush_uart();
  run_->finish_terminal();
  RunOutcome out = run_->collect();
  run_->write_traces(out);
  return out;
}

RunOutcome run_machine(const Config& cfg, const ElfImage& elf, std::FILE* console, const RunExtras& extras) {
  Run run(cfg, elf, console, extras);
  run.check_outputs();
  run.open_terminal();
  run.build_machine();
  run.attach_vcd();
  run.attach_monitor();
  run.attach_timeline();
  run.attach_lock_holders();
  run.attach_insn_trace();
  run.run();
  run.finish_terminal();
  RunOutcome out = run.collect();
  run.write_traces(out);
  return out;
}

}  // namespace spinlab
