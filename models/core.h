// A hart with time: wraps an isa::Hart and knows when it can act next. The
// Machine's scheduler (the one SystemC process of the machine) drives every
// Core; a Core has no process of its own, so N harts never cost N process
// activations per cycle (DESIGN.md sections 5 and 6).
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>

#include <systemc>

#include "isa/hart.h"
#include "models/timing.h"
#include "models/hooks.h"

namespace spinlab::models {

// The exceptions a hart took other than environment calls (causes 8, 9 and
// 11, which are requests, not faults), and the first of them: what makes a
// firmware stuck in its fault handler obvious in the summary and the report.
struct ExceptionStats {
  uint64_t count = 0;
  uint32_t first_cause = 0;  // mcause of the first
  uint32_t first_pc = 0;     // its mepc
  uint32_t first_mtval = 0;
  uint64_t first_cycle = 0;  // the cycle its instruction issued (a memory access: its bus grant)
};

class Core : public sc_core::sc_module {
 public:
  enum class Phase : uint8_t {
    ready,     // steps at cycle `at`
    bus_wait,  // its memory request asks for the bus from cycle `at`
    asleep,    // in wfi until an enabled interrupt is pending
    held,      // not started yet (machine.start = "hart0"): waits for its msip
    stilled,   // held by a debugger (Machine::hold): acts on nothing until released
  };

  Core(sc_core::sc_module_name name, unsigned hartid, const Costs& costs);

  // Executes the next instruction (or takes an interrupt) at cycle `now`;
  // `e` is hart.entry() when the caller has it (Hart::step(e)).
  isa::StepStatus step(uint64_t now) { return step(now, hart.entry()); }
  isa::StepStatus step(uint64_t now, const isa::Hart::Decoded* e);
  // The bus granted this core's request at `now` and the access took
  // `latency_cycles`; `response` is what the target answered.
  isa::StepStatus finish_access(uint64_t now, uint32_t latency_cycles, const isa::MemResponse& response);
  // An interrupt became pending while asleep: wake at `now`.
  void wake(uint64_t now);
  // Runs the hart's plain instructions (isa::Hart::plain_entry) from cycle
  // `at` for as long as they come and issue before `limit`, the first `d`:
  // what step() would do for each, with no test a plain instruction cannot
  // need. The caller checks hart.plain_ready() first. `at` is then at or
  // past `limit`, or the next instruction is not plain.
  void run_plain(const isa::Hart::Decoded* d, uint64_t limit);
  // Runs ahead of the other cores: run_plain from `at` to `cap`, the first
  // `d`, keeping the state to go back to (back_to) and widening [lo, hi] to
  // the pcs it ran (Machine::take_ahead_chance says when).
  void run_ahead(const isa::Hart::Decoded* d, uint64_t cap, uint32_t& lo, uint32_t& hi);
  // Undoes what it ran ahead from `cycle` on: back to where run_ahead began,
  // then the plain instructions that issue before `cycle` again.
  void back_to(uint64_t cycle);
  // It ran ahead (start_ holds where from). Its run is over once the
  // scheduler's time has reached `at`, and nothing undoes it then: every
  // event that may is dated before the instructions it would undo.
  bool ahead = false;
  uint8_t ahead_back_off = 0;  // chances to run ahead left untaken (Machine::run_ahead)
  // One plain instruction d (hart.plain_entry()) at cycle `now`, as step()
  // would run it. run_plain(d, now + 1) does the same, but its loop cost
  // lockstep, which calls this once per hart-cycle, 8% more host
  // instructions (compute, 4 harts).
  void step_plain(const isa::Hart::Decoded& d, uint64_t now) {
    hart.run_plain(d);
    hart.set_now(now);
    issued_at = now;
    at = now + cycles(hart.cost());
  }

  isa::Hart hart;
  Phase phase = Phase::ready;
  uint64_t at = 0;
  Phase stilled_from = Phase::ready;  // stilled: the phase it goes back to
  // Interrupt handlers entered and not yet left by mret (an exception's
  // handler and its mret leave it as it was): the hart's context is
  // "interrupt" while this is above zero. Kept with the context stack.
  IrqDepth irq_depth = 0;
  // The context the hart runs in, for the trace (HartTrace::context): 0 in
  // its own code. Each trap pushes one (an interrupt its cause, an exception
  // the context it came from) and mret pops it, so the return from a nested
  // handler restores the outer one.
  uint32_t context() const { return context_depth_ ? contexts_[std::min(context_depth_, kContexts) - 1] : 0; }
  // Adds the PLIC source an external interrupt came for to the innermost context.
  void set_context_source(unsigned source);
  void reset_contexts() { context_depth_ = 0, irq_depth = 0; }
  // The cycle the last instruction issued at, and the cycle after it ends.
  uint64_t issued_at = 0;
  bool observed_mie = false;  // mstatus.MIE as last reported to the hart-event hooks
  uint32_t observed_sp = 0;   // sp (x2) as the hart-event hooks last saw it
  bool sp_partial = false;    // an lui/auipc wrote sp: half an address, told with the rest
  ExceptionStats exceptions;

