// The CLINT (core-local interruptor) at CLINT_BASE, laid out as on QEMU's
// virt machine: msip[h] raises hart h's software interrupt (MSIP), mtime
// counts at clock / mtime_divider, and mtimecmp[h] raises hart h's timer
// interrupt (MTIP) while mtime >= mtimecmp[h] (privileged spec 3.2.1).
//
// mtime is not ticked: it is computed from the machine's cycle when read, and
// the cycle at which each MTIP will next rise is computed when mtimecmp or
// mtime is written, so the scheduler can jump straight to it.
#pragma once

#include <cstdint>
#include <vector>

#include "isa/hart.h"
#include "isa/mem.h"

namespace spinlab::models {

class Clint : public isa::Target, public isa::TimeSource {
 public:
  // `now` points at the machine's cycle counter, read on every access.
  Clint(unsigned harts, uint32_t mtime_divider, const uint64_t* now);

  bool read(uint32_t addr, unsigned size, uint32_t& value) override;
  bool write(uint32_t addr, unsigned size, uint32_t value) override;
  uint64_t mtime() const override { return mtime_at(*now_); }

  uint64_t mtime_at(uint64_t cycle) const;
  bool msip(unsigned hart) const { return msip_[hart]; }
  bool mtip_at(unsigned hart, uint64_t cycle) const { return mtime_at(cycle) >= mtimecmp_[hart]; }
  // The first cycle >= `from` at which hart's MTIP is set (kNever if never).
  uint64_t mtip_rises_at(unsigned hart) const;
  uint64_t mtimecmp(unsigned hart) const { return mtimecmp_[hart]; }

  static constexpr uint64_t kNever = ~uint64_t{0};

 private:
  void set_mtime(uint64_t value);

  uint32_t divider_;
  const uint64_t* now_;
  uint64_t epoch_cycle_ = 0;  // mtime = epoch_value_ + (cycle - epoch_cycle_) / divider
  uint64_t epoch_value_ = 0;
  std::vector<uint8_t> msip_;
  std::vector<uint64_t> mtimecmp_;
};

}  // namespace spinlab::models
