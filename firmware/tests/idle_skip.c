// idle_skip: two harts sleep in wfi between timer interrupts far apart,
// over one simulated second (1e8 cycles at 100 MHz): hart 0 wakes at 0.1,
// 0.3, 0.5, 0.7 and 0.9 s, hart 1 at 0.2, 0.4, 0.6, 0.8 and 1.0 s; each
// handler records mcycle and disarms its timer. Hart 0 then prints every
// wake-up's mcycle. Run with and without --no-idle-skip, the output and the
// summary must be identical (tests/e2e): jumping over the idle cycles
// changes nothing but the time the simulation takes.
//
// Spinlab only (the output is cycle counts). Assumes the default
// mtime_divider of 10 (mtime at 10 MHz).

#include "memmap.h"
#include "defs.h"
#include "riscv.h"
#include "check.h"
#include "../lib/clint.h"
#include "../lib/intr.h"

#define WAKES 5
#define TICKS_PER_TENTH 1000000u   // mtime ticks in 0.1 s
#define MTIME_DIVIDER 10

static uint32 woke[2][WAKES];      // mcycle in the timer handler
static uint32 wakes[2];
static uint32 done;

static void timer(void)
{
  int h = r_mhartid();

  if (wakes[h] < WAKES)
    woke[h][wakes[h]] = r_mcycle();
  clint_disarm_timer(h);
  __atomic_fetch_add(&wakes[h], 1, __ATOMIC_RELEASE);
}

// Hart h's i-th wake-up (from 0): at (2i + 1 + h) tenths of a second.
static uint32 deadline(int h, int i)
{
  return (2 * i + 1 + h) * TICKS_PER_TENTH;
}

static void sleep_through(int h)
{
  intr_install();
  intr_set_handler(IRQ_TIMER, timer);
  w_mie(MIE_MTIE);
  for (int i = 0; i < WAKES; i++) {
    clint_set_timer(h, deadline(h, i));
    intr_wait(&wakes[h], i + 1);
  }
  w_mie(0);
}

int main(int hartid)
{
  if (hartid == 1) {
    sleep_through(1);
    count_and_wake(&done, 0);
  }
  if (hartid != 0)
    park();

  sleep_through(0);
  ipi_wait(&done, 1);
  for (int i = 0; i < WAKES; i++)
    for (int h = 0; h < 2; h++) {
      uint32 due = deadline(h, i) * MTIME_DIVIDER;
      printf("hart %d wake %d: due at cycle %d, handler at cycle %d\n", h, i, due, woke[h][i]);
      if (woke[h][i] < due || woke[h][i] - due > 100) {
        printf("FAIL: hart %d wake %d is %d cycles from when it was due\n", h, i, woke[h][i] - due);
        return 1;
      }
    }
  return 0;
}
