// 24-tasklet-vs-softirq (docs/lessons/24-tasklet-vs-softirq.md): one bottom
// half, two harts. Each hart's timer ticks NTICKS times, hart 1's a little
// after hart 0's, and each tick's handler defers the same work to a bottom
// half: add one to `counter`, a read, some work, a write. `counter` is
// shared by the two harts; each hart also counts the runs it did itself,
// in its own word, so the sum is what `counter` should be.
//
// A softirq (the default) runs on the hart that raised it, whatever the
// other hart runs: the two harts' runs overlap, each reads the counter
// before the other has written it back, and updates are lost --
// firmware.params.use_lock = 1 takes countlock around the update and none
// is. A tasklet (firmware.params.use_tasklet = 1) never runs on two harts at
// once: the kernel serialises it (TASKLET_STATE_RUN), so even without a
// lock nothing is lost; a hart that finds it running elsewhere puts it
// back and runs it later.
//
// Prints each hart's runs and the counter; exits 0.
// spinlab only: hart 1 spin-waits for hart 0's start, which QEMU's
// one-hart-at-a-time icount mode would not run.

#include "defs.h"
#include "riscv.h"
#include "../lib/clint.h"
#include "../lib/intr.h"
#include "kernel.h"

#define NTICKS    10      // timer interrupts per hart
#define INTERVAL  1000    // mtime ticks between one hart's ticks (10 000 cycles)
#define PHASE     50      // hart 1 ticks 50 mtime ticks (500 cycles) after hart 0
#define WORK      2000    // cycles between reading the counter and writing it back

FIRMWARE_PARAM(use_tasklet, 0);
FIRMWARE_PARAM(use_lock, 0);

struct spinlock countlock = SPINLOCK_INIT("countlock");
static uint32 counter;                  // the bottom half's runs, all harts; shared
static volatile uint32 runs[NHART];     // each hart's own runs; only that hart writes its word
static volatile uint32 go, finished;
static uint64 first_tick;               // mtime of hart 0's first tick

// The bottom half's work, on whichever hart runs it.
static void count(void)
{
  if (use_lock)
    spin_lock(&countlock);   // softirq context, on both harts: no hardirq takes it
  uint32 v = counter;
  busy_wait(WORK);           // work on the packet
  counter = v + 1;
  if (use_lock)
    spin_unlock(&countlock);
  runs[r_mhartid()]++;
}

static void count_action(void) { count(); }
static void count_tasklet_fn(unsigned long data) { (void)data; count(); }

DECLARE_TASKLET(count_tasklet, count_tasklet_fn, 0);

// The top half, on each hart: the tick, then the rest deferred.
static void tick(void)
{
  clockintr();
  if (mycpu()->ticks >= NTICKS)
    clint_disarm_timer(r_mhartid());
  if (use_tasklet)
    tasklet_schedule(&count_tasklet);
  else
    raise_softirq(SCENARIO_SOFTIRQ);
}

static void ticks_on_this_hart(int hartid)
{
  trap_init();
  intr_set_handler(IRQ_TIMER, tick);
  timer_start(first_tick + hartid * PHASE, INTERVAL);
  intr_wait((volatile uint32 *)&mycpu()->ticks, NTICKS);
  // The last tick's bottom half ran at its interrupt exit, unless the
  // tasklet was running on the other hart then and was put back: run what
  // is still pending here (local_bh_enable runs softirqs only with
  // interrupts on; the timer is disarmed by now).
  intr_on();
  while (mycpu()->softirq_pending) {
    local_bh_disable();
    local_bh_enable();
  }
  intr_off();
}

int main(int hartid)
{
  if (hartid == 1) {
    while (!go)              // hart 0 sets things up and prints first
      ;
    ticks_on_this_hart(1);
    count_and_wake(&finished, 0);
    park();
  }
  if (hartid != 0)
    park();
  open_softirq(SCENARIO_SOFTIRQ, count_action);
  printf("tasklet-vs-softirq: a %s on 2 harts, %s\n", use_tasklet ? "tasklet" : "softirq",
         use_lock ? "counter under countlock" : "no lock");
  first_tick = r_time64() + INTERVAL;
  go = 1;
  ticks_on_this_hart(0);
  ipi_wait(&finished, 1);
  uint32 total = runs[0] + runs[1];
  printf("tasklet-vs-softirq: %d ticks; it ran %d times on hart 0 and %d on hart 1; counter %d of %d: %d updates "
         "lost\n",
         mycpu()->ticks + getcpu(1)->ticks, runs[0], runs[1], counter, total, total - counter);
  if (use_tasklet) {
    // Each run of TASKLET_SOFTIRQ either ran the tasklet or found it
    // running on the other hart and put it back.
    printf("tasklet-vs-softirq: found running on the other hart and put back: %d times on hart 0, %d on hart 1\n",
           mycpu()->softirq_runs[TASKLET_SOFTIRQ] - runs[0], getcpu(1)->softirq_runs[TASKLET_SOFTIRQ] - runs[1]);
  }
  return counter == total ? 0 : 1;  // a lost update is a wrong result
}
