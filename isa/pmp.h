// Physical memory protection (privileged spec 1.12, section 3.7): 16
// entries, their pmpcfg/pmpaddr CSR views with the WARL rules, and the check
// of one access against them. Plain state and arithmetic; the hart decides
// when to ask (isa/hart.cpp).
#pragma once

#include <array>
#include <cstdint>

namespace spinlab::isa {

// What an access needs (the R, W and X bits of pmpcfg). An AMO needs both R
// and W (3.7.1: it is a read and a write).
enum PmpAccess : uint8_t { pmp_read = 1, pmp_write = 2, pmp_exec = 4 };

// The entry that refused the last access the PMP refused, for reports: the
// entry's index, or kNoEntry when no entry matched (only U-mode accesses fail
// that way, and M-mode ones under MPRV with MPP = U). `access` is a PmpAccess
// mask: what the access needed.
struct PmpRefusal {
  static constexpr int kNoEntry = -1;
  int entry = kNoEntry;
  uint32_t addr = 0;
  uint8_t access = 0;
};

class Pmp {
 public:
  static constexpr unsigned kEntries = 16;

  // pmpcfg bits (3.7.1, figure 3.30).
  static constexpr uint8_t kR = 1, kW = 2, kX = 4, kLock = 0x80;
  static constexpr uint8_t kModeShift = 3, kModeMask = 3 << kModeShift;
  enum Mode : uint8_t { off = 0, tor = 1, na4 = 2, napot = 3 };

  // Granularity in bytes, a power of two >= 4 (G = log2(bytes) - 2). Resets
  // every entry.
  void set_granularity(uint32_t bytes);
  uint32_t granularity() const { return 4u << g_; }
  void reset();

  // CSR views. pmpcfgN holds entries 4N..4N+3, one byte each (RV32).
  uint32_t read_cfg(unsigned n) const;
  void write_cfg(unsigned n, uint32_t value);
  uint32_t read_addr(unsigned i) const;
  void write_addr(unsigned i, uint32_t value);

  uint8_t cfg(unsigned i) const { return cfg_[i]; }
  // Some entry is on (A != OFF).
  bool any_active() const { return active_ != 0; }
  // Some entry that is on is locked, so it binds M mode too.
  bool any_locked_active() const { return locked_active_ != 0; }

  // Checks the access [addr, addr + size) needing `access` for a hart in M
  // mode (machine = true) or U mode. Returns true when allowed; otherwise
  // fills `refusal`. The lowest-numbered entry that overlaps the access
  // decides (3.7.1.3): it must contain the whole access, and its R/W/X bits
  // apply unless the hart is in M mode and the entry is unlocked. No entry:
  // M mode succeeds, U mode fails.
  bool allows(uint32_t addr, unsigned size, uint8_t access, bool machine, PmpRefusal& refusal) const;

 private:
  static Mode mode_of(uint8_t cfg) { return static_cast<Mode>((cfg & kModeMask) >> kModeShift); }
  bool locked(unsigned i) const { return (cfg_[i] & kLock) != 0; }
  // The byte range [lo, hi) entry i covers (34-bit physical addresses, so
  // 64-bit arithmetic); lo == hi when it covers nothing.
  void range(unsigned i, uint64_t& lo, uint64_t& hi) const;
  // After any pmpcfg or pmpaddr write: which entries are on, and their
  // ranges, so that a check does no decoding.
  void update_summary();

  std::array<uint8_t, kEntries> cfg_{};
  std::array<uint32_t, kEntries> addr_{};  // as written; reads apply G (read_addr)
  unsigned g_ = 0;
  uint16_t active_ = 0;         // bit i: entry i is on
  uint16_t locked_active_ = 0;  // bit i: entry i is on and locked
  std::array<uint64_t, kEntries> lo_{}, hi_{};
};

}  // namespace spinlab::isa
