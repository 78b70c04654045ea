// Threads and the scheduler: per-hart run queues, the context switch, the
// tick that ends a time slice, xv6's sleep/wakeup, and preemption at
// Linux's four points (kernel.h: PREEMPT_USER .. SCHED_CALL).
//
// A thread is a stack (an array of its own in kstacks[]) and the registers
// swtch saved from it. Each hart has a run queue of RUNNABLE threads, FIFO,
// under its rqlock, and runs its `current` thread; when the queue is empty,
// its idle thread -- the hart's boot code, in sched_start() -- waits with
// wfi. Threads never move to another hart. The run queue is only ever
// dequeued by its own hart, so a thread that another hart wakes is never
// picked before the swtch that switched it out has finished.

#include "defs.h"
#include "param.h"
#include "riscv.h"
#include "clint.h"
#include "memmap.h"
#include "kernel.h"

// 1: Linux's CONFIG_PREEMPT: a thread running kernel code is preempted as
// soon as it is allowed to be (points 2 and 3). 0: only at point 1 (back
// to user mode) and when it calls schedule() itself. preempt_count is kept
// either way, so "scheduling while atomic" is still caught.
FIRMWARE_PARAM(CONFIG_PREEMPT, 1);
// mtime ticks between scheduler ticks: a time slice. 1000 = 10000 cycles.
FIRMWARE_PARAM(sched_slice, 1000);
// Extra cycles every context switch costs, spent in __schedule before swtch.
// A real switch costs far more than saving 14 registers: the caches and TLB
// refill with the next thread's data afterwards. 0 here; scenarios/
// spin_vs_sleep.c sweeps it to move the point where sleeping beats spinning.
FIRMWARE_PARAM(switch_cost, 0);

// Outside .bss, which hart 0 zeroes word by word at start-up: 100 KiB of
// stacks there would make every program, threads or not, start thousands of
// cycles later. The thread table is zero in the ELF (.data); the stacks
// need no zeroing (.stacks, as the boot stacks).
static struct thread threads[NTHREAD] __attribute__((section(".data.threads")));
static struct thread idle_threads[NHART] __attribute__((section(".data.threads")));
static uint8 kstacks[NTHREAD][KSTACK_SIZE] __attribute__((section(".stacks"), aligned(16)));
static uint8 ustacks[NTHREAD][USTACK_SIZE] __attribute__((section(".stacks"), aligned(16)));
static uint32 threads_lock;     // the slots and next_pid
static int next_pid = 1;

void swtch(struct context *old, struct context *new);

_Static_assert(__builtin_offsetof(struct context, s11) == 13 * 4, "swtch.S: s11 not at 52");
_Static_assert(__builtin_offsetof(struct thread, context) == 0, "swtch takes &t->context");

struct thread *mythread(void)
{
  return mycpu()->current;
}

// ---- run queues ----------------------------------------------------------
// Under the hart's rqlock, taken with this hart's interrupts off: a wakeup
// from an interrupt handler takes it too.

static void rq_lock(struct cpu *c)
{
  arch_spin_lock(&c->rqlock);
}

static void rq_unlock(struct cpu *c)
{
  arch_spin_unlock(&c->rqlock);
}

static void enqueue(struct cpu *c, struct thread *t)
{
  t->next = 0;
  if (c->rq_tail)
    c->rq_tail->next = t;
  else
    c->rq_head = t;
  c->rq_tail = t;
  t->on_rq = 1;
}

static struct thread *dequeue(struct cpu *c)
{
  struct thread *t = c->rq_head;

  if (t) {
    c->rq_head = t->next;
    if (c->rq_head == 0)
      c->rq_tail = 0;
    t->on_rq = 0;
  }
  return t;
}

// ---- creating and ending threads -----------------------------------------

// Where every new thread starts: swtch "returns" here, on the new stack.
// It finishes the switch as the end of __schedule does for a thread that
// ran before: its own preempt_count (0), interrupts on.
static void kthread_start(void)
{
  struct thread *t = mythread();

  mycpu()->preempt_count = t->preempt_count;
  if (t->user)
    usertrapret();    // to fn in U mode, with the frame uthread_create built
  intr_on();
  t->fn(t->arg);
  kthread_exit(0);
}

static struct thread *thread_alloc(const char *name, int hart)
{
  uint32 on = intr_get();
  struct thread *t = 0;

  intr_off();
  arch_spin_lock(&threads_lock);
  for (int i = 0; i < NTHREAD; i++) {
    if (threads[i].state == T_UNUSED) {
      t = &threads[i];
      t->pid = next_pid++;
      t->state = T_SLEEPING;    // not RUNNABLE until it is queued
      break;
    }
  }
  arch_spin_unlock(&threads_lock);
  if (on)
    intr_on();
  if (t == 0)
    panic("kthread_create: no free thread (NTHREAD)");
  uint32 top = (uint32)kstacks[t - threads] + KSTACK_SIZE;
  t->name = name;
  t->hart = hart;
  // The top of the stack keeps room for a trapframe (a user thread's
  // registers while it is in the kernel); the thread's stack starts below.
  t->tf = (struct trapframe *)(top - ((sizeof(struct trapframe) + 15) & ~15u));
  memset(&t->context, 0, sizeof t->context);
  t->context.ra = (uint32)kthread_start;
  t->context.sp = (uint32)t->tf;
  return t;
}

