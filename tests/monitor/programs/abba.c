/* Cross-CPU deadlock on 2 harts: hart0 posts (accounts_lock, then
 * ledger_lock), hart1 audits (ledger_lock, then accounts_lock). Each takes
 * its first lock, waits a little, and spins on the other's. No interrupts. */
#include "mon.h"

uint32 accounts_lock;
uint32 ledger_lock;
volatile int balance, entries;

__attribute__((noinline)) void take(uint32 *lk) {
  while (__sync_lock_test_and_set(lk, 1) != 0) {
  }
}

__attribute__((noinline)) void give(uint32 *lk) { __sync_lock_release(lk); }

__attribute__((noinline)) void post(void) {
  take(&accounts_lock);
  balance++;
  delay(50);
  take(&ledger_lock);
  entries++;
  give(&ledger_lock);
  give(&accounts_lock);
}

__attribute__((noinline)) void audit(void) {
  take(&ledger_lock);
  delay(50);
  take(&accounts_lock);
  balance += entries;
  give(&accounts_lock);
  give(&ledger_lock);
}

void trap(uint32 mcause) { finish(3); }

int main(uint32 hart) {
  if (hart == 0)
    post();
  else if (hart == 1)
    audit();
  else
    for (;;) wfi();
  return 0;
}
