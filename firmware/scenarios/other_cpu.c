// 05-other-cpu (docs/lessons/05-other-cpu.md): hart 0 runs the thread of
// 04-irqsave, but hart 1 takes the timer. When hart 1's tick comes while
// hart 0 holds tickslock, clockintr on hart 1 spins -- and gets the lock as
// soon as hart 0 releases it, because hart 0 is not stuck behind hart 1's
// handler: it keeps running. Only the local hart's interrupts can deadlock
// it, so spin_lock_irqsave turns off only the local hart's interrupts.
//
// firmware.params.use_irqsave = 0 makes hart 0 use plain spin_lock (the
// bug of 03-irq-deadlock): still no deadlock here, since hart 0 takes no
// interrupts, but the monitor warns that it would be one the moment it did.
//
// Prints the ticks, the thread's rounds and hart 1's failed attempts; exits 0.
// spinlab only: hart 1 spin-waits on hart 0, which QEMU would not run.

#include "defs.h"
#include "riscv.h"
#include "../lib/intr.h"
#include "kernel.h"

#define NTICKS    5       // hart 0 stops when ticks reaches this
#define INTERVAL  1000    // mtime ticks between hart 1's timer interrupts
#define HOLD      2000    // cycles hart 0 holds tickslock each time

FIRMWARE_PARAM(use_irqsave, 1);

static volatile uint32 finished;

// Hart 1: takes timer interrupts until hart 0 is done.
static void ticker(void)
{
  trap_init();
  timer_start(r_time64() + INTERVAL, INTERVAL);
  intr_wait(&finished, 1);
  park();
}

static void take(uint32 *flags)
{
  if (use_irqsave)
    spin_lock_irqsave(&tickslock, flags);
  else
    spin_lock(&tickslock);
}

static void drop(uint32 flags)
{
  if (use_irqsave)
    spin_unlock_irqrestore(&tickslock, flags);
  else
    spin_unlock(&tickslock);
}

int main(int hartid)
{
  uint32 seen = 0, rounds = 0, flags = 0;

  if (hartid == 1)
    ticker();
  if (hartid != 0)
    park();
  trap_init();    // no timer on hart 0: it takes no interrupts at all
  intr_on();
  printf("other-cpu: hart 0 holds tickslock (%s), hart 1 takes the timer\n",
         use_irqsave ? "spin_lock_irqsave" : "spin_lock");

  while (seen < NTICKS) {
    take(&flags);
    seen = ticks;
    busy_wait(HOLD);
    drop(flags);
    rounds++;
  }
  finished = 1;
  printf("other-cpu: ticks reached %d; hart 0 finished %d rounds\n", seen, rounds);
  printf("other-cpu: hart 1 took %d timer interrupts and made %d failed attempts on tickslock in them\n",
         getcpu(1)->ticks, getcpu(1)->attempts);
  printf("other-cpu: no deadlock\n");
  return 0;
}
