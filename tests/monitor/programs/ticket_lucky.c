/* irq-unsafe use of a two-word ticket lock, with no deadlock this run: main
 * takes stamp_lock with interrupts on before the timer is armed, and the
 * timer handler takes it later. The monitor warns; the run ends normally. */
#include "mon.h"

struct ticketlock {
  volatile uint32 next;
  volatile uint32 owner;
};

struct ticketlock stamp_lock;
volatile uint32 stamps;
volatile uint32 stamped;

__attribute__((noinline)) void stamp_lock_take(void) {
  uint32 ticket = __atomic_fetch_add(&stamp_lock.next, 1, __ATOMIC_SEQ_CST);
  while (stamp_lock.owner != ticket) {
  }
}

__attribute__((noinline)) void stamp_lock_drop(void) { __atomic_fetch_add(&stamp_lock.owner, 1, __ATOMIC_SEQ_CST); }

__attribute__((noinline)) void stamp_tick(void) {
  stamp_lock_take();
  stamps++;
  stamp_lock_drop();
  set_timer(0, ~0ull);
  stamped = 1;
}

void trap(uint32 mcause) {
  if (mcause == MCAUSE_TIMER)
    stamp_tick();
  else
    finish(3);
}

int main(uint32 hart) {
  if (hart != 0)
    for (;;) wfi();
  enable_irqs(MIE_MTIE);
  intr_on();
  stamp_lock_take(); /* interrupts on: unsafe, but no timer is armed yet */
  stamps++;
  stamp_lock_drop();
  set_timer(hart, 50);
  while (!stamped) wfi();
  return stamps == 2 ? 0 : 1;
}
