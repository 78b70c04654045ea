// Traps and the timer tick. kernelvec.S saves the interrupted code's
// registers and calls kerneltrap(), which hands interrupts by mcause to
// lib/intr.c's dispatch table: the timer to clockintr(), software
// interrupts (IPIs) to swintr(), external ones (the PLIC) to devintr().

#include "defs.h"
#include "riscv.h"
#include "clint.h"
#include "plic.h"
#include "intr.h"
#include "kernel.h"
#include "frame.h"

extern char kernelvec[];

// lib/intr.c's dispatch by mcause to the handlers intr_set_handler() set.
// intr.h does not declare it (its own caller is intrvec.S).
void intr_dispatch(uint32 mcause, uint32 mepc);

// The xv6 tick: a count of timer interrupts, read and written under
// tickslock by threads and by the timer handler alike.
struct spinlock tickslock = SPINLOCK_INIT("tickslock");
volatile uint32 ticks;

// kernelvec.S builds the frame in FRAME = 144 bytes, x1..x31 first.
_Static_assert(sizeof(struct trapframe) <= 144, "kernelvec.S: FRAME too small");
_Static_assert(__builtin_offsetof(struct trapframe, t6) == 30 * 4, "kernelvec.S: x31 not at 120");
_Static_assert(__builtin_offsetof(struct trapframe, mepc) == TF_MEPC, "frame.h: TF_MEPC");
_Static_assert(__builtin_offsetof(struct trapframe, mstatus) == TF_MSTATUS, "frame.h: TF_MSTATUS");

static void swintr(void);
static void devintr(void);

// Called by each hart for itself, before it enables any interrupt.
void trap_init(void)
{
  intr_set_handler(IRQ_TIMER, clockintr);
  intr_set_handler(IRQ_SOFTWARE, swintr);
  intr_set_handler(IRQ_EXTERNAL, devintr);
  w_mtvec((uint32)kernelvec | MTVEC_DIRECT);
}

static void dump(struct trapframe *tf)
{
  printf("trap on hart %d: mcause %08x mepc %08x mtval %08x mstatus %08x\n",
         r_mhartid(), tf->mcause, tf->mepc, tf->mtval, tf->mstatus);
  printf("  ra %08x sp %08x a0 %08x a1 %08x s0 %08x\n", tf->ra, tf->sp, tf->a0, tf->a1, tf->s0);
}

// The mie bit of a core-local interrupt's own source: the timer's and the
// IPI's are masked while their handler runs (the PLIC's sources are kept
// out by its threshold instead, in devintr).
static uint32 own_source(uint32 mcause)
{
  switch (mcause & ~MCAUSE_INTR) {
  case IRQ_TIMER:    return MIE_MTIE;
  case IRQ_SOFTWARE: return MIE_MSIE;
  default:           return 0;
  }
}

// An interrupt, from kerneltrap or usertrap: the handler runs between
// irq_enter and irq_exit (preempt_count's hardirq part), so that nothing
// it calls can switch threads unnoticed. It is entered with interrupts off
// and may turn them on (local_irq_enable) to let other sources in: its own
// is masked meanwhile, so it never nests with itself, and an interrupt that
// comes in nests on this hart's interrupt stack (cpu->nested, irq_depth 2,
// two HARDIRQ_OFFSETs). Linux has dropped that (IRQF_DISABLED is gone:
// every handler runs with interrupts off) but older kernels and most RTOSes
// allow it. It must return with them off again, as it found them.
void handle_interrupt(struct trapframe *tf)
{
  struct cpu *c = mycpu();
  uint32 own = own_source(tf->mcause) & r_mie();

  c->intrs++;
  c->last_epc = tf->mepc;
  if (own)
    w_mie(r_mie() & ~own);
  irq_enter();
  intr_dispatch(tf->mcause, tf->mepc);
  if (intr_get()) {
    printf("BUG: hart %d: a handler for mcause %08x returned with interrupts on\n",
           r_mhartid(), tf->mcause);
    panic("handle_interrupt: a handler did not leave interrupts as it found them");
  }
  if (own)
    w_mie(r_mie() | own);
  irq_exit();       // the pending softirqs, with interrupts on meanwhile
}

// The interrupt stacks: .stacks, as the boot stacks, not zeroed.
uint8 irq_stack[NHART][IRQ_STACK_SIZE] __attribute__((section(".stacks"), aligned(16)));

// kernelvec.S: fn(tf) with sp at `top`, then sp back where it was.
void call_on_irq_stack(struct trapframe *tf, void (*fn)(struct trapframe *), uint8 *top);

static int on_irq_stack(int hart)
{
  uint32 sp;

  asm volatile("mv %0, sp" : "=r"(sp));
  return sp - (uint32)irq_stack[hart] < IRQ_STACK_SIZE;
}

