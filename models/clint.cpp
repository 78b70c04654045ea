#include "models/clint.h"

#include <algorithm>

#include "firmware/include/memmap.h"

namespace spinlab::models {

namespace {
// 64-bit registers are accessed as two 32-bit halves (or one 64-bit access,
// which RV32 cannot make).
uint64_t with_half(uint64_t reg, uint32_t offset_in_reg, uint32_t value) {
  return offset_in_reg == 0 ? (reg & 0xffff'ffff'0000'0000ull) | value
                            : (reg & 0xffff'ffffull) | (uint64_t{value} << 32);
}
// The register layout is memmap.h's, the one table firmware and models share.
constexpr uint32_t kMsip = CLINT_MSIP_OFF, kMtimecmp = CLINT_MTIMECMP_OFF, kMtime = CLINT_MTIME_OFF;
}  // namespace

Clint::Clint(unsigned harts, uint32_t mtime_divider, const uint64_t* now, sc_core::sc_module_name name)
    : Device(name, CLINT_BASE, CLINT_SIZE),
      msip_out("msip", harts),
      mtip_out("mtip", harts),
      divider_(mtime_divider),
      now_(now),
      msip_(harts, 0),
      mtimecmp_(harts, ~uint64_t{0}) {
  SC_METHOD(drive);
  sensitive << changed_ << rise_;
}

uint64_t Clint::mtime_at(uint64_t cycle) const { return epoch_value_ + (cycle - epoch_cycle_) / divider_; }

void Clint::set_mtime(uint64_t value) {
  epoch_cycle_ = *now_;
  epoch_value_ = value;
}

uint64_t Clint::mtip_rises_from(unsigned hart, uint64_t cycle) const {
  uint64_t cmp = mtimecmp_[hart];
  if (mtime_at(cycle) >= cmp) return cycle;
  if (cmp == ~uint64_t{0}) return kNever;  // the reset value: "no timer"
  uint64_t ticks = cmp - epoch_value_;
  if (ticks > (kNever - epoch_cycle_) / divider_) return kNever;
  return epoch_cycle_ + ticks * divider_;
}

void Clint::drive() {
  const uint64_t now = cycle_now();
  uint64_t next = kNever;
  for (unsigned h = 0; h < msip_.size(); ++h) {
    msip_out[h].write(msip_[h] != 0);
    const bool mtip = mtip_at(h, now);
    mtip_out[h].write(mtip);
    if (!mtip) next = std::min(next, mtip_rises_from(h, now));
  }
  notify_at_cycle(rise_, next);
}

bool Clint::read(uint32_t addr, unsigned size, uint32_t& value) {
  uint32_t off = addr - CLINT_BASE;
  if (size != 4) return false;
  unsigned harts = static_cast<unsigned>(msip_.size());
  if (off < kMsip + 4 * harts) {
    value = msip_[off / 4];
  } else if (off >= kMtimecmp && off < kMtimecmp + 8 * harts) {
    uint64_t cmp = mtimecmp_[(off - kMtimecmp) / 8];
    value = static_cast<uint32_t>((off & 4) ? cmp >> 32 : cmp);
  } else if (off == kMtime || off == kMtime + 4) {
    uint64_t t = mtime();
    value = static_cast<uint32_t>(off == kMtime ? t : t >> 32);
  } else {
    value = 0;  // reserved: reads zero
  }
  return true;
}

bool Clint::write(uint32_t addr, unsigned size, uint32_t value) {
  uint32_t off = addr - CLINT_BASE;
  if (size != 4) return false;
  unsigned harts = static_cast<unsigned>(msip_.size());
  if (off < kMsip + 4 * harts) {
    msip_[off / 4] = value & 1;  // only bit 0 is writable
  } else if (off >= kMtimecmp && off < kMtimecmp + 8 * harts) {
    uint64_t& cmp = mtimecmp_[(off - kMtimecmp) / 8];
    cmp = with_half(cmp, off & 4, value);
  } else if (off == kMtime || off == kMtime + 4) {
    set_mtime(with_half(mtime(), off - kMtime, value));
  }
  // The lines follow in the next delta cycle, at this same time.
  if (sc_core::sc_is_running()) changed_.notify(sc_core::SC_ZERO_TIME);
  return true;
}

}  // namespace spinlab::models
