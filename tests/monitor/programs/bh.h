/* What the bottom-half test programs share: a trap that saves what a
 * nested trap overwrites (mepc, mstatus.MPIE/MPP), so that a handler may
 * turn interrupts back on, and a plain amoswap lock. No kernel API: the
 * monitor has to infer the bottom half from the hart alone. */
#ifndef BH_H
#define BH_H

#include "mon.h"

struct spinlock {
  uint32 locked;
};

__attribute__((noinline)) void spin_lock(struct spinlock *lk) {
  uint32 old;
  do {
    asm volatile("amoswap.w.aq %0, %1, (%2)" : "=r"(old) : "r"(1), "r"(&lk->locked) : "memory");
  } while (old != 0);
}

__attribute__((noinline)) void spin_unlock(struct spinlock *lk) {
  asm volatile("amoswap.w.rl zero, zero, (%0)" : : "r"(&lk->locked) : "memory");
}

static inline uint32 read_mepc(void) {
  uint32 v;
  asm volatile("csrr %0, mepc" : "=r"(v));
  return v;
}
static inline uint32 read_mstatus(void) {
  uint32 v;
  asm volatile("csrr %0, mstatus" : "=r"(v));
  return v;
}
/* Back to the trap's own state before its mret (interrupts off first). */
static inline void restore_trap(uint32 mepc, uint32 mstatus) {
  asm volatile("csrw mepc, %0" : : "r"(mepc));
  asm volatile("csrw mstatus, %0" : : "r"(mstatus) : "memory");
}
static inline void mask_irqs(uint32 bits) { asm volatile("csrc mie, %0" : : "r"(bits)); }

#endif
