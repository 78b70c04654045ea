// 11-up (docs/lessons/11-up.md): what a spin lock is on a uniprocessor.
// The config builds the kernel as Linux's CONFIG_SMP=n ([firmware.params]
// CONFIG_SMP = 0): spin_lock only disables preemption, and the lock word
// is never touched. Two threads per hart add to one counter under
// countlock, with a read, some work, and a write -- a switch in between
// would lose an update.
//
// On one hart that is enough: only this hart's threads could come between
// the read and the write, and with preemption off none can. Run the same
// build on two harts (--set machine.harts=2) and the other hart's threads
// walk right in: updates are lost. CONFIG_SMP = 1 fixes that.

#include "defs.h"
#include "riscv.h"
#include "kernel.h"
#include "harts.h"

#define THREADS_PER_HART 2
#define ROUNDS 200

static struct spinlock countlock = SPINLOCK_INIT("countlock");
static volatile uint32 counter;

static void adder(void *arg)
{
  (void)arg;
  for (int i = 0; i < ROUNDS; i++) {
    spin_lock(&countlock);
    uint32 v = counter;      // read...
    busy_wait(100);          // ...work (a tick may come: no switch, preemption is off)...
    counter = v + 1;         // ...write
    spin_unlock(&countlock);
  }
}

static void work(void)
{
  int me = r_mhartid();

  trap_init();
  for (int i = 0; i < THREADS_PER_HART; i++)
    kthread_create(adder, 0, me, "adder");
  sched_start();
}

int main(int hartid)
{
  int harts = on_every_hart(hartid, work);
  uint32 want = harts * THREADS_PER_HART * ROUNDS;

  printf("up: CONFIG_SMP=%d, %d hart%s, %d threads: counter %d of %d, %d updates lost\n", CONFIG_SMP, harts,
         harts == 1 ? "" : "s", harts * THREADS_PER_HART, counter, want, want - counter);
  return counter == want ? 0 : 1;  // a lost update is a wrong result
}
