// A first spinlab exercise: two harts add 1 to one shared counter, K times
// each, under a spinlock you finish writing (docs/kit.md).
//
//   make && spinlab run @NAME@.toml
//
// As handed out, my_lock() is broken: its test (a load) and its set (a
// store) are two bus transactions. Both harts can load 0 before either
// stores 1; both go in, both read the same counter, both write it plus one,
// and an update is lost. The run prints how many, and exits 1.
//
// TODO 1: make the test and the set one step that no other hart can come
//   between. RV32A's amoswap.w writes a word and returns its old value in one
//   bus transaction; in C, __atomic_exchange_n(lock, 1, __ATOMIC_ACQUIRE).
//   Done when the run says "no update lost" and exits 0.
// TODO 2: release the lock so that the counter's store is seen before the
//   lock is free on any memory model: __atomic_store_n(lock, 0, __ATOMIC_RELEASE).
// TODO 3: read the lock monitor's table that `spinlab run` prints after the
//   run: which lock does it name, and how often did each hart wait for it?
//   `spinlab run @NAME@.toml --narrate` shows every acquire as it happens.
// TODO 4 (harder): test-and-test-and-set: wait with plain loads while the
//   lock is held, and swap only when it looked free. Compare the summary's
//   bus transactions and cycles before and after. On a machine with caches
//   the loads would stay in the waiter's cache; spinlab has none (its
//   docs/machine.md): what changes, then? `--vcd @NAME@.vcd` shows the bus.

#include "defs.h"    // printf, the console
#include "harts.h"   // on_every_hart

#define K 1000    // increments per hart

static volatile uint32 lock;      // 0: free, 1: held
static volatile uint32 counter;   // the shared data the lock protects

static void my_lock(volatile uint32 *l)
{
  while (*l != 0)   // test...
    ;
  *l = 1;           // ...then set: another hart may be past its test by now
}

static void my_unlock(volatile uint32 *l)
{
  *l = 0;
}

static void count(void)
{
  for (int i = 0; i < K; i++) {
    my_lock(&lock);
    counter = counter + 1;   // lw, addi, sw: the critical section
    my_unlock(&lock);
  }
}

// Every hart starts here, at the same time. on_every_hart runs count() on
// each; hart 0 returns from it when all are done, the others stop there.
int main(int hartid)
{
  int n = on_every_hart(hartid, count);
  uint32 want = n * K;

  printf("@NAME@: %d harts x %d increments: expected %d, got %d: ", n, K, want, counter);
  if (counter == want) {
    printf("no update lost\n");
    return 0;
  }
  printf("%d updates lost\n", want - counter);
  return 1;
}
