// 08-irq-wrong (docs/lessons/08-irq-wrong.md): why spin_lock_irq is wrong
// where interrupts may already be off. count_event() takes its own lock
// with spin_lock_irq, written for callers that had interrupts on. The thread
// calls it while holding tickslock, taken correctly with spin_lock_irqsave.
// count_event's spin_unlock_irq turns interrupts back ON -- with tickslock
// still held. The timer tick that was waiting is taken at once, clockintr
// spins on tickslock, and the hart has deadlocked itself.
//
// firmware.params.fixed = 1 makes count_event use spin_lock_irqsave, which
// restores what it found (off): no deadlock, exit 0. spinlab only.

#include "defs.h"
#include "riscv.h"
#include "kernel.h"

static struct spinlock statslock = SPINLOCK_INIT("statslock");
static volatile uint32 events;

FIRMWARE_PARAM(fixed, 0);

// Counts an event. Assumes interrupts are on when it is called: its
// spin_unlock_irq turns them on, whatever they were.
static void count_event(void)
{
  uint32 flags;

  if (fixed) {
    spin_lock_irqsave(&statslock, &flags);
    events++;
    spin_unlock_irqrestore(&statslock, flags);
    return;
  }
  spin_lock_irq(&statslock);
  events++;
  spin_unlock_irq(&statslock);   // BUG when called with interrupts off
}

int main(int hartid)
{
  uint32 flags;

  if (hartid != 0)
    park();
  trap_init();
  intr_on();
  printf("irq-wrong: count_event uses %s\n", fixed ? "spin_lock_irqsave" : "spin_lock_irq");

  spin_lock_irqsave(&tickslock, &flags);   // right: interrupts off, then the lock
  timer_start(r_time64(), 0);              // a tick, pending from now on
  while ((r_mip() & MIE_MTIE) == 0)        // mip.MTIP, mie.MTIE's bit
    ;
  count_event();                           // ...but this turns interrupts on
  spin_unlock_irqrestore(&tickslock, flags);

  printf("irq-wrong: %d event, %d tick: no deadlock\n", events, ticks);
  return 0;
}
