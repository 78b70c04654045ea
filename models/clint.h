// The CLINT (core-local interruptor) at CLINT_BASE, laid out as on QEMU's
// virt machine: msip[h] raises hart h's software interrupt (MSIP), mtime
// counts at clock / mtime_divider, and mtimecmp[h] raises hart h's timer
// interrupt (MTIP) while mtime >= mtimecmp[h] (privileged spec 3.2.1).
//
// mtime is not ticked: it is computed from the machine's cycle when read (the
// harts' `time` CSR reads it at the cluster's own cycle, with no sync). The
// cycle at which the next MTIP rises is computed when mtimecmp or mtime is
// written, and the CLINT notifies its own event for it: at that SystemC time
// its method raises the line, so the scheduler jumps straight there.
// Outputs: msip[h] and mtip[h], one signal per hart.
#pragma once

#include <cstdint>
#include <vector>

#include "isa/hart.h"
#include "models/device_base.h"

namespace spinlab::models {

class Clint : public Device, public isa::TimeSource {
 public:
  sc_core::sc_vector<sc_core::sc_out<bool>> msip_out;
  sc_core::sc_vector<sc_core::sc_out<bool>> mtip_out;

  // `now` points at the machine's cycle counter, read for mtime.
  Clint(unsigned harts, uint32_t mtime_divider, const uint64_t* now, sc_core::sc_module_name name = "clint");

  bool read(uint32_t addr, unsigned size, uint32_t& value) override;
  bool write(uint32_t addr, unsigned size, uint32_t value) override;
  bool can_raise(unsigned hart, isa::Interrupt irq) const override {
    return irq == isa::Interrupt::timer && mtimecmp_[hart] != kNever;
  }
  uint64_t mtime() const override { return mtime_at(*now_); }

  uint64_t mtime_at(uint64_t cycle) const;
  bool msip(unsigned hart) const { return msip_[hart]; }
  bool mtip_at(unsigned hart, uint64_t cycle) const { return mtime_at(cycle) >= mtimecmp_[hart]; }
  // The first cycle >= now at which hart's MTIP is set (kNever if never).
  uint64_t mtip_rises_at(unsigned hart) const { return mtip_rises_from(hart, *now_); }
  uint64_t mtimecmp(unsigned hart) const { return mtimecmp_[hart]; }

  static constexpr uint64_t kNever = ~uint64_t{0};

 private:
  SC_HAS_PROCESS(Clint);
  uint64_t mtip_rises_from(unsigned hart, uint64_t cycle) const;
  void set_mtime(uint64_t value);
  // Drives every hart's lines from the registers at SystemC's cycle and arms
  // the event of the next MTIP rise.
  void drive();

  uint32_t divider_;
  const uint64_t* now_;
  uint64_t epoch_cycle_ = 0;  // mtime = epoch_value_ + (cycle - epoch_cycle_) / divider
  uint64_t epoch_value_ = 0;
  std::vector<uint8_t> msip_;
  std::vector<uint64_t> mtimecmp_;
  sc_core::sc_event changed_;  // a register was written
  sc_core::sc_event rise_;     // the next MTIP rises
};

}  // namespace spinlab::models
