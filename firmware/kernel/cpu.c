// Per-hart state. A hart never moves: it always runs as itself, so
// mycpu() is safe with interrupts on (unlike xv6's, where a process can be
// moved to another CPU between reading the id and using it).

#include "defs.h"
#include "param.h"
#include "riscv.h"
#include "kernel.h"

// In .data, not .bss: zeroing it at start-up would cost every program
// cycles before main.
struct cpu cpus[NHART] __attribute__((section(".data.cpus")));

struct cpu *mycpu(void)
{
  return &cpus[r_mhartid()];
}

struct cpu *getcpu(int hart)
{
  return &cpus[hart];
}

// Work for about `cycles` cycles (reading mcycle), with no memory access:
// a critical section's worth of computing that adds no bus traffic. An
// interrupt taken meanwhile counts towards the time.
void busy_wait(uint32 cycles)
{
  uint32 start = r_cycle();

  while (r_cycle() - start < cycles)
    ;
}
