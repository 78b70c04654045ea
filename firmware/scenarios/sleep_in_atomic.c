// 13-sleep-in-atomic (docs/lessons/13-sleep-in-atomic.md): a thread that
// holds a spin lock calls something that may sleep. buf_alloc() takes a
// buffer from a pool of one, and sleeps (down on the pool's semaphore) when
// the pool is empty. `owner` has the buffer and gives it back after a few
// ticks; `caller` takes listlock with spin_lock and then calls buf_alloc:
// it must sleep, holding a spin lock with preemption disabled.
// schedule() sees preempt_count 1 and prints Linux's "BUG: scheduling while
// atomic", then switches anyway, as Linux does.
//
// [firmware.params] fixed = 1 allocates before taking the lock: the sleep
// happens with preempt_count 0, and there is no BUG.

#include "defs.h"
#include "riscv.h"
#include "kernel.h"

FIRMWARE_PARAM(fixed, 0);

static struct semaphore pool = SEMAPHORE_INIT("pool", 1);   // free buffers
static struct spinlock listlock = SPINLOCK_INIT("listlock");
static char buffer[64];
static char *list;       // under listlock

// May sleep: the pool's semaphore puts the caller to sleep until a buffer
// is given back. Never call it holding a spin lock.
static char *buf_alloc(void)
{
  down(&pool);
  return buffer;
}

static void buf_free(char *b)
{
  (void)b;
  up(&pool);
}

static void owner(void *arg)
{
  (void)arg;
  char *b = buf_alloc();
  for (int i = 0; i < 3; i++)
    yield();             // let the caller run and find the pool empty
  buf_free(b);
}

static void caller(void *arg)
{
  (void)arg;
  char *b = 0;

  if (fixed)
    b = buf_alloc();     // may sleep: before the lock
  spin_lock(&listlock);
  if (!fixed)
    b = buf_alloc();     // WRONG: may sleep, and listlock is held
  list = b;
  spin_unlock(&listlock);
  buf_free(b);
}

int main(int hartid)
{
  if (hartid != 0)
    park();
  trap_init();
  kthread_create(owner, 0, 0, "owner");
  kthread_create(caller, 0, 0, "caller");
  printf("sleep-in-atomic: caller allocates %s taking listlock\n", fixed ? "before" : "after");
  sched_start();
  printf("sleep-in-atomic: done, the buffer went to the list: %s\n", list == buffer ? "yes" : "no");
  return 0;
}
