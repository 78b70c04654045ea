/* SOFTIRQ-safe -> SOFTIRQ-unsafe, with no deadlock. The timer's bottom half
 * takes statlock once (USED_IN_SOFTIRQ). Later process context holds
 * statlock with a plain lock, interrupts on, while the timer's next bottom
 * half runs (which leaves statlock alone): bottom halves were enabled
 * while it held it. With -DBH_IRQ instead, the bottom half takes irqlock with
 * interrupts on, and the software interrupt's handler takes it too: the
 * bottom half needs spin_lock_irqsave. */
#include "bh.h"

struct spinlock statlock, irqlock;
volatile uint32 stats, rounds, done, soft;

__attribute__((noinline)) void update_stats(void) {
  spin_lock(&statlock);
  stats++;
  spin_unlock(&statlock);
}

__attribute__((noinline)) void softintr(void) {
  set_msip(0, 0);
  spin_lock(&irqlock);
  soft++;
  spin_unlock(&irqlock);
}

__attribute__((noinline)) void timerintr(void) {
  uint32 epc = read_mepc(), st = read_mstatus();
  ++rounds;
  set_timer(0, ~0ull); /* the acknowledgement */
  intr_on();
#ifdef BH_IRQ
  spin_lock(&irqlock);
  stats++;
  spin_unlock(&irqlock);
#else
  if (rounds == 1) update_stats();
#endif
  done++;
  intr_off();
  restore_trap(epc, st);
}

void trap(uint32 mcause) {
  if (mcause == MCAUSE_TIMER)
    timerintr();
  else if (mcause == MCAUSE_SOFTWARE)
    softintr();
  else
    finish(3);
}

int main(uint32 hart) {
  set_timer(0, 30);
  enable_irqs(MIE_MTIE | MIE_MSIE);
  intr_on();
  while (done < 1) {
  }
#ifdef BH_IRQ
  set_msip(0, 1); /* the handler takes irqlock */
  while (soft < 1) {
  }
#else
  spin_lock(&statlock); /* the bug: spin_lock_bh wanted */
  set_timer(0, 5);
  while (done < 2) { /* the second bottom half runs meanwhile */
  }
  spin_unlock(&statlock);
#endif
  return 0;
}
