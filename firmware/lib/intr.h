/* Interrupt handlers in C (intr.c, intrvec.S): intr_install() points mtvec
 * at intrvec, which saves the caller-saved registers and calls the handler
 * set for the interrupt (IRQ_SOFTWARE, IRQ_TIMER, IRQ_EXTERNAL: the mcause
 * codes). An exception, or an interrupt without a handler, panics. Declared
 * here rather than in defs.h until the library's header is reorganised. */
#ifndef INTR_H
#define INTR_H

#include "types.h"

#define IRQ_SOFTWARE  3
#define IRQ_TIMER     7
#define IRQ_EXTERNAL  11

void intr_install(void);                         /* mtvec = intrvec, direct mode */
void intr_set_handler(int irq, void (*handler)(void));

/* Sleeps until *flag >= n, taking interrupts: their handlers move *flag.
 * MIE is off around the look at *flag and the wfi, so that an interrupt
 * cannot come between them and leave the hart asleep for good; wfi wakes
 * with MIE off, and the interrupt is taken when MIE goes back on. */
void intr_wait(volatile uint32 *flag, uint32 n);

#endif
