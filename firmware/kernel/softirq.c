// Bottom halves, as Linux's kernel/softirq.c: interrupt context entered and
// left (irq_enter, irq_exit), softirqs and the ksoftirqd thread of each
// hart, local_bh_disable/enable, and tasklets on TASKLET_SOFTIRQ.
//
// A softirq is deferred work a handler asks for by raising it: a bit in
// this hart's pending mask. Pending softirqs run later, on the same hart,
// with interrupts ON -- so a new interrupt is taken meanwhile instead of
// waiting for the whole of it -- and with SOFTIRQ_OFFSET in preempt_count,
// so that nothing switches threads under them and a trap taken meanwhile
// does not start them again (it finds in_interrupt() set).

#include "defs.h"
#include "riscv.h"
#include "kernel.h"

static void tasklet_action(void);

// In .data, not .bss: zeroing them at start-up would cost every program
// cycles (cpu.c says so for cpus[]). TASKLET_SOFTIRQ's action is the
// kernel's own; the others are open_softirq()'s.
static void (*softirq_vec[NR_SOFTIRQS])(void) __attribute__((section(".data.softirq"))) = {
  [TASKLET_SOFTIRQ] = tasklet_action,
};
static struct thread *ksoftirqd[NHART] __attribute__((section(".data.softirq")));
static char ksoftirqd_name[NHART][16] __attribute__((section(".data.softirq")));

// Each hart's tasklets waiting for TASKLET_SOFTIRQ, FIFO; changed only by
// its own hart, with interrupts off.
static struct tasklet_list {
  struct tasklet_struct *head, *tail;
} tasklet_vec[NHART] __attribute__((section(".data.softirq")));

void open_softirq(int nr, void (*action)(void))
{
  if (nr < 0 || nr >= NR_SOFTIRQS)
    panic("open_softirq: no such softirq");
  softirq_vec[nr] = action;
}

// ---- ksoftirqd ---------------------------------------------------------------

static void run_ksoftirqd(void *arg);

// Softirqs are pending and no irq_exit or local_bh_enable will run them
// soon (they keep coming back, or were raised in process context): this
// hart's ksoftirqd will, as a thread the scheduler shares the hart with.
// Created the first time, from whatever context asks (thread creation
// takes its locks with interrupts off). Without threads nothing can run it.
static void wakeup_softirqd(struct cpu *c)
{
  int me = r_mhartid();
  struct thread *t = ksoftirqd[me];

  if (c->current == 0 || c->current == t)
    return;
  if (t == 0) {
    snprintf(ksoftirqd_name[me], sizeof ksoftirqd_name[me], "ksoftirqd/%d", me);
    ksoftirqd[me] = kthread_create_daemon(run_ksoftirqd, 0, me, ksoftirqd_name[me]);
    set_tsk_need_resched(c->current);
  } else if (t->state == T_SLEEPING) {
    wakeup(&c->softirq_pending);
  }
}

// ---- running softirqs ----------------------------------------------------------

// Linux's __do_softirq: with interrupts off on entry and on return. Each
// round takes the whole pending mask, clears it, and runs the actions with
// interrupts on, in softirq number order; a softirq raised meanwhile (by a
// handler, or by an action) starts another round. After
// MAX_SOFTIRQ_RESTART rounds the rest is left to ksoftirqd, so a flood of
// them cannot keep the interrupted thread from ever running again.
// (Linux also stops after 2 ms or when a reschedule is due; here only the
// count decides, which keeps the runs' cycle counts simple to reason about.)
static void __do_softirq(struct cpu *c)
{
  uint32 pending;
  int rounds = 0;

  c->preempt_count += SOFTIRQ_OFFSET;
  while ((pending = c->softirq_pending) != 0) {
    if (rounds++ == MAX_SOFTIRQ_RESTART) {
      wakeup_softirqd(c);
      break;
    }
    c->softirq_pending = 0;
    intr_on();
    for (int nr = 0; pending; nr++, pending >>= 1) {
      if ((pending & 1) == 0)
        continue;
      if (softirq_vec[nr] == 0)
        panic("__do_softirq: a softirq raised without an action (open_softirq)");
      uint32 count = c->preempt_count;
      c->softirq_runs[nr]++;
      softirq_vec[nr]();
      if (c->preempt_count != count) {
        // Linux's complaint, and its repair: a lock left held, most likely.
        printf("BUG: softirq %d on hart %d: entered with preempt_count %08x, exited with %08x\n",
               nr, r_mhartid(), count, c->preempt_count);
        c->preempt_count = count;
      }
    }
    intr_off();
  }
  c->preempt_count -= SOFTIRQ_OFFSET;
}

// The thread that takes over when softirqs keep coming back: it runs them
// with interrupts on like any thread, and can be preempted between rounds
// (points 2 and 3), so the other threads of its hart get their turns.
static void run_ksoftirqd(void *arg)
{
  struct cpu *c = mycpu();

  (void)arg;
  for (;;) {
    intr_off();     // from the look at the mask to the sleep: see sleep_irqoff
    while (c->softirq_pending == 0)
      sleep_irqoff(&c->softirq_pending);
    __do_softirq(c);
    intr_on();
    if (c->current->flags & TIF_NEED_RESCHED)
      yield();      // Linux's cond_resched()
  }
}

