#include "sim/cli/run.h"

#include <algorithm>
#include <filesystem>
#include <memory>
#include <optional>
#include <string_view>

#include <fmt/format.h>

#include "firmware/include/memmap.h"
#include "sim/load/error.h"
#include "sim/out/gtkwave.h"
#include "sim/out/insn_trace.h"
#include "sim/cli/suggest.h"
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
  uint32_t cost = std::max({c.alu, c.mul, c.div, c.branch_taken, c.jump, c.load, c.store, c.amo, c.csr,
                            c.fence, c.system, c.mret, c.wfi});
  uint32_t latency = std::max({l.ram, l.uart, l.clint, l.plic, l.finisher, l.irqsrc, l.nic});
  return 2 * (uint64_t{cost} + c.trap_entry + latency) + 16;
}

// The program's symbols a misspelt name may have meant: not the mapping
// symbols ($x, $d).
std::vector<std::string> symbol_names(const ElfImage& elf, bool data_only) {
  std::vector<std::string> names;
  for (const Symbol& s : elf.symbols())
    if (!s.name.empty() && s.name[0] != '$' && !(data_only && s.function)) names.push_back(s.name);
  return names;
}

// Where a firmware param was set, for an error about it: its line in the
// config file, the --set, or else the config (or ELF) as a whole.
Place param_place(const Config& cfg, const std::string& name) {
  auto it = cfg.firmware_param_places.find(name);
  return it != cfg.firmware_param_places.end() ? it->second : Place{cfg.source};
}

}  // namespace

std::optional<std::string> nearest_symbol(const ElfImage& elf, const std::string& name) {
  std::vector<std::string> near = nearest_names(name, symbol_names(elf, false), 1);
  if (near.empty()) return std::nullopt;
  return near.front();
}

std::vector<uint32_t> traced_words(const Config& cfg, const ElfImage& elf) {
  std::vector<uint32_t> addrs;
  for (const std::string& w : cfg.trace.words) {
    uint32_t addr = 0;
    if (w.size() > 2 && w[0] == '0' && (w[1] == 'x' || w[1] == 'X')) {
      addr = static_cast<uint32_t>(std::stoul(w.substr(2), nullptr, 16));  // checked by config.cpp
    } else if (std::optional<uint32_t> a = elf.lookup(w)) {
      addr = *a & ~3u;  // the word holding the symbol
    } else {
      std::string msg = fmt::format("trace.words: no symbol `{}`", w);
      if (cfg.source != elf.path()) msg += " in " + elf.path();
      msg += did_you_mean(nearest_names(w, symbol_names(elf, false)));
      throw Error(ExitCode::bad_input, {cfg.source}, msg);
    }
    if (addr - RAM_BASE >= cfg.machine.ram_bytes)
      throw Error(ExitCode::bad_input, {cfg.source},
                  fmt::format("trace.words: `{}` ({:#010x}) is not in RAM ({:#010x}..{:#010x})", w, addr, RAM_BASE,
                              RAM_BASE + cfg.machine.ram_bytes - 1));
    addrs.push_back(addr);
  }
  return addrs;
}

void load_segments(models::Machine& machine, const ElfImage& elf) {
  // At the load address, the bytes beyond the file's are zeroed, as QEMU
  // does; all zero fill first, so a zero fill that overlaps another
  // segment's file bytes (ElfImage::load allows it) leaves them whole.
  for (int pass = 0; pass < 2; ++pass)
    for (const Segment& s : elf.segments()) {
      const auto filesz = static_cast<uint32_t>(s.data.size());
      const bool ok = pass == 0 ? machine.load(s.paddr + filesz, nullptr, 0, s.memsz - filesz)
                                : machine.load(s.paddr, s.data.data(), filesz);
      if (!ok)
        throw Error(ExitCode::bad_input, {elf.path()}, fmt::format("segment at {:#x} does not fit in RAM", s.paddr));
    }
}

