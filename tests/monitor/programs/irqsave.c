/* The correct way: spin_lock_irqsave takes tickslock with interrupts off, so
 * the timer interrupt waits until the lock is free; its handler takes the
 * same lock. Many ticks, no findings. */
#include "mon.h"

uint32 tickslock;
volatile uint32 ticks;
volatile uint32 work;

__attribute__((noinline)) void acquire(uint32 *lk) {
  while (__sync_lock_test_and_set(lk, 1) != 0) {
  }
}

__attribute__((noinline)) void release(uint32 *lk) { __sync_lock_release(lk); }

__attribute__((noinline)) uint32 spin_lock_irqsave(uint32 *lk) {
  uint32 on = intr_save();
  acquire(lk);
  return on;
}

__attribute__((noinline)) void spin_unlock_irqrestore(uint32 *lk, uint32 on) {
  release(lk);
  intr_restore(on);
}

__attribute__((noinline)) void clockintr(void) {
  acquire(&tickslock); /* interrupts are off in a handler */
  ticks++;
  release(&tickslock);
  set_timer(0, 100);
}

void trap(uint32 mcause) {
  if (mcause == MCAUSE_TIMER)
    clockintr();
  else
    finish(3);
}

int main(uint32 hart) {
  set_timer(hart, 20);
  enable_irqs(MIE_MTIE);
  intr_on();
  while (ticks < 5) {
    uint32 on = spin_lock_irqsave(&tickslock);
    work++;
    delay(300);
    spin_unlock_irqrestore(&tickslock, on);
  }
  return 0;
}
