// 12-trylock (docs/lessons/12-trylock.md): a handler that must not wait.
// A thread updates `stats` under statlock with interrupts on; the timer
// handler wants to count its tick in `stats` too. If the tick interrupts
// the thread while it holds statlock, a handler that spins would wait for
// a holder that cannot run until the handler returns: deadlock (lesson 03).
// This handler uses spin_trylock: when the lock is taken it defers --
// counts the tick in `deferred`, which the next tick that gets the lock
// (or the thread, when it is done) adds in. Nothing waits; nothing is lost.
//
// [firmware.params] use_trylock = 0 makes the handler spin_lock: the first
// tick that lands inside the thread's critical section deadlocks.

#include "defs.h"
#include "riscv.h"
#include "../lib/intr.h"
#include "kernel.h"

#define ROUNDS 60

FIRMWARE_PARAM(use_trylock, 1);

static struct spinlock statlock = SPINLOCK_INIT("statlock");
static uint32 stats;           // under statlock
static volatile uint32 deferred, tries_failed, handled;  // this hart's handler only

static void tick(void)
{
  clockintr();
  handled++;
  if (!use_trylock) {
    spin_lock(&statlock);    // WRONG here: the holder may be the code we interrupted
  } else if (!spin_trylock(&statlock)) {
    tries_failed++;
    deferred++;              // the lock is taken: leave it for later
    return;
  }
  stats += 1 + deferred;
  deferred = 0;
  spin_unlock(&statlock);
}

static void updater(void *arg)
{
  (void)arg;
  for (int i = 0; i < ROUNDS; i++) {
    spin_lock(&statlock);
    stats++;
    busy_wait(1000);         // a long critical section: ticks land in it
    spin_unlock(&statlock);
    busy_wait(500);
  }
}

int main(int hartid)
{
  if (hartid != 0)
    park();
  trap_init();
  intr_set_handler(IRQ_TIMER, tick);
  kthread_create(updater, 0, 0, "updater");
  printf("trylock: the tick handler uses %s\n", use_trylock ? "spin_trylock and defers" : "spin_lock");
  sched_start();
  stats += deferred;         // what the last ticks left (interrupts are off now)
  printf("trylock: %d ticks, %d found statlock taken and deferred; stats %d of %d\n", handled, tries_failed,
         stats, ROUNDS + handled);
  return stats == ROUNDS + handled ? 0 : 1;
}
