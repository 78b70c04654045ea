/* Two threads of one hart: main takes `pool_lock` with LR/SC and hops to
 * the worker without releasing it; the worker, interrupts off, wants it
 * with amoor. Nothing can ever run main again: a deadlock between threads
 * (not the hart taking its own lock twice). */
#include "hop.h"

uint32 pool_lock;
uint32 main_sp, worker_sp;
uint32 worker_stack[256];

__attribute__((noinline)) void take_lrsc(volatile uint32 *lk) {
  uint32 tmp, fail;
  asm volatile(
      "1: lr.w %0, (%2)\n"
      "   bnez %0, 1b\n"
      "   sc.w %1, %3, (%2)\n"
      "   bnez %1, 1b\n"
      : "=&r"(tmp), "=&r"(fail)
      : "r"(lk), "r"(1)
      : "memory");
}

__attribute__((noinline)) void take_amoor(volatile uint32 *lk) {
  uint32 old;
  do {
    asm volatile("amoor.w.aq %0, %2, (%1)" : "=r"(old) : "r"(lk), "r"(1) : "memory");
  } while (old);
}

__attribute__((noinline)) void drop(volatile uint32 *lk) {
  asm volatile("amoswap.w.rl zero, zero, (%0)" : : "r"(lk) : "memory");
}

__attribute__((noinline)) void refill(void) {
  take_amoor(&pool_lock);
  drop(&pool_lock);
}

void worker(void) {
  refill();
  hop(&worker_sp, main_sp);
}

void trap(uint32 mcause) { finish(3); }

int main(uint32 hart) {
  worker_sp = hop_stack(worker_stack + 256, worker);
  take_lrsc(&pool_lock);
  hop(&main_sp, worker_sp);
  drop(&pool_lock);
  return 0;
}
