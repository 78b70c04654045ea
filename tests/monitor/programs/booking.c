/* Two harts book seats under a one-byte flag that each tests with a byte
 * load and sets with a byte store: nothing atomic, so both can find it free
 * and both go in. No interrupts, no AMO, no LR/SC; the lock is not named
 * like the scenarios' and is not a whole word. Hart 1 ends the run when
 * both are done; the count of lost bookings is the exit code's business. */
#include "mon.h"

volatile unsigned char booking_busy __attribute__((aligned(4)));
volatile uint32 seats;
volatile uint32 finished;

__attribute__((noinline)) void enter_booking(void) {
  while (booking_busy) {
  }
  booking_busy = 1;
}

__attribute__((noinline)) void leave_booking(void) { booking_busy = 0; }

void trap(uint32 mcause) { finish(3); }

int main(uint32 hart) {
  if (hart >= 2)
    for (;;) wfi();
  for (int i = 0; i < 300; i++) {
    enter_booking();
    seats = seats + 1;
    leave_booking();
  }
  __sync_fetch_and_add(&finished, 1);
  while (finished < 2) {
  }
  return 0;
}
