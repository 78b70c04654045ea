// asleep: every hart ends up asleep in wfi with nothing that can wake it,
// and spinlab must end the run at once with exit code 125 (docs/exit-codes.md)
// rather than run to the cycle limit. Hart 0 arms its timer 5 simulated
// seconds ahead but leaves MTIE off, enables MSIE (only a running hart could
// write msip) and MEIE (there are no interrupt sources), and sleeps; the
// other harts park (mie = 0). Spinlab only: QEMU would sleep for ever.

#include "defs.h"
#include "riscv.h"
#include "../lib/clint.h"

int main(int hartid)
{
  if (hartid != 0)
    park();
  printf("hart 0: sleeping for good\n");
  uartflush();
  clint_set_timer(0, 50000000ull);   // 5 s at 10 MHz: armed, not enabled
  intr_off();
  w_mie(MIE_MSIE | MIE_MEIE);
  for (;;)
    wfi();
}
