// 02-test-and-set (docs/lessons/02-test-and-set.md): the counter of 01-race,
// under spin_lock. The amoswap reads the old value and writes 1 in one bus
// transaction, so exactly one hart sees 0: none is lost. The harts that
// find it held spin, each attempt another amoswap on the bus.
//
// Prints the count and each hart's failed attempts; exits 0 when the count
// is exact. Runs on QEMU too (the count is exact there; the failed attempts differ).

#include "defs.h"
#include "kernel.h"
#include "harts.h"

#define K 1000    // increments per hart

static struct spinlock countlock = SPINLOCK_INIT("countlock");
static volatile uint32 counter;

static void count(void)
{
  for (int i = 0; i < K; i++) {
    spin_lock(&countlock);
    counter = counter + 1;   // lw, addi, sw: now no other hart is in here
    spin_unlock(&countlock);
  }
}

int main(int hartid)
{
  int n = on_every_hart(hartid, count);
  uint32 want = n * K;

  printf("test-and-set: %d harts x %d increments under spin_lock\n", n, K);
  printf("  expected %d, got %d: %d updates lost\n", want, counter, want - counter);
  for (int h = 0; h < n; h++)
    printf("  hart %d: %d failed attempts\n", h, getcpu(h)->attempts);
  return counter == want ? 0 : 1;
}
