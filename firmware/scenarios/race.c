// 01-race (docs/lessons/01-race.md): every hart adds 1 to a shared counter
// K times, each time under naive_lock, a lock whose test and set are two
// separate bus accesses. Two harts can both find the lock free, both go in,
// both read the same counter and both write it plus one: an update is lost.
//
// Prints the expected and the final count; exits 1 when updates were lost
// (the race showed: a wrong count, as every scenario's firmware exits when
// its result is wrong), 0 when none were. spinlab only: QEMU runs one hart
// at a time and never lets two into the lock together.

#include "defs.h"
#include "kernel.h"
#include "harts.h"

#define K 1000    // increments per hart

static struct spinlock countlock = SPINLOCK_INIT("countlock");
static volatile uint32 counter;

static void count(void)
{
  for (int i = 0; i < K; i++) {
    naive_lock(&countlock);
    counter = counter + 1;   // lw, addi, sw: the critical section
    naive_unlock(&countlock);
  }
}

int main(int hartid)
{
  int n = on_every_hart(hartid, count);
  uint32 want = n * K;

  printf("race: %d harts x %d increments under naive_lock\n", n, K);
  printf("  expected %d, got %d: %d updates lost\n", want, counter, want - counter);
  for (int h = 0; h < n; h++)
    printf("  hart %d: %d failed attempts on countlock\n", h, getcpu(h)->attempts);
  return counter == want ? 0 : 1;
}
