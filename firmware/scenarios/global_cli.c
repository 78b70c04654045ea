// 20-global-cli (docs/lessons/20-global-cli.md): what disabling interrupts
// on every CPU costs, against disabling them on this CPU and taking a spin
// lock. Every hart does `rounds` rounds; a round is `work` steps on an
// array of its own (no lock needed) and one short update of `shared`, which
// every hart's timer handler updates too. The run ends when all are done;
// hart 0 prints how many cycles the rounds took and checks that no update
// was lost.
//
// global = 0, the local way (Linux since 2.6): spin_lock_irqsave(&datalock).
// Interrupts go off on this hart only (its own timer handler takes the
// lock), and the lock keeps the other harts out -- only those that want
// `shared` at the same moment wait, for the length of one update.
//
// global = 1, the global way: global_cli() takes global_irq_lock with
// interrupts off, then sends an IPI to every other hart, whose handler
// acknowledges and spins with its interrupts off until global_sti(). Once
// every hart has acknowledged, no handler and no other code runs anywhere:
// the update needs no lock of its own. Every round stops every hart for
// the IPIs' round trip, whether or not the others wanted `shared` at all.
// The lesson says how Linux 2.4's global cli() worked, which was not quite
// this.
//
// spinlab only: the harts spin-wait on each other, which QEMU's icount mode
// (one hart at a time) would not run.

#include "defs.h"
#include "riscv.h"
#include "../lib/clint.h"
#include "../lib/intr.h"
#include "kernel.h"

FIRMWARE_PARAM(global, 1);   // 1: global_cli()/global_sti(); 0: spin_lock_irqsave
FIRMWARE_PARAM(rounds, 50);  // rounds per hart
FIRMWARE_PARAM(work, 100);   // steps on the hart's own data per round
FIRMWARE_PARAM(tick, 500);   // mtime ticks (10 cycles each) between timer interrupts; 0: none

#define OWN 16   // words of each hart's own data

// The shared data: the rounds' updates and the timer handlers' ticks. The
// two sums let a torn update show: each round adds its hart's number + 1
// to `sum` and 1 to `count`, so sum == count * (harts + 1) / 2 when all
// are done and none was lost.
static struct {
  uint32 count, sum, ticks;
} shared;
static struct spinlock datalock = SPINLOCK_INIT("datalock");

static uint32 own[NHART][OWN];

// The global way's state. global_irq_lock serialises the global_cli()
// callers; stop_gen numbers their requests (written only under the lock);
// acked[h] is the request hart h has stopped for, released the last one
// its holder let go.
static struct spinlock global_irq_lock = SPINLOCK_INIT("global_irq_lock");
static volatile uint32 stop_gen, released;
static volatile uint32 acked[NHART];
static uint32 stops[NHART];          // how often each hart was stopped

static volatile uint32 nharts;       // set by hart 0 before the others start
static volatile uint32 done;         // harts finished with their rounds
static uint32 took[NHART];           // each hart's cycles for its rounds

// The IPI handler. An IPI that asks for no new stop (the end-of-run wake
// below) is only acknowledged at the CLINT. msip is cleared before stop_gen
// is read, so a request sent after the read raises it again.
static void stop_here(void)
{
  int me = r_mhartid();

  clint_clear_ipi(me);
  uint32 g = stop_gen;
  if (g == acked[me])
    return;
  acked[me] = g;
  stops[me]++;
  while (released != g)   // interrupts off: nothing else runs on this hart
    ;
}

// Interrupts off here, and on every other hart once they have all
// acknowledged. The lock is waited for with interrupts ON: a hart that
// waited with them off could not take the holder's IPI, and the holder
// would wait for its acknowledgement forever.
static void global_cli(uint32 *flags)
{
  int me = r_mhartid(), n = nharts;

  *flags = intr_get();
  for (;;) {
    intr_off();
    if (spin_trylock(&global_irq_lock))
      break;
    intr_on();
    while (spin_is_locked(&global_irq_lock))
      ;
  }
  uint32 g = stop_gen + 1;
  stop_gen = g;
  for (int h = 0; h < n; h++)
    if (h != me)
      clint_send_ipi(h);
  for (int h = 0; h < n; h++)
    while (h != me && acked[h] != g)
      ;
}

