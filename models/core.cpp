#include "models/core.h"

namespace spinlab::models {

Core::Core(sc_core::sc_module_name name, unsigned hartid, const Costs& costs)
    : sc_module(name), hart(hartid), costs_(costs) {
  // One load per step instead of a switch (mispredicted branches, perf said).
  using isa::Cost;
  auto set = [this](Cost c, uint32_t cycles) { cycles_[static_cast<unsigned>(c)] = cycles; };
  set(Cost::alu, costs.alu);
  set(Cost::mul, costs.mul);
  set(Cost::div, costs.div);
  set(Cost::branch, costs.branch_taken);
  set(Cost::jump, costs.jump);
  set(Cost::load, costs.load);
  set(Cost::store, costs.store);
  set(Cost::amo, costs.amo);
  set(Cost::csr, costs.csr);
  set(Cost::fence, costs.fence);
  set(Cost::system, costs.system);
  set(Cost::mret, costs.mret);
  set(Cost::wfi, costs.wfi);
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
  if (interrupt && irq_depth < kMaxIrqDepth) ++irq_depth;
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

void Core::back_to(uint64_t cycle) {
  hart.restore(start_.hart);
  at = start_.at;
  issued_at = start_.issued_at;
  ahead = false;
  // Every instruction it ran ahead was plain, so the same ones come again
  // (the code they came from has not changed: Machine::grant undoes a run
  // before a store reaches it).
  if (at < cycle)
    if (const isa::Hart::Decoded* d = hart.plain_entry()) run_plain(d, cycle);
}

}  // namespace spinlab::models
