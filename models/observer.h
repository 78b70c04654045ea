// What the machine tells an observer about what the harts do: every bus
// access with its result, every trap entry and mret, every wfi. The lock
// monitor (sim/monitor) infers locks, contexts and deadlocks from these,
// with no annotations in the firmware. Called only when an observer is
// attached; in cycle order.
#pragma once

#include <cstdint>

#include "isa/mem.h"

namespace spinlab::models {

// A trap as an observer hears of it.
struct TrapInfo {
  uint32_t mcause = 0;  // bit 31 set for an interrupt
  uint32_t mepc = 0;
  uint32_t mtval = 0;
  bool from_user = false;  // the hart ran in user mode when it came
  // An access fault (cause 1, 5 or 7) the PMP refused: the entry that
  // refused it, or kNoEntry when no entry matched the address (user mode).
  // kNotPmp for every other trap.
  static constexpr int kNotPmp = -2, kNoEntry = -1;
  int pmp_entry = kNotPmp;
};

class Observer {
 public:
  virtual ~Observer() = default;
  // Hart h's access, performed at `cycle` (the bus grant). For a store,
  // SC or AMO `old_value` is the word before it (loads: the value read).
  // `pc` is the instruction's address.
  virtual void access(uint64_t cycle, unsigned h, uint32_t pc, const isa::MemRequest& r,
                      const isa::MemResponse& resp, uint32_t old_value) = 0;
  // Hart h entered a trap at `cycle` (the MIE change the trap makes follows
  // as interrupts_enabled).
  virtual void trap(uint64_t cycle, unsigned h, const TrapInfo& t) = 0;
  // Hart h executed mret at `cycle`, returning to `pc`, in user mode when
  // `to_user` (mstatus.MPP was U).
  virtual void mret(uint64_t cycle, unsigned h, uint32_t pc, bool to_user) = 0;
  // Hart h went to sleep in wfi at `cycle` (pc of the wfi).
  virtual void wfi(uint64_t cycle, unsigned h, uint32_t pc) = 0;
  // mstatus.MIE of hart h changed at `cycle` (csrs/csrc/csrw, trap, mret).
  virtual void interrupts_enabled(uint64_t cycle, unsigned h, bool mie, uint32_t pc) = 0;
  // Hart h's sp (x2) changed at `cycle` by the instruction at `pc`, and
  // not by `addi sp, sp, imm` (nor c.addi16sp/c.addi, which expand to it):
  // `mv sp, a0`, `lw sp, 8(a0)`, `csrrw sp, mscratch, sp`, `la sp, stack`.
  // How a context switch and a switch to an interrupt stack look; the
  // monitor decides which (docs/monitor.md, "Threads"). No-op by default.
  virtual void stack_switched(uint64_t cycle, unsigned h, uint32_t pc, uint32_t old_sp, uint32_t new_sp) {
    (void)cycle, (void)h, (void)pc, (void)old_sp, (void)new_sp;
  }
  // The run ended at `cycle`.
  virtual void finish(uint64_t cycle) = 0;
};

}  // namespace spinlab::models
