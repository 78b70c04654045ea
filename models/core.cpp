#include "models/core.h"

namespace spinlab::models {

Core::Core(sc_core::sc_module_name name, unsigned hartid, const Costs& costs)
    : sc_module(name), hart(hartid), costs_(costs) {}

uint32_t Core::cycles(isa::Cost c) const {
  switch (c) {
    case isa::Cost::alu: return costs_.alu;
    case isa::Cost::mul: return costs_.mul;
    case isa::Cost::div: return costs_.div;
    case isa::Cost::branch: return costs_.branch_taken;
    case isa::Cost::jump: return costs_.jump;
    case isa::Cost::load: return costs_.load;
    case isa::Cost::store: return costs_.store;
    case isa::Cost::amo: return costs_.amo;
    case isa::Cost::csr: return costs_.csr;
    case isa::Cost::fence: return costs_.fence;
    case isa::Cost::system: return costs_.system;
    case isa::Cost::mret: return costs_.mret;
    case isa::Cost::wfi: return costs_.wfi;
  }
  return 1;
}

isa::StepStatus Core::step(uint64_t now) {
  hart.set_now(now);
  issued_at = now;
  const isa::StepStatus status = hart.step();
  switch (status) {
    case isa::StepStatus::retired:
      at = now + cycles(hart.cost());
      if (hart.cost() == isa::Cost::mret) pop_context();
      break;
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

isa::StepStatus Core::finish_access(uint64_t now, uint32_t latency_cycles, const isa::MemResponse& response) {
  hart.set_now(now);
  phase = Phase::ready;
  at = now + latency_cycles;
  const isa::StepStatus status = hart.complete_memory(response);
  if (status == isa::StepStatus::exception) {
    push_context(context(), false);
    count_exception(now);
    at += costs_.trap_entry;
  }
  return status;
}

void Core::count_exception(uint64_t now) {
  const isa::Csrs& csrs = hart.csrs();
  if (isa::is_ecall(csrs.mcause)) return;
  if (exceptions.count++ == 0) {
    exceptions.first_cause = csrs.mcause;
    exceptions.first_pc = csrs.mepc;
    exceptions.first_mtval = csrs.mtval;
    exceptions.first_cycle = now;
  }
}

void Core::push_context(uint32_t context, bool interrupt) {
  if (context_depth_ < kContexts) contexts_[context_depth_] = context, interrupts_[context_depth_] = interrupt;
  ++context_depth_;
  if (interrupt && irq_depth < 255) ++irq_depth;
}

void Core::pop_context() {
  if (!context_depth_) return;  // an mret with no trap to return from (a jump)
  --context_depth_;
  bool interrupt = false;
  if (context_depth_ < kContexts) {
    interrupt = interrupts_[context_depth_];
  } else {
    // Deeper than kept: an interrupt's if irq_depth counts more than the kept ones.
    unsigned kept = 0;
    for (unsigned i = 0; i < kContexts; ++i) kept += interrupts_[i];
    interrupt = irq_depth > kept;
  }
  if (interrupt && irq_depth) --irq_depth;
}

void Core::set_context_source(unsigned source) {
  if (context_depth_ && context_depth_ <= kContexts) contexts_[context_depth_ - 1] |= uint32_t{source} << 16;
}

void Core::wake(uint64_t now) {
  phase = Phase::ready;
  if (at < now) at = now;
}

}  // namespace spinlab::models
