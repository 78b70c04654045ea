// on_every_hart (harts.h).

#include "defs.h"
#include "../lib/clint.h"
#include "harts.h"

static uint32 finished;   // harts other than 0 done with their work

int on_every_hart(int hartid, void (*work)(void))
{
  if (hartid != 0) {
    work();
    count_and_wake(&finished, 0);
    park();
  }
  // The others may be working already: probing their msip does not disturb
  // them (their mie is 0).
  int n = clint_harts();
  work();
  ipi_wait(&finished, n - 1);
  return n;
}
