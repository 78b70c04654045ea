/* Two threads of one hart that take `tally_lock` in turn and release it
 * before each hop: no finding. The hop also hands `runq_lock` over, as a
 * scheduler hands its run-queue lock to the thread it switches to (taken
 * before the hop, released by the thread that runs next). */
#include "hop.h"

uint32 tally_lock, runq_lock;
volatile uint32 tally;
uint32 main_sp, pinger_sp;
uint32 pinger_stack[256];

__attribute__((noinline)) void lock(volatile uint32 *lk) {
  while (__atomic_exchange_n(lk, 1, __ATOMIC_ACQUIRE)) {
  }
}

__attribute__((noinline)) void unlock(volatile uint32 *lk) { __atomic_store_n(lk, 0, __ATOMIC_RELEASE); }

__attribute__((noinline)) void add_one(void) {
  lock(&tally_lock);
  tally++;
  unlock(&tally_lock);
}

/* Switch to the other thread with runq_lock held; the other releases it. */
__attribute__((noinline)) void pass(uint32 *save, uint32 to) {
  lock(&runq_lock);
  hop(save, to);
  unlock(&runq_lock);
}

void pinger(void) {
  unlock(&runq_lock); /* a new thread's first act: the lock handed over */
  for (;;) {
    add_one();
    pass(&pinger_sp, main_sp);
  }
}

void trap(uint32 mcause) { finish(3); }

int main(uint32 hart) {
  pinger_sp = hop_stack(pinger_stack + 256, pinger);
  for (int i = 0; i < 4; i++) {
    add_one();
    pass(&main_sp, pinger_sp);
  }
  return tally == 8 ? 0 : 1;
}
