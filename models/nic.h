// A receive-only NIC, the device the top-half/bottom-half lessons drain.
// Frames arrive on a schedule drawn from the config (NicSpec: bursts, gaps,
// a seed). For each frame the device writes a descriptor (length, sequence
// number) into the driver's ring in RAM, as DMA, and advances HEAD; the
// driver reads the slots up to HEAD and hands them back by writing TAIL.
// With no free slot the frame is dropped and counted as an overrun. The
// interrupt line is level: high while IRQ_STATUS & IRQ_ENABLE is not zero,
// until the handler writes the bits back to IRQ_STATUS (write 1 to clear).
//
// The NIC notifies its own event at the cycle of the next frame; its method
// delivers the frames due and drives irq_out.
//
// The DMA write lands in RAM in the cycle the frame arrives, beside the bus:
// it takes no bus cycles and no hart waits for it (a device with its own
// port into RAM). The lock monitor and traced words do not see it.
// Registers: firmware/include/memmap.h (NIC_*), docs/machine.md.
#pragma once

#include <cstdint>
#include <random>

#include "models/device_base.h"
#include "models/ram.h"
#include "models/timing.h"

namespace spinlab::models {

using spinlab::NicSpec;

class Nic : public Device {
 public:
  sc_core::sc_out<bool> irq_out;

  // `base`: where its register window starts on the bus; `ram`: where its
  // DMA writes land. (The name is the module's: spec.name.)
  Nic(sc_core::sc_module_name name, const NicSpec& spec, uint32_t base, Ram& ram);

  bool read(uint32_t addr, unsigned size, uint32_t& value) override;
  bool write(uint32_t addr, unsigned size, uint32_t value) override;
  bool can_raise(unsigned, isa::Interrupt irq) const override {
    return irq == isa::Interrupt::external && next_ != kNever;
  }

  // The cycle the next frame arrives (kNever: no more frames).
  uint64_t next_event() const { return next_; }
  // Delivers every frame due at `now` (drive() does, at SystemC's cycle).
  void fire(uint64_t now);
  // The level the interrupt output is driven to.
  bool line() const { return (irq_status_ & irq_enable_) != 0; }

  const NicSpec& spec() const { return spec_; }
  uint64_t arrived() const { return seq_; }        // frames so far, delivered or dropped
  uint64_t received() const { return received_; }  // written into the ring
  uint64_t overruns() const { return overruns_; }  // dropped: no free slot

  static constexpr uint64_t kNever = ~uint64_t{0};

 private:
  SC_HAS_PROCESS(Nic);
  // Delivers every frame due at SystemC's cycle, drives the line, arms the
  // next frame's event.
  void drive();
  void deliver();
  void plan_next();
  // A draw from the generator, uniform in [lo, hi]: the generator's 32 bits
  // scaled by multiplication, so the sequence is the same on every standard
  // library (std::mt19937's output is specified; its distributions are not).
  uint64_t draw(uint64_t lo, uint64_t hi);
  bool ring_in_ram() const;

  NicSpec spec_;
  Ram& ram_;
  std::mt19937 gen_;

  uint32_t ring_base_ = 0;
  uint32_t ring_size_ = 0;
  uint32_t head_ = 0;
  uint32_t tail_ = 0;
  uint32_t irq_status_ = 0;
  uint32_t irq_enable_ = 0;

  uint64_t next_ = kNever;
  uint32_t in_burst_ = 0;  // frames of the current burst delivered
  uint64_t seq_ = 0;       // frames arrived
  uint64_t received_ = 0;
  uint64_t overruns_ = 0;
  sc_core::sc_event changed_;  // a register was written
  sc_core::sc_event frame_;    // the next frame arrives
};

}  // namespace spinlab::models
