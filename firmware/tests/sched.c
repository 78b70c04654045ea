// sched: the teaching kernel's threads, scheduler, preemption points,
// user mode, sleeping locks and spin lock API (firmware/kernel/, kernel.h),
// on one hart. Each group starts threads, runs them to the end with
// sched_start(), then checks what they recorded: the order they ran in,
// at which preemption point each was switched out, what the system calls
// returned. Spinlab only: how far a thread gets in a time slice is timing.

#include "defs.h"
#include "riscv.h"
#include "check.h"
#include "memmap.h"
#include "kernel.h"

static struct spinlock lk = SPINLOCK_INIT("lk");
static char order[64];
static int norder;
static volatile uint32 counter;
static volatile int flag;

static void log_run(int c)
{
  order[norder++] = c;
}

static void run_threads(void)
{
  trap_init();          // group() pointed mtvec at the harness's vector
  sched_start();
}

// ---- round robin: yield() goes to the back of the queue ----------------

static void yielder(void *arg)
{
  for (int i = 0; i < 3; i++) {
    log_run((int)arg);
    yield();
  }
}

static void round_robin(void)
{
  group("round robin");
  norder = 0;
  struct thread *a = kthread_create(yielder, (void *)'a', 0, "a");
  kthread_create(yielder, (void *)'b', 0, "b");
  kthread_create(yielder, (void *)'c', 0, "c");
  run_threads();
  order[norder] = 0;
  check(norder, 9);
  check(strcmp(order, "abcabcabc"), 0);
  check(a->state, T_ZOMBIE);
  check(a->switched_out[SCHED_CALL], 4);     // 3 yields and the exit
  check(a->switched_out[PREEMPT_IRQ], 0);
  group_end();
}

// ---- sleep and wakeup ----------------------------------------------------

static void consumer(void *arg)
{
  (void)arg;
  spin_lock(&lk);
  while (!flag)
    sleep((void *)&flag, &lk);
  log_run('c');
  check(mycpu()->preempt_count, 1);          // lk held again
  spin_unlock(&lk);
}

static void producer(void *arg)
{
  (void)arg;
  log_run('p');
  spin_lock(&lk);
  flag = 1;
  wakeup((void *)&flag);
  check(mythread()->flags & TIF_NEED_RESCHED, TIF_NEED_RESCHED);
  spin_unlock(&lk);      // point 3: the count is 0 and the flag set
  log_run('P');
}

static void sleep_wakeup(void)
{
  group("sleep wakeup");
  norder = 0;
  flag = 0;
  kthread_create(consumer, 0, 0, "consumer");
  struct thread *p = kthread_create(producer, 0, 0, "producer");
  run_threads();
  order[norder] = 0;
  check(strcmp(order, "pcP"), 0);
  check(p->switched_out[PREEMPT_ENABLE], 1);
  group_end();
}

// ---- preemption: points 2 and 3, and CONFIG_PREEMPT = 0 ---------------

static void spinner(void *arg)
{
  uint32 locked = (uint32)arg;
  uint32 seen;

  if (locked)
    spin_lock(&lk);
  busy_wait(3 * 10 * sched_slice);   // three slices (10 cycles per mtime tick)
  seen = counter;
  if (locked)
    spin_unlock(&lk);
  log_run(seen ? 'y' : 'n');          // did the other thread run meanwhile?
}

static void bumper(void *arg)
{
  (void)arg;
  counter++;
}

static struct thread *race(uint32 locked)
{
  counter = 0;
  struct thread *t = kthread_create(spinner, (void *)locked, 0, "spinner");
  kthread_create(bumper, 0, 0, "bumper");
  run_threads();
  return t;
}

static void preemption(void)
{
  group("preemption");
  norder = 0;
  struct thread *t = race(0);
  check(t->switched_out[PREEMPT_IRQ], 1);      // the first tick
  t = race(1);
  check(t->switched_out[PREEMPT_IRQ], 0);      // never while holding lk
  check(t->switched_out[PREEMPT_ENABLE], 1);   // at spin_unlock
  CONFIG_PREEMPT = 0;
  t = race(0);
  check(t->switched_out[PREEMPT_IRQ] + t->switched_out[PREEMPT_ENABLE], 0);
  CONFIG_PREEMPT = 1;
  order[norder] = 0;
  check(strcmp(order, "ynn"), 0);
  check(counter, 1);
  group_end();
}

// ---- user mode -----------------------------------------------------------

static void user_main(void)
{
  int pid = u_getpid();
  u_printf("user thread %d in U mode\n", pid);
  u_sleep_ticks(2);
  u_yield();
  u_exit(40 + pid);
}

static volatile uint32 user_loops;

static void user_loop(void)
{
  for (int i = 0; i < 20000; i++)   // a few slices' worth, no system call
    user_loops++;
  u_exit(0);
}

