// traps: synchronous exceptions (RISC-V privileged, 3.1.15-3.1.17 and 3.3):
// mcause, mepc and mtval for ecall, ebreak, illegal instructions, access
// faults on addresses with no device, misaligned jump targets; how mstatus
// stacks MIE on trap entry and mret; mret returning to mepc.

#include "defs.h"
#include "riscv.h"
#include "check.h"

// Addresses with nothing behind them, on spinlab's machine and on QEMU's virt.
#define NO_DEVICE_0    0x00000000u
#define NO_DEVICE_8    0x00000008u
#define NO_DEVICE_TOP  0xfffffff0u

static void ecall_ebreak(void)
{
  uint32 pc, n;

  group("ecall/ebreak");
  // mepc is the ecall itself; the handler's mret to mepc + 4 resumes after
  // it, exactly once.
  catch_trap();
  asm volatile("li %1, 1\n\tauipc %0, 0\n\tecall\n\taddi %1, %1, 1" : "=r"(pc), "=&r"(n) : : "memory");
  check_trap(CAUSE_ECALL_M, pc + 4);
  check(n, 2);
  catch_trap();
  asm volatile("auipc %0, 0\n\tebreak" : "=r"(pc) : : "memory");
  check_trap(CAUSE_BREAKPOINT, pc + 4);
  group_end();
}

// Trap entry: MPIE <- MIE, MIE <- 0, MPP <- M. mret: MIE <- MPIE, MPIE <- 1.
static void mstatus_stack(void)
{
  group("mstatus on traps");
  intr_on();                              // mie is 0: nothing can interrupt
  catch_trap();
  asm volatile("ecall" : : : "memory");
  check(caught.mstatus & (MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP_MASK), MSTATUS_MPIE | MSTATUS_MPP_M);
  check(r_mstatus() & (MSTATUS_MIE | MSTATUS_MPIE), MSTATUS_MIE | MSTATUS_MPIE);
  intr_off();
  catch_trap();
  asm volatile("ecall" : : : "memory");
  check(caught.mstatus & (MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP_MASK), MSTATUS_MPP_M);
  check(r_mstatus() & (MSTATUS_MIE | MSTATUS_MPIE), MSTATUS_MPIE);
  group_end();
}

// mret on its own: to mepc, with MIE <- MPIE. MPP is set to M first, as a
// kernel does before an mret it did not get from a trap: MPP names the mode
// mret returns to (QEMU leaves it 0, user mode, after an mret).
static uint32 mret_to_label(uint32 mpie)
{
  uint32 skipped;

  w_mstatus((r_mstatus() & ~(MSTATUS_MIE | MSTATUS_MPIE)) | MSTATUS_MPP_M | mpie);
  asm volatile("li %0, 0\n\tla t0, 1f\n\tcsrw mepc, t0\n\tmret\n\tli %0, 1\n1:"
               : "=&r"(skipped) : : "t0", "memory");
  return skipped;
}

static void mret(void)
{
  group("mret");
  check(mret_to_label(MSTATUS_MPIE), 0);
  check(r_mstatus() & (MSTATUS_MIE | MSTATUS_MPIE), MSTATUS_MIE | MSTATUS_MPIE);
  intr_off();
  check(mret_to_label(0), 0);
  check(r_mstatus() & (MSTATUS_MIE | MSTATUS_MPIE), MSTATUS_MPIE);
  group_end();
}

static void illegal(void)
{
  group("illegal instructions");
  CHECK_ILLEGAL(".word 0x0000000b", 0x0000000b);  // custom-0 opcode
#ifndef __riscv_compressed
  CHECK_ILLEGAL(".word 0x00000000", 0x00000000);  // all zeros: illegal by definition
#else
  CHECK_ILLEGAL("c.unimp", 0x0000);               // with C, a 16-bit zero is illegal
#endif
  CHECK_ILLEGAL(".word 0xffffffff", 0xffffffff);  // all ones: likewise
  CHECK_ILLEGAL(".word 0x04000033", 0x04000033);  // add with funct7 = 2
  CHECK_ILLEGAL(".word 0x00003283", 0x00003283);  // ld t0, 0(zero): RV64 only
  CHECK_ILLEGAL(".word 0x02029293", 0x02029293);  // slli t0, t0, 32: RV64 only
  CHECK_ILLEGAL(".word 0x10200073", 0x10200073);  // sret: no supervisor mode
  CHECK_ILLEGAL(".word 0x00200073", 0x00200073);  // uret: no N extension
  CHECK_ILLEGAL(".word 0x7b200073", 0x7b200073);  // dret: not in debug mode
  group_end();
}

