// What the machine tells a tracer as it runs (the VCD writer in sim/ is one).
// The machine calls a tracer only when one is attached: with tracing off the
// cost is one untaken branch per event.
//
// Calls come in nondecreasing cycle order, except that a value may be given
// for a later cycle than the current one (a hart that will wait for the bus
// from cycle t + cost is reported when it issues at t). A tracer must accept
// such future values and write everything in time order.
#pragma once

#include <cstdint>

namespace spinlab::models {

// Why a hart is not issuing an instruction this cycle.
enum class Stall : uint8_t {
  none = 0,       // issuing
  multicycle = 1, // inside a multi-cycle instruction (divide, trap entry, ...)
  bus = 2,        // waiting for the bus, or holding it for the target's latency
  wfi = 3,        // asleep in wfi
};

enum class BusKind : uint8_t { idle = 0, read = 1, write = 2, amo = 3 };

// How deep interrupt handlers nest, as the harts count it (Core::irq_depth),
// the trace shows it (HartTrace, the VCD's hartN.irq_depth) and the monitor
// draws it: one byte; deeper nesting counts and shows as the deepest. The
// one place for that bound.
using IrqDepth = uint8_t;
inline constexpr unsigned kMaxIrqDepth = 255;
static_assert(kMaxIrqDepth == static_cast<IrqDepth>(~IrqDepth{0}), "kMaxIrqDepth is IrqDepth's largest value");

struct HartTrace {
  uint32_t pc = 0;        // the instruction issued (or the handler entered)
  uint32_t insn = 0;      // its bits (0 for an interrupt entry)
  uint64_t retired = 0;   // minstret
  bool mstatus_mie = false;
  uint32_t mip = 0;
  uint32_t mie = 0;
  IrqDepth irq_depth = 0;  // interrupt handlers entered and not yet left by mret
  Stall stall = Stall::none;
  // What the hart runs: 0 its own code (a thread); in an interrupt handler
  // (the innermost, when they nest) the interrupt's cause code (3 software,
  // 7 timer, 11 external) plus, for an external one, the PLIC source it came
  // for << 16 (the one the handler will claim). docs/tracing.md.
  uint32_t context = 0;
  // The privilege mode after the instruction, as the spec encodes it
  // (privileged 1.2, table 1.1): 0 user, 3 machine.
  uint8_t priv = 3;
};

class Tracer {
 public:
  virtual ~Tracer() = default;
  // Hart h's state from `cycle` on.
  virtual void hart(uint64_t cycle, unsigned h, const HartTrace& state) = 0;
  // Hart h's stall reason from `cycle` on (the other values unchanged).
  virtual void stall(uint64_t cycle, unsigned h, Stall why) = 0;
  // The bus from `cycle` on: owner -1 and BusKind::idle when free.
  virtual void bus(uint64_t cycle, int owner, uint32_t addr, BusKind kind) = 0;
  // PLIC source `line`'s level from `cycle` on.
  virtual void irq_line(uint64_t cycle, unsigned line, bool level) = 0;
  // Traced word `index` (in the order the spec listed them) holds `value`.
  virtual void word(uint64_t cycle, unsigned index, uint32_t value) = 0;
  // The run ended at `cycle`: write what is pending and close.
  virtual void finish(uint64_t cycle) = 0;
};

}  // namespace spinlab::models
