// 17-wfi-holding (docs/lessons/17-wfi-holding.md): sleeping with a spinlock
// held. Hart 0 starts a "disk" request (its timer, here) under disklock and
// waits for the completion interrupt with wfi -- still holding disklock.
// Hart 1 wants disklock to queue a request of its own and spins on it the
// whole time hart 0 sleeps.
//
// The monitor warns (wfi-holding-lock) with the wfi's place and the lock's;
// hart 1's spin count shows what it cost. firmware.params.fixed = 1 makes
// hart 0 release the lock before it sleeps and take it again after, as
// xv6's sleep(chan, lk) does: no warning, and hart 1 hardly spins.
// spinlab only: hart 1 spin-waits on hart 0, which QEMU would not run.

#include "defs.h"
#include "riscv.h"
#include "../lib/clint.h"
#include "kernel.h"

#define IO_TIME  2000     // mtime ticks until the "disk" interrupt (20 000 cycles)

FIRMWARE_PARAM(fixed, 0);

struct spinlock disklock = SPINLOCK_INIT("disk");
static int queued;        // requests queued; under disklock
static volatile uint32 hart1_ready, finished;

// Hart 0: one request, waiting for its interrupt.
__attribute__((noinline)) static void disk_rw(void)
{
  spin_lock(&disklock);
  hart1_ready = 1;
  queued++;
  uint32 start = ticks;
  timer_start(r_time64() + IO_TIME, 0);   // the "disk" answers with one tick
  if (fixed)
    spin_unlock(&disklock);   // sleep(chan, lk): let go before sleeping
  while (ticks == start)
    asm volatile("wfi");      // BUG unless fixed: asleep holding disklock
  if (fixed)
    spin_lock(&disklock);
  queued--;
  spin_unlock(&disklock);
}

// Hart 1: queues a request of its own once hart 0 has taken the lock.
__attribute__((noinline)) static void queue_request(void)
{
  while (!hart1_ready)
    ;
  spin_lock(&disklock);
  queued++;
  spin_unlock(&disklock);
}

int main(int hartid)
{
  if (hartid == 1) {
    queue_request();
    count_and_wake(&finished, 0);
    park();
  }
  if (hartid != 0)
    park();
  trap_init();
  intr_on();
  printf("wfi-holding: hart 0 %s disklock while it waits for the disk\n", fixed ? "releases" : "holds");
  disk_rw();
  ipi_wait(&finished, 1);
  printf("wfi-holding: hart 1 made %d failed attempts on disklock; %d requests queued\n", getcpu(1)->attempts,
         queued);
  return 0;
}
