/* A ticket lock of two words, as textbooks draw it: a hart takes a ticket
 * with amoadd on `next` and waits until `owner` shows it; the holder lets
 * the next one in by adding 1 to `owner`, with a load and a store on even
 * rounds and with amoadd on odd ones. No test-and-set anywhere: the monitor
 * has to find the lock from its tickets. Hart 0 ends the run when every hart
 * has done its rounds; the exit code says whether an update was lost. */
#include "mon.h"

#define ROUNDS 50

struct ticketlock {
  volatile uint32 next;
  volatile uint32 owner;
};

struct ticketlock print_queue;
volatile uint32 pages; /* guarded by print_queue */

__attribute__((noinline)) void queue_enter(struct ticketlock *q) {
  uint32 ticket = __atomic_fetch_add(&q->next, 1, __ATOMIC_ACQUIRE);
  while (q->owner != ticket) {
  }
}

__attribute__((noinline)) void queue_leave(struct ticketlock *q, uint32 round) {
  if (round & 1)
    __atomic_fetch_add(&q->owner, 1, __ATOMIC_RELEASE);
  else
    q->owner = q->owner + 1;
}

void trap(uint32 mcause) { finish(3); }

int main(uint32 hart) {
  uint32 n = all_start(hart);
  for (uint32 round = 0; round < ROUNDS; round++) {
    queue_enter(&print_queue);
    pages = pages + 1;
    delay(10);
    queue_leave(&print_queue, round);
    delay(5 * hart);
  }
  all_done(hart);
  return pages == n * ROUNDS ? 0 : 1;
}
