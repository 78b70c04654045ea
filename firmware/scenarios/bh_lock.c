// 22-bh-lock (docs/lessons/22-bh-lock.md): data shared between process
// context and a bottom half. The timer handler (the top half) only raises
// a softirq; the softirq's action, rx_action, runs when the handler is done
// -- at interrupt exit, interrupts on, on the same hart -- and queues a
// packet in `queued` under queuelock. The boot code consumes the packets
// under queuelock too, holding it for a while each time.
//
// With plain spin_lock in the boot code the tick that lands inside a hold
// runs the softirq on top of it, at interrupt exit, and the softirq spins on
// a lock held by the code it interrupted: the hart has deadlocked itself,
// as in 03-irq-deadlock, one level down. The monitor stops the run (exit
// 126); the "done" line is never printed.
//
// firmware.params.use_bh = 1 makes the boot code take queuelock with
// spin_lock_bh: the softirq raised during a hold stays pending until
// spin_unlock_bh, which runs it once the lock is free. Interrupts stay on
// the whole time: the top half still runs at once.
// spinlab only: on QEMU the deadlocking run just hangs.

#include "defs.h"
#include "riscv.h"
#include "../lib/intr.h"
#include "kernel.h"

#define NPACKETS  5       // the boot code stops when it has consumed this many
#define INTERVAL  1000    // mtime ticks between timer interrupts (10 000 cycles)
#define HOLD      2000    // cycles the boot code holds queuelock each time

FIRMWARE_PARAM(use_bh, 0);

struct spinlock queuelock = SPINLOCK_INIT("queuelock");
static uint32 queued;                    // packets not yet consumed; under queuelock
static volatile uint32 bh_runs, deferred;  // this hart's interrupt code only

// The bottom half, in softirq context: another softirq never interrupts it
// on this hart, and the only other taker, the boot code, keeps softirqs
// off while it holds the lock (or should): plain spin_lock is right here.
static void rx_action(void)
{
  spin_lock(&queuelock);
  queued++;
  spin_unlock(&queuelock);
  bh_runs++;
}

// The top half: the tick, and the packet's processing left for later.
static void tick(void)
{
  clockintr();
  // Softirqs off (in_softirq) but none running: the code this tick
  // interrupted holds them off, and its local_bh_enable will run this one.
  if (in_softirq() && !in_serving_softirq())
    deferred++;
  raise_softirq(SCENARIO_SOFTIRQ);
}

static void take(void)
{
  if (use_bh)
    spin_lock_bh(&queuelock);
  else
    spin_lock(&queuelock);       // BUG: the softirq takes queuelock too
}

static void drop(void)
{
  if (use_bh)
    spin_unlock_bh(&queuelock);  // runs the softirq raised meanwhile, if any
  else
    spin_unlock(&queuelock);
}

int main(int hartid)
{
  uint32 consumed = 0, rounds = 0;

  if (hartid != 0)
    park();
  trap_init();
  intr_set_handler(IRQ_TIMER, tick);
  open_softirq(SCENARIO_SOFTIRQ, rx_action);
  timer_start(r_time64() + INTERVAL, INTERVAL);
  intr_on();
  printf("bh-lock: hart 0 takes queuelock with %s, interrupts on\n", use_bh ? "spin_lock_bh" : "spin_lock");

  while (consumed < NPACKETS) {
    take();
    consumed += queued;
    queued = 0;
    busy_wait(HOLD);             // the critical section
    drop();
    rounds++;
  }
  printf("bh-lock: done: %d packets consumed after %d rounds; the bottom half ran %d times, %d of them "
         "from spin_unlock_bh\n",
         consumed, rounds, bh_runs, deferred);
  return 0;
}
