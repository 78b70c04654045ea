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

namespace spinlab::models {

enum class IrqAck : uint8_t { register_write, claim };

struct IrqSourceSpec {
  std::string name;
  unsigned line = 1;  // PLIC source ID
  uint64_t first_cycle = 0;
  uint64_t period_cycles = 0;  // 0: one event only
  uint64_t count = 1;          // 0: without end
  IrqAck ack = IrqAck::register_write;
};

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