static void thread_queue(struct thread *t)
{
  struct cpu *c = getcpu(t->hart);
  uint32 on = intr_get();

  intr_off();
  rq_lock(c);
  t->state = T_RUNNABLE;
  if (!t->daemon)
    c->nlive++;
  enqueue(c, t);
  rq_unlock(c);
  if (on)
    intr_on();
}

struct thread *kthread_create(void (*fn)(void *), void *arg, int hart, const char *name)
{
  struct thread *t = thread_alloc(name, hart);

  t->fn = fn;
  t->arg = arg;
  thread_queue(t);
  return t;
}

// ksoftirqd: it never exits, so sched_start() must not wait for it to.
struct thread *kthread_create_daemon(void (*fn)(void *), void *arg, int hart, const char *name)
{
  struct thread *t = thread_alloc(name, hart);

  t->fn = fn;
  t->arg = arg;
  t->daemon = 1;
  thread_queue(t);
  return t;
}

struct thread *uthread_create(void (*fn)(void), int hart, const char *name)
{
  struct thread *t = thread_alloc(name, hart);

  memset(t->tf, 0, sizeof *t->tf);
  t->tf->mepc = (uint32)fn;
  t->tf->sp = (uint32)ustacks[t - threads] + USTACK_SIZE;
  t->user = 1;
  thread_queue(t);
  return t;
}

// A zombie is never run again; its slot is not reused (this kernel has no
// wait()), so its name and exit code stay readable.
void kthread_exit(int code)
{
  struct cpu *c = mycpu();
  struct thread *t = c->current;

  intr_off();
  rq_lock(c);
  t->exit_code = code;
  t->state = T_ZOMBIE;
  c->nlive--;
  rq_unlock(c);
  schedule();
  panic("kthread_exit: a zombie ran");
}

// ---- the scheduler ---------------------------------------------------------

// Switches this hart to the next thread of its run queue (its idle thread
// when there is none), putting the current one at the back if it can still
// run. `point` says why: PREEMPT_* or SCHED_CALL. A thread preempted after
// it set T_SLEEPING but before its schedule() call (inside sleep()) stays
// queued, as in Linux: it runs again, and then its own schedule() takes it
// off. Runs with interrupts off; the thread that runs next restores its own.
static void __schedule(int point)
{
  struct cpu *c = mycpu();
  struct thread *prev = c->current, *next;
  uint32 on = intr_get();

  intr_off();
  rq_lock(c);
  clear_tsk_need_resched(prev);
  if (prev != c->idle && !prev->on_rq &&
      (prev->state == T_RUNNABLE || (point != SCHED_CALL && prev->state == T_SLEEPING)))
    enqueue(c, prev);
  next = dequeue(c);
  if (next == 0)
    next = c->idle;
  if (next == prev) {
    rq_unlock(c);
    if (on)
      intr_on();
    return;
  }
  prev->on_cpu = 0;
  next->on_cpu = 1;
  c->current = next;
  c->switches[point]++;
  prev->switched_out[point]++;
  if (c->nlog < SWITCH_LOG)
    c->log[c->nlog++] = (struct switch_rec){ r_cycle(), point, prev->pid, next->pid };
  prev->preempt_count = c->preempt_count;
  rq_unlock(c);
  if (switch_cost)
    busy_wait(switch_cost);

  swtch(&prev->context, &next->context);

  // prev runs again, on this hart (threads never move).
  mycpu()->preempt_count = prev->preempt_count;
  if (on)
    intr_on();
}

// Linux's schedule_debug: a thread that holds a spin lock (or has
// preemption disabled, or is an interrupt handler) must not sleep. Linux
// prints the BUG and carries on; so does this kernel.
static void schedule_debug(struct cpu *c, uint32 where)
{
  struct thread *t = c->current;

  if (c->preempt_count == 0)
    return;
  printf("BUG: scheduling while atomic: %s/%d/0x%08x\n", t->name, t->pid, c->preempt_count);
  printf("  schedule() called from 0x%08x\n", where);
  if (c->preempt_count & HARDIRQ_MASK) {
    printf("BUG: scheduling while in interrupt: %s/%d/0x%08x\n", t->name, t->pid, c->preempt_count);
    printf("  schedule() called from 0x%08x\n", where);
  }
}

// Point 4. Outside sched_start() (no threads) it does nothing.
void schedule(void)
{
  struct cpu *c = mycpu();

  if (c->current == 0)
    return;
  schedule_debug(c, (uint32)__builtin_return_address(0));
  __schedule(SCHED_CALL);
}

// The running thread goes to the back of its run queue: schedule() does
// that to any thread that can still run.
void yield(void)
{
  schedule();
}

// ---- preemption ----------------------------------------------------------

static int need_resched(struct cpu *c)
{
  return c->current && (c->current->flags & TIF_NEED_RESCHED);
}

