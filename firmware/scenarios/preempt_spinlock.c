// 10-preempt-spinlock (docs/lessons/10-preempt-spinlock.md): why spin_lock
// disables preemption. Two threads on one hart share `lk`. `holder` takes
// it and works for two time slices; `waiter` then wants it. spin_lock
// raises preempt_count, so the ticks during the hold only set
// TIF_NEED_RESCHED: the holder is switched out at its spin_unlock (point 3),
// and the waiter finds the lock free.
//
// [firmware.params] forget = 1 uses a lock that forgets preempt_disable:
// the holder is preempted at the first tick, holding the lock, and the
// waiter spins -- on a lock whose holder cannot run, since it is on this
// same hart -- until the next tick switches back: a whole time slice lost.
// Prints how long the waiter waited and how many test-and-sets failed.

#include "defs.h"
#include "riscv.h"
#include "kernel.h"

FIRMWARE_PARAM(forget, 0);

static struct spinlock lk = SPINLOCK_INIT("lk");
static uint32 waited, failed;

// WRONG: the lock word alone, as spin_lock was before preemption existed.
static void lock_forgetting_preemption(struct spinlock *l)
{
  arch_spin_lock(&l->locked);
}

static void unlock_forgetting_preemption(struct spinlock *l)
{
  arch_spin_unlock(&l->locked);
}

static void take(struct spinlock *l)
{
  if (forget)
    lock_forgetting_preemption(l);
  else
    spin_lock(l);
}

static void give(struct spinlock *l)
{
  if (forget)
    unlock_forgetting_preemption(l);
  else
    spin_unlock(l);
}

static void holder(void *arg)
{
  (void)arg;
  take(&lk);
  busy_wait(2 * 10 * sched_slice);   // two time slices of work under the lock
  give(&lk);
}

static void waiter(void *arg)
{
  (void)arg;
  uint32 attempts0 = mycpu()->attempts;
  uint32 start = r_cycle();
  take(&lk);
  waited = r_cycle() - start;
  failed = mycpu()->attempts - attempts0;
  give(&lk);
}

int main(int hartid)
{
  if (hartid != 0)
    park();
  trap_init();
  struct thread *h = kthread_create(holder, 0, 0, "holder");
  kthread_create(waiter, 0, 0, "waiter");
  printf("preempt-spinlock: the lock %s preemption; a time slice is %d cycles\n",
         forget ? "FORGETS to disable" : "disables", sched_slice * 10);
  sched_start();
  printf("preempt-spinlock: holder switched out holding the lock: %d times (point 2), at its unlock: %d (point 3)\n",
         h->switched_out[PREEMPT_IRQ], h->switched_out[PREEMPT_ENABLE]);
  printf("preempt-spinlock: waiter waited %d cycles for the lock, %d failed attempts\n", waited, failed);
  return 0;
}
