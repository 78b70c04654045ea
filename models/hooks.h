// What the machine tells the ones who listen as it runs, in one interface:
// the lock monitor (sim/monitor), the instruction trace
// (sim/out/insn_trace.h), the VCD writer (sim/out/vcd.h), a test's recorder.
// A hook says which of three groups of events it wants (Hooks::wants) and
// overrides their calls; the others do nothing.
//
//   kHartEvents  access, trap, mret, wfi, interrupts_enabled, stack_switched:
//                what the harts do that the lock monitor infers locks,
//                contexts and deadlocks from, with no annotations in the
//                firmware.
//   kSteps       step: every step of every hart, with its effects.
//   kWaveform    hart, stall, bus, irq_line, word: the state changes a
//                waveform shows.
//
// The machine does the work behind a group only when some hook wants it.
// kHartEvents keeps the fast paths (a hart's plain instructions in a tight
// loop, docs/architecture.md); kSteps and kWaveform step every instruction
// through the hooked path, which costs several times more (kWaveform only
// from its hooks' waveform_from() on).
//
// Order. Calls come in nondecreasing cycle order: within a cycle, the bus
// grant's first (step, then access, then the bus), then the harts' steps in
// hart order. A hook hears each call in the order the hooks were added
// (Machine::add_hooks), finish included. One exception, for kWaveform: a
// value may be given for a later cycle than the current one (a hart that
// will wait for the bus from cycle t + cost is reported when it issues at t),
// so a waveform writer must accept such future values and write everything in
// time order. Debug stops (models/debug.h) are control, not hooks: they can
// stop the run, and they are kept apart.
#pragma once

#include <cstdint>

#include "isa/hart.h"
#include "isa/mem.h"

namespace spinlab::models {

// A trap as a hook hears of it.
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

// Why a hart is not issuing an instruction this cycle.
enum class Stall : uint8_t {
  none = 0,        // issuing
  multicycle = 1,  // inside a multi-cycle instruction (divide, trap entry, ...)
  bus = 2,         // waiting for the bus, or holding it for the target's latency
  wfi = 3,         // asleep in wfi
};

enum class BusKind : uint8_t { idle = 0, read = 1, write = 2, amo = 3 };

// How deep interrupt handlers nest, as the harts count it (Core::irq_depth),
// the trace shows it (HartTrace, the VCD's hartN.irq_depth) and the monitor
// draws it: one byte; deeper nesting counts and shows as the deepest. The
// one place for that bound.
using IrqDepth = uint8_t;
inline constexpr unsigned kMaxIrqDepth = 255;
static_assert(kMaxIrqDepth == static_cast<IrqDepth>(~IrqDepth{0}), "kMaxIrqDepth is IrqDepth's largest value");

struct HartTrace {
  uint32_t pc = 0;       // the instruction issued (or the handler entered)
  uint32_t insn = 0;     // its bits (0 for an interrupt entry)
  uint64_t retired = 0;  // minstret
  bool mstatus_mie = false;
  uint32_t mip = 0;
  uint32_t mie = 0;
  IrqDepth irq_depth = 0;  // interrupt handlers entered and not yet left by mret
  Stall stall = Stall::none;
  // What the hart runs: 0 its own code (a thread); in an interrupt handler
  // (the innermost, when they nest) the interrupt's cause code (3 software,
  // 7 timer, 11 external) plus, for an external one, the PLIC source it came
  // for << 16 (the one the handler will claim). docs/tracing.md.
  uint32_t context = 0;
  // The privilege mode after the instruction, as the spec encodes it
  // (privileged 1.2, table 1.1): 0 user, 3 machine.
  uint8_t priv = 3;
};

class Hooks {
 public:
  enum Wants : unsigned { kHartEvents = 1u << 0, kSteps = 1u << 1, kWaveform = 1u << 2 };

  virtual ~Hooks() = default;
  // The groups of events this hook hears (a set of Wants), asked once, when
  // it is added.
  virtual unsigned wants() const = 0;

