// 04-irqsave (docs/lessons/04-irqsave.md): the thread of 03-irq-deadlock,
// with spin_lock_irqsave. Interrupts are off on hart 0 while it holds
// tickslock, so the timer interrupt that comes during a hold waits, pending,
// until spin_unlock_irqrestore has cleared the lock word and turned them
// back on; then clockintr takes the free lock at once. Both the thread and
// the ticks make progress.
//
// Prints the ticks and the thread's rounds; exits 0. Runs on QEMU too.

#include "defs.h"
#include "riscv.h"
#include "kernel.h"

#define NTICKS    5       // the thread stops when ticks reaches this
#define INTERVAL  1000    // mtime ticks between timer interrupts (10 000 cycles)
#define HOLD      2000    // cycles the thread holds tickslock each time

int main(int hartid)
{
  uint32 seen = 0, rounds = 0, flags;

  if (hartid != 0)
    park();
  trap_init();
  timer_start(r_time64() + INTERVAL, INTERVAL);
  intr_on();
  printf("irqsave: hart 0 takes tickslock with spin_lock_irqsave\n");

  while (seen < NTICKS) {
    spin_lock_irqsave(&tickslock, &flags);   // this hart's interrupts off first
    seen = ticks;
    busy_wait(HOLD);                         // the critical section
    spin_unlock_irqrestore(&tickslock, flags);
    rounds++;
  }
  printf("irqsave: ticks reached %d; the thread finished %d rounds; interrupts on: %d\n",
         seen, rounds, intr_get());
  printf("irqsave: no deadlock\n");
  return 0;
}
