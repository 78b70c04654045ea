/* Same-CPU deadlock: hart0 takes tickslock with interrupts on; the timer
 * interrupt comes during the long critical section, and its handler
 * (clockintr) spins on tickslock. Lock loop: amoswap; release: amoswap zero. */
#include "mon.h"

struct spinlock {
  uint32 locked;
  const char *name;
};

struct spinlock tickslock = {0, "time"};
volatile uint32 ticks;

__attribute__((noinline)) void spin_lock(struct spinlock *lk) {
  uint32 old;
  do {
    asm volatile("amoswap.w.aq %0, %1, (%2)" : "=r"(old) : "r"(1), "r"(&lk->locked) : "memory");
  } while (old != 0);
}

__attribute__((noinline)) void spin_unlock(struct spinlock *lk) {
  asm volatile("amoswap.w.rl zero, zero, (%0)" : : "r"(&lk->locked) : "memory");
}

__attribute__((noinline)) void clockintr(void) {
  spin_lock(&tickslock);
  ticks++;
  set_timer(0, 1000);
  spin_unlock(&tickslock);
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
  for (;;) {
    spin_lock(&tickslock);  /* the bug: interrupts are on */
    delay(1000);
    spin_unlock(&tickslock);
  }
}