ElfImage load_firmware(const Config& cfg) {
  ElfImage elf = ElfImage::load(cfg.firmware, RAM_BASE, cfg.machine.ram_bytes);
  for (const auto& entry : cfg.firmware_params) firmware_param_address(cfg, elf, entry.first);
  return elf;
}

uint32_t firmware_param_address(const Config& cfg, const ElfImage& elf, const std::string& name) {
  if (std::optional<uint32_t> addr = elf.lookup(name)) return *addr;
  std::string msg = fmt::format("firmware.params.{}: the program {} has no symbol `{}` to set", name,
                                std::filesystem::path(cfg.firmware).filename().string(), name);
  // The params the config declares come first: a scenario's knobs are what
  // a student turns; any other word of the program after them.
  std::vector<std::string> declared;
  for (const ScenarioParam& p : cfg.scenario.params) declared.push_back(p.name);
  for (const auto& entry : cfg.firmware_params)
    if (entry.first != name && elf.lookup(entry.first)) declared.push_back(entry.first);
  std::vector<std::string> guesses = nearest_names(name, declared);
  if (guesses.empty()) guesses = nearest_names(name, symbol_names(elf, true));
  if (!guesses.empty()) msg += did_you_mean(guesses);
  else if (!cfg.scenario.params.empty()) {
    msg += "; its params are ";
    for (size_t i = 0; i < cfg.scenario.params.size(); ++i)
      msg += (i ? ", `" : "`") + cfg.scenario.params[i].name + "`";
  }
  throw Error(ExitCode::bad_input, param_place(cfg, name), msg);
}

