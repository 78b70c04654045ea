/* Linux's ticket spinlock (include/asm-generic/spinlock.h, the ticket
 * version that RISC-V Linux uses without qspinlock): one 32-bit word, `next`
 * in the high half and `owner` in the low half. A ticket is amoadd.w of
 * 1 << 16; a hart whose ticket is not the owner spins reading the word (odd
 * harts read only the owner half, with lhu); the release stores owner + 1
 * to the low half with sh (every third round: amoadd.w of 1). Every fourth
 * round tries first with a compare-and-swap (LR/SC), as arch_spin_trylock. */
#include "mon.h"

#define ROUNDS 40

typedef struct {
  volatile uint32 val;
} arch_spinlock_t;

arch_spinlock_t journal_lock;
volatile uint32 entries; /* guarded by journal_lock */

static inline uint32 fetch_add(volatile uint32 *p, uint32 v) {
  uint32 old;
  asm volatile("amoadd.w.aqrl %0, %2, (%1)" : "=r"(old) : "r"(p), "r"(v) : "memory");
  return old;
}

__attribute__((noinline)) void journal_lock_take(arch_spinlock_t *lock, uint32 half_reads) {
  uint32 val = fetch_add(&lock->val, 1u << 16);
  uint32 ticket = val >> 16;
  if (ticket == (val & 0xffff))
    return;
  if (half_reads)
    while (*(volatile unsigned short *)&lock->val != ticket) {
    }
  else
    while ((lock->val & 0xffff) != ticket) {
    }
}

__attribute__((noinline)) int journal_lock_try(arch_spinlock_t *lock) {
  uint32 old = lock->val;
  if ((old >> 16) != (old & 0xffff))
    return 0;
  return __atomic_compare_exchange_n(&lock->val, &old, old + (1u << 16), 0, __ATOMIC_SEQ_CST, __ATOMIC_RELAXED);
}

__attribute__((noinline)) void journal_lock_give(arch_spinlock_t *lock, uint32 round) {
  if (round % 3 == 2) {
    fetch_add(&lock->val, 1);
    return;
  }
  uint32 val = lock->val;
  *(volatile unsigned short *)&lock->val = (unsigned short)(val + 1); /* smp_store_release */
}

void trap(uint32 mcause) { finish(3); }

int main(uint32 hart) {
  uint32 n = all_start(hart);
  for (uint32 round = 0; round < ROUNDS; round++) {
    if (round % 4 != 1 || !journal_lock_try(&journal_lock))
      journal_lock_take(&journal_lock, hart & 1);
    entries = entries + 1;
    delay(10);
    journal_lock_give(&journal_lock, round);
    delay(5 * hart);
  }
  all_done(hart);
  return entries == n * ROUNDS ? 0 : 1;
}
