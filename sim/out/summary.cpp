#include "sim/out/summary.h"

#include <algorithm>

#include <fmt/format.h>

#include "isa/hart.h"
#include "sim/monitor/monitor.h"
#include "sim/out/gtkwave.h"

namespace spinlab {

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
    fmt::print(
        out,
        "  hart{}: {} instructions retired, pc {} ({:#010x}), {} bus transactions, {} cycles waiting for the bus\n", h,
        s.instret, elf.describe(s.pc), s.pc, s.bus.transactions, s.bus.wait_cycles);
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
    fmt::print(out,
               "  note: misaligned loads and stores trap (machine.misaligned = \"trap\"); QEMU performs them, "
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
