/* A bottom half deadlock: process context takes statlock with a plain lock
 * (interrupts on, bottom halves not disabled); the timer's handler
 * acknowledges the timer, turns interrupts back on, and its bottom half
 * (update_stats) spins on statlock, which the code it interrupted holds. */
#include "bh.h"

struct spinlock statlock;
volatile uint32 stats;

__attribute__((noinline)) void update_stats(void) {
  spin_lock(&statlock);
  stats++;
  spin_unlock(&statlock);
}

__attribute__((noinline)) void timerintr(void) {
  uint32 epc = read_mepc(), st = read_mstatus();
  set_timer(0, 500); /* the acknowledgement */
  intr_on();
  update_stats();
  intr_off();
  restore_trap(epc, st);
}

void trap(uint32 mcause) {
  if (mcause == MCAUSE_TIMER)
    timerintr();
  else
    finish(3);
}

int main(uint32 hart) {
  set_timer(0, 50);
  enable_irqs(MIE_MTIE);
  intr_on();
  for (;;) {
    spin_lock(&statlock); /* the bug: spin_lock_bh wanted */
    stats++;
    delay(1000);
    spin_unlock(&statlock);
  }
}
