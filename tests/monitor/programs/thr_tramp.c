/* Threads begun in a start trampoline, as a kernel begins its threads
 * (kthread_start, xv6's forkret): every new stack first runs start_thread,
 * which asks a helper that returns (self) which thread it is and calls its
 * function, never to return. The monitor names them by that function: main
 * hops to ping, ping to pong, pong back to main, three rounds. */
#include "hop.h"

struct thr {
  uint32 sp;
  void (*fn)(void);
};
struct thr thr[3];  /* 0: main; 1: ping; 2: pong */
volatile uint32 cur;
volatile uint32 rounds, pings;
uint32 ping_stack[256], pong_stack[256];

__attribute__((noinline)) struct thr *self(void) { return &thr[cur]; }

__attribute__((noinline)) void go(uint32 from, uint32 to) {
  cur = to;
  hop(&thr[from].sp, thr[to].sp);
}

__attribute__((noinline)) void start_thread(void) {
  struct thr *t = self();
  t->fn();
}

void ping(void) {
  for (;;) {
    pings++;
    go(1, 2);
  }
}

void pong(void) {
  for (;;) {
    rounds++;
    go(2, 0);
  }
}

void trap(uint32 mcause) { finish(3); }

int main(uint32 hart) {
  thr[1].fn = ping;
  thr[2].fn = pong;
  thr[1].sp = hop_stack(ping_stack + 256, start_thread);
  thr[2].sp = hop_stack(pong_stack + 256, start_thread);
  for (int i = 0; i < 3; i++) go(0, 1);
  return rounds == 3 && pings == 3 ? 0 : 1;
}