RunOutcome run_machine(const Config& cfg, const ElfImage& elf, std::FILE* console, const RunExtras& extras) {
  // The timeline shows what the monitor sees: without it there is nothing
  // to show, and running it anyway would change the run (its findings, a stop
  // at a deadlock). Said before anything is written (docs/timeline.md).
  if (!cfg.trace.timeline.empty() && cfg.run.monitor != Switch::on)
    throw Error(ExitCode::bad_input, {cfg.source},
                "trace.timeline: the timeline shows what the lock monitor sees, but run.monitor is \"off\"; "
                "set run.monitor = \"on\" (--set run.monitor=on) or drop the timeline");
  if (!cfg.trace.timeline.empty()) require_writable(cfg.trace.timeline, "timeline");  // written after the run
  models::MachineSpec spec = machine_spec(cfg, elf, console);
  // With a progress line, everything printed goes through a tap that clears
  // it first; the firmware's output goes through one that keeps its lines.
  std::unique_ptr<ProgressLine> progress;
  if (extras.progress) progress = std::make_unique<ProgressLine>(stderr, cfg.run.max_cycles);
  std::unique_ptr<ConsoleTap> uart_tap, text_tap;
  if (progress || extras.keep_output || extras.keep_uart) {
    uart_tap = std::make_unique<ConsoleTap>(console, progress.get(), extras.keep_output ? 64 : 0, extras.keep_uart);
    spec.console = uart_tap->file();
  }
  if (progress) text_tap = std::make_unique<ConsoleTap>(console, progress.get(), 0);
  std::FILE* text_out = text_tap ? text_tap->file() : console;
  // The narrative and the instruction trace go out in cycle order, with the
  // firmware's lines whole among them (sim/out/narrate.h).
  const models::Machine* running = nullptr;
  std::unique_ptr<Monitor> monitor;
  std::unique_ptr<Narrator> narrator;
  if ((cfg.run.narrate && cfg.run.monitor == Switch::on) || extras.insn_trace) {
    narrator = std::make_unique<Narrator>(
        text_out, spec.console, [&running] { return running ? running->cycles() : 0; },
        [&monitor] { return monitor ? monitor->earliest_untold() : UINT64_MAX; },
        trace_lookahead(cfg.machine.cost, cfg.machine.latency));
    spec.console = narrator->uart_file();
  }
  std::vector<uint32_t> words = traced_words(cfg, elf);  // checked even without a trace
  const bool tracing = !cfg.trace.vcd.empty();
  if (tracing) spec.watch = words;
  models::Machine machine("machine", spec);
  running = &machine;
  load_segments(machine, elf);
  AttachedDevices devices = attach_devices(cfg, machine, extras.devices);  // [[device]]s, then the caller's

  std::unique_ptr<VcdTracer> vcd;
  if (tracing) {
    VcdOptions o;
    o.path = cfg.trace.vcd;
    o.harts = cfg.machine.harts;
    o.clock_hz = cfg.machine.clock_hz;
    o.plic_sources = cfg.machine.plic_sources;
    o.words = cfg.trace.words;
    o.mtime_at = [&machine](uint64_t cycle) { return machine.clint().mtime_at(cycle); };
    o.lookahead_cycles = trace_lookahead(cfg.machine.cost, cfg.machine.latency);
    o.lock_holders = cfg.run.monitor == Switch::on;  // locks.NAME, from the monitor's events
    o.threads = o.lock_holders;  // hartN.thread, from the monitor's events too
    if (o.lock_holders) o.lookahead_cycles = std::max(o.lookahead_cycles, kLockHolderLookahead);
    if (std::optional<CycleWindow> w = parse_cycle_window(cfg.trace.window)) {  // checked when read
      o.window_from = w->from;
      o.window_to = w->to;
    }
    vcd = std::make_unique<VcdTracer>(std::move(o));
    machine.set_tracer(vcd.get());  // before reset(), which reports cycle 0
  }
  for (const auto& [name, value] : cfg.firmware_params) {
    uint32_t word = static_cast<uint32_t>(value);
    // At its load address: start-up code that copies .data carries it along.
    if (!machine.load(elf.load_address(firmware_param_address(cfg, elf, name)), reinterpret_cast<const uint8_t*>(&word), 4))
      throw Error(ExitCode::bad_input, param_place(cfg, name),
                  fmt::format("firmware.params.{}: `{}` is not in RAM", name, name));
  }
  // The lock monitor: findings as they happen, the lock table at the end.
  if (cfg.run.monitor == Switch::on) {
    monitor = std::make_unique<Monitor>(&elf, cfg.machine.harts, cfg.monitor);
    monitor->set_return_address([&machine](unsigned h) { return machine.hart(h).x(1); });
    monitor->set_interrupt_enables([&machine](unsigned h) { return machine.hart(h).csrs().mie; });
    monitor->set_stack_reader([&machine](unsigned h, int32_t offset) {
      return machine.peek(machine.hart(h).x(2) + static_cast<uint32_t>(offset));
    });
    if (!cfg.run.quiet)
      monitor->set_on_finding([text_out, n = narrator.get(), &machine, color = extras.color](const Finding& f) {
        std::string text = format_finding(f);
        if (color) text = paint_finding(text, f);
        // At the cycle it was found: some findings date what they found
        // earlier (a switch holding a lock, told at the next switch).
        if (n) return n->add(std::max(f.cycle, machine.cycles()), std::move(text));
        std::fflush(text_out);
        std::fputs(text.c_str(), text_out);
      });
    if (cfg.run.on_deadlock == OnDeadlock::stop)
      monitor->set_on_deadlock([&machine](const Finding&) { machine.request_stop(models::StopReason::deadlock); });
    if (cfg.run.narrate)
      monitor->add_listener([n = narrator.get(), m = monitor.get(), &filter = extras.filter,
                             color = extras.color](const Event& e) {
        if (!filter.event(e)) return;
        std::string line = m->describe(e);
        n->add(e.cycle, color ? paint_event(line, e, *m) : line);
      });
    machine.set_observer(monitor.get());
  }
  // The timeline records the monitor's events and is written at the end.
  std::unique_ptr<Timeline> timeline;
  if (monitor && !cfg.trace.timeline.empty()) {
    TimelineOptions o;
    o.path = cfg.trace.timeline;
    std::string name = std::filesystem::path(cfg.source).stem().string();
    o.title = name.empty() ? "spinlab" : "spinlab " + name;
    o.harts = cfg.machine.harts;
    o.clock_hz = cfg.machine.clock_hz;
    timeline = std::make_unique<Timeline>(*monitor, std::move(o));
    monitor->add_listener([t = timeline.get()](const Event& e) { t->add(e); });
  }
  // The VCD's lock holder signals follow the monitor's acquires and releases.
  std::unique_ptr<LockHolderTrace> holders;
  if (monitor && vcd) {
    holders = std::make_unique<LockHolderTrace>(*vcd, words);
    monitor->add_listener([h = holders.get()](const Event& e) { h->on_event(e); });
  }
  std::unique_ptr<InsnTrace> insns;
  if (extras.insn_trace) {
    insns = std::make_unique<InsnTrace>(elf, text_out);
    insns->set_narrator(narrator.get(), &extras.filter);
    machine.set_insn_observer(insns.get());
  }
  if (progress) machine.set_progress([p = progress.get()](uint64_t cycle) { p->tick(cycle); }, 1u << 16);
  machine.reset(elf.entry());
  machine.run();
  if (narrator) {
    narrator->finish();
    if (narrator->late() > 0)
      fmt::print(stderr, "spinlab: warning: {} narrative lines were learnt too late to be printed in cycle order "
                 "(held {} cycles at most; docs/terminal.md)\n", narrator->late(), kNarrateHorizon);
  }
  // A name in --narrate=LOCK,... that never was a lock: its silence is no news.
  if (monitor && cfg.run.narrate) {
    const std::vector<LockStats> seen = monitor->lock_stats();
    for (size_t i = 0; i < extras.filter.locks.size(); ++i)
      if (std::none_of(seen.begin(), seen.end(), [&](const LockStats& l) {
            return l.lock.addr == extras.filter.locks[i] && l.acquisitions > 0;
          }))
        fmt::print(stderr, "spinlab: warning: --narrate: `{}` was never taken as a lock in this run\n",
                   extras.filter.lock_names[i]);
  }
  if (progress) progress->clear();
  if (insns && insns->out_of_order() > 0)
    fmt::print(stderr, "spinlab: warning: {} steps reached the instruction trace out of cycle order (a spinlab bug; "
               "please report it)\n", insns->out_of_order());

  RunOutcome out;
  if (monitor) {
    out.monitor = monitor_json(*monitor);
    // The table lists what was used as a lock: a word only ever spun on
    // (an LR/SC retry, say) and never taken is no lock to report.
    std::vector<LockStats> locks = monitor->lock_stats();
    locks.erase(std::remove_if(locks.begin(), locks.end(), [](const LockStats& l) { return l.acquisitions == 0; }),
                locks.end());
    if (!locks.empty() && !cfg.run.quiet) std::fputs(format_lock_stats(locks).c_str(), text_out);
    out.findings = monitor->findings();
    out.locks = locks;
  }
  if (extras.keep_output) {
    std::deque<std::string> lines = uart_tap->lines();
    out.firmware_output.assign(lines.begin(), lines.end());
  }
  if (extras.keep_uart) out.uart = uart_tap->text();
  out.reason = machine.stop_reason();
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
  if (timeline) {
    timeline->write_file(out.cycles, monitor->findings());
    out.timeline = timeline->path();
  }
  if (vcd) {
    vcd->finish(out.cycles);  // the machine has finished it already; this is a no-op then
    if (!vcd->write_error().empty())
      throw Error(ExitCode::bad_input, {vcd->path()}, fmt::format("writing the VCD trace failed: {}", vcd->write_error()));
    if (vcd->late_values() > 0)
      fmt::print(stderr, "spinlab: warning: {} values reached the VCD trace later than the machine promised and were "
                 "written late (a spinlab bug; please report it)\n", vcd->late_values());
    out.vcd = vcd->path();
    out.vcd_bytes = vcd->bytes_written();
    write_gtkwave(cfg, elf, *vcd, monitor.get(), out.cycles);  // FILE.gtkw and its filters
  }
  return out;
}

