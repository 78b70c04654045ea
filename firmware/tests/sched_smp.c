// sched_smp: the scheduler across two harts. Each hart runs its own
// threads; a wakeup from hart 0 of a thread that sleeps on hart 1 queues it
// on hart 1's run queue and sends hart 1 an IPI, which wakes its idle
// thread out of wfi. Checks that the sleeper got the semaphore's count,
// on its own hart, and that both harts' spin locks still exclude each other.

#include "defs.h"
#include "riscv.h"
#include "check.h"
#include "kernel.h"

static struct semaphore sem = SEMAPHORE_INIT("sem", 0);
static struct spinlock countlock = SPINLOCK_INIT("countlock");
static volatile uint32 counter, got_on, done, ready;
static struct thread *volatile sleeper_thread;

static void sleeper(void *arg)
{
  (void)arg;
  ready = 1;
  down(&sem);                    // sleeps: hart 1 goes idle
  got_on = r_mhartid() + 1;
}

static void poster(void *arg)
{
  (void)arg;
  while (!ready || sleeper_thread->state != T_SLEEPING)
    yield();
  up(&sem);                      // wakes the sleeper on hart 1
}

static void adder(void *arg)
{
  (void)arg;
  for (int i = 0; i < 100; i++) {
    spin_lock(&countlock);
    uint32 v = counter;
    busy_wait(50);
    counter = v + 1;
    spin_unlock(&countlock);
  }
}

int main(int hartid)
{
  if (hartid > 1)
    park();
  trap_init();
  if (hartid == 1) {
    sleeper_thread = kthread_create(sleeper, 0, 1, "sleeper");
    kthread_create(adder, 0, 1, "adder1");
    sched_start();
    __atomic_store_n(&done, 1, __ATOMIC_RELEASE);
    park();
  }
  while (sleeper_thread == 0)    // hart 1 creates it
    ;
  kthread_create(poster, 0, 0, "poster");
  kthread_create(adder, 0, 0, "adder0");
  sched_start();
  while (!__atomic_load_n(&done, __ATOMIC_ACQUIRE))
    ;
  group("two harts");
  trap_init();
  check(got_on, 2);              // the sleeper ran again, on hart 1
  check(sleeper_thread->state, T_ZOMBIE);
  check(counter, 200);
  check(getcpu(1)->switches[SCHED_CALL] > 0, 1);
  group_end();
  return all_passed();
}
