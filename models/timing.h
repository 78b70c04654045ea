// What time costs in the machine: cycles per bus access to each target and
// cycles per instruction class. The machine's timing model reads these;
// sim/load/config.cpp fills them from the config file.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

namespace spinlab {

// One cycle at `clock_hz`, in picoseconds (SystemC's resolution), to the
// nearest: the machine's period, and what the config checks a run's last
// cycle against (2^63 ps is all SystemC's time counts).
inline uint64_t cycle_picoseconds(uint64_t clock_hz) {
  return std::max<uint64_t>(1, static_cast<uint64_t>(std::llround(1e12 / static_cast<double>(clock_hz))));
}

// Who gets the bus when several harts ask in the same cycle.
enum class Arbitration : uint8_t {
  round_robin,     // the first asking hart after the last owner
  fixed_priority,  // the lowest hart number, always (can starve the others)
};

// Cycles the bus is held for one access to each target.
struct Latencies {
  uint32_t ram = 1;
  uint32_t uart = 2;
  uint32_t clint = 2;
  uint32_t plic = 2;
  uint32_t finisher = 1;
  uint32_t irqsrc = 2;
  uint32_t nic = 2;
};

// Cycles an instruction of each class occupies the hart (loads, stores and
// AMOs add the bus wait and the target's latency on top).
struct Costs {
  uint32_t alu = 1;
  uint32_t mul = 3;
  uint32_t div = 33;
  uint32_t branch_taken = 2;  // a not-taken branch costs alu
  uint32_t jump = 2;
  uint32_t load = 1;
  uint32_t store = 1;
  uint32_t amo = 1;
  uint32_t csr = 1;
  uint32_t fence = 1;
  uint32_t system = 1;      // ecall, ebreak (the trap entry is charged on top)
  uint32_t trap_entry = 4;
  uint32_t mret = 3;
  uint32_t wfi = 1;
};

// How the handler acknowledges an interrupt source's event.
enum class IrqAck : uint8_t {
  register_write,  // "register": the line stays high until the handler writes ACK
  claim,           // "claim": the line pulses; claiming it at the PLIC is enough
};

// A device that raises a PLIC line at given cycles (models/irq_source.h).
struct IrqSourceSpec {
  std::string name;
  uint32_t line = 1;  // PLIC source ID
  uint64_t first_cycle = 0;
  uint64_t period_cycles = 0;  // 0: one event only
  uint64_t count = 1;          // 0: without end
  IrqAck ack = IrqAck::register_write;
};

// A receive-only network device (models/nic.h): frames arrive in bursts of
// burst_frames, burst_gap_cycles apart; gap_cycles (+- up to
// gap_jitter_cycles, drawn from the seed) pass from a burst's last frame to
// the next burst's first.
struct NicSpec {
  std::string name;
  uint32_t line = 1;  // PLIC source ID
  uint64_t first_cycle = 0;
  uint64_t gap_cycles = 10'000;
  uint64_t gap_jitter_cycles = 0;
  uint32_t burst_frames = 1;
  uint64_t burst_gap_cycles = 100;
  uint64_t count = 0;  // frames in all; 0: without end
  uint32_t frame_min_bytes = 64;
  uint32_t frame_max_bytes = 1518;
  uint32_t seed = 1;
};

}  // namespace spinlab
