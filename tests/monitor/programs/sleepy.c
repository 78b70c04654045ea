/* wfi while holding a spinlock: hart0 takes dev_lock (interrupts off), arms
 * the timer and sleeps until it fires, then releases. No deadlock (one hart),
 * but every other hart wanting dev_lock would spin all that time. */
#include "mon.h"

uint32 dev_lock;

__attribute__((noinline)) void dev_acquire(void) {
  while (__sync_lock_test_and_set(&dev_lock, 1) != 0) {
  }
}

__attribute__((noinline)) void dev_release(void) { __sync_lock_release(&dev_lock); }

__attribute__((noinline)) void wait_for_device(void) {
  set_timer(0, 50);
  wfi(); /* a pending timer wakes wfi even with interrupts off */
  set_timer(0, ~0ull);
}

void trap(uint32 mcause) { finish(3); }

int main(uint32 hart) {
  enable_irqs(MIE_MTIE);
  dev_acquire();
  wait_for_device();
  dev_release();
  return 0;
}
