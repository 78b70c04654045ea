// bench_contended: the lock-contended case of bench/run.sh. Every hart adds
// 1 to a shared counter BENCH_WORK times, each time under one test-and-set
// spinlock (amoswap.w.aq to take it, fence + amoswap of 0 to drop it), with
// nothing in between: as many harts as the machine has fight for the lock
// and the bus all the time. Hart 0 checks the total, so a broken lock (or
// broken atomics) ends the run with exit code 1.

#include "defs.h"
#include "bench.h"

#ifndef BENCH_WORK
#define BENCH_WORK 150000  // lock/increment/unlock rounds per hart
#endif

struct spinlock {
  uint32 locked;
};

static struct spinlock lock;
static uint32 counter;

// No interrupts are enabled in this program, so unlike xv6's acquire there
// is no push_off(): nothing can come between taking the lock and using it.
static void acquire(struct spinlock *lk)
{
  while (__sync_lock_test_and_set(&lk->locked, 1) != 0)  // amoswap.w.aq
    ;
}

static void release(struct spinlock *lk)
{
  __sync_lock_release(&lk->locked);  // fence, then amoswap.w of 0 (gcc 12)
}

int main(int hartid)
{
  int n = bench_start(hartid);
  for (uint32 i = 0; i < BENCH_WORK; i++) {
    acquire(&lock);
    counter = counter + 1;
    release(&lock);
  }
  bench_end(hartid, n);

  uint32 want = (uint32)n * BENCH_WORK;
  printf("contended: %d harts, %d rounds each, counter %d\n", n, BENCH_WORK, counter);
  if (counter != want) {
    printf("contended: FAIL: counter %d, want %d\n", counter, want);
    return 1;
  }
  return 0;
}
