// amo_counter: every hart adds 1 to one shared counter K times with
// amoadd.w. An AMO is one indivisible read-modify-write (unprivileged spec,
// "A" extension): no increment is lost, so the counter ends at exactly
// harts * K, and the old values the AMOs return, over all harts, are 0, 1,
// ..., harts * K - 1, each exactly once.
//
// Runs on any number of harts up to 8. Nothing printed depends on timing:
// QEMU must print the same.

#include "defs.h"
#include "check.h"
#include "counter.h"

static uint32 amoadd_increment(uint32 *counter)
{
  uint32 old;
  asm volatile("amoadd.w %0, %2, (%1)" : "=r"(old) : "r"(counter), "r"(1) : "memory");
  return old;
}

int main(int hartid)
{
  return count_exactly(hartid, "amo_counter", amoadd_increment);
}
