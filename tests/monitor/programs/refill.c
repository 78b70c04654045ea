/* Two locks taken in opposite orders, with amoor as the test-and-set and
 * amoand as the release, by two harts that never overlap: hart0 refills
 * (pool_lock, then cache_lock), and long after, hart1 evicts (cache_lock,
 * then pool_lock). No deadlock, but a lock-order inversion, found at hart1's
 * take of pool_lock. */
#include "mon.h"

uint32 pool_lock, cache_lock;
volatile int pool, cache;

__attribute__((noinline)) void claim(uint32 *lk) {
  uint32 old;
  for (;;) {
    asm volatile("amoor.w.aq %0, %1, (%2)" : "=r"(old) : "r"(1), "r"(lk) : "memory");
    if (old == 0) return;
    while (*(volatile uint32 *)lk) {
    }
  }
}

__attribute__((noinline)) void unclaim(uint32 *lk) {
  asm volatile("amoand.w.rl zero, zero, (%0)" : : "r"(lk) : "memory");
}

__attribute__((noinline)) void refill(void) {
  claim(&pool_lock);
  claim(&cache_lock);
  cache += 4;
  pool -= 4;
  unclaim(&cache_lock);
  unclaim(&pool_lock);
}

__attribute__((noinline)) void evict(void) {
  claim(&cache_lock);
  claim(&pool_lock);
  pool += 4;
  cache -= 4;
  unclaim(&pool_lock);
  unclaim(&cache_lock);
}

void trap(uint32 mcause) { finish(3); }

int main(uint32 hart) {
  all_start(hart);
  if (hart == 0) refill();
  if (hart == 1) {
    delay(400);
    evict();
  }
  all_done(hart);
  return pool == 0 && cache == 0 ? 0 : 4;
}
