// harts: start-up on several harts (run with HARTS 4). Every hart reaches
// main with its own id and its own stack, after hart 0 has zeroed .bss;
// hart 0 sleeps until all of them have arrived (each arrival pokes it with a
// software interrupt) and checks what they found.

#include "memmap.h"
#include "defs.h"
#include "param.h"
#include "riscv.h"
#include "check.h"

#define HARTS 4

struct arrival {
  uint32 id_ok;       // main's argument is mhartid
  uint32 stack_ok;    // a local variable lies in this hart's stack
  uint32 zeroed;      // this record read zero before the hart wrote it
};

static struct arrival arrivals[NHART];
static uint32 arrived;

static void arrive(int hartid)
{
  struct arrival *a = &arrivals[hartid];
  uint32 here = (uint32)&a;  // an address on this hart's stack
  uint32 bottom = (uint32)stacks + hartid * STACK_SIZE;

  a->zeroed = a->id_ok == 0 && a->stack_ok == 0;
  a->id_ok = (uint32)hartid == r_mhartid();
  a->stack_ok = here >= bottom && here < bottom + STACK_SIZE;
  __atomic_fetch_add(&arrived, 1, __ATOMIC_RELEASE);  // amoadd.w.rl
  *(volatile uint32 *)CLINT_MSIP(0) = 1;               // wake hart 0
}

// Sleeps until `arrived` reaches n. A software interrupt wakes wfi even with
// mstatus.MIE off (nothing is taken). msip is cleared before each look at
// `arrived`, so an arrival between the look and the wfi is not missed: its
// msip is still pending and wfi returns at once.
static void wait_for_arrivals(uint32 n)
{
  w_mie(MIE_MSIE);
  for (;;) {
    *(volatile uint32 *)CLINT_MSIP(0) = 0;
    if (__atomic_load_n(&arrived, __ATOMIC_ACQUIRE) >= n)
      break;
    wfi();
  }
  w_mie(0);
}

int main(int hartid)
{
  arrive(hartid);
  if (hartid != 0)
    park();

  group("harts");
  wait_for_arrivals(HARTS);
  check(__atomic_load_n(&arrived, __ATOMIC_ACQUIRE), HARTS);
  for (int h = 0; h < HARTS; h++) {
    check(arrivals[h].id_ok, 1);
    check(arrivals[h].stack_ok, 1);
    check(arrivals[h].zeroed, 1);
  }
  group_end();
  return all_passed();
}
