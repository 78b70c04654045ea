// The protection table (docs/lessons/protection-table.md, `spinlab
// protection-table`): ULK's Table 5-6 measured. Kernel control paths of
// up to three kinds add one to a shared counter, each with a load, some
// work (`window` cycles) and a store -- a read-modify-write that loses an
// update whenever another path comes between the load and the store --
// under one protection, the same for every path. The config
// (configs/protection.toml) picks which paths run and which protection:
//
//   paths    bit 0, exceptions: two kernel threads per hart (process
//            context, as a system call is), preempted by the tick;
//            bit 1, interrupts: two device handlers per hart, PLIC sources
//            2h+1 ("lo", priority 1) and 2h+2 ("hi", priority 2); lo turns
//            interrupts back on for the others, so hi nests inside it;
//            bit 2, deferrable functions: lo's top half raises a softirq
//            (deferred = 0; SCENARIO_SOFTIRQ, on every hart that raises
//            it, at once if need be) or schedules one tasklet (deferred =
//            1; never on two harts at once) that does the work
//   protect  0 none, 1 a semaphore (down/up), 2 local softirq disabling
//            (local_bh_disable), 3 local interrupt disabling
//            (local_irq_save), 4 spin_lock, 5 spin_lock_bh,
//            6 spin_lock_irqsave
//
// Every path counts what it did in counters of its own, which nothing else
// writes, so the sum is what the shared counter should hold. Hart 0 prints
// one line that `spinlab protection-table` reads:
//   protection: paths P protect N harts H: counter A of B, L lost
// and exits 0 when nothing was lost, 3 when updates were.

#include "defs.h"
#include "riscv.h"
#include "../lib/plic.h"
#include "kernel.h"
#include "harts.h"

FIRMWARE_PARAM(paths, 7);
FIRMWARE_PARAM(protect, 0);
FIRMWARE_PARAM(deferred, 0);
FIRMWARE_PARAM(rounds, 40);     // read-modify-writes per path and hart (per thread, per handler)
FIRMWARE_PARAM(window, 300);    // cycles between the load and the store
FIRMWARE_PARAM(gap, 60);        // cycles a thread works between two updates

#define PATH_EXC  1u
#define PATH_IRQ  2u
#define PATH_DEF  4u

enum { P_NONE, P_SEMAPHORE, P_BH, P_IRQ, P_SPIN, P_SPIN_BH, P_SPIN_IRQ, NPROTECT };

#define THREADS 2                // exception paths per hart

static struct spinlock countlock = SPINLOCK_INIT("countlock");
static struct semaphore countsem = SEMAPHORE_INIT("countsem", 1);
static volatile uint32 counter;

// What each path did, by hart: written only by that path on that hart (a
// handler never nests with itself, a softirq never runs twice at once on
// one hart, a tasklet never on two harts), read by hart 0 at the end.
static volatile uint32 by_thread[NHART][THREADS];
static volatile uint32 by_lo[NHART], by_hi[NHART], by_deferred[NHART];

static int has(uint32 path)
{
  return (paths & path) != 0;
}

// ---- the protection: taken around every read-modify-write ------------------

static void protect_begin(uint32 *flags)
{
  switch (protect) {
  case P_SEMAPHORE: down(&countsem); break;
  case P_BH:        local_bh_disable(); break;
  case P_IRQ:       *flags = intr_get(); intr_off(); break;   // local_irq_save
  case P_SPIN:      spin_lock(&countlock); break;
  case P_SPIN_BH:   spin_lock_bh(&countlock); break;
  case P_SPIN_IRQ:  spin_lock_irqsave(&countlock, flags); break;
  }
}

static void protect_end(uint32 flags)
{
  switch (protect) {
  case P_SEMAPHORE: up(&countsem); break;
  case P_BH:        local_bh_enable(); break;
  case P_IRQ:       if (flags) intr_on(); break;               // local_irq_restore
  case P_SPIN:      spin_unlock(&countlock); break;
  case P_SPIN_BH:   spin_unlock_bh(&countlock); break;
  case P_SPIN_IRQ:  spin_unlock_irqrestore(&countlock, flags); break;
  }
}

