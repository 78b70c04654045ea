// 21-nested-irq (docs/lessons/21-nested-irq.md): a device's interrupt
// interrupts the timer handler, the timer interrupt never nests with
// itself, and both handlers run on the hart's one interrupt stack.
//
// Hart 0 alone. Its timer ticks `nticks` times, every `interval` mtime
// ticks, and each tick's handler does `timer_work` cycles of work -- longer
// than the interval, so the timer is due again before its handler is done.
// With `nest` = 1 the handler does that work with interrupts on, as Linux's
// handlers may (local_irq_enable): the device (an [[irq_source]] on PLIC
// line 1, acknowledged at its ACK register, one event every `dev_period`
// cycles from `dev_first`) interrupts it, and the kernel keeps the timer
// itself out until the handler returns. With `nest` = 0 interrupts stay off
// in the handler, as in this kernel before, and the device waits.
//
// The device's handler measures each event's latency: from the cycle the
// device raised it (dev_first + k * dev_period, the k-th event: the config
// gives the device and these params the same numbers) to the handler's
// first look at the device. Both handlers record their stack pointer; hart 0
// prints where they were against irq_stack[0] and its own stack.
//
// spinlab only: the [[irq_source]] device is spinlab's.

#include "defs.h"
#include "riscv.h"
#include "memmap.h"
#include "../lib/clint.h"
#include "../lib/intr.h"
#include "kernel.h"

FIRMWARE_PARAM(nest, 1);            // 1: the timer handler works with interrupts on
FIRMWARE_PARAM(nticks, 6);          // timer interrupts in all
FIRMWARE_PARAM(interval, 1000);     // mtime ticks (10 cycles each) between ticks
FIRMWARE_PARAM(timer_work, 12000);  // cycles of work in each timer handler
FIRMWARE_PARAM(dev_first, 20000);   // the device's first event: irq_source first_cycle
FIRMWARE_PARAM(dev_period, 3100);   // cycles between its events: irq_source period_cycles
FIRMWARE_PARAM(dev_events, 40);     // its events in all: irq_source count

#define DEV_SOURCE 1                // the PLIC line of the config's [[irq_source]]
#define DEV_PRIORITY 2
#define DEV_REG(off) (*(volatile uint32 *)(IRQSRC_BASE + (off)))

static volatile uint32 in_timer;    // the timer handler is running (its depth)
static uint32 timer_nested;         // timer handlers entered inside a timer handler
static uint32 timer_held;           // times the timer was due again when its handler ended
static uint32 timer_runs;

static volatile uint32 handled;     // device events handled
static uint32 dev_runs, dev_in_timer, depth_max;
static uint32 latency_worst, latency_worst_event, latency_total;

// The lowest and highest sp each handler ran with.
struct sp_range {
  uint32 lo, hi;
};
static struct sp_range timer_sp = { ~0u, 0 }, dev_sp = { ~0u, 0 };

static inline uint32 r_sp(void)
{
  uint32 sp;
  asm volatile("mv %0, sp" : "=r"(sp));
  return sp;
}

static void note_sp(struct sp_range *r)
{
  uint32 sp = r_sp();

  if (sp < r->lo)
    r->lo = sp;
  if (sp > r->hi)
    r->hi = sp;
}

// The timer handler: its long work, then the kernel's tick (tickslock,
// ticks, and the re-arm of mtimecmp, which acknowledges the interrupt).
// Interrupts go on before the acknowledgement, as in a handler of a
// kernel that lets handlers nest: the timer is still pending, and only the
// kernel's masking of the running source keeps it from coming in again.
// The last tick disarms the timer instead of re-arming it.
static void tick(void)
{
  struct cpu *c = mycpu();

  if (in_timer)
    timer_nested++;
  in_timer++;
  timer_runs++;
  note_sp(&timer_sp);
  if (nest)
    local_irq_enable();   // for the other sources
  busy_wait(timer_work);
  if (nest)
    local_irq_disable();
  if (c->ticks + 1 >= nticks)
    c->timer_interval = 0;
  clockintr();
  if (r_mip() & MIE_MTIE)   // mip.MTIP, the same bit: the next tick is due already
    timer_held++;
  in_timer--;
}

// The device's handler: every event raised and not yet acknowledged, the
// oldest first, each with its latency (to the look at the device that
// found it; one raised while the handler runs is found in the same run).
static void dev_intr(void)
{
  struct cpu *c = mycpu();

  dev_runs++;
  if (in_timer)
    dev_in_timer++;
  if (c->irq_depth > depth_max)
    depth_max = c->irq_depth;
  note_sp(&dev_sp);
  for (;;) {
    uint32 now = r_cycle();
    if (DEV_REG(IRQSRC_STATUS) == 0)
      break;
    uint32 lat = now - (dev_first + handled * dev_period);
    if (lat > latency_worst) {
      latency_worst = lat;
      latency_worst_event = handled;
    }
    latency_total += lat;
    handled++;
    DEV_REG(IRQSRC_ACK) = 1;
  }
}

int main(int hartid)
{
  if (hartid != 0)
    park();
  trap_init();
  intr_set_handler(IRQ_TIMER, tick);
  request_irq_prio(DEV_SOURCE, dev_intr, DEV_PRIORITY);
  timer_start(r_time64() + interval, interval);
  uint32 my_sp = r_sp();
  intr_on();
  while (handled < dev_events)   // process context: nothing to do but be interrupted
    ;
  intr_off();

  struct cpu *c = mycpu();
  uint32 stack_lo = (uint32)irq_stack[0], stack_hi = stack_lo + IRQ_STACK_SIZE;
  printf("nested-irq: nest = %d: the timer handler works %d cycles with interrupts %s\n", nest, timer_work,
         nest ? "on (for other sources)" : "off");
  printf("nested-irq: %d timer interrupts; due again during its own handler %d times, nested in itself %d times\n",
         timer_runs, timer_held, timer_nested);
  printf("nested-irq: %d device events in %d handler runs, %d runs inside the timer handler (irq_depth up to %d)\n",
         handled, dev_runs, dev_in_timer, depth_max);
  printf("nested-irq: device latency: worst %d cycles (event %d), mean %d\n", latency_worst, latency_worst_event,
         latency_total / handled);
  printf("nested-irq: the hart took %d traps nested in a trap\n", c->nested);
  printf("nested-irq: irq_stack[0] 0x%x-0x%x; timer handler sp 0x%x-0x%x, device handler sp 0x%x-0x%x; "
         "process sp 0x%x\n",
         stack_lo, stack_hi, timer_sp.lo, timer_sp.hi, dev_sp.lo, dev_sp.hi, my_sp);
  int on_stack = timer_sp.lo >= stack_lo && timer_sp.hi < stack_hi && dev_sp.lo >= stack_lo && dev_sp.hi < stack_hi;
  printf("nested-irq: both handlers %s the interrupt stack\n", on_stack ? "ran on" : "did NOT run on");
  return timer_nested == 0 && on_stack ? 0 : 1;
}
