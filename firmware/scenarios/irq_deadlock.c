// 03-irq-deadlock (docs/lessons/03-irq-deadlock.md): xv6's tickslock case.
// A thread on hart 0 reads `ticks` under tickslock, again and again, and
// takes the lock with spin_lock: interrupts stay ON while it holds it. The
// timer interrupt comes in the middle of a hold; its handler, clockintr
// (kernel/trap.c), wants tickslock too, on the same hart. The handler spins
// waiting for the thread, and the thread cannot run until the handler
// returns: the hart has deadlocked itself.
//
// On spinlab the monitor stops the run (exit 126) and names the lock, the
// holder and the spinning handler. The "done" line is never printed.
// spinlab only: on QEMU the same thing happens and the run just hangs.

#include "defs.h"
#include "riscv.h"
#include "kernel.h"

#define NTICKS    5       // the thread stops when ticks reaches this
#define INTERVAL  1000    // mtime ticks between timer interrupts (10 000 cycles)
#define HOLD      2000    // cycles the thread holds tickslock each time

int main(int hartid)
{
  uint32 seen = 0, rounds = 0;

  if (hartid != 0)
    park();
  trap_init();
  timer_start(r_time64() + INTERVAL, INTERVAL);
  intr_on();
  printf("irq-deadlock: hart 0 takes tickslock with spin_lock, interrupts on\n");

  while (seen < NTICKS) {
    spin_lock(&tickslock);        // BUG: the timer handler takes tickslock too
    seen = ticks;
    busy_wait(HOLD);              // the critical section
    spin_unlock(&tickslock);
    rounds++;
  }
  printf("irq-deadlock: done: ticks %d after %d rounds (no interrupt hit a hold)\n", seen, rounds);
  return 0;
}
