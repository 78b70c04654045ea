/* Every hart takes alpha, beta and gamma in that one order, nested through
 * calls (outer -> middle -> inner), many times, contending: no lock-order
 * finding. hart3 also backs off the way code does that must take a lock out
 * of order: holding beta, it tries alpha once (a trylock), and while hart0
 * holds alpha the try fails, so it lets beta go and takes both in order.
 * A failed try can never wait, so it makes no dependency. */
#include "mon.h"

#define ROUNDS 20

uint32 alpha, beta, gamma;
volatile uint32 alpha_busy;  /* hart0 holds alpha for a long while */
volatile int total;

__attribute__((noinline)) void get(uint32 *lk) {
  while (__sync_lock_test_and_set(lk, 1) != 0) {
  }
}

__attribute__((noinline)) int try_get(uint32 *lk) { return __sync_lock_test_and_set(lk, 1) == 0; }

__attribute__((noinline)) void put(uint32 *lk) { __sync_lock_release(lk); }

__attribute__((noinline)) void inner(void) {
  get(&gamma);
  total++;
  put(&gamma);
}

__attribute__((noinline)) void middle(void) {
  get(&beta);
  inner();
  put(&beta);
}

__attribute__((noinline)) void outer(void) {
  get(&alpha);
  middle();
  put(&alpha);
}

/* hart3's out-of-order attempt, backed off. */
__attribute__((noinline)) void backoff(void) {
  while (!alpha_busy) {
  }
  get(&beta);
  if (try_get(&alpha)) { /* not while hart0 holds it */
    total = -1000;
    put(&alpha);
  }
  put(&beta);
  outer();
}

void trap(uint32 mcause) { finish(3); }

int main(uint32 hart) {
  uint32 n = all_start(hart);
  if (hart == 0) {
    get(&alpha);
    alpha_busy = 1;
    delay(300);
    put(&alpha);
  }
  if (hart == 3) backoff();
  for (int i = 0; i < ROUNDS; i++) {
    if (i % 2) middle(); /* beta and gamma only: the same order */
    else outer();
  }
  all_done(hart);
  return total == (int)(n * ROUNDS + (n > 3 ? 1 : 0)) ? 0 : 4;
}
