// 14-irq-sleep (docs/lessons/14-irq-sleep.md): an interrupt handler that
// calls a sleeping function. The device `rx` (an [[irq_source]] of the
// config, PLIC source 1) has a packet waiting; its handler wants a free
// buffer -- a token of a semaphore that is empty until `producer` posts one
// -- and down() sleeps. The kernel's devintr has claimed the source and
// completes it only when the handler returns, as Linux's handle_fasteoi_irq
// does, so the sleep comes before the device is acknowledged. A handler has
// no thread of its own: it sleeps as whatever thread it interrupted, with
// HARDIRQ_OFFSET in preempt_count. schedule() prints "BUG: scheduling while
// atomic" and "BUG: scheduling while in interrupt", then switches anyway,
// as Linux does -- the worker is stuck inside the handler until the token
// comes.
//
// [firmware.params] fixed = 1 makes the handler use down_trylock and leave
// the work to the worker thread when there is no token.

#include "defs.h"
#include "riscv.h"
#include "kernel.h"

FIRMWARE_PARAM(fixed, 0);

#define RX_SOURCE 1   // the config's [[irq_source]] rx: line = 1

static struct semaphore tokens = SEMAPHORE_INIT("tokens", 0);
static volatile uint32 handled, deferred;

// Between devintr's claim and its completion.
static void rx_intr(void)
{
  if (fixed) {
    if (down_trylock(&tokens)) {
      deferred++;                 // no buffer now: the worker takes it later
      return;
    }
  } else {
    down(&tokens);                // WRONG: may sleep, in an interrupt handler
  }
  handled++;
}

// Opens the device; its packet has been waiting since before the threads
// ran, so the interrupt comes right away, on this thread.
static void worker(void *arg)
{
  (void)arg;
  request_irq(RX_SOURCE, rx_intr);
  while (deferred) {              // the fixed handler's leftover work
    down(&tokens);
    deferred--;
    handled++;
  }
}

// Runs first and lets the worker run before it posts the token: the thread
// the handler's sleep switches to has run before.
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
  kthread_create(producer, 0, 0, "producer");
  kthread_create(worker, 0, 0, "worker");
  printf("irq-sleep: the handler uses %s\n", fixed ? "down_trylock and defers" : "down");
  sched_start();
  printf("irq-sleep: tokens consumed %d\n", handled);
  return handled == 1 ? 0 : 1;
}
