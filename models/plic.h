// The PLIC (platform-level interrupt controller) at PLIC_BASE, per the RISC-V
// PLIC specification (1.0.0), laid out as on QEMU virt: two contexts per hart
// (machine mode 2h, supervisor mode 2h+1; only machine mode is wired here).
//
// Gateways are level-triggered: while a source's line is high and the source
// is not in flight, it is pending. A claim clears the pending bit and puts the
// source in flight; it is not pending again until the handler completes it
// (spec, "Interrupt Gateways" and "Interrupt Completion").
//
// Inputs: irq_in[s - 1], source s's line (a signal some device drives; the
// platform binds every input, to a line nobody drives when unused).
// Outputs: meip[h], hart h's machine external interrupt. A method samples the
// lines when they change and drives meip after any change; reading the claim
// register is a change, peek() (transport_dbg) claims nothing.
#pragma once

#include <cstdint>
#include <vector>

#include "models/device_base.h"

namespace spinlab::models {

class Plic : public Device {
 public:
  sc_core::sc_vector<sc_core::sc_in<bool>> irq_in;  // [s - 1]: source s
  sc_core::sc_vector<sc_core::sc_out<bool>> meip_out;

  // Sources 1..sources (0 is "no interrupt"); `harts` harts, two contexts each.
  Plic(unsigned sources, unsigned harts, sc_core::sc_module_name name = "plic");

  bool read(uint32_t addr, unsigned size, uint32_t& value) override;
  bool write(uint32_t addr, unsigned size, uint32_t value) override;
  bool peek(uint32_t addr, unsigned size, uint32_t& value) override;

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
  SC_HAS_PROCESS(Plic);
  // Samples the lines that changed, then drives every hart's MEIP.
  void drive();
  // A register read; `claiming`: a read of a claim register claims.
  bool read_register(uint32_t addr, unsigned size, uint32_t& value, bool claiming);
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
  sc_core::sc_event changed_;                  // a register access changed the state
};

}  // namespace spinlab::models
