#include "sim/run.h"

#include <fmt/format.h>

#include "firmware/include/memmap.h"
#include "sim/error.h"

namespace spinlab {

namespace {

models::MachineSpec machine_spec(const Config& cfg, const ElfImage& elf, std::FILE* console) {
  models::MachineSpec spec;
  spec.harts = cfg.machine.harts;
  spec.clock_hz = cfg.machine.clock_hz;
  spec.ram_bytes = cfg.machine.ram_bytes;
  spec.misaligned_emulate = cfg.machine.misaligned == Misaligned::emulate;
  spec.start_hart0_only = cfg.machine.start == StartMode::hart0;
  spec.arbitration = cfg.machine.arbitration;
  spec.mtime_divider = cfg.machine.mtime_divider;
  spec.plic_sources = cfg.machine.plic_sources;
  spec.irq_sources = cfg.machine.irq_sources;
  spec.skip_idle = cfg.run.skip_idle;
  spec.latency = cfg.machine.latency;
  spec.cost = cfg.machine.cost;
  spec.max_cycles = cfg.run.max_cycles;
  spec.tohost = elf.lookup("tohost");
  spec.console = console;
  return spec;
}

}  // namespace

ElfImage load_firmware(const Config& cfg) { return ElfImage::load(cfg.firmware, RAM_BASE, cfg.machine.ram_bytes); }

RunOutcome run_machine(const Config& cfg, const ElfImage& elf, std::FILE* console) {
  models::Machine machine("machine", machine_spec(cfg, elf, console));
  for (const Segment& s : elf.segments())
    if (!machine.load(s.vaddr, s.data.data(), static_cast<uint32_t>(s.data.size())))
      throw Error(ExitCode::bad_input, {cfg.firmware}, fmt::format("segment at {:#x} does not fit in RAM", s.vaddr));
  machine.reset(elf.entry());
  machine.run();

  RunOutcome out;
  out.reason = machine.stop_reason();
  out.exit_code = machine.exit_code();
  out.cycles = machine.cycles();
  for (unsigned h = 0; h < machine.harts(); ++h) {
    const isa::Hart& hart = machine.hart(h);
    out.harts.push_back({hart.minstret(), hart.pc(), machine.bus().stats()[h]});
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
  }
  std::fflush(out);
}

}  // namespace spinlab
