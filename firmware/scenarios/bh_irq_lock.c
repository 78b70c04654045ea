// 23-bh-irq-lock (docs/lessons/23-bh-irq-lock.md): data shared between a
// bottom half and the interrupt handler itself. The timer handler stands
// for a network card's. Frames come in bursts, two on every second
// interrupt; the handler (the top half) puts them in a small ring under
// ringlock -- it takes the lock on every interrupt, to look -- then
// schedules the tasklet. The tasklet (the bottom half) drains the ring:
// under ringlock it takes a frame out and copies it, then processes it with
// the lock dropped. A burst's two frames keep it busy past the next
// interrupt.
//
// The tasklet runs in softirq context, with interrupts ON. With plain
// spin_lock in it, the next interrupt comes in on the same hart while it
// copies the burst's second frame; the handler spins on ringlock, which
// the code it interrupted holds: deadlock (exit 126). spin_lock_bh
// (firmware.params.use_bh = 1) is no better: it keeps other bottom halves
// off, not the interrupt.
//
// firmware.params.fixed = 1 makes the tasklet take ringlock with
// spin_lock_irqsave: an interrupt during the copy waits, pending, until the lock
// is dropped. Every frame is processed, none dropped.
// spinlab only: on QEMU the deadlocking runs just hang.

#include "defs.h"
#include "riscv.h"
#include "../lib/intr.h"
#include "kernel.h"

#define NFRAMES   8       // the run ends when the tasklet has processed this many
#define RING      4       // frames the ring holds; more are dropped
#define BURST     2       // frames that arrive together, on every second interrupt
#define INTERVAL  1000    // mtime ticks between interrupts (10 000 cycles)
#define COPY      4000    // cycles the tasklet holds ringlock per frame
#define WORK      2000    // cycles it then processes the frame, lock dropped

FIRMWARE_PARAM(fixed, 0);
FIRMWARE_PARAM(use_bh, 0);

struct spinlock ringlock = SPINLOCK_INIT("ringlock");
static uint32 head, tail, dropped;       // the ring; under ringlock
static volatile uint32 processed, frames, interrupts;  // the tasklet's and the handler's counts

// The bottom half: every frame in the ring, one at a time.
static void rx_tasklet_fn(unsigned long data)
{
  uint32 flags = 0;
  (void)data;
  for (;;) {
    if (fixed)
      spin_lock_irqsave(&ringlock, &flags);
    else if (use_bh)
      spin_lock_bh(&ringlock);     // BUG: softirqs off, the interrupt still comes
    else
      spin_lock(&ringlock);        // BUG: the handler takes ringlock too
    int empty = head == tail;
    if (!empty) {
      busy_wait(COPY);             // copy the frame out of the ring
      tail++;
    }
    if (fixed)
      spin_unlock_irqrestore(&ringlock, flags);
    else if (use_bh)
      spin_unlock_bh(&ringlock);
    else
      spin_unlock(&ringlock);
    if (empty)
      return;
    busy_wait(WORK);               // the protocol's work, no lock needed
    processed++;
  }
}

DECLARE_TASKLET(rx_tasklet, rx_tasklet_fn, 0);

// The top half: interrupts are off in here, and plain spin_lock is right.
static void rx_intr(void)
{
  uint32 burst = interrupts++ % 2 == 0 ? BURST : 0;

  clockintr();
  spin_lock(&ringlock);
  for (uint32 i = 0; i < burst; i++) {
    if (head - tail < RING)
      head++;
    else
      dropped++;
  }
  spin_unlock(&ringlock);
  frames += burst;
  if (burst)
    tasklet_schedule(&rx_tasklet);
}

int main(int hartid)
{
  if (hartid != 0)
    park();
  trap_init();
  intr_set_handler(IRQ_TIMER, rx_intr);
  timer_start(r_time64() + INTERVAL, INTERVAL);
  printf("bh-irq-lock: the tasklet takes ringlock with %s\n",
         fixed ? "spin_lock_irqsave" : use_bh ? "spin_lock_bh" : "spin_lock");
  intr_wait(&processed, NFRAMES);  // interrupts on; the bottom half does the work
  printf("bh-irq-lock: done: %d interrupts, %d frames arrived, %d processed, %d dropped\n", interrupts, frames,
         processed, dropped);
  return 0;
}
