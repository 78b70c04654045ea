// irq_latency: how many cycles an interrupt takes to reach its handler, as
// docs/timing.md states it. An interrupt line that rises at cycle R is taken
// at the first instruction boundary at or after R (when mstatus.MIE and mie
// allow it), and the handler's first instruction issues trap_entry cycles
// after that boundary. So:
//   - a hart asleep in wfi wakes at R and its handler starts at exactly
//     R + trap_entry;
//   - a hart busy with a divide finishes it first: the handler starts at
//     (the end of the divide that is under way at R) + trap_entry, at most
//     div - 1 + trap_entry cycles after R;
//   - an IPI: msip[h] rises in the cycle the store to it is granted the
//     bus, and a sleeping hart h's handler starts trap_entry cycles later.
// The timer's R is mtimecmp * mtime_divider (mtime starts at 0 at cycle 0
// and this program never writes it).
//
// Spinlab only: the checks are cycle counts. They hold for the timing
// tests/e2e sets (the defaults, given explicitly there): mtime_divider 10,
// trap_entry 4, div 33, csr, alu and store 1, RAM latency 1. Runs on 2
// harts (hart 1 sends the IPIs).

#include "memmap.h"
#include "defs.h"
#include "riscv.h"
#include "check.h"
#include "../lib/clint.h"

#define MTIME_DIVIDER  10
#define TRAP_ENTRY     4
#define DIV_CYCLES     33
#define CSR_CYCLES     1
#define ALU_CYCLES     1
#define STORE_CYCLES   1
#define RAM_LATENCY    1

#define NDIV 40   // divides in the chain that the timer interrupts
#define STR(x) #x
#define XSTR(x) STR(x)

// The marking handler. Its first instruction reads mcycle into t6; then it
// reads mepc into t5 and mcause into t4, turns every interrupt off in mie
// (so that the code it returns to is not interrupted again) and returns.
// It touches no memory and no stack: the code it interrupts lists t4-t6 as
// clobbered, and sets t6 to 0 first, so "no interrupt" shows as t6 = 0.
extern char mark_vector[];
asm(".text\n"
    ".balign 4\n"
    "mark_vector:\n"
    "  csrr t6, mcycle\n"
    "  csrr t5, mepc\n"
    "  csrr t4, mcause\n"
    "  csrw mie, zero\n"
    "  mret\n");

struct mark {
  uint32 cycle;   // mcycle at the handler's first instruction
  uint32 epc;
  uint32 cause;
};

static uint32 go;             // hart 0 -> hart 1: send the next IPI
static uint32 ipi_granted;    // hart 1: the cycle its store to msip[0] was granted

// The timer: asleep in wfi with MTIE and MIE, woken at R = cmp * divider.
static void timer_from_wfi(void)
{
  group("timer, from wfi");
  for (int i = 0; i < 8; i++) {
    uint32 cmp = r_time() + 50 + i;   // 500 to 570 cycles ahead
    struct mark m;
    uint32 after_wfi;

    clint_set_timer(0, cmp);
    w_mtvec((uint32)mark_vector | MTVEC_DIRECT);
    w_mie(MIE_MTIE);
    asm volatile("la   %3, 1f\n"
                 "li   t6, 0\n"
                 "csrs mstatus, %4\n"
                 "wfi\n"
                 "1: csrc mstatus, %4\n"
                 "mv   %0, t6\n"
                 "mv   %1, t5\n"
                 "mv   %2, t4"
                 : "=r"(m.cycle), "=r"(m.epc), "=r"(m.cause), "=&r"(after_wfi)
                 : "r"(MSTATUS_MIE)
                 : "t4", "t5", "t6", "memory");
    clint_disarm_timer(0);
    check(m.cause, MCAUSE_INTR | 7);
    check(m.epc, after_wfi);
    check(m.cycle - cmp * MTIME_DIVIDER, TRAP_ENTRY);
  }
  group_end();
}

