/* Two threads of one hart and a timer tick. By default the tick preempts:
 * its handler acknowledges the timer (mtimecmp), then hops to the other
 * thread on the way out; each thread takes `count_lock` with interrupts
 * off (irqsave), so it is never switched out holding it. No finding.
 * -DSLEEPY: the handler hops before it acknowledges the timer
 * (sleep-in-interrupt), to the spinner that main met first by a hop of
 * its own (before that, an unknown stack in a handler that has not
 * acknowledged its device is taken for an interrupt stack). -DIRQSTACK: the handler runs on a stack of its own
 * (csrrw sp, mscratch, sp) and takes `count_lock` there, and the threads
 * hop of their own accord: neither is a switch between threads. */
#include "hop.h"

uint32 count_lock;
volatile uint32 count, ticks;
uint32 main_sp, spinner_sp;
uint32 *current_sp = &main_sp; /* where the running thread's sp is saved */
uint32 spinner_stack[256];
uint32 irq_stack[256];

__attribute__((noinline)) uint32 lock_irqsave(volatile uint32 *lk) {
  uint32 on = intr_save();
  while (__atomic_exchange_n(lk, 1, __ATOMIC_ACQUIRE)) {
  }
  return on;
}

__attribute__((noinline)) void unlock_irqrestore(volatile uint32 *lk, uint32 on) {
  __atomic_store_n(lk, 0, __ATOMIC_RELEASE);
  intr_restore(on);
}

__attribute__((noinline)) void bump(void) {
  uint32 on = lock_irqsave(&count_lock);
  count++;
  unlock_irqrestore(&count_lock, on);
}

/* Hop from the running thread to the other one. */
__attribute__((noinline)) void other(void) {
  uint32 *save = current_sp;
  current_sp = save == &main_sp ? &spinner_sp : &main_sp;
  hop(save, *current_sp);
}

/* The same from a handler: the trap entry keeps no mepc, so the handler
 * keeps its own across the hop (the other thread takes traps meanwhile). */
__attribute__((noinline)) void other_from_handler(void) {
  uint32 epc;
  asm volatile("csrr %0, mepc" : "=r"(epc));
  other();
  asm volatile("csrw mepc, %0" : : "r"(epc));
}

#ifdef IRQSTACK
/* The trap entry on the interrupt stack: mscratch holds its top. */
void irq_entry(void);
asm(".text\n"
    ".balign 4\n"
    ".globl irq_entry\n"
    "irq_entry:\n"
    "  csrrw sp, mscratch, sp\n"
    "  addi sp, sp, -64\n"
    "  sw ra, 0(sp)\n  sw t0, 4(sp)\n  sw t1, 8(sp)\n  sw t2, 12(sp)\n  sw a0, 16(sp)\n  sw a1, 20(sp)\n"
    "  sw a2, 24(sp)\n  sw a3, 28(sp)\n  sw a4, 32(sp)\n  sw a5, 36(sp)\n  sw a6, 40(sp)\n  sw a7, 44(sp)\n"
    "  sw t3, 48(sp)\n  sw t4, 52(sp)\n  sw t5, 56(sp)\n  sw t6, 60(sp)\n"
    "  csrr a0, mcause\n"
    "  call trap\n"
    "  lw ra, 0(sp)\n  lw t0, 4(sp)\n  lw t1, 8(sp)\n  lw t2, 12(sp)\n  lw a0, 16(sp)\n  lw a1, 20(sp)\n"
    "  lw a2, 24(sp)\n  lw a3, 28(sp)\n  lw a4, 32(sp)\n  lw a5, 36(sp)\n  lw a6, 40(sp)\n  lw a7, 44(sp)\n"
    "  lw t3, 48(sp)\n  lw t4, 52(sp)\n  lw t5, 56(sp)\n  lw t6, 60(sp)\n"
    "  addi sp, sp, 64\n"
    "  csrrw sp, mscratch, sp\n"
    "  mret\n");
#endif

__attribute__((noinline)) void tick(void) {
  ticks++;
#ifdef IRQSTACK
  bump(); /* on the interrupt stack, for the interrupted thread */
  set_timer(0, 300);
#elif defined(SLEEPY)
  other_from_handler(); /* the handler sleeps: the timer is not acknowledged yet */
  set_timer(0, 300);
#else
  set_timer(0, 300);
  other_from_handler(); /* preempted on the way out */
#endif
}

void trap(uint32 mcause) {
  if (mcause == MCAUSE_TIMER)
    tick();
  else
    finish(3);
}

void spinner(void) {
  for (;;) {
    intr_on(); /* begun or resumed from a tick's handler, with interrupts off */
    bump();
#ifdef IRQSTACK
    other();
#elif defined(SLEEPY)
    if (ticks == 0) other();
#endif
  }
}

int main(uint32 hart) {
  spinner_sp = hop_stack(spinner_stack + 256, spinner);
#ifdef IRQSTACK
  asm volatile("csrw mscratch, %0" : : "r"(irq_stack + 256));
  asm volatile("csrw mtvec, %0" : : "r"(irq_entry));
#elif defined(SLEEPY)
  other(); /* the spinner begins, and hops back */
#endif
  set_timer(hart, 300);
  enable_irqs(MIE_MTIE);
  intr_on();
  while (ticks < 12) {
    bump();
#ifdef IRQSTACK
    other();
#endif
  }
  intr_off();
  return count > 0 ? 0 : 1;
}
