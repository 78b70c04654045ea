/* Same-CPU deadlock with an LR/SC lock loop, on one of an array of locks
 * (the monitor names it locks+0x8): the timer handler (timer_tick) bumps a
 * counter under the lock main holds with interrupts on. */
#include "mon.h"

uint32 locks[4];
volatile uint32 counters[4];

__attribute__((noinline)) void lrsc_acquire(volatile uint32 *lk) {
  uint32 tmp, fail;
  asm volatile(
      "1: lr.w.aq %0, (%2)\n"
      "   bnez %0, 1b\n"
      "   sc.w %1, %3, (%2)\n"
      "   bnez %1, 1b\n"
      : "=&r"(tmp), "=&r"(fail)
      : "r"(lk), "r"(1)
      : "memory");
}

__attribute__((noinline)) void lrsc_release(volatile uint32 *lk) {
  asm volatile("fence rw, w" ::: "memory");
  *lk = 0;
}

__attribute__((noinline)) void bump(int i) {
  lrsc_acquire(&locks[i]);
  counters[i]++;
  lrsc_release(&locks[i]);
}

__attribute__((noinline)) void timer_tick(void) {
  bump(2);
  set_timer(0, 1000);
}

void trap(uint32 mcause) {
  if (mcause == MCAUSE_TIMER)
    timer_tick();
  else
    finish(3);
}

int main(uint32 hart) {
  set_timer(hart, 30);
  enable_irqs(MIE_MTIE);
  intr_on();
  for (;;) {
    lrsc_acquire(&locks[2]);
    delay(1000);
    lrsc_release(&locks[2]);
  }
}
