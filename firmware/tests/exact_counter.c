// The verdict of amo_counter and lrsc_counter: increments that are atomic
// themselves lose nothing, so the counter ends at exactly harts * K and every
// value 0 .. harts * K - 1 was read by exactly one increment, in increasing
// order on each hart.

#include "defs.h"
#include "check.h"
#include "counter.h"

int count_exactly(int hartid, const char *name, increment_fn inc)
{
  struct count_result r;

  count_on_all_harts(hartid, inc, 1, &r);
  printf("%s: %d harts x %d increments\n", name, r.harts, COUNTER_K);
  group(name);
  check(r.harts >= 1 && r.harts <= COUNTER_MAX_HARTS, 1);
  check(r.final, r.harts * COUNTER_K);
  check(r.seen_twice, 0);
  check(r.missing, 0);
  check(r.not_increasing, 0);
  group_end();
  return all_passed();
}
