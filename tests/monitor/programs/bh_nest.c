/* Deferred work, done right, and nested traps. The timer handler's first
 * part (hardirq) lets the software interrupt nest in it once, before it
 * acknowledges the timer (its own source masked); then it rearms the timer
 * (the acknowledgement) and turns interrupts back on: the rest of the trap
 * is its bottom half, which takes worklock and once lets the software
 * interrupt nest in it too. Process context takes worklock with interrupts
 * off, so no bottom half can run while it holds it: no finding. */
#include "bh.h"

struct spinlock worklock;
volatile uint32 work;
volatile uint32 rounds, done, soft;

__attribute__((noinline)) void softintr(void) {
  set_msip(0, 0); /* the acknowledgement */
  soft++;
}

__attribute__((noinline)) void deferred_work(void) {
  spin_lock(&worklock);
  work++;
  spin_unlock(&worklock);
}

__attribute__((noinline)) void timerintr(void) {
  uint32 epc = read_mepc(), st = read_mstatus();
  uint32 r = ++rounds;
  if (r == 1) {
    /* Still hardirq: the timer is not acknowledged yet; others may nest. */
    mask_irqs(MIE_MTIE);
    set_msip(0, 1);
    intr_on();
    while (soft < 1) {
    }
    intr_off();
    enable_irqs(MIE_MTIE);
  }
  set_timer(0, r < 3 ? 300 : ~0ull); /* the acknowledgement */
  intr_on();                         /* the bottom half from here */
  deferred_work();
  if (r == 2) {
    set_msip(0, 1); /* nests in the bottom half */
    while (soft < 2) {
    }
  }
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
  set_timer(0, 50);
  enable_irqs(MIE_MTIE | MIE_MSIE);
  intr_on();
  while (done < 3) {
    uint32 on = intr_save();
    spin_lock(&worklock);
    work++;
    spin_unlock(&worklock);
    intr_restore(on);
    delay(20);
  }
  return work > 3 ? 0 : 4;
}