static void access_faults(void)
{
  group("access faults");
  CHECK_TRAPS("lw t0, 0(zero)", CAUSE_LOAD_ACCESS, NO_DEVICE_0);
  CHECK_TRAPS("lbu t0, 8(zero)", CAUSE_LOAD_ACCESS, NO_DEVICE_8);
  CHECK_TRAPS("lh t0, -16(zero)", CAUSE_LOAD_ACCESS, NO_DEVICE_TOP);
  CHECK_TRAPS("lr.w t0, (zero)", CAUSE_LOAD_ACCESS, NO_DEVICE_0);
  CHECK_TRAPS("sw t0, 0(zero)", CAUSE_STORE_ACCESS, NO_DEVICE_0);
  CHECK_TRAPS("sb t0, 8(zero)", CAUSE_STORE_ACCESS, NO_DEVICE_8);
  CHECK_TRAPS("sh t0, -16(zero)", CAUSE_STORE_ACCESS, NO_DEVICE_TOP);

  // A faulting load leaves rd alone.
  uint32 v;
  catch_trap();
  asm volatile("li %0, 0x1234\n\tlw %0, 0(zero)" : "=&r"(v) : : "memory");
  check(caught.armed, 0);
  check(v, 0x1234);

  // Fetching from nowhere: mepc and mtval are the target.
  catch_trap();
  asm volatile("jalr ra, 0(zero)" : : : "ra", "memory");
  check_trap(CAUSE_FETCH_ACCESS, NO_DEVICE_0);
  check(caught.mtval, NO_DEVICE_0);
  catch_trap();
  asm volatile("jalr ra, 8(zero)" : : : "ra", "memory");
  check_trap(CAUSE_FETCH_ACCESS, NO_DEVICE_8);
  check(caught.mtval, NO_DEVICE_8);
  group_end();
}

#ifndef __riscv_compressed
// Without compressed instructions, a jump or taken branch to an address that
// is not a multiple of 4 traps on the jump itself, which does not write rd.
static void misaligned_targets(void)
{
  uint32 pc, target, link;

  group("misaligned jumps");
  catch_trap();
  asm volatile("li %2, 0x55\n\tla %1, 1f + 2\n\tauipc %0, 0\n\tjalr %2, 0(%1)\n\tnop\n1:\tnop"
               : "=r"(pc), "=&r"(target), "=&r"(link) : : "memory");
  check_trap(CAUSE_MISALIGNED_FETCH, pc + 4);
  check(caught.mtval, target);
  check(link, 0x55);
  // (QEMU 7.2 puts a wrong mtval for jal and branches: spec_strict checks it.)
  catch_trap();
  asm volatile("li %1, 0x55\n\tauipc %0, 0\n\tjal %1, 1f + 2\n\tnop\n1:\tnop"
               : "=r"(pc), "=&r"(link) : : "memory");
  check_trap(CAUSE_MISALIGNED_FETCH, pc + 4);
  check(link, 0x55);
  catch_trap();
  asm volatile("auipc %0, 0\n\tbeq zero, zero, 1f + 2\n\tnop\n1:\tnop" : "=r"(pc) : : "memory");
  check_trap(CAUSE_MISALIGNED_FETCH, pc + 4);
  // Not taken, the target does not matter.
  CHECK_NO_TRAP("bne zero, zero, 1f + 2\n\tnop\n1:\tnop");
  group_end();
}
#else
// With C (IALIGN = 16) the same jumps to an address that is 2 but not 4
// bytes aligned do not trap: they run the compressed instruction there.
static void misaligned_targets(void)
{
  uint32 n, link, after;

  group("2-aligned jumps");
  asm volatile("li %0, 0\n\tla t0, 1f\n\tjalr %1, 2(t0)\n2:\t.balign 4\n"
               "1:\tc.addi %0, 1\n\tc.addi %0, 2\n\tla %2, 2b"
               : "=&r"(n), "=&r"(link), "=&r"(after) : : "t0", "memory");
  check(n, 2);
  check(link, after);
  asm volatile("li %0, 0\n\tjal %1, 1f + 2\n2:\t.balign 4\n"
               "1:\tc.addi %0, 1\n\tc.addi %0, 2\n\tla %2, 2b"
               : "=&r"(n), "=&r"(link), "=&r"(after) : : "memory");
  check(n, 2);
  check(link, after);
  asm volatile("li %0, 0\n\tbeq zero, zero, 1f + 2\n\t.balign 4\n"
               "1:\tc.addi %0, 1\n\tc.addi %0, 2" : "=&r"(n) : : "memory");
  check(n, 2);
  group_end();
}
#endif

int main(int hartid)
{
  if (hartid != 0)
    park();
  ecall_ebreak();
  mstatus_stack();
  mret();
  illegal();
  access_faults();
  misaligned_targets();
  return all_passed();
}