 private:
  uint32_t cycles(isa::Cost c) const { return cycles_[static_cast<unsigned>(c)]; }
  void push_context(uint32_t context, bool interrupt);
  void count_exception(uint64_t now);  // out of line: rare
  void pop_context();
  const Costs& costs_;
  std::array<uint32_t, static_cast<unsigned>(isa::Cost::wfi) + 1> cycles_{};  // by isa::Cost
  // Deeper nesting is counted, not kept: it shows as the deepest kept.
  static constexpr unsigned kContexts = 16;
  uint32_t contexts_[kContexts] = {};
  bool interrupts_[kContexts] = {};  // contexts_[i] is an interrupt's (not an exception's)
  unsigned context_depth_ = 0;
  struct Start {
    isa::Hart::PlainState hart;
    uint64_t at, issued_at;
  };
  Start start_{};  // where run_ahead began
  template <bool kNotePcs>
  void run_to(const isa::Hart::Decoded* d, uint64_t limit, uint32_t* lo, uint32_t* hi);
};

// Inline, always: the scheduler calls it once per simulated instruction.
// With Hart::step's fast path inline the compiler made it a call, which
// cost about 10 host instructions a step (callgrind).
[[gnu::always_inline]] inline isa::StepStatus Core::step(uint64_t now, const isa::Hart::Decoded* e) {
  hart.set_now(now);
  issued_at = now;
  const isa::StepStatus status = hart.step(e);
  // Nearly every step retires an instruction: tested first, not through the
  // switch's jump table.
  if (__builtin_expect(status == isa::StepStatus::retired, 1)) {
    at = now + cycles(hart.cost());
    if (hart.cost() == isa::Cost::mret) pop_context();
    return status;
  }
  switch (status) {
    case isa::StepStatus::retired: break;
    case isa::StepStatus::memory:
      // Address generation first, then the request goes to the bus.
      phase = Phase::bus_wait;
      at = now + cycles(hart.cost());
      break;
    case isa::StepStatus::interrupt:
      push_context(hart.csrs().mcause & 0xffff, true);  // the cause code, without the interrupt bit
      at = now + costs_.trap_entry;
      break;
    case isa::StepStatus::exception:
      push_context(context(), false);
      count_exception(now);
      at = now + costs_.trap_entry;
      break;
    case isa::StepStatus::wfi:
      // wfi falls through when an enabled interrupt is already pending,
      // whether or not mstatus.MIE is set (privileged spec 3.3.3).
      at = now + costs_.wfi;
      if (!hart.wakeup_pending()) phase = Phase::asleep;
      break;
  }
  return status;
}

// Inline, always, as step(). Nothing but `at` moves while a plain run goes
// on; the cycle it issued the last instruction at is set once, at the end.
// kNotePcs widens [*lo, *hi] to the pcs it ran (run_ahead); without it the
// loop is run_plain's alone.
template <bool kNotePcs>
[[gnu::always_inline]] inline void Core::run_to(const isa::Hart::Decoded* d, uint64_t limit, uint32_t* lo,
                                                uint32_t* hi) {
  uint64_t t = at, issued = at;
  uint32_t l = 0, h = 0;
  if constexpr (kNotePcs) l = *lo, h = *hi;
  do {
    if constexpr (kNotePcs) {
      const uint32_t pc = hart.pc();
      l = std::min(l, pc), h = std::max(h, pc);
    }
    hart.run_plain(*d);
    issued = t;
    t += cycles(hart.cost());
  } while (t < limit && (d = hart.plain_entry()) != nullptr);
  if constexpr (kNotePcs) *lo = l, *hi = h;
  hart.set_now(issued);
  issued_at = issued;
  at = t;
}

[[gnu::always_inline]] inline void Core::run_plain(const isa::Hart::Decoded* d, uint64_t limit) {
  run_to<false>(d, limit, nullptr, nullptr);
}

// A store by another hart into the pcs it ran, at a cycle before this one
// reached, must undo the run (Machine::grant).
[[gnu::always_inline]] inline void Core::run_ahead(const isa::Hart::Decoded* d, uint64_t cap, uint32_t& lo,
                                                   uint32_t& hi) {
  start_ = {hart.plain_state(), at, issued_at};
  ahead = true;
  run_to<true>(d, cap, &lo, &hi);
}

}  // namespace spinlab::models
