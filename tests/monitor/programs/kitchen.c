/* A three-lock cycle across three harts, with LR/SC locks, that never
 * deadlocks: hart0 cooks (pantry, then stove), later hart1 washes up
 * (stove, then sink), later still hart2 restocks (sink, then pantry). No
 * two of them overlap, but the orders pantry -> stove -> sink -> pantry
 * make a cycle: three harts running them at once could each hold one lock
 * and wait for the next. Lockdep's warning, at hart2's take of pantry. */
#include "mon.h"

uint32 pantry, stove, sink;
volatile int meals, dishes, shelves;

__attribute__((noinline)) void grab(volatile uint32 *lk) {
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

__attribute__((noinline)) void drop(volatile uint32 *lk) {
  asm volatile("fence rw, w" ::: "memory");
  *lk = 0;
}

__attribute__((noinline)) void cook(void) {
  grab(&pantry);
  grab(&stove);
  meals++;
  drop(&stove);
  drop(&pantry);
}

__attribute__((noinline)) void wash(void) {
  grab(&stove);
  grab(&sink);
  dishes++;
  drop(&sink);
  drop(&stove);
}

__attribute__((noinline)) void restock(void) {
  grab(&sink);
  grab(&pantry);
  shelves++;
  drop(&pantry);
  drop(&sink);
}

void trap(uint32 mcause) { finish(3); }

int main(uint32 hart) {
  all_start(hart);
  if (hart == 0) cook();
  if (hart == 1) {
    delay(300);
    wash();
  }
  if (hart == 2) {
    delay(600);
    restock();
  }
  all_done(hart);
  return meals == 1 && dishes == 1 && shelves == 1 ? 0 : 4;
}
