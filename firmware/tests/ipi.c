// ipi: software interrupts between harts through the CLINT's msip
// registers (privileged spec 3.1.9; the CLINT as on QEMU virt). Run on 2
// harts (any others park):
//   - hart 0 sleeps in wfi with MSIE set and mstatus.MIE off; hart 1 writes
//     msip[0]. wfi returns, no trap is taken, mip.MSIP reads 1 until hart 0
//     writes msip[0] = 0;
//   - ping-pong with handlers (MIE on): each IPI is taken once, with mcause
//     "machine software interrupt", and the handler's write of 0 to its own
//     msip ends it;
//   - a hart can interrupt itself.
// Nothing spins: a hart that waits sleeps, so this runs on QEMU (one hart
// at a time under icount) and must print the same there.

#include "memmap.h"
#include "defs.h"
#include "riscv.h"
#include "check.h"
#include "../lib/clint.h"
#include "../lib/intr.h"

#define MIP_MSIP  MIE_MSIE   // the same bit in mip and mie
#define ROUNDS 10

static uint32 go;                 // hart 0 -> hart 1: begin
static uint32 sent;               // hart 1: about to write msip[0]
static uint32 received[2];        // software interrupts taken, per hart
static uint32 last_cause[2];
static uint32 clear_after[2];     // msip as the handler left it

static void msi_handler(void)
{
  int h = r_mhartid();

  clint_clear_ipi(h);
  clear_after[h] = clint_ipi_pending(h);
  last_cause[h] = r_mcause();
  __atomic_fetch_add(&received[h], 1, __ATOMIC_RELEASE);
}

static void hart1(void)
{
  // Wake hart 0 once, without a handler on its side.
  ipi_wait(&go, 1);
  __atomic_store_n(&sent, 1, __ATOMIC_RELEASE);
  clint_send_ipi(0);

  // Ping-pong: answer each of hart 0's IPIs with one.
  intr_install();
  intr_set_handler(IRQ_SOFTWARE, msi_handler);
  w_mie(MIE_MSIE);
  for (int r = 1; r <= ROUNDS; r++) {
    intr_wait(&received[1], r);
    clint_send_ipi(0);
  }
  park();
}

static void wake_without_trap(void)
{
  group("wfi wakes, MIE off");
  uint32 cause_before = r_mcause();
  intr_off();
  w_mie(MIE_MSIE);
  clint_clear_ipi(0);
  check(r_mip() & MIP_MSIP, 0);
  count_and_wake(&go, 1);
  // wfi returns once MSIP is pending, MIE or not (privileged spec 3.3.3).
  while ((r_mip() & MIP_MSIP) == 0)
    wfi();
  check(__atomic_load_n(&sent, __ATOMIC_ACQUIRE), 1);
  check(clint_ipi_pending(0), 1);
  check(r_mip() & MIP_MSIP, MIP_MSIP);
  check(r_mcause(), cause_before);          // nothing was taken
  clint_clear_ipi(0);
  check(clint_ipi_pending(0), 0);
  check(r_mip() & MIP_MSIP, 0);
  w_mie(0);
  group_end();
}

static void ping_pong(void)
{
  group("ping-pong");
  intr_install();                 // after group(), which installs its own
  intr_set_handler(IRQ_SOFTWARE, msi_handler);
  w_mie(MIE_MSIE);
  for (int r = 1; r <= ROUNDS; r++) {
    clint_send_ipi(1);
    intr_wait(&received[0], r);
  }
  check(received[0], ROUNDS);
  check(received[1], ROUNDS);
  check(last_cause[0], MCAUSE_INTR | IRQ_SOFTWARE);
  check(last_cause[1], MCAUSE_INTR | IRQ_SOFTWARE);
  check(clear_after[0], 0);
  check(clear_after[1], 0);
  check(r_mip() & MIP_MSIP, 0);
  group_end();
}

static void to_self(void)
{
  group("IPI to self");
  intr_install();                 // group() installed the harness's vector
  uint32 before = received[0];
  intr_on();
  clint_send_ipi(0);
  intr_wait(&received[0], before + 1);
  intr_off();
  check(received[0], before + 1);
  check(r_mip() & MIP_MSIP, 0);
  group_end();
}

int main(int hartid)
{
  if (hartid == 1)
    hart1();
  if (hartid != 0)
    park();

  wake_without_trap();
  ping_pong();
  to_self();
  w_mie(0);
  return all_passed();
}
