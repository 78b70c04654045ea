// Drives the example timer (../timer.h) and takes its interrupt: the timer
// counts TICKS ticks, periodically, with its interrupt on PLIC source
// TIMER_IRQ; the hart sleeps in wfi, and each interrupt is claimed,
// acknowledged at the timer and completed. After NTICKS interrupts it stops
// the timer, prints the cycle of each and exits 0 when they came exactly
// one period apart (1 for any other spacing, 2 for a timer that is not
// where the config maps it).
//
// The timer's address and line are the config's (../tlm_timer.toml); a
// program that runs with another config would read them from its own header.
#include "defs.h"
#include "intr.h"
#include "plic.h"
#include "riscv.h"

#define TIMER_BASE  0x10030000u
#define TIMER_IRQ   5
#define TIMER(off)  (*(volatile uint32 *)(TIMER_BASE + (off)))
#define LOAD        0x00u
#define CTRL        0x04u
#define STATUS      0x08u
#define COUNT       0x0cu
#define EXPIRIES    0x10u
#define ENABLE      (1u << 0)
#define PERIODIC    (1u << 1)
#define IRQ_ENABLE  (1u << 2)
#define EXPIRED     (1u << 0)

// One tick is 10 ns (tick_ns = 10), one cycle at 100 MHz: a period of
// TICKS cycles.
#define TICKS   2000u
#define NTICKS  5u

static volatile uint32 fired;
static uint32 at[NTICKS];

// The PLIC's interrupt: which source, then tell the device, then the PLIC.
static void external(void)
{
  uint32 source = plic_claim(0);
  if (source == TIMER_IRQ) {
    if (fired < NTICKS)
      at[fired] = r_mcycle();
    TIMER(STATUS) = EXPIRED;  // the line drops
    if (++fired == NTICKS)
      TIMER(CTRL) = 0;  // no more
  }
  if (source)
    plic_complete(0, source);
}

int main(int hartid)
{
  if (hartid != 0)
    park();
  // The registers read as reset: nothing running, nothing expired.
  if (TIMER(CTRL) != 0 || TIMER(STATUS) != 0 || TIMER(EXPIRIES) != 0) {
    printf("tlm_timer: no timer at %p (CTRL %u, STATUS %u)\n", (void *)TIMER_BASE, TIMER(CTRL), TIMER(STATUS));
    return 2;
  }
  intr_install();
  intr_set_handler(IRQ_EXTERNAL, external);
  plic_set_priority(TIMER_IRQ, 1);
  plic_set_threshold(0, 0);
  plic_enable(0, TIMER_IRQ);
  w_mie(MIE_MEIE);

  TIMER(LOAD) = TICKS;
  uint32 start = r_mcycle();
  TIMER(CTRL) = ENABLE | PERIODIC | IRQ_ENABLE;
  intr_wait(&fired, NTICKS);

  int even = 1;
  printf("tlm_timer: started at cycle %u\n", start);
  for (uint32 i = 0; i < NTICKS; i++) {
    uint32 gap = at[i] - (i ? at[i - 1] : start);
    printf("tlm_timer: interrupt %u at cycle %u (+%u)\n", i + 1, at[i], gap);
    if (i && gap != TICKS)
      even = 0;
  }
  uint32 expiries = TIMER(EXPIRIES);
  printf("tlm_timer: %u interrupts, %u expiries, %s\n", fired, expiries,
         even ? "one period apart" : "NOT one period apart");
  return even && fired == NTICKS && expiries == NTICKS ? 0 : 1;
}
