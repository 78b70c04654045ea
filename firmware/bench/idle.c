// bench_idle: the idle case of bench/run.sh. Every hart sleeps in wfi and
// is woken by its own timer interrupt every TICK_MTIME mtime ticks (10 ms at
// the CLINT's 10 MHz: a 100 Hz kernel tick), BENCH_WORK times; the handler
// only counts the tick and sets the next deadline. So the run is
// BENCH_WORK / 100 simulated seconds in which nothing else happens: the cost
// of simulating idle time.

#include "defs.h"
#include "param.h"
#include "riscv.h"
#include "../lib/clint.h"
#include "../lib/intr.h"
#include "bench.h"

#ifndef BENCH_WORK
#define BENCH_WORK 30000  // timer ticks per hart: 300 simulated seconds
#endif

#define TICK_MTIME 100000u  // mtime ticks between interrupts (10 ms at 10 MHz)

static volatile uint32 ticks[NHART];
static uint64 deadline[NHART];

// The deadline moves by exactly one tick each time, so the ticks do not
// drift however late the handler runs; after the last one the timer is
// disarmed, which clears mip.MTIP.
static void timer_interrupt(void)
{
  int h = r_mhartid();

  ticks[h] = ticks[h] + 1;
  if (ticks[h] < BENCH_WORK) {
    deadline[h] += TICK_MTIME;
    clint_set_timer(h, deadline[h]);
  } else {
    clint_disarm_timer(h);
  }
}

int main(int hartid)
{
  int n = bench_start(hartid);

  // The handler table is shared: every hart writes the same entry, so
  // none can take its first tick before the entry is there.
  intr_set_handler(IRQ_TIMER, timer_interrupt);
  intr_install();
  deadline[hartid] = r_time64() + TICK_MTIME;
  clint_set_timer(hartid, deadline[hartid]);
  w_mie(MIE_MTIE);
  intr_wait(&ticks[hartid], BENCH_WORK);
  w_mie(0);
  bench_end(hartid, n);

  uint32 total = 0;
  for (int h = 0; h < n; h++)
    total += ticks[h];
  printf("idle: %d harts, %d timer interrupts in all\n", n, total);
  return 0;
}