int exit_status(const RunOutcome& outcome) {
  switch (outcome.reason) {
    case models::StopReason::finisher:
    case models::StopReason::tohost: return outcome.exit_code & 0xff;
    case models::StopReason::cycle_limit: return static_cast<int>(ExitCode::cycle_limit);
    case models::StopReason::asleep: return static_cast<int>(ExitCode::asleep);
    case models::StopReason::deadlock: return static_cast<int>(ExitCode::deadlock);
    case models::StopReason::running: break;
  }
  return static_cast<int>(ExitCode::internal);
}

std::string format_exceptions(const ElfImage& elf, const models::ExceptionStats& e) {
  if (e.count == 0) return "";
  Site at;
  at.pc = e.first_pc;
  at.where = elf.describe(e.first_pc);
  at.line = elf.source_line(e.first_pc).value_or("");
  return fmt::format("{} exception{}, first: {} at {}, mtval {:#010x}, cycle {}", e.count, e.count == 1 ? "" : "s",
                     isa::exception_words(e.first_cause), format_site(at), e.first_mtval, e.first_cycle);
}

void print_summary(std::FILE* out, const Config& cfg, const ElfImage& elf, const RunOutcome& o) {
  double ms = static_cast<double>(o.cycles) * 1e3 / static_cast<double>(cfg.machine.clock_hz);
  std::string ending = fmt::format("stopped at cycle {} ({:.3f} ms at {} MHz): {}", o.cycles, ms,
                                   static_cast<double>(cfg.machine.clock_hz) / 1e6, models::to_string(o.reason));
  if (o.reason == models::StopReason::finisher || o.reason == models::StopReason::tohost)
    ending += fmt::format(", exit code {}", o.exit_code);
  fmt::print(out, "spinlab: {}\n", ending);
  for (size_t h = 0; h < o.harts.size(); ++h) {
    const HartSummary& s = o.harts[h];
    fmt::print(out, "  hart{}: {} instructions retired, pc {} ({:#010x}), {} bus transactions, {} cycles waiting for the bus\n",
               h, s.instret, elf.describe(s.pc), s.pc, s.bus.transactions, s.bus.wait_cycles);
    // A firmware looping in its fault handler shows here at a glance.
    if (s.exceptions.count) fmt::print(out, "  hart{}: {}\n", h, format_exceptions(elf, s.exceptions));
  }
  for (const NicSummary& n : o.nics)
    fmt::print(out, "  nic {}: {} frames arrived, {} into the ring, {} overruns (dropped: no free slot)\n", n.name,
               n.arrived, n.received, n.overruns);
  // Misaligned loads and stores trap here by default (the spec allows it),
  // where QEMU performs them: firmware tried only on QEMU may never have
  // known it made any.
  const bool misaligned = std::any_of(o.harts.begin(), o.harts.end(), [](const HartSummary& s) {
    const uint32_t c = s.exceptions.first_cause;
    return s.exceptions.count && (c == static_cast<uint32_t>(isa::Exception::misaligned_load) ||
                                  c == static_cast<uint32_t>(isa::Exception::misaligned_store));
  });
  if (misaligned && cfg.machine.misaligned == Misaligned::trap)
    fmt::print(out, "  note: misaligned loads and stores trap (machine.misaligned = \"trap\"); QEMU performs them, "
                    "and so does spinlab with --set machine.misaligned=emulate\n");
  if (!o.vcd.empty()) {
    double kib = static_cast<double>(o.vcd_bytes) / 1024.0;
    std::string size = kib < 1024.0 ? fmt::format("{:.1f} KiB", kib) : fmt::format("{:.1f} MiB", kib / 1024.0);
    fmt::print(out, "  VCD trace: {} ({}; open it with: gtkwave {}, see docs/tracing.md)\n", o.vcd, size,
               gtkwave_files(o.vcd).gtkw);
  }
  if (!o.timeline.empty())
    fmt::print(out, "  timeline: {} (open it at ui.perfetto.dev, see docs/timeline.md)\n", o.timeline);
  std::fflush(out);
}

}  // namespace spinlab
