// 09-preempt-points (docs/lessons/09-preempt-points.md): the four places
// where Linux's scheduler may switch threads, one thread for each, on one
// hart. `user` loops in U mode: the tick's interrupt returns to user mode,
// point 1. `kernel` loops in kernel code with preempt_count 0: the
// interrupt returns to it, point 2. `locked` loops holding a spin lock: the
// tick only sets TIF_NEED_RESCHED, and the switch comes at spin_unlock,
// point 3. `yielder` calls yield(): point 4.
//
// Prints every switch of the first few (which point, from which thread to
// which) and, per thread, how often it was switched out at each point.
// [firmware.params] CONFIG_PREEMPT = 0 takes points 2 and 3 away: then
// `kernel` and `locked` run until they exit.

#include "defs.h"
#include "riscv.h"
#include "kernel.h"

#define SLICES 3    // how long each busy thread works, in time slices

static struct spinlock lk = SPINLOCK_INIT("lk");
static const char *point_names[] = {
  "", "1 (return to user mode)", "2 (return from interrupt)", "3 (preempt_enable)", "4 (schedule call)",
};

static uint32 slice_cycles(void)
{
  return sched_slice * 10;   // mtime runs at a tenth of the clock (machine.mtime_divider)
}

// U mode: no system call until the end, so only an interrupt enters the kernel.
static void user_loop(void)
{
  for (volatile uint32 i = 0; i < 2500 * SLICES; i++)
    ;
  u_exit(0);
}

static void kernel_loop(void *arg)
{
  (void)arg;
  busy_wait(SLICES * slice_cycles());
}

static void locked_loop(void *arg)
{
  (void)arg;
  spin_lock(&lk);
  busy_wait(SLICES * slice_cycles());
  spin_unlock(&lk);   // point 3, if a tick came meanwhile
}

static void yielder(void *arg)
{
  (void)arg;
  for (int i = 0; i < SLICES; i++)
    yield();
}

static struct thread *by_pid[8];

int main(int hartid)
{
  struct thread *ts[4];

  if (hartid != 0)
    park();
  trap_init();
  ts[0] = uthread_create(user_loop, 0, "user");
  ts[1] = kthread_create(kernel_loop, 0, 0, "kernel");
  ts[2] = kthread_create(locked_loop, 0, 0, "locked");
  ts[3] = kthread_create(yielder, 0, 0, "yielder");
  for (int i = 0; i < 4; i++)
    by_pid[ts[i]->pid] = ts[i];
  printf("preempt-points: CONFIG_PREEMPT=%d, a time slice of %d cycles\n", CONFIG_PREEMPT, slice_cycles());
  sched_start();

  struct cpu *c = mycpu();
  for (uint32 i = 0; i < c->nlog; i++) {
    struct switch_rec *r = &c->log[i];
    const char *from = by_pid[r->from] ? by_pid[r->from]->name : "idle";
    const char *to = by_pid[r->to] ? by_pid[r->to]->name : "idle";
    printf("  cycle %d: %s -> %s at point %s\n", r->cycle, from, to, point_names[r->point]);
  }
  for (int i = 0; i < 4; i++) {
    struct thread *t = ts[i];
    // Every thread's last switch is its exit: a schedule() call, not a preemption.
    printf("preempt-points: %s switched out at point 1: %d, 2: %d, 3: %d, 4: %d (and once to exit)\n",
           t->name, t->switched_out[1], t->switched_out[2], t->switched_out[3], t->switched_out[4] - 1);
  }
  return 0;
}