// PMP gives U mode the program's image and nothing else: a store to the
// UART faults, and the kernel kills the thread.
static void user_device(void)
{
  *(volatile uint8 *)UART0_BASE = '!';
  u_exit(0);
}

static void user_mode(void)
{
  group("user mode");
  struct thread *u = uthread_create(user_main, 0, "user");
  struct thread *l = uthread_create(user_loop, 0, "loop");
  struct thread *d = uthread_create(user_device, 0, "device");
  run_threads();
  check(d->state, T_ZOMBIE);
  check(d->exit_code, (uint32)-1);
  check(u->state, T_ZOMBIE);
  check(u->exit_code, 40 + u->pid);
  check(u->switched_out[SCHED_CALL], 4);    // two sleeps (one per tick), the yield, the exit
  check(l->switched_out[PREEMPT_USER] > 0, 1);
  check(l->switched_out[PREEMPT_IRQ], 0);   // it never ran kernel code
  check(user_loops, 20000);
  group_end();
}

// ---- semaphores and mutexes: FIFO waiters --------------------------------

static struct mutex m = MUTEX_INIT("m");
static struct semaphore sem = SEMAPHORE_INIT("sem", 0);

static void mutex_taker(void *arg)
{
  mutex_lock(&m);
  log_run((int)arg);
  yield();                    // the others stay asleep: m is held
  mutex_unlock(&m);
}

static void mutex_holder(void *arg)
{
  (void)arg;
  mutex_lock(&m);
  check(mutex_trylock(&m), 0);
  yield();                    // the takers run and queue, in order 1 2 3
  yield();
  log_run('h');
  mutex_unlock(&m);
}

static void sem_waiter(void *arg)
{
  down(&sem);
  log_run((int)arg);
}

static void sem_poster(void *arg)
{
  (void)arg;
  check(down_trylock(&sem), 1);
  up(&sem);
  up(&sem);
  up(&sem);
}

static void sleeping_locks(void)
{
  group("sleeping locks");
  norder = 0;
  kthread_create(mutex_holder, 0, 0, "holder");
  kthread_create(mutex_taker, (void *)'1', 0, "t1");
  kthread_create(mutex_taker, (void *)'2', 0, "t2");
  kthread_create(mutex_taker, (void *)'3', 0, "t3");
  run_threads();
  kthread_create(sem_waiter, (void *)'x', 0, "x");
  kthread_create(sem_waiter, (void *)'y', 0, "y");
  kthread_create(sem_poster, 0, 0, "poster");
  run_threads();
  order[norder] = 0;
  check(strcmp(order, "h123xy"), 0);
  check(m.owner == 0, 1);
  check(sem.count, 1);
  group_end();
}

// ---- the spin lock API and the UP build -----------------------------------

static void spin_api(void)
{
  struct spinlock l;
  struct cpu *c = mycpu();

  group("spin api");
  spin_lock_init(&l, "l");
  check(spin_is_locked(&l), 0);
  check(spin_trylock(&l), 1);
  check(spin_is_locked(&l), 1);
  check(c->preempt_count, 1);
  check(spin_trylock(&l), 0);
  check(c->preempt_count, 1);         // a failed trylock leaves it as it was
  spin_unlock(&l);
  check(c->preempt_count, 0);
  CONFIG_SMP = 0;
  spin_lock(&l);
  check(l.locked, 0);                 // the UP build never touches the word
  check(c->preempt_count, 1);
  check(spin_trylock(&l), 1);         // and its trylock always succeeds
  spin_unlock(&l);
  uint32 flags;
  intr_on();
  spin_lock_irqsave(&l, &flags);
  check(intr_get(), 0);
  check(l.locked, 0);
  spin_unlock_irqrestore(&l, flags);
  check(intr_get(), 1);
  intr_off();
  spin_unlock(&l);
  check(c->preempt_count, 0);
  CONFIG_SMP = 1;
  group_end();
}

// ---- scheduling while atomic ----------------------------------------------

static void atomic_yielder(void *arg)
{
  (void)arg;
  spin_lock(&lk);
  yield();                            // BUG: scheduling while atomic
  check(mycpu()->preempt_count, 1);   // still its own count
  spin_unlock(&lk);
}

static void other(void *arg)
{
  (void)arg;
  check(mycpu()->preempt_count, 0);   // not the other thread's
}

static void atomic(void)
{
  group("atomic");
  struct thread *t = kthread_create(atomic_yielder, 0, 0, "atomic");
  kthread_create(other, 0, 0, "other");
  run_threads();
  check(t->switched_out[SCHED_CALL], 2);
  group_end();
}

int main(int hartid)
{
  if (hartid != 0)
    park();
  round_robin();
  sleep_wakeup();
  preemption();
  user_mode();
  sleeping_locks();
  spin_api();
  atomic();
  return all_passed();
}