// The timer rises during a chain of divides. The chain starts at cycle S
// (the mcycle read), MIE goes on at S + 1 and divide k issues at
// S + 2 + DIV_CYCLES * k: those are the instruction boundaries. The timer
// is aimed at 33 consecutive mtime ticks, so that R falls at every offset
// within a divide (10 and 33 have no common factor).
static void timer_during_div(void)
{
  uint32 shortest = ~0u, longest = 0;

  group("timer, during div");
  for (int j = 0; j < DIV_CYCLES; j++) {
    uint32 cmp = (r_mcycle() + 300) / MTIME_DIVIDER + j;
    uint32 start, first_div;
    struct mark m;

    clint_set_timer(0, cmp);
    w_mtvec((uint32)mark_vector | MTVEC_DIRECT);
    w_mie(MIE_MTIE);
    asm volatile("la   %4, 2f\n"
                 "li   t1, 1000\n"
                 "li   t2, 7\n"
                 "li   t6, 0\n"
                 "csrr %3, mcycle\n"
                 "csrs mstatus, %5\n"
                 "2:\n"
                 ".rept " XSTR(NDIV) "\n"
                 "div  t0, t1, t2\n"
                 ".endr\n"
                 "csrc mstatus, %5\n"
                 "mv   %0, t6\n"
                 "mv   %1, t5\n"
                 "mv   %2, t4"
                 : "=r"(m.cycle), "=r"(m.epc), "=r"(m.cause), "=&r"(start), "=&r"(first_div)
                 : "r"(MSTATUS_MIE)
                 : "t0", "t1", "t2", "t4", "t5", "t6", "memory");
    clint_disarm_timer(0);

    uint32 rise = cmp * MTIME_DIVIDER;
    uint32 chain = start + 2 * CSR_CYCLES;           // divide 0 issues here
    check(rise > chain && rise <= chain + DIV_CYCLES * (NDIV - 1), 1);
    uint32 k = (rise - chain + DIV_CYCLES - 1) / DIV_CYCLES;  // the first boundary at or after the rise
    check(m.cause, MCAUSE_INTR | 7);
    check(m.epc, first_div + 4 * k);
    check(m.cycle, chain + DIV_CYCLES * k + TRAP_ENTRY);
    uint32 latency = m.cycle - rise;
    check(latency >= TRAP_ENTRY && latency <= DIV_CYCLES - 1 + TRAP_ENTRY, 1);
    if (latency < shortest)
      shortest = latency;
    if (latency > longest)
      longest = latency;
  }
  // Every offset happened: the bound is reached, and so is the minimum.
  check(shortest, TRAP_ENTRY);
  check(longest, DIV_CYCLES - 1 + TRAP_ENTRY);
  printf("timer during div: latency from %d to %d cycles\n", shortest, longest);
  group_end();
}

// Hart 1's side of the IPI test: for each round, sleep until hart 0 says go,
// wait 500 cycles (hart 0 is asleep by then), then store to msip[0]. The
// cycle that store is granted follows from the mcycle read before it: the
// csrr, the addi, the sw of that cycle to ipi_granted (its address cycle,
// then the RAM's latency on the bus), then the msip sw's address cycle --
// the bus being free (hart 0 sleeps, the other harts are parked).
static void ipi_sender(int rounds)
{
  for (int r = 1; r <= rounds; r++) {
    ipi_wait(&go, r);
    uint32 t = r_time() + 50;
    while (r_time() < t)
      ;
    uint32 w;
    asm volatile("csrr %0, mcycle\n"
                 "addi %0, %0, %4\n"
                 "sw   %0, 0(%1)\n"
                 "sw   %2, 0(%3)"
                 : "=&r"(w)
                 : "r"(&ipi_granted), "r"(1), "r"(CLINT_MSIP(0)),
                   "i"(CSR_CYCLES + ALU_CYCLES + STORE_CYCLES + RAM_LATENCY + STORE_CYCLES)
                 : "memory");
  }
}

static void ipi_from_wfi(int rounds)
{
  group("IPI, from wfi");
  for (int r = 1; r <= rounds; r++) {
    struct mark m;
    uint32 after_wfi;

    w_mtvec((uint32)mark_vector | MTVEC_DIRECT);
    count_and_wake(&go, 1);
    w_mie(MIE_MSIE);
    asm volatile("la   %3, 1f\n"
                 "li   t6, 0\n"
                 "csrs mstatus, %4\n"
                 "wfi\n"
                 "1: csrc mstatus, %4\n"
                 "mv   %0, t6\n"
                 "mv   %1, t5\n"
                 "mv   %2, t4"
                 : "=r"(m.cycle), "=r"(m.epc), "=r"(m.cause), "=&r"(after_wfi)
                 : "r"(MSTATUS_MIE)
                 : "t4", "t5", "t6", "memory");
    check(m.cause, MCAUSE_INTR | 3);
    check(m.epc, after_wfi);
    check(m.cycle - __atomic_load_n(&ipi_granted, __ATOMIC_ACQUIRE), TRAP_ENTRY);
    // msip stays set until written 0, and mip.MSIP follows it.
    check((r_mip() & MIE_MSIE) != 0, 1);
    clint_clear_ipi(0);
    check(r_mip() & MIE_MSIE, 0);
  }
  group_end();
}

#define IPI_ROUNDS 3

int main(int hartid)
{
  if (hartid == 1)
    ipi_sender(IPI_ROUNDS);
  if (hartid != 0)
    park();

  timer_from_wfi();
  timer_during_div();
  ipi_from_wfi(IPI_ROUNDS);
  return all_passed();
}
