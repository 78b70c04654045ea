// lrsc_counter: every hart adds 1 to one shared counter K times with an
// lr.w/sc.w retry loop. sc.w writes only if no other hart wrote the word
// since this hart's lr.w (unprivileged spec, "A" extension, LR/SC); when it
// fails the loop reads again. So no increment is lost: the counter ends at
// exactly harts * K, and the values the successful lr.w's read, over all
// harts, are 0, 1, ..., harts * K - 1, each exactly once.
//
// Runs on any number of harts up to 8. Nothing printed depends on timing
// (not even how often sc.w failed): QEMU must print the same.

#include "defs.h"
#include "check.h"
#include "counter.h"

static uint32 lrsc_increment(uint32 *counter)
{
  uint32 old, failed;
  asm volatile("1: lr.w    %0, (%2)\n"
               "   addi    %1, %0, 1\n"
               "   sc.w    %1, %1, (%2)\n"
               "   bnez    %1, 1b"
               : "=&r"(old), "=&r"(failed) : "r"(counter) : "memory");
  return old;
}

int main(int hartid)
{
  return count_exactly(hartid, "lrsc_counter", lrsc_increment);
}
