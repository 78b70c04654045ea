// The benchmark programs' start and end. The end must not be a spin-wait:
// QEMU with -icount runs the harts in turn, 1e8 instructions each, so hart 0
// spinning on a counter would starve the harts it waits for
// (firmware/README.md). Hart 0 sleeps in wfi instead and every other hart
// wakes it with an IPI when done (lib/clint.c).

#include "defs.h"
#include "../lib/clint.h"
#include "bench.h"

static uint32 harts_done;

// Hart 0 probes the CLINT before any IPI is in flight: the others only send
// theirs at the end of their work.
int bench_start(int hartid)
{
  return hartid == 0 ? clint_harts() : 0;
}

void bench_end(int hartid, int harts)
{
  if (hartid != 0) {
    count_and_wake(&harts_done, 0);
    park();
  }
  ipi_wait(&harts_done, harts - 1);
}
