// The whole machine on random instruction words: 1-4 harts run the input as
// their program for a bounded number of cycles, the lock monitor watching.
// Input: byte 0 chooses the machine, the rest is the program, loaded at
// RAM_BASE (after a short prologue when asked), every hart starting there.
//   bits 0-1  harts - 1
//   bit 2     a prologue first: mtvec to a handler that steps over the
//             faulting instruction, and a stack per hart, so that random code
//             goes on past its first fault
//   bit 3     run it twice: the second run must be the same as the first
//   bit 4     machine.isa = "rv32ima" (no C extension)
//   bit 5     machine.start = "hart0"
//   bit 6     fixed-priority arbitration
//   bit 7     the monitor describes every event (the narrative's text)
// The run must end (a stop reason, within the cycle bound); the findings are
// formatted as the terminal prints them, the lock table and the monitor's
// JSON made as a report has them.
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "firmware/include/memmap.h"
#include "models/machine.h"
#include "sim/monitor/monitor.h"
#include "tests/fuzz/targets.h"
#include "tests/fuzz/targets/rv32.h"

namespace spinlab::fuzz {
namespace {

// Room for a bundled program whole (its stacks are 256 KiB), as seeds.
constexpr uint32_t kRamBytes = 1u << 20;
constexpr uint64_t kMaxCycles = 4000;
constexpr size_t kMaxProgramBytes = 64u << 10;

// mtvec -> the handler below; sp = the top of RAM less 1 KiB per hart; then
// over the handler, which steps over the faulting instruction (4 bytes).
const std::vector<uint8_t>& prologue() {
  using namespace rv32;
  static const std::vector<uint8_t> image = bytes({
      auipc(t0), addi(t0, t0, 7 * 4), csrrw(0, kMtvec, t0), slli(t1, a0, 10), lui(sp, RAM_BASE + kRamBytes),
      sub(sp, sp, t1), jal_x0(5 * 4),
      // handler (word 7):
      csrr(t6, kMepc), addi(t6, t6, 4), csrrw(0, kMepc, t6), kMret,
      kNop,  // so that the jump lands past the handler's last word
  });
  return image;
}

struct Outcome {
  models::StopReason reason = models::StopReason::running;
  uint64_t cycles = 0;
  std::vector<uint64_t> instret;
  std::vector<uint32_t> pcs;
  std::string findings;
  std::string locks;
  size_t lock_count = 0;

  bool operator==(const Outcome& o) const {
    return reason == o.reason && cycles == o.cycles && instret == o.instret && pcs == o.pcs && findings == o.findings &&
           locks == o.locks;
  }
};

Outcome run_once(uint8_t choice, const std::vector<uint8_t>& image) {
  fresh_kernel();
  models::MachineSpec spec;
  spec.harts = 1 + (choice & 3);
  spec.ram_bytes = kRamBytes;
  spec.max_cycles = kMaxCycles;
  spec.compressed = !(choice & 0x10);
  spec.start_hart0_only = choice & 0x20;
  spec.arbitration = choice & 0x40 ? models::Arbitration::fixed_priority : models::Arbitration::round_robin;
  spec.console = null_sink();
  Outcome out;
  models::Machine m("machine", spec);
  if (!m.load(RAM_BASE, image.data(), static_cast<uint32_t>(image.size()))) fail("the program does not fit in RAM");
  Monitor monitor(nullptr, spec.harts);
  monitor.set_return_address([&m](unsigned h) { return m.hart(h).x(1); });
  monitor.set_interrupt_enables([&m](unsigned h) { return m.hart(h).csrs().mie; });
  monitor.set_stack_reader(
      [&m](unsigned h, int32_t offset) { return m.peek(m.hart(h).x(2) + static_cast<uint32_t>(offset)); });
  monitor.set_on_finding([&out](const Finding& f) { out.findings += format_finding(f); });
  monitor.set_on_deadlock([&m](const Finding&) { m.request_stop(models::StopReason::deadlock); });
  if (choice & 0x80) monitor.add_listener([&monitor](const Event& e) { monitor.describe(e); });
  m.add_hooks(monitor);
  m.reset(RAM_BASE);
  m.run();

  out.reason = m.stop_reason();
  out.cycles = m.cycles();
  for (unsigned h = 0; h < m.harts(); ++h) {
    out.instret.push_back(m.hart(h).minstret());
    out.pcs.push_back(m.hart(h).pc());
  }
  if (out.reason == models::StopReason::running) fail("the run returned without a stop reason");
  if (out.cycles > kMaxCycles)
    fail(fmt::format("the run went on to cycle {}, past its limit of {}", out.cycles, kMaxCycles));
  const std::vector<LockStats> locks = monitor.lock_stats();
  out.lock_count = locks.size();
  out.locks = format_lock_stats(locks);
  monitor_json(monitor).dump();
  return out;
}

}  // namespace

void machine_one(const uint8_t* data, size_t size) {
  if (size == 0) return;
  const uint8_t choice = data[0];
  std::vector<uint8_t> image;
  if (choice & 4) image = prologue();
  image.insert(image.end(), data + 1, data + std::min(size, kMaxProgramBytes + 1));
  const Outcome first = run_once(choice, image);
  // For a person looking at what an input does (the README's "Fuzzing").
  static const bool verbose = std::getenv("SPINLAB_FUZZ_VERBOSE") != nullptr;
  if (verbose)
    std::fprintf(stderr, "machine: %u harts, stopped at cycle %llu (%s), %zu lock(s)\n%s", 1 + (choice & 3),
                 static_cast<unsigned long long>(first.cycles), models::to_string(first.reason), first.lock_count,
                 first.findings.c_str());
  if ((choice & 8) && !(run_once(choice, image) == first)) fail("the same program ran differently the second time");
}

}  // namespace spinlab::fuzz
