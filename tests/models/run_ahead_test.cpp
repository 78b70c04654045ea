// Running ahead (Machine::run_ahead) against stepping every instruction:
// what undoes a run, on hand-encoded programs.
#include <array>
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

#include "firmware/include/memmap.h"
#include "models/hooks.h"
#include "models/kernel.h"
#include "models/machine.h"
#include "tests/models/program.h"

namespace spinlab::models {
namespace {

// How the run ends in patching_program.
enum class Ending { finisher, store, ecall };

// Every hart but `patcher` turns interrupts on (mstatus.MIE, mie.MSIE) and
// counts in t0 round a two-instruction loop of plain instructions, so it
// runs ahead of the others (Machine::run_ahead). With `odd_step`, the odd
// ones count round a loop with a CSR read in it instead, which they step
// one instruction at a time, in turn with the patcher (Machine::lockstep).
// The patcher waits round a plain loop of its own, then stores over the
// first loop's jump a store of t0: the counters do it at the cycle of that
// patch, not where they had run ahead to, and count in t1 round a second
// loop. The patcher stores each time round its next wait (for the bus
// with the counters' stores, in cycle order), then sends hart `target` a
// software interrupt, whose handler counts in s0. It waits once more,
// reading a CSR each time round, and ends the run: by the finisher (a
// device access), by a store to RAM_BASE + 0x400 that a hook stops the run
// at (after its grant), or by an ecall a hook stops it at (after a step:
// the harts before the patcher have stepped at that cycle, those after it
// have not).
std::vector<uint32_t> patching_program(unsigned patcher, unsigned target, Ending ending, bool odd_step) {
  const uint32_t patch = sw(t0, a1, 0x500);
  const uint32_t hi = (patch + 0x800) >> 12;
  const int32_t lo = static_cast<int32_t>(patch - (hi << 12));
  const uint32_t andi_t6_a0_1 = addi(t6, a0, 1) | (7u << 12);
  constexpr uint16_t kMscratch = 0x340;
  // clang-format off
  std::vector<uint32_t> p = {
      addi(t5, 0, static_cast<int32_t>(patcher)),  // 0
      beq(a0, t5, 64),                  // 1: the patcher to 17
      lui(a1, RAM_BASE >> 12),          // 2
      addi(t6, a1, 4 * 38),             // 3: the handler
      csrrw(0, kMtvec, t6),             // 4
      addi(t6, 0, 8),                   // 5
      csrs(kMie, t6),                   // 6: MSIE
      csrsi(kMstatus, 8),               // 7: MIE
      andi_t6_a0_1,                     // 8
      odd_step ? beq(t6, 0, 16) : beq(0, 0, 16),  // 9: to 13
      csrr(t2, kMscratch),              // 10: odd: not plain
      addi(t0, t0, 1),                  // 11
      jal_back(2),                      // 12: to 10
      addi(t0, t0, 1),                  // 13: count
      jal_back(1),                      // 14: to 13; the patcher makes it sw t0, 0x500(a1)
      addi(t1, t1, 1),                  // 15: count again
      jal_back(1),                      // 16: to 15
      addi(t4, 0, 300),                 // 17: the patcher: wait
      addi(t4, t4, -1),                 // 18
      beq(t4, 0, 8),                    // 19: to 21
      jal_back(2),                      // 20: to 18
      lui(a1, RAM_BASE >> 12),          // 21
      lui(a2, hi),                      // 22
      addi(a2, a2, lo),                 // 23
      sw(a2, a1, 4 * 14),               // 24: over 14
      addi(t4, 0, 200),                 // 25: wait again, storing
      sw(t4, a1, 0x600),                // 26
      addi(t4, t4, -1),                 // 27
      beq(t4, 0, 8),                    // 28: to 30
      jal_back(3),                      // 29: to 26
      lui(a1, CLINT_BASE >> 12),        // 30
      addi(t6, 0, 1),                   // 31
      sw(t6, a1, static_cast<int32_t>(CLINT_MSIP(target) - CLINT_BASE)),  // 32: msip
      addi(t4, 0, 500),                 // 33: wait once more
      csrr(t2, kMscratch),              // 34: not plain
      addi(t4, t4, -1),                 // 35
      beq(t4, 0, 16),                   // 36: to 40
      jal_back(3),                      // 37: to 34
      addi(s0, s0, 1),                  // 38: the handler: count
      jal_back(1),                      // 39: to 38
  };
  // clang-format on
  switch (ending) {  // 40
    case Ending::finisher:
      for (uint32_t insn : finish_ok()) p.push_back(insn);
      break;
    case Ending::store: p.insert(p.end(), {lui(a1, RAM_BASE >> 12), sw(t4, a1, 0x400), kLoopForever}); break;
    case Ending::ecall: p.insert(p.end(), {kEcall, kLoopForever}); break;
  }
  return p;
}

// Stops the run at hart `who`'s store to `addr` or its first trap, as the
// lock monitor stops it at a deadlock.
class Stopper : public Hooks {
 public:
  Stopper(Machine& m, unsigned who, uint32_t addr) : m_(m), who_(who), addr_(addr) {}
  unsigned wants() const override { return kHartEvents; }
  void access(uint64_t, unsigned h, uint32_t, const isa::MemRequest& r, const isa::MemResponse&, uint32_t) override {
    if (h == who_ && r.op == isa::MemOp::store && r.addr == addr_) m_.request_stop(StopReason::deadlock);
  }
  void trap(uint64_t, unsigned h, const TrapInfo&) override {
    if (h == who_) m_.request_stop(StopReason::deadlock);
  }

