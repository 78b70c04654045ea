// plic_sources: the PLIC (RISC-V PLIC specification 1.0.0) driven by the
// interrupt source devices of configs/tests/plic_sources.toml, on one hart.
// The program knows that file's sources and cycles (below, by index: the
// order of the [[irq_source]] tables) and checks:
//   1. claim order: claim returns the pending source of highest priority,
//      the lowest ID among equals, then 0; a claimed source is not pending;
//      completing a source whose line is still high ("register" ack, not
//      yet acknowledged) makes it pending again;
//   2. threshold, priority 0 and the enable bits: only an enabled source
//      with a priority above the threshold raises MEIP or is claimed;
//   3. "claim" ack (the line pulses): a source is not delivered again until
//      it is completed -- a pulse while it is claimed is not latched -- and
//      completion lets the next pulse through;
//   4. handlers: two devices interrupting at their own periods are each
//      handled once per event, in the order of the events; a "register"
//      source completed without acknowledging its device is delivered again.
// Spinlab only: QEMU has no interrupt source devices.

#include "memmap.h"
#include "defs.h"
#include "riscv.h"
#include "check.h"
#include "../lib/plic.h"
#include "../lib/intr.h"

#define MIP_MEIP MIE_MEIE   // the same bit in mip and mie

// The sources of configs/tests/plic_sources.toml: index (register window),
// PLIC line, cycle of the first event.
enum { LOW, HIGH, MID_A, MID_B, MASKED, URGENT, PULSE, NIC, DISK, STICKY, NSOURCES };
static const uint32 line_of[NSOURCES] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
#define ORDER_AT     100000    // LOW, HIGH, MID_A, MID_B: one event each
#define THRESHOLD_AT 200000    // MASKED, URGENT: one event each
#define PULSE_AT     300000    // PULSE: 4 events, 10000 apart
#define PULSE_PERIOD 10000
#define NIC_AT       400000    // NIC: 10 events, 7000 apart ("claim")
#define DISK_AT      403500    // DISK: 5 events, 14000 apart ("register")
#define STICKY_AT    500000    // STICKY: one event ("register")

#define SRC_REG(i, r) (*(volatile uint32 *)(IRQSRC_BASE + IRQSRC_STRIDE * (i) + (r)))

static void ack_device(int i) { SRC_REG(i, IRQSRC_ACK) = 1; }
static uint32 unacked(int i) { return SRC_REG(i, IRQSRC_STATUS); }
static uint32 raised(int i) { return SRC_REG(i, IRQSRC_COUNT); }

static int meip(void) { return (r_mip() & MIP_MEIP) != 0; }

// Spins until mcycle reaches `cycle` (a CSR read: no bus traffic).
static void wait_until(uint32 cycle)
{
  while (r_mcycle() < cycle)
    ;
}

// Which source a claim would return now, leaving things as they were: the
// sources used with it are "register" sources that are not acknowledged, so
// their lines are high and completing one makes it pending again.
static uint32 who(void)
{
  uint32 s = plic_claim(0);
  if (s)
    plic_complete(0, s);
  return s;
}

static void claim_order(void)
{
  group("claim order");
  // Priorities are 3 bits (WARL, as on QEMU virt); source 0 does not exist.
  plic_set_priority(line_of[LOW], ~0u);
  check(plic_priority(line_of[LOW]), 7);
  plic_set_priority(0, 5);
  check(plic_priority(0), 0);

  plic_set_priority(line_of[LOW], 1);
  plic_set_priority(line_of[HIGH], 7);
  plic_set_priority(line_of[MID_A], 4);
  plic_set_priority(line_of[MID_B], 4);
  for (int i = LOW; i <= MID_B; i++)
    plic_enable(0, line_of[i]);
  plic_set_threshold(0, 0);
  check(meip(), 0);
  check(plic_claim(0), 0);      // nothing pending yet
  check(raised(LOW), 0);

  wait_until(ORDER_AT + 100);
  for (int i = LOW; i <= MID_B; i++) {
    check(raised(i), 1);
    check(plic_pending(line_of[i]), 1);
  }
  check(meip(), 1);
  // Highest priority first; MID_A and MID_B tie, and the lower ID wins.
  check(plic_claim(0), line_of[HIGH]);
  check(plic_claim(0), line_of[MID_A]);
  check(plic_claim(0), line_of[MID_B]);
  check(plic_claim(0), line_of[LOW]);
  check(plic_claim(0), 0);
  check(meip(), 0);
  for (int i = LOW; i <= MID_B; i++)
    check(plic_pending(line_of[i]), 0);

  // The devices HIGH and MID_A are acknowledged, LOW and MID_B are not:
  // completing all four makes LOW and MID_B pending again.
  ack_device(HIGH);
  ack_device(MID_A);
  check(unacked(HIGH), 0);
  check(unacked(LOW), 1);
  for (int i = LOW; i <= MID_B; i++)
    plic_complete(0, line_of[i]);
  check(plic_pending(line_of[LOW]), 1);
  check(plic_pending(line_of[HIGH]), 0);
  check(plic_pending(line_of[MID_A]), 0);
  check(plic_pending(line_of[MID_B]), 1);
  check(meip(), 1);
  check(plic_claim(0), line_of[MID_B]);
  check(plic_claim(0), line_of[LOW]);
  check(plic_claim(0), 0);
  ack_device(LOW);
  ack_device(MID_B);
  plic_complete(0, line_of[MID_B]);
  plic_complete(0, line_of[LOW]);
  check(meip(), 0);
  for (int i = LOW; i <= MID_B; i++) {
    check(plic_pending(line_of[i]), 0);
    check(unacked(i), 0);
    plic_disable(0, line_of[i]);
  }
  group_end();
}