// Linux riscv's handle_riscv_irq with CONFIG_IRQ_STACKS: from a thread's
// (or boot code's) stack, the handling moves to this hart's interrupt stack;
// a trap taken during it -- while the softirqs run with interrupts on, or in
// a handler that let another source in -- is already there, stays there,
// and counts as nested. The thread's stack then needs room for one
// trapframe and a few words per trap, not for every handler.
//
// A handler that slept (a bug the kernel reports but survives, as
// scenarios/irq_sleep.c shows) left its frames on the interrupt stack:
// irq_stack_busy stays set until it returns, and meanwhile this hart's
// other traps run on their own thread's stack instead of over them. (Linux
// has no such fallback: there the sleep is the end.)
void do_irq(struct trapframe *tf)
{
  int me = r_mhartid();
  struct cpu *c = mycpu();

  if (on_irq_stack(me)) {
    c->nested++;
    handle_interrupt(tf);
  } else if (c->irq_stack_busy) {
    handle_interrupt(tf);
  } else {
    c->irq_stack_busy = 1;
    call_on_irq_stack(tf, handle_interrupt, irq_stack[me] + IRQ_STACK_SIZE);
    c->irq_stack_busy = 0;
  }
}

// From kernelvec, with interrupts off. A handler that turns them on lets
// other sources in, never its own (handle_interrupt, devintr): one entered
// again before it finishes would spin on the locks its first run holds.
// The softirqs at irq_exit run with them on too; kernelvec puts this trap's
// own mepc and mstatus back before its mret, whatever ran meanwhile.
void kerneltrap(struct trapframe *tf)
{
  tf->mepc = r_mepc();
  tf->mcause = r_mcause();
  tf->mtval = r_mtval();
  tf->mstatus = r_mstatus();
  if ((tf->mcause & MCAUSE_INTR) == 0) {
    dump(tf);
    panic("kerneltrap: exception");
  }
  do_irq(tf);
  if (mycpu()->current) {
    // Preemption point 2, only now: the device is acknowledged (mtimecmp
    // rewritten, msip cleared, the PLIC completed) and irq_exit has run.
    preempt_schedule_irq();
  }
}

// Arms this hart's timer: the first tick at mtime `first`, then one every
// `interval` mtime ticks (0: only the first). Enables the timer interrupt
// in mie; whether it is taken is still up to mstatus.MIE.
void timer_start(uint64 first, uint32 interval)
{
  struct cpu *c = mycpu();

  c->timer_next = first;
  c->timer_interval = interval;
  clint_set_timer(r_mhartid(), first);
  w_mie(r_mie() | MIE_MTIE);
}

static void timer_rearm(struct cpu *c)
{
  if (c->timer_interval == 0) {
    clint_disarm_timer(r_mhartid());
    return;
  }
  c->timer_next += c->timer_interval;
  clint_set_timer(r_mhartid(), c->timer_next);
}

// The timer handler. Like every interrupt handler, it cannot sleep and
// cannot wait for the code it interrupted: if tickslock is held, all it
// can do is spin. When the holder is that interrupted code, on this same
// hart, it cannot run again until the handler returns, and the handler
// cannot return until it has the lock: deadlock. So every other holder of
// tickslock takes it with this hart's interrupts off (spin_lock_irqsave,
// acquire); in here they are off already, and spin_lock is right.
void clockintr(void)
{
  struct cpu *c = mycpu();

  spin_lock(&tickslock);
  ticks++;
  spin_unlock(&tickslock);
  c->ticks++;
  timer_rearm(c);
  sched_tick();      // the time slice is over (with threads running)
}

// A software interrupt (an IPI from another hart): acknowledge it.
static void swintr(void)
{
  clint_clear_ipi(r_mhartid());
}

// Device handlers by PLIC source (request_irq). One table for all harts:
// a source is enabled on the hart that requested it only. In .data, not
// .bss: zeroing it at start-up would cost every program cycles it does not
// use (sched.c's thread tables do the same).
#define NIRQ 32
static void (*irq_handlers[NIRQ])(void) __attribute__((section(".data.irq_handlers")));
static uint8 irq_prio[NIRQ] __attribute__((section(".data.irq_handlers")));
// Each hart's PLIC threshold: 0, or the priority of the source whose
// handler runs (devintr).
static uint8 plic_threshold[NHART] __attribute__((section(".data.irq_handlers")));

void request_irq(uint32 source, void (*handler)(void))
{
  request_irq_prio(source, handler, 1);
}

void request_irq_prio(uint32 source, void (*handler)(void), uint32 priority)
{
  int me = r_mhartid();

  if (source == 0 || source >= NIRQ)
    panic("request_irq: no such source");
  if (priority < 1 || priority > 7)
    panic("request_irq_prio: priority not in 1..7");
  irq_handlers[source] = handler;
  irq_prio[source] = priority;
  plic_set_priority(source, priority);
  plic_enable(me, source);
  w_mie(r_mie() | MIE_MEIE);
}

// An external interrupt, as Linux's handle_fasteoi_irq: claim the source,
// run its device's handler, then complete it. The completion comes after
// the handler, so the PLIC delivers the source again only once its handler
// is done; a source without a handler is just given back.
//
// While the handler runs, this hart's PLIC threshold is the source's
// priority: if the handler turns interrupts on, only a source of higher
// priority gets in (the PLIC delivers priority > threshold), never this one
// or its equals. The threshold comes back after the completion, with
// interrupts off again.
static void devintr(void)
{
  int me = r_mhartid();
  uint32 source = plic_claim(me);

  if (source == 0)
    return;
  if (source < NIRQ && irq_handlers[source]) {
    uint32 old = plic_threshold[me];
    plic_threshold[me] = irq_prio[source];
    plic_set_threshold(me, irq_prio[source]);
    irq_handlers[source]();
    plic_complete(me, source);
    plic_threshold[me] = old;
    plic_set_threshold(me, old);
    return;
  }
  plic_complete(me, source);
}
