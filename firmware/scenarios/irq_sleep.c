// 14-irq-sleep (docs/lessons/14-irq-sleep.md): an interrupt handler that
// calls a sleeping function. `worker` sends itself an IPI; the software
// interrupt's handler wants a token from a semaphore that is empty until
// `producer` posts one, and down() sleeps. A handler has no thread of its
// own: it sleeps as whatever thread it interrupted, with HARDIRQ_OFFSET in
// preempt_count. schedule() prints "BUG: scheduling while atomic" and
// "BUG: scheduling while in interrupt", then switches anyway, as Linux does
// -- the worker is stuck inside the handler until the token comes.
//
// [firmware.params] fixed = 1 makes the handler use down_trylock and leave
// the work to the worker thread when there is no token.

#include "defs.h"
#include "riscv.h"
#include "../lib/clint.h"
#include "../lib/intr.h"
#include "kernel.h"

FIRMWARE_PARAM(fixed, 0);

static struct semaphore tokens = SEMAPHORE_INIT("tokens", 0);
static volatile uint32 handled, deferred;

static void ipi(void)
{
  clint_clear_ipi(r_mhartid());   // acknowledged first, as every handler must
  if (fixed) {
    if (down_trylock(&tokens)) {
      deferred++;                 // no token now: the worker takes it later
      return;
    }
  } else {
    down(&tokens);                // WRONG: may sleep, in an interrupt handler
  }
  handled++;
}

static void worker(void *arg)
{
  (void)arg;
  clint_send_ipi(r_mhartid());    // the interrupt comes right away
  while (deferred) {              // the fixed handler's leftover work
    down(&tokens);
    deferred--;
    handled++;
  }
}

static void producer(void *arg)
{
  (void)arg;
  yield();
  up(&tokens);
}

int main(int hartid)
{
  if (hartid != 0)
    park();
  trap_init();
  intr_set_handler(IRQ_SOFTWARE, ipi);
  kthread_create(worker, 0, 0, "worker");
  kthread_create(producer, 0, 0, "producer");
  printf("irq-sleep: the handler uses %s\n", fixed ? "down_trylock and defers" : "down");
  sched_start();
  printf("irq-sleep: tokens consumed %d\n", handled);
  return handled == 1 ? 0 : 1;
}