static void threshold(void)
{
  uint32 masked = line_of[MASKED], urgent = line_of[URGENT];

  group("threshold, priority 0, enable");
  plic_set_priority(masked, 2);
  plic_set_priority(urgent, 5);
  plic_enable(0, masked);
  plic_enable(0, urgent);
  plic_set_threshold(0, 0);
  wait_until(THRESHOLD_AT + 100);
  check(plic_pending(masked), 1);
  check(plic_pending(urgent), 1);

  check(meip(), 1);
  check(who(), urgent);
  plic_set_threshold(0, 5);     // only priorities above 5
  check(meip(), 0);
  check(who(), 0);
  check(plic_pending(urgent), 1);   // masked, still pending
  plic_set_threshold(0, 4);
  check(meip(), 1);
  check(who(), urgent);
  plic_disable(0, urgent);
  check(meip(), 0);             // MASKED's 2 is not above 4
  check(who(), 0);
  plic_set_threshold(0, 1);
  check(meip(), 1);
  check(who(), masked);
  plic_set_priority(masked, 0); // priority 0: never delivered
  plic_set_threshold(0, 0);
  check(meip(), 0);
  check(who(), 0);
  check(plic_pending(masked), 1);
  plic_enable(0, urgent);
  check(who(), urgent);
  plic_set_priority(masked, 5); // a tie with URGENT: the lower ID wins
  check(who(), masked);
  plic_set_threshold(0, 7);     // nothing is above 7
  check(meip(), 0);
  check(who(), 0);

  ack_device(MASKED);
  ack_device(URGENT);
  check(plic_pending(masked), 1);   // the PLIC still has them pending...
  plic_set_threshold(0, 0);
  check(who(), masked);             // ...and a claim takes them, once:
  check(who(), urgent);             // completed with the lines low,
  check(who(), 0);                  // they are not pending again
  check(meip(), 0);
  plic_disable(0, masked);
  plic_disable(0, urgent);
  group_end();
}

static void pulses(void)
{
  uint32 s = line_of[PULSE];

  group("claim ack: pulses");
  plic_set_priority(s, 1);
  plic_enable(0, s);
  plic_set_threshold(0, 0);

  wait_until(PULSE_AT + 100);
  check(raised(PULSE), 1);
  check(unacked(PULSE), 0);     // nothing to acknowledge at the device
  check(plic_pending(s), 1);
  check(plic_claim(0), s);
  check(plic_pending(s), 0);

  // The second pulse comes while the source is claimed: it is not latched,
  // and completion does not bring it back.
  wait_until(PULSE_AT + PULSE_PERIOD + 100);
  check(raised(PULSE), 2);
  check(plic_pending(s), 0);
  check(meip(), 0);
  check(plic_claim(0), 0);
  plic_complete(0, s);
  check(plic_pending(s), 0);
  check(meip(), 0);

  // Completed: the next pulses are delivered, one claim each.
  for (int k = 2; k < 4; k++) {
    wait_until(PULSE_AT + k * PULSE_PERIOD + 100);
    check(raised(PULSE), k + 1);
    check(plic_pending(s), 1);
    check(meip(), 1);
    check(plic_claim(0), s);
    plic_complete(0, s);
    check(plic_pending(s), 0);
    check(meip(), 0);
  }
  plic_disable(0, s);
  group_end();
}

// The handler's log: every source it claimed, in order.
#define LOG_MAX 32
static uint32 claimed[LOG_MAX];
static uint32 logged;
static uint32 handler_calls;
static uint32 sticky_deliveries;

// Claims until nothing is left. DISK is acknowledged at the device before
// completion; STICKY only at its third delivery, so it is delivered three
// times for its one event; NIC ("claim" ack) needs nothing but the claim.
static void external(void)
{
  uint32 s;

  handler_calls++;
  while ((s = plic_claim(0)) != 0) {
    if (logged < LOG_MAX)
      claimed[logged] = s;
    if (s == line_of[DISK])
      ack_device(DISK);
    if (s == line_of[STICKY] && ++sticky_deliveries == 3)
      ack_device(STICKY);
    plic_complete(0, s);
    __atomic_fetch_add(&logged, 1, __ATOMIC_RELEASE);
  }
}

static void handlers(void)
{
  // The events in time order (NIC at 400000 + 7000 i, DISK at 403500 +
  // 14000 j), then STICKY three times.
  static const uint32 want[] = { 8, 9, 8, 8, 9, 8, 8, 9, 8, 8, 9, 8, 8, 9, 8, 10, 10, 10 };

  group("handlers");
  plic_set_priority(line_of[NIC], 2);
  plic_set_priority(line_of[DISK], 3);
  plic_set_priority(line_of[STICKY], 1);
  plic_enable(0, line_of[NIC]);
  plic_enable(0, line_of[DISK]);
  plic_enable(0, line_of[STICKY]);
  plic_set_threshold(0, 0);
  intr_install();
  intr_set_handler(IRQ_EXTERNAL, external);
  w_mie(MIE_MEIE);
  intr_wait(&logged, NELEM(want));
  w_mie(0);

  check(logged, NELEM(want));
  for (uint32 i = 0; i < NELEM(want); i++)
    check(claimed[i], want[i]);
  check(raised(NIC), 10);
  check(raised(DISK), 5);
  check(raised(STICKY), 1);
  check(unacked(DISK), 0);
  check(unacked(STICKY), 0);
  check(sticky_deliveries, 3);
  // The events are far apart: one call per event, and STICKY's three
  // deliveries in one call (it is pending again as soon as completed).
  check(handler_calls, 16);
  check(meip(), 0);
  group_end();
}

int main(int hartid)
{
  if (hartid != 0)
    park();
  claim_order();
  threshold();
  pulses();
  handlers();
  return all_passed();
}
