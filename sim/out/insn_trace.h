// The instruction trace: `spinlab trace` and `spinlab run --trace-insns`
// print every step of every hart, one line each, in the manner of Spike's
// commit log (docs/terminal.md, "The instruction trace"):
//
//   cycle 1234 hart0 80000010 <main+0x8> (00a50533) add a0,a0,a0    a0=0x00000004
//   cycle 1240 hart1 80000024 <spin_lock+0x4> (0ce7a72f) amoswap.w.aq a4,a4,(a5)    a4=0x00000000 mem[0x80000fe0]=0x00000001
//   cycle 1300 hart0 -- timer interrupt (mcause 0x80000007) at 80000014 <main+0xc>; handler 80000100 <kernelvec>
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

#include "models/hooks.h"

namespace spinlab {

class ElfImage;
class Narrator;
struct NarrateFilter;

class InsnTrace : public models::Hooks {
 public:
  // Writes to `out`; `elf` names addresses and must outlive the trace.
  InsnTrace(const ElfImage& elf, std::FILE* out) : elf_(elf), out_(out) {}

  // Lines go to `narrator` instead (in cycle order with the narrative and
  // the firmware's output), only those `filter` passes (--harts, --cycles);
  // either may be null. Both must outlive the trace.
  void set_narrator(Narrator* narrator, const NarrateFilter* filter) {
    narrator_ = narrator;
    filter_ = filter;
  }

  // models::Hooks: every step.
  unsigned wants() const override { return kSteps; }
  void step(uint64_t cycle, const isa::Hart& h, isa::StepStatus status, const isa::MemRequest* mem,
            const isa::MemResponse* resp) override;

  // The line for one step (without '\n').
  std::string line(uint64_t cycle, const isa::Hart& h, isa::StepStatus status, const isa::MemRequest* mem,
                   const isa::MemResponse* resp) const;
  // Steps reported for an earlier cycle than one already printed (a
  // spinlab bug: the trace promises cycle order).
  uint64_t out_of_order() const { return out_of_order_; }

 private:
  const ElfImage& elf_;
  std::FILE* out_;
  Narrator* narrator_ = nullptr;
  const NarrateFilter* filter_ = nullptr;
  uint64_t last_cycle_ = 0;
  uint64_t out_of_order_ = 0;
};

}  // namespace spinlab