// The critical section: a load, `window` cycles of work, a store. Anything
// that runs in between and adds to the counter has its update overwritten.
static void update(volatile uint32 *done)
{
  uint32 flags = 0;

  protect_begin(&flags);
  uint32 v = counter;
  busy_wait(window);
  counter = v + 1;
  (*done)++;
  protect_end(flags);
}

// ---- deferrable functions ----------------------------------------------------

static void deferred_work(void)
{
  int me = r_mhartid();

  if (by_deferred[me] < rounds)
    update(&by_deferred[me]);
}

static void scenario_softirq(void)
{
  deferred_work();
}

static void tasklet_fn(unsigned long data)
{
  (void)data;
  deferred_work();
}

static DECLARE_TASKLET(work_tasklet, tasklet_fn, 0);

// ---- interrupt handlers ------------------------------------------------------

static uint32 lo_source(int h) { return 2 * h + 1; }
static uint32 hi_source(int h) { return 2 * h + 2; }

// The top half of the low-priority device: it turns interrupts back on (the
// PLIC still holds back this source and any of no higher priority), so the
// high-priority device's handler may run in the middle of its update. Once
// its paths are done it turns its device off: interrupts that do no work
// would only slow the others down.
static void lo_intr(void)
{
  int me = r_mhartid();
  int more = 0;

  local_irq_enable();
  if (has(PATH_IRQ) && by_lo[me] < rounds) {
    update(&by_lo[me]);
    more = 1;
  }
  local_irq_disable();
  if (has(PATH_DEF) && by_deferred[me] < rounds) {
    if (deferred)
      tasklet_schedule(&work_tasklet);
    else
      raise_softirq(SCENARIO_SOFTIRQ);
    more = 1;
  }
  if (!more)
    plic_disable(me, lo_source(me));
}

static void hi_intr(void)
{
  int me = r_mhartid();

  if (by_hi[me] < rounds)
    update(&by_hi[me]);
  else
    plic_disable(me, hi_source(me));
}

// ---- process context: kernel threads ---------------------------------------

static void adder(void *arg)
{
  volatile uint32 *done = arg;

  for (uint32 i = 0; i < rounds; i++) {
    update(done);
    busy_wait(gap);
  }
}

// Has this hart's every path done its rounds?
static int hart_done(int h)
{
  if (has(PATH_EXC))
    for (int t = 0; t < THREADS; t++)
      if (by_thread[h][t] < rounds)
        return 0;
  if (has(PATH_IRQ) && (by_lo[h] < rounds || by_hi[h] < rounds))
    return 0;
  if (has(PATH_DEF) && by_deferred[h] < rounds)
    return 0;
  return 1;
}

// Waits, as a thread, for the paths to finish; then this hart's devices go
// quiet. A thread, not the idle loop: a handler that sleeps (the semaphore
// in an interrupt) sleeps as the thread it interrupted.
static void driver(void *arg)
{
  int me = r_mhartid();

  (void)arg;
  if (has(PATH_IRQ | PATH_DEF))
    request_irq_prio(lo_source(me), lo_intr, 1);
  if (has(PATH_IRQ))
    request_irq_prio(hi_source(me), hi_intr, 2);
  while (!hart_done(me))
    yield();
}

static void work(void)
{
  int me = r_mhartid();

  trap_init();
  open_softirq(SCENARIO_SOFTIRQ, scenario_softirq);
  kthread_create(driver, 0, me, "driver");
  if (has(PATH_EXC))
    for (int t = 0; t < THREADS; t++)
      kthread_create(adder, (void *)&by_thread[me][t], me, "adder");
  sched_start();
}

int main(int hartid)
{
  int harts = on_every_hart(hartid, work);
  uint32 want = 0;

  for (int h = 0; h < harts; h++) {
    for (int t = 0; t < THREADS; t++)
      want += by_thread[h][t];
    want += by_lo[h] + by_hi[h] + by_deferred[h];
  }
  printf("protection: paths %d protect %d harts %d: counter %d of %d, %d lost\n", paths, protect, harts, counter,
         want, want - counter);
  return counter == want ? 0 : 3;
}
