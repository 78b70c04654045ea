// PMP (privileged spec 1.12, section 3.7).
#include "isa/pmp.h"

namespace spinlab::isa {

void Pmp::set_granularity(uint32_t bytes) {
  g_ = 0;
  while ((4u << g_) < bytes)
    ++g_;
  reset();
}

// 3.7.1: at reset the A fields and L bits are zero (every entry off); the
// rest is unspecified, and zero here.
void Pmp::reset() {
  cfg_.fill(0);
  addr_.fill(0);
  update_summary();
}

uint32_t Pmp::read_cfg(unsigned n) const {
  uint32_t v = 0;
  for (unsigned k = 0; k < 4; ++k)
    v |= uint32_t{cfg_[4 * n + k]} << (8 * k);
  return v;
}

// Per byte (3.7.1): a locked entry ignores the write. Bits 6:5 are reserved
// and read 0. R = 0 with W = 1 is reserved: W is cleared (as Spike does).
// With G >= 1, NA4 cannot be selected; it becomes NAPOT (as Spike does:
// both are WARL choices the spec leaves open).
void Pmp::write_cfg(unsigned n, uint32_t value) {
  for (unsigned k = 0; k < 4; ++k) {
    const unsigned i = 4 * n + k;
    if (locked(i))
      continue;
    uint8_t c = static_cast<uint8_t>(value >> (8 * k)) & (kLock | kModeMask | kX | kW | kR);
    if (!(c & kR))
      c &= ~kW;
    if (g_ >= 1 && mode_of(c) == na4)
      c |= napot << kModeShift;
    cfg_[i] = c;
  }
  update_summary();
}

// pmpaddr holds address bits 33:2 (3.7.1). With G >= 2, in NAPOT mode bits
// G-2:0 read as ones; with G >= 1, in OFF or TOR mode bits G-1:0 read as
// zeros. The stored value keeps what was written (riscv-tests' pmpaddr).
uint32_t Pmp::read_addr(unsigned i) const {
  const uint32_t a = addr_[i];
  if (g_ == 0)
    return a;
  if (mode_of(cfg_[i]) == napot)
    return g_ >= 2 ? a | ((1u << (g_ - 1)) - 1) : a;
  if (mode_of(cfg_[i]) == na4)  // only reachable when G = 0
    return a;
  return g_ >= 32 ? 0 : a & ~((1u << g_) - 1);
}

// A locked entry's pmpaddr ignores writes, and so does the one below a locked
// TOR entry, which holds that entry's bottom (3.7.1.2).
void Pmp::write_addr(unsigned i, uint32_t value) {
  if (locked(i))
    return;
  if (i + 1 < kEntries && locked(i + 1) && mode_of(cfg_[i + 1]) == tor)
    return;
  addr_[i] = value;
  update_summary();
}

void Pmp::range(unsigned i, uint64_t& lo, uint64_t& hi) const {
  const uint64_t a = read_addr(i);
  switch (mode_of(cfg_[i])) {
    case off:
      lo = hi = 0;
      return;
    case tor:
      lo = i == 0 ? 0 : uint64_t{read_addr(i - 1)} << 2;
      hi = a << 2;
      if (lo > hi)
        lo = hi;  // matches nothing
      return;
    case na4:
      lo = a << 2;
      hi = lo + 4;
      return;
    case napot: {
      // yyy..y0 followed by t ones: 2^(t+3) bytes at yyy..y000 (table 3.10).
      unsigned t = 0;
      while (t < 32 && ((a >> t) & 1))
        ++t;
      const uint64_t size = uint64_t{8} << t;
      lo = (a << 2) & ~(size - 1);
      hi = lo + size;
      return;
    }
  }
}

bool Pmp::allows(uint32_t addr, unsigned size, uint8_t access, bool machine, PmpRefusal& refusal) const {
  const uint64_t first = addr, end = uint64_t{addr} + size;
  for (unsigned i = 0; i < kEntries; ++i) {
    if (!(active_ & (1u << i)))
      continue;
    const uint64_t lo = lo_[i], hi = hi_[i];
    if (end <= lo || first >= hi)
      continue;  // no byte of the access is in the entry
    // The first entry any byte matches decides; a partial match fails.
    const bool whole = first >= lo && end <= hi;
    const bool ok = whole && ((machine && !locked(i)) || (cfg_[i] & access) == access);
    if (!ok)
      refusal = {static_cast<int>(i), addr, access};
    return ok;
  }
  if (!machine)
    refusal = {PmpRefusal::kNoEntry, addr, access};
  return machine;
}

void Pmp::update_summary() {
  active_ = locked_active_ = 0;
  for (unsigned i = 0; i < kEntries; ++i) {
    range(i, lo_[i], hi_[i]);
    if (mode_of(cfg_[i]) == off)
      continue;
    active_ |= 1u << i;
    if (locked(i))
      locked_active_ |= 1u << i;
  }
}

}  // namespace spinlab::isa
