// The shared counter experiment (counter.h).

#include "defs.h"
#include "riscv.h"
#include "../lib/clint.h"
#include "counter.h"

#define MAX_VALUES (COUNTER_MAX_HARTS * COUNTER_K)

static uint32 counter;
static uint32 seen[MAX_VALUES / 32];  // bit v: some increment read v
static uint32 seen_twice;
static uint32 out_of_range;           // read a value >= MAX_VALUES
static uint32 not_increasing;
static uint32 done;                   // harts other than 0 finished

uint32 counter_began[COUNTER_MAX_HARTS], counter_ended[COUNTER_MAX_HARTS];

static void record(uint32 v)
{
  if (v >= MAX_VALUES) {
    __atomic_fetch_add(&out_of_range, 1, __ATOMIC_RELAXED);
    return;
  }
  uint32 bit = 1u << (v % 32);
  if (__atomic_fetch_or(&seen[v / 32], bit, __ATOMIC_RELAXED) & bit)
    __atomic_fetch_add(&seen_twice, 1, __ATOMIC_RELAXED);
}

static void increment_k_times(increment_fn inc, int track)
{
  uint32 last = 0;
  int me = r_mhartid();

  if (me < COUNTER_MAX_HARTS)
    counter_began[me] = r_mcycle();

  for (int i = 0; i < COUNTER_K; i++) {
    uint32 old = inc(&counter);
    if (!track)
      continue;
    if (i > 0 && old <= last)
      __atomic_fetch_add(&not_increasing, 1, __ATOMIC_RELAXED);
    last = old;
    record(old);
  }
  if (me < COUNTER_MAX_HARTS)
    counter_ended[me] = r_mcycle();
}

void count_on_all_harts(int hartid, increment_fn inc, int track, struct count_result *r)
{
  if (hartid != 0) {
    increment_k_times(inc, track);
    count_and_wake(&done, 0);
    park();
  }

  // The others may be counting already: probing msip does not disturb them
  // (their mie is 0), and ipi_wait looks at `done` after clearing msip.
  int n = clint_harts();
  increment_k_times(inc, track);
  ipi_wait(&done, n - 1);

  r->harts = n;
  r->final = __atomic_load_n(&counter, __ATOMIC_ACQUIRE);
  r->seen_twice = seen_twice + out_of_range;
  r->not_increasing = not_increasing;
  r->missing = 0;
  if (track) {
    uint32 total = (uint32)n * COUNTER_K;
    for (uint32 v = 0; v < total && v < MAX_VALUES; v++)
      r->missing += ((seen[v / 32] >> (v % 32)) & 1) == 0;
  }
}
