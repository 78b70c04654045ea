// 07-xv6 (docs/lessons/07-xv6.md): xv6's acquire/release nest. The first
// acquire's push_off saves whether interrupts were on (intena) and turns
// them off; each further push_off only counts (noff). Releases count down,
// and only the last pop_off restores interrupts -- exactly to the saved
// state. A timer tick made pending while the locks are held shows it: it
// is taken at the outermost release, and not before.
//
// Checks it starting with interrupts on, then off. Prints each check;
// exits 0 when all pass. Runs on QEMU too, with the same output.
// firmware.params.reacquire = 1 then takes a lock this hart already holds:
// acquire() panics (exit 255) instead of spinning forever.

#include "defs.h"
#include "riscv.h"
#include "../lib/clint.h"
#include "kernel.h"

static struct spinlock outer = SPINLOCK_INIT("outer");
static struct spinlock inner = SPINLOCK_INIT("inner");

FIRMWARE_PARAM(reacquire, 0);

static int failures;

static void check(const char *what, uint32 got, uint32 want)
{
  printf("  %s %s: %d\n", got == want ? "ok  " : "FAIL", what, got);
  if (got != want)
    failures++;
}

// A tick that is pending from now on: mtimecmp = mtime.
static void make_tick_pending(void)
{
  timer_start(r_time64(), 0);
  while ((r_mip() & MIE_MTIE) == 0)   // mip.MTIP, mie.MTIE's bit
    ;
}

static void nest(int on)
{
  struct cpu *c = mycpu();
  uint32 ticks0 = c->ticks;

  printf("xv6: interrupts %s, then acquire(outer), acquire(inner), release(inner), release(outer)\n",
         on ? "ON" : "OFF");
  if (on)
    intr_on();
  else
    intr_off();

  acquire(&outer);
  check("after acquire(outer): interrupts on", intr_get(), 0);
  check("after acquire(outer): noff", c->noff, 1);
  make_tick_pending();
  acquire(&inner);
  check("after acquire(inner): noff", c->noff, 2);
  release(&inner);
  check("after release(inner): interrupts on", intr_get(), 0);
  check("after release(inner): ticks taken", c->ticks - ticks0, 0);
  release(&outer);
  check("after release(outer): interrupts on", intr_get(), on);
  check("after release(outer): noff", c->noff, 0);
  check("after release(outer): ticks taken", c->ticks - ticks0, on);
  clint_disarm_timer(r_mhartid());   // with interrupts off, the tick is still pending
}

int main(int hartid)
{
  if (hartid != 0)
    park();
  trap_init();
  nest(1);
  nest(0);
  if (reacquire) {
    printf("xv6: acquire(outer) twice on the same hart\n");
    acquire(&outer);
    acquire(&outer);   // panics: a spinlock is not recursive
  }
  printf("xv6: %s\n", failures ? "FAILED" : "all checks passed");
  return failures ? 1 : 0;
}