// Point 3: the count drops to 0 with the flag set. As Linux's
// preempt_schedule, not with interrupts off: that code is atomic too, and
// will reach a point when it turns them on (spin_unlock_irqrestore does
// that before its preempt_enable).
void preempt_enable(void)
{
  struct cpu *c = mycpu();

  if (--c->preempt_count == 0 && CONFIG_PREEMPT && need_resched(c) && intr_get())
    __schedule(PREEMPT_ENABLE);
}

// Point 2, from kerneltrap's return path, after the handler and irq_exit:
// the interrupted kernel code is switched out only if it could have been
// switched out right where it was (preempt_count 0).
void preempt_schedule_irq(void)
{
  struct cpu *c = mycpu();

  while (CONFIG_PREEMPT && c->preempt_count == 0 && need_resched(c))
    __schedule(PREEMPT_IRQ);
}

// Point 1, from usertrapret: back to user mode, any thread may be switched
// out, CONFIG_PREEMPT or not.
void preempt_to_user(void)
{
  struct cpu *c = mycpu();

  while (need_resched(c))
    __schedule(PREEMPT_USER);
}

// The tick (from clockintr): the running thread's time slice is over.
void sched_tick(void)
{
  struct cpu *c = mycpu();

  if (c->current) {
    set_tsk_need_resched(c->current);
    wakeup((void *)&ticks);
  }
}

// ---- sleep and wakeup (xv6's) -------------------------------------------

// T_SLEEPING is set under the rqlock before lk is released: a waker must
// hold lk to change what the sleeper waits for, so it either runs before
// (and the caller's check sees the change) or finds T_SLEEPING and wakes
// it. No wakeup is lost between the check and the sleep.
void sleep(void *chan, struct spinlock *lk)
{
  struct cpu *c = mycpu();
  struct thread *t = c->current;
  uint32 on = intr_get();

  if (t == 0)
    panic("sleep: no thread");
  intr_off();
  rq_lock(c);
  t->chan = chan;
  t->state = T_SLEEPING;
  rq_unlock(c);
  if (on)
    intr_on();
  spin_unlock(lk);
  schedule();
  spin_lock(lk);
}

// For a thread whose only wakers are this hart's own handlers (ksoftirqd):
// with interrupts off from the caller's check to here, none can come in
// between, so no lock is needed. Returns with interrupts still off.
void sleep_irqoff(void *chan)
{
  struct cpu *c = mycpu();
  struct thread *t = c->current;

  rq_lock(c);
  t->chan = chan;
  t->state = T_SLEEPING;
  rq_unlock(c);
  schedule();
}

void wakeup(void *chan)
{
  int me = r_mhartid();
  uint32 on = intr_get();

  intr_off();
  for (struct thread *t = threads; t < threads + NTHREAD; t++) {
    if (t->state != T_SLEEPING || t->chan != chan)
      continue;
    struct cpu *c = getcpu(t->hart);
    rq_lock(c);
    if (t->state == T_SLEEPING && t->chan == chan) {
      t->state = T_RUNNABLE;
      t->chan = 0;
      if (!t->on_rq && !t->on_cpu)
        enqueue(c, t);
      if (c->current)
        set_tsk_need_resched(c->current);
    }
    rq_unlock(c);
    if (t->hart != me)
      clint_send_ipi(t->hart);   // it may be idle in wfi
  }
  if (on)
    intr_on();
}

// ---- each hart's idle thread -----------------------------------------------

// User threads may run code and touch memory in the program's image (their
// code and stacks are in it), and nothing else: no device. PMP entry 1 is
// the image, [RAM_BASE, _end), a TOR range whose base is entry 0's address
// (entry 0 itself is off); M mode is not restricted by unlocked entries.
static void pmp_init(void)
{
  extern char _end[];

  CSR_WRITE(pmpaddr0, RAM_BASE >> 2);
  CSR_WRITE(pmpaddr1, (uint32)_end >> 2);
  CSR_WRITE(pmpcfg0, (0x08u | 0x07u) << 8);   // entry 1: TOR, R W X
}

void sched_start(void)
{
  struct cpu *c = mycpu();
  struct thread *idle = &idle_threads[r_mhartid()];

  idle->name = "idle";
  idle->hart = r_mhartid();
  idle->state = T_RUNNABLE;
  idle->on_cpu = 1;
  c->idle = idle;
  c->preempt_count = 0;
  pmp_init();
  w_mie(r_mie() | MIE_MSIE);            // wakeups from other harts
  timer_start(r_time64() + sched_slice, sched_slice);
  c->current = idle;
  for (;;) {
    // Interrupts off around the look at the queue and the wfi: an interrupt
    // (a tick, another hart's wakeup) cannot fall between them unseen; wfi
    // wakes on it, and it is taken when they go back on.
    intr_off();
    if (c->nlive == 0)
      break;
    if (c->rq_head == 0)
      wfi();
    intr_on();
    schedule();
  }
  clint_disarm_timer(r_mhartid());
  w_mie(r_mie() & ~(MIE_MTIE | MIE_MSIE));
  c->current = 0;
}
