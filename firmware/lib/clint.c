// The CLINT: msip[h] raises hart h's software interrupt (an IPI), and
// mtimecmp[h] its timer interrupt while mtime >= mtimecmp[h] (RISC-V
// privileged spec 3.2.1; the layout is QEMU virt's, memmap.h).

#include "memmap.h"
#include "defs.h"
#include "riscv.h"
#include "param.h"
#include "clint.h"

#define REG(addr) (*(volatile uint32 *)(addr))

void clint_send_ipi(int hart)
{
  REG(CLINT_MSIP(hart)) = 1;
}

void clint_clear_ipi(int hart)
{
  REG(CLINT_MSIP(hart)) = 0;
}

uint32 clint_ipi_pending(int hart)
{
  return REG(CLINT_MSIP(hart));
}

// mtimecmp is 64 bits written as two halves. The low half goes to all ones
// first, so that no mix of old and new halves can be below the new value
// and fire early (the sequence in privileged spec 3.2.1).
void clint_set_timer(int hart, uint64 when)
{
  REG(CLINT_MTIMECMP(hart)) = ~0u;
  REG(CLINT_MTIMECMP(hart) + 4) = (uint32)(when >> 32);
  REG(CLINT_MTIMECMP(hart)) = (uint32)when;
}

void clint_disarm_timer(int hart)
{
  REG(CLINT_MTIMECMP(hart)) = ~0u;
  REG(CLINT_MTIMECMP(hart) + 4) = ~0u;
}

// A hart exists when its msip bit can be set: past the last hart, the CLINT
// (spinlab's and QEMU virt's alike) ignores the write and reads zero. Each
// probe clears the bit again, so call this before any IPI is meant to be in
// flight, and not with machine.start = "hart0" (the write would start the
// hart).
int clint_harts(void)
{
  int n = 0;

  while (n < NHART) {
    REG(CLINT_MSIP(n)) = 1;
    uint32 set = REG(CLINT_MSIP(n));
    REG(CLINT_MSIP(n)) = 0;
    if (!set)
      break;
    n++;
  }
  return n;
}

// Sleeps until *counter >= n. The harts that move the counter wake this one
// with an IPI (count_and_wake). A pending software interrupt wakes wfi even
// with mstatus.MIE off, and nothing is taken then; msip is cleared before
// each look at the counter, so an IPI sent between the look and the wfi is
// not lost: it is still pending and wfi returns at once.
void ipi_wait(volatile uint32 *counter, uint32 n)
{
  int me = r_mhartid();
  int was_on = intr_get();
  uint32 mie = r_mie();

  intr_off();
  w_mie(mie | MIE_MSIE);
  for (;;) {
    clint_clear_ipi(me);
    if (__atomic_load_n(counter, __ATOMIC_ACQUIRE) >= n)
      break;
    wfi();
  }
  w_mie(mie);
  if (was_on)
    intr_on();
}

// Adds one to *counter (after everything this hart wrote before) and wakes
// `hart`, which may be sleeping in ipi_wait(counter, ...).
void count_and_wake(volatile uint32 *counter, int hart)
{
  __atomic_fetch_add(counter, 1, __ATOMIC_RELEASE);  // amoadd.w.rl
  clint_send_ipi(hart);
}
