/* A sense-reversing barrier, as the riscv-tests benchmarks' barrier() is
 * made: each arrival adds 1 to the count with amoadd; the last one stores 0
 * to the count and flips the sense flag with a plain store; the others spin
 * reading the flag. The count and the flag sit side by side, as a two-word
 * ticket lock's `next` and `owner` do, and the harts arrive at different
 * times: the monitor must see data here, and no lock. */
#include "mon.h"

#define ROUNDS 12

struct rendezvous {
  volatile uint32 arrived;
  volatile uint32 phase;
};

struct rendezvous meet;
volatile uint32 my_phase[4];  /* each hart's sense */
volatile uint32 laps[4];      /* rounds each hart has started */
volatile uint32 broken;

__attribute__((noinline)) void rendezvous_wait(uint32 hart, uint32 n) {
  uint32 s = !my_phase[hart];
  my_phase[hart] = s;
  if (__atomic_fetch_add(&meet.arrived, 1, __ATOMIC_ACQ_REL) == n - 1) {
    meet.arrived = 0; /* the last arrival resets the count... */
    meet.phase = s;   /* ...and lets the others go */
  } else {
    while (meet.phase != s) {
    }
  }
}

void trap(uint32 mcause) { finish(3); }

int main(uint32 hart) {
  uint32 n = all_start(hart);
  for (uint32 round = 1; round <= ROUNDS; round++) {
    delay(40 * hart + 25 * (round % 3)); /* arrive at different times */
    laps[hart] = round;
    rendezvous_wait(hart, n);
    for (uint32 h = 0; h < n; h++)
      if (laps[h] < round) broken = 1; /* someone left before all arrived */
  }
  rendezvous_wait(hart, n); /* everyone has checked */
  if (hart != 0)
    for (;;) wfi();
  return broken ? 1 : 0;
}
