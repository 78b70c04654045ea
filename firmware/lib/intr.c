// Interrupt dispatch to C handlers (intr.h). The handlers are shared by all
// harts: a handler that cares asks r_mhartid().

#include "defs.h"
#include "riscv.h"
#include "intr.h"

#define NIRQ 16

extern char intrvec[];

static void (*handlers[NIRQ])(void);

void intr_install(void)
{
  w_mtvec((uint32)intrvec | MTVEC_DIRECT);
}

void intr_set_handler(int irq, void (*handler)(void))
{
  if (irq < 0 || irq >= NIRQ)
    panic("intr_set_handler: no such interrupt");
  handlers[irq] = handler;
}

// Called by intrvec with the trap's cause and pc.
void intr_dispatch(uint32 mcause, uint32 mepc)
{
  uint32 irq = mcause & ~MCAUSE_INTR;

  if ((mcause & MCAUSE_INTR) == 0 || irq >= NIRQ || handlers[irq] == 0) {
    printf("intr: unexpected trap on hart %d, mcause %08x mepc %08x mtval %08x\n",
           r_mhartid(), mcause, mepc, r_mtval());
    panic("intr_dispatch");
  }
  handlers[irq]();
}

void intr_wait(volatile uint32 *flag, uint32 n)
{
  int was_on = intr_get();

  intr_off();
  while (__atomic_load_n(flag, __ATOMIC_ACQUIRE) < n) {
    wfi();
    intr_on();    // a pending interrupt is taken here...
    intr_off();   // ...before the next look at *flag
  }
  if (was_on)
    intr_on();
}
