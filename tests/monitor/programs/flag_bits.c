/* Flags raised and cleared by different harts, beside a bit lock. Each hart
 * raises the other's `need_resched` bit with an amoor into x0 (Linux's
 * set_bit: nothing looks at the old value) and clears its own with an amoand
 * into x0 (clear_bit), as a scheduler's wakeup and schedule do; its own
 * tick raises its own bit too, so a hart sets and clears the same word. The two
 * share a counter under `bitlock`, taken with an amoor whose old value is
 * tested (test_and_set_bit_lock) and released with an amoand into x0
 * (clear_bit_unlock). Only `bitlock` is a lock; the flags are not, and no
 * hart releases anything it does not hold. */
#include "mon.h"

volatile uint32 need_resched[2];
volatile uint32 bitlock;
volatile uint32 shared;

__attribute__((noinline)) void set_bit0(volatile uint32 *w) {
  asm volatile("amoor.w zero, %0, (%1)" : : "r"(1), "r"(w) : "memory");
}

__attribute__((noinline)) void clear_bit0(volatile uint32 *w) {
  asm volatile("amoand.w zero, %0, (%1)" : : "r"(~1u), "r"(w) : "memory");
}

__attribute__((noinline)) void bit_lock(volatile uint32 *w) {
  uint32 old;
  do {
    asm volatile("amoor.w.aq %0, %1, (%2)" : "=r"(old) : "r"(1), "r"(w) : "memory");
  } while (old & 1);
}

__attribute__((noinline)) void bit_unlock(volatile uint32 *w) {
  asm volatile("amoand.w.rl zero, %0, (%1)" : : "r"(~1u), "r"(w) : "memory");
}

void trap(uint32 mcause) { finish(4); } /* no interrupt is enabled */

int main(uint32 hart) {
  uint32 n = all_start(hart);
  uint32 other = hart ^ 1;

  if (n < 2) finish(2);
  for (int i = 0; i < 20; i++) {
    set_bit0(&need_resched[hart]); /* its own tick */
    clear_bit0(&need_resched[hart]);
    set_bit0(&need_resched[other]); /* a wakeup for the other hart */
    delay(10 + 7 * hart);
    clear_bit0(&need_resched[hart]);
    bit_lock(&bitlock);
    shared++;
    delay(20);
    bit_unlock(&bitlock);
  }
  all_done(hart);
  if (shared != 40) finish(3);
  return 0;
}
