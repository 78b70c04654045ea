// Every step a hart finishes, for an instruction trace (`spinlab trace`,
// `spinlab run --trace-insns`: sim/out/insn_trace.h). The machine calls an
// InsnObserver only when one is attached: otherwise the cost is one untaken
// branch per step. Not the Tracer (models/trace.h): that one feeds the VCD
// with state changes; this one sees each instruction with its effects.
#pragma once

#include <cstdint>

#include "isa/hart.h"
#include "isa/mem.h"

namespace spinlab::models {

class InsnObserver {
 public:
  virtual ~InsnObserver() = default;
  // Hart `h` finished a step at `cycle`: `status` is retired or wfi (the
  // instruction at h.last_pc() retired), exception (it trapped; the hart is
  // at the handler) or interrupt (one was taken before h.last_pc()). For a
  // load, store, LR, SC or AMO the step finishes at the bus grant, `cycle`
  // is that grant (as the lock monitor dates accesses) and `mem`/`resp` are
  // the access; otherwise both are nullptr. Calls come in nondecreasing
  // cycle order; within a cycle, the bus grant first, then harts in order.
  virtual void step(uint64_t cycle, const isa::Hart& h, isa::StepStatus status, const isa::MemRequest* mem,
                    const isa::MemResponse* resp) = 0;
};

}  // namespace spinlab::models
