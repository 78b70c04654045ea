// counters: mcycle/cycle, minstret/instret and time (RISC-V privileged
// 3.1.11, unprivileged Zicntr). Cycle counts are spinlab's own business (and
// QEMU does not model cycles), so they are only checked for going forward and
// never printed; minstret is checked exactly: it counts retired instructions.
//
// On QEMU, run with -icount shift=0 (tests/e2e/differential.sh): without it
// QEMU's minstret counts host clock ticks.

#include "defs.h"
#include "riscv.h"
#include "check.h"

// How far minstret moves across `body` (straight-line assembly that may use
// t0 and t1): the first csrr plus the instructions of body.
#define INSTRET_DELTA(body) ({ uint32 _a, _b;                          \
  asm volatile("csrr %0, minstret\n\t" body "\n\tcsrr %1, minstret"     \
               : "=&r"(_a), "=r"(_b) : "r"(&scratch) : "t0", "t1", "memory"); \
  _b - _a; })

static uint32 scratch[2];

static void instret(void)
{
  uint32 a, b;

  group("instret");
  check(INSTRET_DELTA(""), 1);
  check(INSTRET_DELTA("nop\n\tnop\n\tnop\n\tnop\n\tnop\n\tnop\n\tnop\n\tnop\n\tnop\n\tnop"), 11);
  check(INSTRET_DELTA("lui t0, 1\n\taddi t0, t0, 1\n\tslli t0, t0, 1"), 4);
  // One each, whatever they cost in cycles.
  check(INSTRET_DELTA("lw t0, 0(%2)\n\tsw t0, 4(%2)\n\tmul t0, t0, t0\n\tdiv t0, t0, t1\n\tamoadd.w t0, t0, (%2)"), 6);
  check(INSTRET_DELTA("csrr t0, mscratch\n\tfence\n\tfence.i"), 4);
  // Only what executes counts: a jump over two instructions...
  check(INSTRET_DELTA("j 1f\n\tnop\n\tnop\n1:"), 2);
  // ...a branch not taken, and a loop of 10 iterations.
  check(INSTRET_DELTA("bnez zero, 1f\n1:"), 2);
  check(INSTRET_DELTA("li t0, 10\n1:\taddi t0, t0, -1\n\tbnez t0, 1b"), 22);
  // The user-level shadow counts the same.
  asm volatile("csrr %0, minstret\n\tcsrr %1, instret" : "=r"(a), "=r"(b));
  check(b - a, 1);
  asm volatile("csrr %0, instret\n\tnop\n\tnop\n\tcsrr %1, instret" : "=r"(a), "=r"(b));
  check(b - a, 3);
  group_end();
}

static void cycles(void)
{
  uint32 c0, c1, i0, i1;

  group("cycle");
  uint64 first = r_cycle64();
  uint64 second = r_cycle64();
  check(second > first, 1);
  // Every instruction takes at least one cycle.
  asm volatile("csrr %0, mcycle\n\tcsrr %1, minstret\n\t"
               "nop\n\tnop\n\tnop\n\tnop\n\tnop\n\tnop\n\tnop\n\tnop\n\t"
               "csrr %2, mcycle\n\tcsrr %3, minstret"
               : "=&r"(c0), "=&r"(i0), "=r"(c1), "=r"(i1));
  check(c1 - c0 >= i1 - i0, 1);
  // The user-level shadow reads the same counter.
  asm volatile("csrr %0, mcycle\n\tcsrr %1, cycle" : "=r"(c0), "=r"(c1));
  check(c1 - c0 >= 1 && c1 - c0 < 1000, 1);
  uint64 i = r_instret64();
  check(r_instret64() > i, 1);
  group_end();
}

static void time_csr(void)
{
  group("time");
  uint64 t0 = r_time64();
  uint32 spins = 0;
  while (r_time64() == t0 && spins < 1000000)
    spins++;
  check(spins < 1000000, 1);              // it moves...
  check(r_time64() > t0, 1);              // ...forward
  group_end();
}

int main(int hartid)
{
  if (hartid != 0)
    park();
  instret();
  cycles();
  time_csr();
  return all_passed();
}
