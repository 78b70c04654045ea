// The PLIC (platform-level interrupt controller) at PLIC_BASE, per the RISC-V
// PLIC specification (1.0.0), laid out as on QEMU virt: two contexts per hart
// (machine mode 2h, supervisor mode 2h+1; only machine mode is wired here).
//
// Gateways are level-triggered: while a source's line is high and the source
// is not in flight, it is pending. A claim clears the pending bit and puts the
// source in flight; it is not pending again until the handler completes it
// (spec, "Interrupt Gateways" and "Interrupt Completion").
#pragma once

#include <cstdint>
#include <vector>

#include "isa/mem.h"

namespace spinlab::models {

class Plic : public isa::Target {
 public:
  // Sources 1..sources (0 is "no interrupt"); `harts` harts, two contexts each.
  Plic(unsigned sources, unsigned harts);

  bool read(uint32_t addr, unsigned size, uint32_t& value) override;
  bool write(uint32_t addr, unsigned size, uint32_t value) override;

  // A device drives source `s`'s interrupt line.
  void set_line(unsigned s, bool level);
  bool line(unsigned s) const { return line_[s]; }
  // MEIP of hart h: a pending, enabled source above its context's threshold.
  bool meip(unsigned hart) const { return best(2 * hart) != 0; }
  // The source hart h's machine-mode context would claim now (0: none).
  unsigned claimable(unsigned hart) const { return best(2 * hart); }
  bool pending(unsigned s) const { return pending_[s]; }
  unsigned sources() const { return static_cast<unsigned>(priority_.size()) - 1; }

  static constexpr uint32_t kPriorityMask = 7;  // 3 priority bits, as on QEMU virt

 private:
  unsigned best(unsigned context) const;  // highest-priority claimable source, or 0
  bool enabled(unsigned context, unsigned s) const { return (enable_[context][s / 32] >> (s % 32)) & 1; }
  uint32_t implemented(unsigned w) const;
  void gateway(unsigned s);
  uint32_t claim(unsigned context);
  void complete(unsigned context, uint32_t s);

  std::vector<uint32_t> priority_;
  std::vector<uint8_t> line_, pending_, in_flight_;
  std::vector<std::vector<uint32_t>> enable_;  // [context][word]
  std::vector<uint32_t> threshold_;            // [context]
};

}  // namespace spinlab::models
