/* A ticket lock that the timer interrupt handler also takes. Built four
 * ways: Linux's one-word layout (LINUX_LAYOUT) or two words; main takes it
 * with interrupts on (the timer comes while it holds it, and the handler
 * waits for a turn that can never come: the same-hart deadlock) or, with
 * IRQSAVE, with interrupts off (the timer waits; no finding). */
#include "mon.h"

#ifdef LINUX_LAYOUT
struct tlock {
  volatile uint32 val; /* next << 16 | owner */
};

__attribute__((noinline)) void tlock_take(struct tlock *l) {
  uint32 val = __atomic_fetch_add(&l->val, 1u << 16, __ATOMIC_SEQ_CST);
  uint32 ticket = val >> 16;
  while ((val & 0xffff) != ticket) val = l->val;
}

__attribute__((noinline)) void tlock_give(struct tlock *l) {
  *(volatile unsigned short *)&l->val = (unsigned short)(l->val + 1);
}
#else
struct tlock {
  volatile uint32 next;
  volatile uint32 owner;
};

__attribute__((noinline)) void tlock_take(struct tlock *l) {
  uint32 ticket = __atomic_fetch_add(&l->next, 1, __ATOMIC_SEQ_CST);
  while (l->owner != ticket) {
  }
}

__attribute__((noinline)) void tlock_give(struct tlock *l) { l->owner = l->owner + 1; }
#endif

struct tlock clock_lock;
volatile uint32 jiffies;
volatile uint32 work;

__attribute__((noinline)) void tick(void) {
  tlock_take(&clock_lock); /* interrupts are off in a handler */
  jiffies++;
  tlock_give(&clock_lock);
  set_timer(0, 150);
}

void trap(uint32 mcause) {
  if (mcause == MCAUSE_TIMER)
    tick();
  else
    finish(3);
}

int main(uint32 hart) {
  if (hart != 0)
    for (;;) wfi();
  set_timer(hart, 150);
  enable_irqs(MIE_MTIE);
  intr_on();
  while (jiffies < 5) {
#ifdef IRQSAVE
    uint32 on = intr_save();
    tlock_take(&clock_lock);
    work++;
    delay(200);
    tlock_give(&clock_lock);
    intr_restore(on);
#else
    tlock_take(&clock_lock); /* the bug: interrupts are on */
    work++;
    delay(200);
    tlock_give(&clock_lock);
#endif
  }
  return 0;
}
