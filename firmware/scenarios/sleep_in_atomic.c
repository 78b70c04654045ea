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
// happens with preempt_count 0, and there is no BUG. sleeper = 1 makes the
// call that sleeps a copy_from_user() stand-in instead: the user's page is
// not in memory yet, and the copy waits for `owner` to bring it in, as a
// page fault would wait for the disk.

#include "defs.h"
#include "riscv.h"
#include "kernel.h"

FIRMWARE_PARAM(fixed, 0);
FIRMWARE_PARAM(sleeper, 0);   // 0: buf_alloc(); 1: copy_from_user()

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

// The "user page" and whether it is in memory; page_in counts the times it
// was brought in, and a copy waits on it while the page is out.
static char user_page[64] = "a line from user space";
static volatile int page_present;
static struct semaphore page_in = SEMAPHORE_INIT("page_in", 0);

// May sleep: a stand-in for Linux's copy_from_user, which can fault on a
// page that is not in memory and wait for it to be read in.
static void copy_from_user(char *dst, const char *src, int n)
{
  if (!page_present)
    down(&page_in);      // the "page fault": sleep until the page is in
  for (int i = 0; i < n; i++)
    dst[i] = src[i];
}

static void owner(void *arg)
{
  (void)arg;
  if (sleeper) {
    for (int i = 0; i < 3; i++)
      yield();           // the "disk" takes a while
    page_present = 1;
    up(&page_in);        // the page is in: wake the copy
    return;
  }
  char *b = buf_alloc();
  for (int i = 0; i < 3; i++)
    yield();             // let the caller run and find the pool empty
  buf_free(b);
}

// The same mistake with the other call that may sleep.
static void caller_copy(void)
{
  static char kbuf[64];

  if (fixed)
    copy_from_user(kbuf, user_page, sizeof kbuf);   // may sleep: before the lock
  spin_lock(&listlock);
  if (!fixed)
    copy_from_user(kbuf, user_page, sizeof kbuf);   // WRONG: may sleep, and listlock is held
  list = kbuf;
  spin_unlock(&listlock);
}

static void caller(void *arg)
{
  (void)arg;
  char *b = 0;

  if (sleeper) {
    caller_copy();
    return;
  }
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
  printf("sleep-in-atomic: caller %s %s taking listlock\n", sleeper ? "copies from user" : "allocates",
         fixed ? "before" : "after");
  sched_start();
  if (sleeper)
    printf("sleep-in-atomic: done, the copy went to the list: %s\n", list && list[0] == 'a' ? "yes" : "no");
  else
    printf("sleep-in-atomic: done, the buffer went to the list: %s\n", list == buffer ? "yes" : "no");
  return 0;
}
