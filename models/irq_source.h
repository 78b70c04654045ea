// Interrupt sources: devices that raise a PLIC line at given cycles, standing
// in for a NIC or a disk in the top-half/bottom-half lessons. Each source
// raises `count` events (0: without end), the first at cycle `first_cycle`,
// then every `period_cycles`. How the handler acknowledges an event:
//   ack = register: the line stays high until the handler writes ACK once per
//         event (a device with an interrupt status register);
//   ack = claim:    the line pulses (high for one delta cycle); claiming it at
//         the PLIC is the only acknowledgement needed (an edge-triggered
//         source).
// The block notifies its own event at the cycle of the next event; its
// method raises the events due and drives irq_out[i], source i's line.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/device_base.h"
#include "models/timing.h"

namespace spinlab::models {

using spinlab::IrqAck;
using spinlab::IrqSourceSpec;

// The block of all sources, one register window each (memmap.h IRQSRC_*).
class IrqSources : public Device {
 public:
  sc_core::sc_vector<sc_core::sc_out<bool>> irq_out;  // [i]: source i's line (specs[i].line)

  explicit IrqSources(std::vector<IrqSourceSpec> specs, sc_core::sc_module_name name = "irqsrc");

  bool read(uint32_t addr, unsigned size, uint32_t& value) override;
  bool write(uint32_t addr, unsigned size, uint32_t value) override;
  bool can_raise(unsigned, isa::Interrupt irq) const override {
    return irq == isa::Interrupt::external && next_ != kNever;
  }

  const std::vector<IrqSourceSpec>& specs() const { return specs_; }
  // The next cycle at which a source raises an event (kNever: none left).
  uint64_t next_event() const { return next_; }
  uint64_t raised(unsigned i) const { return state_[i].raised; }

  static constexpr uint64_t kNever = ~uint64_t{0};

 private:
  SC_HAS_PROCESS(IrqSources);
  struct State {
    uint64_t next = 0;       // cycle of the next event, kNever when done
    uint64_t raised = 0;     // events so far
    uint64_t unacked = 0;    // raised and not acknowledged (ack = register)
    bool pulse = false;      // ack = claim: raised in this delta cycle
  };
  void plan();
  // Raises every event due at `now`.
  void fire(uint64_t now);
  // Raises what is due at SystemC's cycle, drives the lines, arms the next event.
  void drive();

  std::vector<IrqSourceSpec> specs_;
  std::vector<State> state_;
  uint64_t next_ = kNever;
  sc_core::sc_event changed_;  // an ACK was written, or a pulse ends
  sc_core::sc_event due_;      // the next event
};

}  // namespace spinlab::models
