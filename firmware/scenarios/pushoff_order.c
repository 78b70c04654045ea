// 06-pushoff-order (docs/lessons/06-pushoff-order.md): acquire_late_pushoff
// sets the lock word first and turns interrupts off after. One timer tick
// comes `timer_phase` cycles after the thread arms it (the config sets
// machine.mtime_divider = 1: mtime counts cycles). Where the tick lands
// decides everything:
//   before the amoswap         the handler takes the free lock: fine
//   between amoswap and csrc   the handler spins on the held lock: deadlock
//   during the hold            interrupts are off: the tick waits for release
//   after release              fine
// Only a few phases hit the window between the amoswap and the csrc in
// push_off: `spinlab sweep pushoff-order --param firmware.params.timer_phase=0..400`
// finds them. acquire() does push_off first and has no such window.
//
// Prints where the tick landed; exits 0 (or deadlocks). spinlab only.

#include "defs.h"
#include "riscv.h"
#include "../lib/intr.h"
#include "kernel.h"

#define LEAD  50    // cycles of other work between arming the timer and the acquire
#define HOLD  100   // cycles the lock is held

// Cycles from reading mtime to the tick; [firmware.params] timer_phase sets it.
FIRMWARE_PARAM(timer_phase, 100);

int main(int hartid)
{
  struct cpu *c = mycpu();
  const char *where;

  if (hartid != 0)
    park();
  trap_init();
  intr_on();

  timer_start(r_time64() + timer_phase, 0);   // one tick only
  busy_wait(LEAD);
  acquire_late_pushoff(&tickslock);
  uint32 before = c->ticks;                // 1: the tick came before the lock
  busy_wait(HOLD);
  uint32 pending = r_mip() & MIE_MTIE;     // mip.MTIP (mie.MTIE's bit): it came in the hold
  release(&tickslock);
  if (before)
    where = "before the lock was taken: the handler found it free";
  else if (pending)
    where = "while the lock was held: it waited, pending, until release()";
  else
    where = "at the end of the hold or after it: fine";
  intr_wait(&c->ticks, 1);

  printf("pushoff-order: timer_phase %d: the tick came %s\n", timer_phase, where);
  printf("pushoff-order: ticks %d, interrupted at pc %p\n", ticks, (void *)c->last_epc);
  return 0;
}
