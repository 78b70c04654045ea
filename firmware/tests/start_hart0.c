// start_hart0: machine.start = "hart0" (run on 4 harts). Only hart 0 runs
// from cycle 0; every other hart is held until its msip is set, then starts
// at the ELF entry with the software interrupt pending (docs/timing.md).
// Hart 0 first waits long enough for every hart to have reached main had it
// started, and checks that none did; then it releases them one at a time and
// checks each arrived only after its release, having run nothing but the
// start-up code, with MSIP pending -- and that the harts not yet released
// still have not arrived. Spinlab only: QEMU starts every hart at once.

#include "memmap.h"
#include "defs.h"
#include "riscv.h"
#include "check.h"
#include "../lib/clint.h"

#define HARTS 4
#define MIP_MSIP MIE_MSIE     // the same bit in mip and mie
// start.S runs 18 instructions before main, and main a few more before it
// reads minstret: far fewer than this.
#define STARTUP_INSTRUCTIONS_MAX 40

struct arrival {
  uint32 cycle;       // mcycle on arrival in main
  uint32 instret;     // minstret on arrival: what the hart has run
  uint32 mip;         // mip on arrival
  uint32 msip_after;  // msip after the hart cleared it
};

static struct arrival arrivals[HARTS];
static uint32 released_at[HARTS];
static uint32 arrived;

static void arrive(int hartid)
{
  struct arrival *a = &arrivals[hartid];

  a->instret = r_minstret();
  a->cycle = r_mcycle();
  a->mip = r_mip();
  clint_clear_ipi(hartid);    // the IPI that started this hart
  a->msip_after = clint_ipi_pending(hartid);
  count_and_wake(&arrived, 0);
}

int main(int hartid)
{
  if (hartid != 0) {
    if (hartid < HARTS)
      arrive(hartid);
    park();
  }

  group("start = hart0");
  // 20000 cycles: every hart would be in main long before, had it started.
  while (r_time() < 2000)
    ;
  check(__atomic_load_n(&arrived, __ATOMIC_ACQUIRE), 0);
  for (int h = 1; h < HARTS; h++)
    check(arrivals[h].cycle, 0);

  for (int h = 1; h < HARTS; h++) {
    released_at[h] = r_mcycle();
    clint_send_ipi(h);
    ipi_wait(&arrived, h);
    check(__atomic_load_n(&arrived, __ATOMIC_ACQUIRE), h);  // the next ones are still held
    check(arrivals[h].cycle > released_at[h], 1);
    check(arrivals[h].instret <= STARTUP_INSTRUCTIONS_MAX, 1);
    check(arrivals[h].mip & MIP_MSIP, MIP_MSIP);
    check(arrivals[h].msip_after, 0);
  }
  group_end();
  for (int h = 1; h < HARTS; h++)
    printf("hart %d: released at cycle %d, in main at cycle %d after %d instructions\n",
           h, released_at[h], arrivals[h].cycle, arrivals[h].instret);
  return all_passed();
}