static void global_sti(uint32 flags)
{
  released = stop_gen;
  spin_unlock(&global_irq_lock);
  if (flags)
    intr_on();
}

// The timer handler: the kernel's tick, then the shared data. Handlers
// on two harts may run at once, so they take datalock (interrupts are off
// in a handler already); a global_cli() holder excludes them by stopping
// their harts instead, and needs no lock.
static void tick_intr(void)
{
  clockintr();
  spin_lock(&datalock);
  shared.ticks++;
  spin_unlock(&datalock);
}

static void update(int me)
{
  uint32 flags;

  if (global) {
    global_cli(&flags);
    shared.count++;
    shared.sum += me + 1;
    global_sti(flags);
  } else {
    spin_lock_irqsave(&datalock, &flags);
    shared.count++;
    shared.sum += me + 1;
    spin_unlock_irqrestore(&datalock, flags);
  }
}

static void do_rounds(int me)
{
  uint32 *mine = own[me];
  uint32 start = r_cycle();

  for (uint32 r = 0; r < rounds; r++) {
    for (uint32 i = 0; i < work; i++)
      mine[i % OWN] += i;
    update(me);
  }
  took[me] = r_cycle() - start;
}

// Waits for every hart to finish, taking interrupts: a hart done with its
// rounds must still stop for the others' global_cli(). Its tick goes off
// first, so that the ticks are all counted when hart 0 looks. The last to
// finish wakes the others (their handler sees no new stop and returns).
static void finish(int n)
{
  clint_disarm_timer(r_mhartid());
  if (__atomic_add_fetch(&done, 1, __ATOMIC_ACQ_REL) == (uint32)n) {
    for (int h = 0; h < n; h++)
      if (h != (int)r_mhartid())
        clint_send_ipi(h);
  }
  intr_wait(&done, n);
}

int main(int hartid)
{
  // clint_harts() probes every hart's msip, setting and clearing it: it
  // would eat an IPI in flight. So hart 0 counts the harts before any is
  // sent, and the others wait for the count.
  if (hartid == 0)
    nharts = clint_harts();
  while (nharts == 0)
    ;
  int n = nharts;

  trap_init();
  intr_set_handler(IRQ_SOFTWARE, stop_here);
  intr_set_handler(IRQ_TIMER, tick_intr);
  w_mie(r_mie() | MIE_MSIE);
  if (tick)
    timer_start(r_time64() + tick, tick);
  intr_on();

  do_rounds(hartid);
  finish(n);
  intr_off();
  if (hartid != 0)
    park();

  uint32 longest = 0, stopped = 0, attempts = 0;
  for (int h = 0; h < n; h++) {
    if (took[h] > longest)
      longest = took[h];
    stopped += stops[h];
    attempts += getcpu(h)->attempts;
  }
  uint32 want = n * rounds;
  printf("global-cli: %s, %d harts x %d rounds of %d steps\n",
         global ? "global_cli (IPI to every other hart)" : "spin_lock_irqsave (this hart only)", n, rounds, work);
  printf("global-cli: the rounds took %d cycles: %d rounds per million cycles\n", longest,
         (uint32)((uint64)want * 1000000 / longest));
  printf("global-cli: harts stopped %d times by another's global_cli; %d failed attempts\n", stopped, attempts);
  printf("global-cli: shared count %d of %d, %d ticks counted of %d\n", shared.count, want, shared.ticks, ticks);
  if (shared.count != want || shared.sum != n * rounds * (n + 1) / 2 || shared.ticks != ticks) {
    printf("global-cli: updates lost\n");
    return 1;
  }
  printf("global-cli: no update lost\n");
  return 0;
}
