// Interrupt sources: devices that raise a PLIC line at given cycles, standing
// in for a NIC or a disk in the top-half/bottom-half lessons. Each source
// raises `count` events (0: without end), the first at cycle `first_cycle`,
// then every `period_cycles`. How the handler acknowledges an event:
//   ack = register: the line stays high until the handler writes ACK once per
//         event (a device with an interrupt status register);
//   ack = claim:    the line pulses; claiming it at the PLIC is the only
//         acknowledgement needed (an edge-triggered source).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "isa/mem.h"
#include "models/plic.h"
#include "models/timing.h"

namespace spinlab::models {

using spinlab::IrqAck;
using spinlab::IrqSourceSpec;

// The block of all sources, one register window each (memmap.h IRQSRC_*).
class IrqSources : public isa::Target {
 public:
  IrqSources(std::vector<IrqSourceSpec> specs, Plic& plic);

  bool read(uint32_t addr, unsigned size, uint32_t& value) override;
  bool write(uint32_t addr, unsigned size, uint32_t value) override;

  // The next cycle at which a source raises an event (kNever: none left).
  uint64_t next_event() const { return next_; }
  // Raises every event due at `now`.
  void fire(uint64_t now);
  uint64_t raised(unsigned i) const { return state_[i].raised; }

  static constexpr uint64_t kNever = ~uint64_t{0};

 private:
  struct State {
    uint64_t next = 0;       // cycle of the next event, kNever when done
    uint64_t raised = 0;     // events so far
    uint64_t unacked = 0;    // raised and not acknowledged (ack = register)
  };
  void plan();

  std::vector<IrqSourceSpec> specs_;
  std::vector<State> state_;
  Plic& plic_;
  uint64_t next_ = kNever;
};

}  // namespace spinlab::models
