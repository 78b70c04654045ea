// plic_harts: the PLIC with two harts (configs/tests/plic_harts.toml). Each
// hart has its own machine-mode context (2h), with its own enables and
// threshold:
//   - "to_hart1" is enabled in hart 1's context only: hart 1 handles all
//     of its 10 events, hart 0 none;
//   - "shared" is enabled in both: both harts see MEIP and may both take the
//     interrupt, but a claim hands each event to exactly one hart -- the
//     other's claim returns 0 -- so the two harts' claims add up to 10.
// Spinlab only (interrupt source devices). How the shared events split
// between the harts is deterministic on spinlab and printed.

#include "memmap.h"
#include "defs.h"
#include "riscv.h"
#include "check.h"
#include "../lib/clint.h"
#include "../lib/plic.h"
#include "../lib/intr.h"

// The sources of configs/tests/plic_harts.toml, by index.
enum { TO_HART1, SHARED, NSOURCES };
#define LINE_TO_HART1 1   // 10 events from cycle 50000, "claim" ack
#define LINE_SHARED   2   // 10 events from cycle 200000, "register" ack
#define EVENTS 10

#define SRC_REG(i, r) (*(volatile uint32 *)(IRQSRC_BASE + IRQSRC_STRIDE * (i) + (r)))

static uint32 claims[2][3];       // [hart][line]: claims that returned the line
static uint32 empty_claims[2];    // claims that returned 0 (another hart was first)
static uint32 calls[2];           // handler calls per hart
static uint32 claims_total;
static uint32 hart1_ready;

static void external(void)
{
  int h = r_mhartid();
  uint32 s;

  calls[h]++;
  s = plic_claim(h);
  if (s == 0) {
    empty_claims[h]++;
    return;
  }
  if (s < 3)
    claims[h][s]++;
  if (s == LINE_SHARED)
    SRC_REG(SHARED, IRQSRC_ACK) = 1;
  plic_complete(h, s);
  // Hart 0 sleeps until every event has been claimed, by either hart.
  count_and_wake(&claims_total, 0);
}

static void software(void)
{
  clint_clear_ipi(r_mhartid());
}

static void setup(int h)
{
  intr_install();
  plic_set_threshold(h, 0);
  w_mie(MIE_MEIE | MIE_MSIE);
}

int main(int hartid)
{
  if (hartid == 1) {
    setup(1);
    plic_enable(1, LINE_TO_HART1);
    plic_enable(1, LINE_SHARED);
    count_and_wake(&hart1_ready, 0);
    intr_on();
    for (;;)
      wfi();
  }
  if (hartid != 0)
    park();

  group("PLIC, two harts");
  intr_set_handler(IRQ_EXTERNAL, external);
  intr_set_handler(IRQ_SOFTWARE, software);
  plic_set_priority(LINE_TO_HART1, 1);
  plic_set_priority(LINE_SHARED, 1);
  plic_enable(0, LINE_SHARED);
  setup(0);
  intr_wait(&hart1_ready, 1);
  intr_wait(&claims_total, 2 * EVENTS);
  w_mie(0);

  check(claims_total, 2 * EVENTS);
  check(claims[0][LINE_TO_HART1], 0);
  check(claims[1][LINE_TO_HART1], EVENTS);
  check(claims[0][LINE_SHARED] + claims[1][LINE_SHARED], EVENTS);
  check(SRC_REG(TO_HART1, IRQSRC_COUNT), EVENTS);
  check(SRC_REG(SHARED, IRQSRC_COUNT), EVENTS);
  check(SRC_REG(SHARED, IRQSRC_STATUS), 0);
  check(calls[0] + calls[1], 2 * EVENTS + empty_claims[0] + empty_claims[1]);
  group_end();
  printf("shared: hart 0 claimed %d, hart 1 claimed %d; %d and %d claims found nothing\n",
         claims[0][LINE_SHARED], claims[1][LINE_SHARED], empty_claims[0], empty_claims[1]);
  return all_passed();
}
