// The shared counter experiment of amo_counter, lrsc_counter and
// race_counter (counter.c): every hart increments one shared counter K times
// with the program's increment, then hart 0 looks at what happened.

#ifndef COUNTER_H
#define COUNTER_H

#include "types.h"

#define COUNTER_K 1000        // increments per hart
#define COUNTER_MAX_HARTS 8

// Adds 1 to *counter; returns the value it read (the value before its own
// increment, as far as this hart could tell).
typedef uint32 (*increment_fn)(uint32 *counter);

struct count_result {
  int harts;                // harts that took part (the machine's harts)
  uint32 final;             // the counter at the end
  // Only when tracked: the values the increments read, over all harts.
  uint32 seen_twice;        // read by more than one increment
  uint32 missing;           // in 0 .. harts * K - 1 and read by none
  uint32 not_increasing;    // a hart read a value <= the one it read before
};

// Called by every hart from main. Harts other than 0 increment, report and
// park; hart 0 increments, waits for the others (asleep, woken by IPIs:
// nothing spins, so QEMU's one-hart-at-a-time icount mode is no obstacle)
// and returns the result. `track` records every value read, with AMOs (so
// it is for increments that are atomic themselves: it adds bus traffic
// between them).
// The cycle (mcycle) each hart began and ended its increments: for
// spinlab-only programs, which may print cycle counts.
extern uint32 counter_began[COUNTER_MAX_HARTS], counter_ended[COUNTER_MAX_HARTS];

void count_on_all_harts(int hartid, increment_fn inc, int track, struct count_result *r);

// exact_counter.c: runs the experiment with an atomic increment, tracked,
// prints "NAME: N harts x K increments" and checks that nothing was lost;
// main's return value.
int count_exactly(int hartid, const char *name, increment_fn inc);

#endif
