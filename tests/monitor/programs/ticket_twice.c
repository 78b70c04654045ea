/* A second release of a ticket lock, of each layout: owner + 1 while nobody
 * holds it (the turn of a ticket nobody has taken yet). Three rounds of
 * take and give first, so that both are known as locks. */
#include "mon.h"

struct ticketlock {
  volatile uint32 next;
  volatile uint32 owner;
};

struct ticketlock door;
volatile uint32 gate; /* Linux's layout: next << 16 | owner */

__attribute__((noinline)) void door_take(void) {
  uint32 ticket = __atomic_fetch_add(&door.next, 1, __ATOMIC_SEQ_CST);
  while (door.owner != ticket) {
  }
}

__attribute__((noinline)) void door_give(void) { door.owner = door.owner + 1; }

__attribute__((noinline)) void gate_take(void) {
  uint32 val = __atomic_fetch_add(&gate, 1u << 16, __ATOMIC_SEQ_CST);
  while ((val & 0xffff) != (val >> 16)) val = (val & 0xffff0000u) | (gate & 0xffff);
}

__attribute__((noinline)) void gate_give(void) { *(volatile unsigned short *)&gate = (unsigned short)(gate + 1); }

void trap(uint32 mcause) { finish(3); }

int main(uint32 hart) {
  if (hart != 0)
    for (;;) wfi();
  for (int i = 0; i < 3; i++) {
    door_take();
    door_give();
    gate_take();
    gate_give();
  }
  door_give(); /* the bug: released twice */
  gate_give();
  return 0;
}
