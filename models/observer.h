// What the machine tells an observer about what the harts do: every bus
// access with its result, every trap entry and mret, every wfi. The lock
// monitor (sim/monitor) infers locks, contexts and deadlocks from these,
// with no annotations in the firmware. Called only when an observer is
// attached; in cycle order.
#pragma once

#include <cstdint>

#include "isa/mem.h"

namespace spinlab::models {

class Observer {
 public:
  virtual ~Observer() = default;
  // Hart h's access, performed at `cycle` (the bus grant). For a store,
  // SC or AMO `old_value` is the word before it (loads: the value read).
  // `pc` is the instruction's address.
  virtual void access(uint64_t cycle, unsigned h, uint32_t pc, const isa::MemRequest& r,
                      const isa::MemResponse& resp, uint32_t old_value) = 0;
  // Hart h entered a trap at `cycle`: mcause (bit 31 set for an interrupt)
  // and mepc. (The MIE change the trap makes follows as interrupts_enabled.)
  virtual void trap(uint64_t cycle, unsigned h, uint32_t mcause, uint32_t mepc) = 0;
  // Hart h executed mret at `cycle`, returning to `pc`.
  virtual void mret(uint64_t cycle, unsigned h, uint32_t pc) = 0;
  // Hart h went to sleep in wfi at `cycle` (pc of the wfi).
  virtual void wfi(uint64_t cycle, unsigned h, uint32_t pc) = 0;
  // mstatus.MIE of hart h changed at `cycle` (csrs/csrc/csrw, trap, mret).
  virtual void interrupts_enabled(uint64_t cycle, unsigned h, bool mie, uint32_t pc) = 0;
  // The run ended at `cycle`.
  virtual void finish(uint64_t cycle) = 0;
};

}  // namespace spinlab::models