  // kHartEvents.
  // Hart h's access, performed at `cycle` (the bus grant). For a store,
  // SC or AMO `old_value` is the word before it (loads: the value read);
  // read only in memory the bus reaches directly (RAM), else 0.
  // `pc` is the instruction's address.
  virtual void access(uint64_t cycle, unsigned h, uint32_t pc, const isa::MemRequest& r, const isa::MemResponse& resp,
                      uint32_t old_value) {
    (void)cycle, (void)h, (void)pc, (void)r, (void)resp, (void)old_value;
  }
  // Hart h entered a trap at `cycle` (the MIE change the trap makes follows
  // as interrupts_enabled).
  virtual void trap(uint64_t cycle, unsigned h, const TrapInfo& t) { (void)cycle, (void)h, (void)t; }
  // Hart h executed mret at `cycle`, returning to `pc`, in user mode when
  // `to_user` (mstatus.MPP was U).
  virtual void mret(uint64_t cycle, unsigned h, uint32_t pc, bool to_user) {
    (void)cycle, (void)h, (void)pc, (void)to_user;
  }
  // Hart h went to sleep in wfi at `cycle` (pc of the wfi).
  virtual void wfi(uint64_t cycle, unsigned h, uint32_t pc) { (void)cycle, (void)h, (void)pc; }
  // mstatus.MIE of hart h changed at `cycle` (csrs/csrc/csrw, trap, mret).
  virtual void interrupts_enabled(uint64_t cycle, unsigned h, bool mie, uint32_t pc) {
    (void)cycle, (void)h, (void)mie, (void)pc;
  }
  // Hart h's sp (x2) changed at `cycle` by the instruction at `pc`, and
  // not by `addi sp, sp, imm` (nor c.addi16sp/c.addi, which expand to it):
  // `mv sp, a0`, `lw sp, 8(a0)`, `csrrw sp, mscratch, sp`, `la sp, stack`.
  // How a context switch and a switch to an interrupt stack look; the
  // monitor decides which (docs/monitor.md, "Threads").
  virtual void stack_switched(uint64_t cycle, unsigned h, uint32_t pc, uint32_t old_sp, uint32_t new_sp) {
    (void)cycle, (void)h, (void)pc, (void)old_sp, (void)new_sp;
  }

  // kSteps.
  // Hart `h` finished a step at `cycle`: `status` is retired or wfi (the
  // instruction at h.last_pc() retired), exception (it trapped; the hart is
  // at the handler) or interrupt (one was taken before h.last_pc()). For a
  // load, store, LR, SC or AMO the step finishes at the bus grant, `cycle`
  // is that grant (as accesses are dated) and `mem`/`resp` are the access;
  // otherwise both are nullptr.
  virtual void step(uint64_t cycle, const isa::Hart& h, isa::StepStatus status, const isa::MemRequest* mem,
                    const isa::MemResponse* resp) {
    (void)cycle, (void)h, (void)status, (void)mem, (void)resp;
  }

  // kWaveform.
  // The first cycle whose changes this hook needs one by one (0: all). Asked
  // once, when it is added. Before it the machine may tell it nothing and,
  // before any hart steps at that cycle or later (or when the run ends
  // first), report the state the calls would have left instead: for each
  // signal its last value, dated as the call that set it (or earlier, still
  // before every later value of the signal), followed by any value dated
  // past the cycles run, as the calls gave it. Only the values at and after
  // this cycle are then what one call per change gives; the steps before it
  // run at the speed of an untraced run (a trace's window).
  virtual uint64_t waveform_from() const { return 0; }
  // Hart h's state from `cycle` on.
  virtual void hart(uint64_t cycle, unsigned h, const HartTrace& state) { (void)cycle, (void)h, (void)state; }
  // Hart h's stall reason from `cycle` on (the other values unchanged).
  virtual void stall(uint64_t cycle, unsigned h, Stall why) { (void)cycle, (void)h, (void)why; }
  // The bus from `cycle` on: owner -1 and BusKind::idle when free.
  virtual void bus(uint64_t cycle, int owner, uint32_t addr, BusKind kind) {
    (void)cycle, (void)owner, (void)addr, (void)kind;
  }
  // PLIC source `line`'s level from `cycle` on.
  virtual void irq_line(uint64_t cycle, unsigned line, bool level) { (void)cycle, (void)line, (void)level; }
  // Traced word `index` (in the order the spec listed them) holds `value`.
  virtual void word(uint64_t cycle, unsigned index, uint32_t value) { (void)cycle, (void)index, (void)value; }

  // Every hook: the run ended at `cycle` (write what is pending and close).
  virtual void finish(uint64_t cycle) { (void)cycle; }
};

}  // namespace spinlab::models