 private:
  Machine& m_;
  unsigned who_;
  uint32_t addr_;
};

struct Patched {
  Story story;
  uint32_t stored;  // what the counters stored last
  StopReason why;
  Machine::RunAhead ahead;
};

Patched run_patching(unsigned harts, unsigned patcher, Ending ending, bool odd_step, bool every_step) {
  fresh_systemc_kernel();
  MachineSpec spec;
  spec.harts = harts;
  spec.max_cycles = 100000;
  Machine m("machine", spec);
  Stopper stopper(m, patcher, RAM_BASE + 0x400);
  EveryStep every;
  m.add_hooks(stopper);
  if (every_step) m.add_hooks(every);
  const unsigned target = patcher == 0 ? harts - 1 : 0;
  const std::vector<uint32_t> p = patching_program(patcher, target, ending, odd_step);
  m.load(RAM_BASE, reinterpret_cast<const uint8_t*>(p.data()), static_cast<uint32_t>(p.size() * 4));
  m.reset(RAM_BASE);
  m.run();
  Patched r{{{}, m.cycles(), {}, {}}, m.peek(RAM_BASE + 0x500).value_or(0), m.stop_reason(), m.run_ahead_stats()};
  for (unsigned h = 0; h < harts; ++h) {
    r.story.instret.push_back(m.hart(h).minstret());
    std::array<uint32_t, 32> x{};
    for (unsigned i = 0; i < 32; ++i) x[i] = m.hart(h).x(i);
    r.story.regs.push_back(x);
  }
  return r;
}

TEST(Machine, RunningAheadIsUndoneByAStoreIntoItsCodeAndByTheEndOfTheRun) {
  for (bool odd_step : {false, true})
    for (Ending ending : {Ending::finisher, Ending::store, Ending::ecall})
      for (unsigned harts : {2u, 3u, 5u})
        for (unsigned patcher : {0u, harts - 1}) {
          SCOPED_TRACE(testing::Message() << "odd_step " << odd_step << ", ending " << static_cast<int>(ending) << ", "
                                          << harts << " harts, patcher " << patcher);
          const Patched ahead = run_patching(harts, patcher, ending, odd_step, false);
          const Patched stepped = run_patching(harts, patcher, ending, odd_step, true);
          EXPECT_EQ(ahead.why, ending == Ending::finisher ? StopReason::finisher : StopReason::deadlock);
          EXPECT_EQ(ahead.why, stepped.why);
          EXPECT_EQ(ahead.story.cycles, stepped.story.cycles);
          EXPECT_EQ(ahead.story.instret, stepped.story.instret);
          EXPECT_EQ(ahead.story.regs, stepped.story.regs);
          EXPECT_EQ(ahead.stored, stepped.stored);
          // The plain counters ran ahead, and the patch and the end undid that.
          unsigned runners = 0;
          for (unsigned h = 0; h < harts; ++h) {
            if (h == patcher) continue;
            EXPECT_GT(ahead.story.regs[h][t0], 0u) << "hart " << h;
            // Only the target took the interrupt.
            EXPECT_EQ(ahead.story.regs[h][s0] > 0, h == (patcher == 0 ? harts - 1 : 0)) << "hart " << h;
            if (odd_step && h % 2) continue;
            ++runners;
            EXPECT_GT(ahead.story.regs[h][t1], 0u) << "hart " << h;
          }
          EXPECT_EQ(ahead.stored != 0, runners > 0);  // the patch ran
          if (runners) {
            EXPECT_GT(ahead.ahead.undone, 0u);
          }
          EXPECT_GT(ahead.ahead.runs, 0u);
          EXPECT_EQ(stepped.ahead.runs, 0u);  // never with a hook on every step
        }
}

}  // namespace
}  // namespace spinlab::models
