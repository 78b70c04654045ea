/* The CLINT driver (clint.c): software interrupts between harts and the
 * machine timer, at the addresses in memmap.h. Declared here rather than in
 * defs.h until the library's header is reorganised. */
#ifndef CLINT_H
#define CLINT_H

#include "types.h"

void clint_send_ipi(int hart);                 /* msip[hart] = 1 */
void clint_clear_ipi(int hart);                /* msip[hart] = 0 */
uint32 clint_ipi_pending(int hart);            /* reads msip[hart] */
void clint_set_timer(int hart, uint64 when);   /* MTIP once mtime >= when */
void clint_disarm_timer(int hart);             /* mtimecmp = all ones: never */
int clint_harts(void);                         /* how many harts the machine has */

/* Waiting for other harts without spinning (QEMU's icount runs one hart at a
 * time, so a spinning hart starves the one it waits for). */
void ipi_wait(volatile uint32 *counter, uint32 n);
void count_and_wake(volatile uint32 *counter, int hart);

#endif