static void raise_softirq_irqoff(struct cpu *c, int nr)
{
  c->softirq_pending |= 1u << nr;
  // Outside interrupt context no irq_exit is coming to run it (Linux's
  // raise_softirq_irqoff); inside one, or with bottom halves disabled, the
  // irq_exit or the local_bh_enable will.
  if (!in_interrupt())
    wakeup_softirqd(c);
}

// Interrupts off around the change of the mask: a handler may raise one too.
void raise_softirq(int nr)
{
  uint32 on = intr_get();

  if (nr < 0 || nr >= NR_SOFTIRQS)
    panic("raise_softirq: no such softirq");
  intr_off();
  raise_softirq_irqoff(mycpu(), nr);
  if (on)
    intr_on();
}

// ---- interrupt context ------------------------------------------------------

// Around every interrupt handler (trap.c's handle_interrupt).
void irq_enter(void)
{
  struct cpu *c = mycpu();

  c->preempt_count += HARDIRQ_OFFSET;
  c->irq_depth++;
}

// Linux's irq_exit: the softirqs run here only when this was the outermost
// handler and it interrupted neither a softirq nor code with bottom halves
// disabled (in_interrupt() then reads 0). The device is acknowledged by now
// (devintr completed the PLIC source, clockintr re-armed the timer), so it
// can interrupt again while they run. Interrupts are off again on return.
void irq_exit(void)
{
  struct cpu *c = mycpu();

  c->irq_depth--;
  c->preempt_count -= HARDIRQ_OFFSET;
  if (c->softirq_pending && !in_interrupt())
    __do_softirq(c);
}

// ---- local_bh_disable/enable, spin_lock_bh ---------------------------------

// Linux's: the softirq part drops first but preemption stays off (count - 1
// + 1) while the pending softirqs run, then preempt_enable() -- point 3 --
// lowers it to where it was. With interrupts off the softirqs stay pending:
// they must run with interrupts on, and turning them on here would break
// the caller's critical section.
void local_bh_enable(void)
{
  struct cpu *c = mycpu();

  if ((c->preempt_count & SOFTIRQ_MASK) < SOFTIRQ_DISABLE_OFFSET)
    panic("local_bh_enable: bottom halves not disabled");
  c->preempt_count -= SOFTIRQ_DISABLE_OFFSET - 1;
  if (c->softirq_pending && !in_interrupt() && intr_get()) {
    intr_off();
    __do_softirq(c);
    intr_on();
  }
  preempt_enable();
}

// ---- tasklets ------------------------------------------------------------------

void tasklet_init(struct tasklet_struct *t, void (*func)(unsigned long), unsigned long data)
{
  t->next = 0;
  t->state = 0;
  t->func = func;
  t->data = data;
}

static void tasklet_queue_irqoff(struct cpu *c, struct tasklet_struct *t)
{
  struct tasklet_list *q = &tasklet_vec[r_mhartid()];

  t->next = 0;
  if (q->tail)
    q->tail->next = t;
  else
    q->head = t;
  q->tail = t;
  raise_softirq_irqoff(c, TASKLET_SOFTIRQ);
}

// Setting SCHED is the one AMO that decides who queues it: a tasklet is in
// at most one hart's list, once.
void tasklet_schedule(struct tasklet_struct *t)
{
  if (__atomic_fetch_or(&t->state, TASKLET_STATE_SCHED, __ATOMIC_ACQ_REL) & TASKLET_STATE_SCHED)
    return;
  uint32 on = intr_get();
  intr_off();
  tasklet_queue_irqoff(mycpu(), t);
  if (on)
    intr_on();
}

// TASKLET_SOFTIRQ: runs this hart's queued tasklets. RUN, set by an AMO, is
// the tasklet's own lock, tried once: a hart that finds it taken does not
// wait for it (it cannot sleep, and spinning would waste the hart) but
// queues the tasklet again and raises the softirq, so it runs once the
// other hart is done. SCHED is cleared just before the function runs: a
// tasklet_schedule from then on queues it again, and it runs again after.
static void tasklet_action(void)
{
  struct cpu *c = mycpu();
  struct tasklet_list *q = &tasklet_vec[r_mhartid()];
  struct tasklet_struct *list;

  intr_off();
  list = q->head;
  q->head = q->tail = 0;
  intr_on();
  while (list) {
    struct tasklet_struct *t = list;
    list = list->next;
    if ((__atomic_fetch_or(&t->state, TASKLET_STATE_RUN, __ATOMIC_ACQUIRE) & TASKLET_STATE_RUN) == 0) {
      if ((__atomic_fetch_and(&t->state, ~TASKLET_STATE_SCHED, __ATOMIC_RELAXED) & TASKLET_STATE_SCHED) == 0)
        panic("tasklet_action: a queued tasklet without SCHED");
      t->func(t->data);
      __atomic_fetch_and(&t->state, ~TASKLET_STATE_RUN, __ATOMIC_RELEASE);
      continue;
    }
    intr_off();
    tasklet_queue_irqoff(c, t);
    intr_on();
  }
}
