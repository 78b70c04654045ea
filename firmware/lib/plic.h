/* The PLIC driver (plic.c), for the machine-mode context of each hart.
 * Declared here rather than in defs.h until the library's header is
 * reorganised. */
#ifndef PLIC_H
#define PLIC_H

#include "types.h"

void plic_set_priority(int source, uint32 priority);  /* 0: never delivered */
uint32 plic_priority(int source);
void plic_enable(int hart, int source);
void plic_disable(int hart, int source);
void plic_set_threshold(int hart, uint32 threshold);  /* deliver only priority > threshold */
uint32 plic_pending(int source);                      /* the pending bit, 0 or 1 */
uint32 plic_claim(int hart);                          /* the best pending source, or 0 */
void plic_complete(int hart, uint32 source);

#endif
