/* irq-unsafe, but no deadlock this run: main takes stats_lock with
 * interrupts on before the timer is armed; later the timer handler
 * (account_tick) takes it. The monitor warns; the run ends normally. */
#include "mon.h"

uint32 stats_lock;
volatile uint32 events;
volatile uint32 done;

__attribute__((noinline)) void stats_lock_acquire(void) {
  while (__sync_lock_test_and_set(&stats_lock, 1) != 0) {
  }
}

__attribute__((noinline)) void stats_lock_release(void) { __sync_lock_release(&stats_lock); }

__attribute__((noinline)) void account_tick(void) {
  stats_lock_acquire();
  events++;
  stats_lock_release();
  set_timer(0, ~0ull);
  done = 1;
}

void trap(uint32 mcause) {
  if (mcause == MCAUSE_TIMER)
    account_tick();
  else
    finish(3);
}

int main(uint32 hart) {
  enable_irqs(MIE_MTIE);
  intr_on();
  stats_lock_acquire(); /* interrupts on: unsafe, but no timer is armed yet */
  events++;
  stats_lock_release();
  set_timer(hart, 50);
  while (!done) wfi();
  return events == 2 ? 0 : 1;
}
