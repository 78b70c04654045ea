/* "Called from" past a call the lock function makes first: acquire() calls
 * push_off() before its amoswap loop, as xv6's does, so when it takes the
 * lock ra points back into acquire; its caller (bump) is in the ra that
 * acquire's prologue saved on the stack. One hart, no finding. */
#include "mon.h"

struct spinlock {
  uint32 locked;
};

struct spinlock biglock;
volatile uint32 noff;
volatile uint32 counter;

__attribute__((noinline)) void push_off(void) {
  intr_off();
  noff++;
}

__attribute__((noinline)) void pop_off(void) { noff--; }

__attribute__((noinline)) void acquire(struct spinlock *lk) {
  uint32 old;
  push_off();
  do {
    asm volatile("amoswap.w.aq %0, %1, (%2)" : "=r"(old) : "r"(1), "r"(&lk->locked) : "memory");
  } while (old != 0);
}

__attribute__((noinline)) void release(struct spinlock *lk) {
  asm volatile("amoswap.w.rl zero, zero, (%0)" : : "r"(&lk->locked) : "memory");
  pop_off();
}

__attribute__((noinline)) void bump(void) {
  acquire(&biglock);
  counter++;
  release(&biglock);
}

int main(uint32 hart) {
  for (int i = 0; i < 3; i++) bump();
  return counter == 3 ? 0 : 1;
}

void trap(uint32 mcause) { finish(3); } /* no trap is expected */
