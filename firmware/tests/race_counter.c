// race_counter: every hart adds 1 to one shared counter K times with a
// plain lw, addi, sw, and some other work of varying length in between.
// Two harts can read the same value and both write it plus one: an
// increment is lost. On spinlab the harts really run at once,
// so with two or more harts the counter ends below harts * K -- and, the
// machine being deterministic, at the same value every run (tests/e2e
// checks the exact value).
//
// Prints the final value and exits 0 only if updates were lost (1 if none
// were). Spinlab only: QEMU runs one hart at a time, and loses nothing.

#include "defs.h"
#include "riscv.h"
#include "counter.h"

// Work between increments whose length varies from one to the next, as
// real work does: 1 to 8 turns of an ALU loop, chosen by a per-hart
// xorshift generator. Without it the harts' identical loops fall into
// lock-step, where an increment is lost either every time or never,
// depending only on the phase they happened to start in.
static uint32 seed[COUNTER_MAX_HARTS];

static void other_work(void)
{
  uint32 *x = &seed[r_mhartid() % COUNTER_MAX_HARTS];

  if (*x == 0)
    *x = 0x9e3779b9u * (r_mhartid() + 1);
  *x ^= *x << 13;
  *x ^= *x >> 17;
  *x ^= *x << 5;
  uint32 n = (*x & 7) + 1;
  asm volatile("1: addi %0, %0, -1\n"
               "   bnez %0, 1b"
               : "+r"(n));
}

static uint32 plain_increment(uint32 *counter)
{
  uint32 old, tmp;
  asm volatile("lw   %0, 0(%2)\n"
               "addi %1, %0, 1\n"
               "sw   %1, 0(%2)"
               : "=&r"(old), "=&r"(tmp) : "r"(counter) : "memory");
  other_work();
  return old;
}

int main(int hartid)
{
  struct count_result r;

  count_on_all_harts(hartid, plain_increment, 0, &r);
  uint32 want = r.harts * COUNTER_K;
  printf("race_counter: %d harts x %d increments: final value %d, %d lost\n",
         r.harts, COUNTER_K, r.final, want - r.final);
  for (int h = 0; h < r.harts && h < COUNTER_MAX_HARTS; h++)
    printf("  hart %d: increments from cycle %d to %d\n", h, counter_began[h], counter_ended[h]);
  if (r.final >= want) {
    printf("FAIL: no update was lost\n");
    return 1;
  }
  return 0;
}
