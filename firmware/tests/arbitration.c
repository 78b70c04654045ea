// arbitration: every hart hammers the bus for the same stretch of time (an
// amoadd.w to one shared word and a sw to its own, four times a turn), then hart 0
// prints how many turns of the loop each hart made. The bus serves one
// access at a time, so who gets it when several ask decides the counts:
//   machine.arbitration = "round_robin": turns for everyone, the counts are
//       within a few percent of each other;
//   machine.arbitration = "fixed_priority": the lowest hart number always
//       wins, and the highest-numbered harts starve.
// tests/e2e runs it both ways and compares the counts (and the summary's
// "cycles waiting for the bus"). Spinlab only: the counts are timing.

#include "defs.h"
#include "riscv.h"
#include "../lib/clint.h"

#define MAX_HARTS 8
// The stretch, in mtime ticks (10 cycles each by default): all harts have
// reached main long before START.
#define START 1000
#define END   (START + 2000)

static uint32 shared;
static uint32 own[MAX_HARTS];
static uint32 turns[MAX_HARTS];
static uint32 began[MAX_HARTS];   // mtime when the hart began hammering
static uint32 done;

// Spins on the time CSR, which is not a bus access, until mtime >= t.
static void wait_until(uint32 t)
{
  while (r_time() < t)
    ;
}

// Turns of the loop until mtime >= END: four times amoadd.w shared += 1
// and sw the turn number to this hart's own word. Eight bus accesses of 2
// cycles each (1 to issue, 1 on the bus) and 4 cycles of other
// instructions: the bus is busy 8 of the 20 cycles of a turn, so from 3
// harts on it is the bottleneck.
static uint32 hammer(int hartid)
{
  uint32 n = 0, t;
  asm volatile("1: amoadd.w zero, %3, (%2)\n"
               "   sw       %0, 0(%4)\n"
               "   amoadd.w zero, %3, (%2)\n"
               "   sw       %0, 0(%4)\n"
               "   amoadd.w zero, %3, (%2)\n"
               "   sw       %0, 0(%4)\n"
               "   amoadd.w zero, %3, (%2)\n"
               "   sw       %0, 0(%4)\n"
               "   addi     %0, %0, 1\n"
               "   csrr     %1, time\n"
               "   bltu     %1, %5, 1b"
               : "+r"(n), "=&r"(t)
               : "r"(&shared), "r"(1), "r"(&own[hartid]), "r"(END)
               : "memory");
  return n;
}

static void run(int hartid)
{
  wait_until(START);
  began[hartid] = r_time();
  turns[hartid] = hammer(hartid);
}

int main(int hartid)
{
  if (hartid >= MAX_HARTS)
    park();
  if (hartid != 0) {
    run(hartid);
    count_and_wake(&done, 0);
    park();
  }

  int n = clint_harts();
  if (n > MAX_HARTS)
    n = MAX_HARTS;
  run(0);
  ipi_wait(&done, n - 1);

  uint32 total = 0, late = 0;
  for (int h = 0; h < n; h++) {
    printf("hart %d: %d turns\n", h, turns[h]);
    total += turns[h];
    late += began[h] > START + 1;   // a tick late at most: the spin's last turn
  }
  printf("total: %d turns, shared word %d\n", total, shared);
  if (shared != 4 * total) {
    printf("FAIL: the shared word is not four times the sum of the turns\n");
    return 2;
  }
  if (late) {
    printf("FAIL: %d harts began after mtime %d\n", late, START + 1);
    return 1;
  }
  return 0;
}
