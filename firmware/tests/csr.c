// csr: the machine-mode CSRs (RISC-V privileged, chapter 3; Zicsr): what
// they read, the six CSR instructions' read/write rules, which accesses
// trap (writes to read-only CSRs, CSRs that do not exist) and mtvec.
//
// On QEMU, run with a CPU stripped to RV32IMA + Zicsr, machine and user
// mode, and zero ID CSRs (tests/e2e/differential.sh), so that it matches spinlab.

#include "defs.h"
#include "riscv.h"
#include "check.h"

#define MISA_RV32IMAU ((1u << 30) | (1u << ('A' - 'A')) | (1u << ('I' - 'A')) | (1u << ('M' - 'A')) | \
                       (1u << ('U' - 'A')))
// Built with C, the program expects a machine with C (machine.isa =
// "rv32imac", QEMU's c=true); built without, one without.
#ifdef __riscv_compressed
#define MISA_EXPECTED (MISA_RV32IMAU | (1u << ('C' - 'A')))
#else
#define MISA_EXPECTED MISA_RV32IMAU
#endif

static void ids(void)
{
  group("csr ids");
  check(r_misa(), MISA_EXPECTED);         // MXL = 1 (32-bit), A, I, M, U (and C)
  check(r_mhartid(), 0);
  check(CSR_READ(mvendorid), 0);          // "not implemented": zero
  check(CSR_READ(marchid), 0);
  check(CSR_READ(mimpid), 0);
  check(r_mstatus() & MSTATUS_MIE, 0);    // interrupts off at reset
  group_end();
}

// The CSR instructions on mscratch, a plain read/write register.
static void csr_ops(void)
{
  uint32 old, v;

  group("csr instructions");
  w_mscratch(0x12345678);
  check(r_mscratch(), 0x12345678);
  asm volatile("csrrw %0, mscratch, %1" : "=r"(old) : "r"(0xdeadbeef));
  check(old, 0x12345678);                 // rd = the old value
  check(r_mscratch(), 0xdeadbeef);
  asm volatile("csrrs %0, mscratch, %1" : "=r"(old) : "r"(0x0000ffff));
  check(old, 0xdeadbeef);
  check(r_mscratch(), 0xdeadffff);        // bits set
  asm volatile("csrrc %0, mscratch, %1" : "=r"(old) : "r"(0xffff0000));
  check(old, 0xdeadffff);
  check(r_mscratch(), 0x0000ffff);        // bits cleared
  asm volatile("csrrwi %0, mscratch, 31" : "=r"(old));
  check(old, 0x0000ffff);
  check(r_mscratch(), 31);                // uimm zero-extended
  asm volatile("csrrci %0, mscratch, 5" : "=r"(old));
  check(old, 31);
  check(r_mscratch(), 26);
  asm volatile("csrrsi %0, mscratch, 1" : "=r"(old));
  check(old, 26);
  check(r_mscratch(), 27);
  asm volatile("csrrs %0, mscratch, x0" : "=r"(v));
  check(v, 27);                           // a read
  asm volatile("csrrw x0, mscratch, %0" : : "r"(0xcafef00d));
  check(r_mscratch(), 0xcafef00d);        // a write without a read
  asm volatile("csrrw %0, mscratch, %0" : "=r"(v) : "0"(0x600d));
  check(v, 0xcafef00d);                   // rd = rs1: old value out, new in
  check(r_mscratch(), 0x600d);
  group_end();

  group("csr registers");
  w_mepc(0x80001234);
  check(r_mepc(), 0x80001234);
  CSR_WRITE(mtval, 0x89abcdef);
  check(r_mtval(), 0x89abcdef);
  w_mie(MIE_MSIE | MIE_MTIE | MIE_MEIE);  // mstatus.MIE is off: nothing is taken
  check(r_mie(), MIE_MSIE | MIE_MTIE | MIE_MEIE);
  w_mie(0);
  check(r_mie(), 0);
  intr_on();
  check(r_mstatus() & MSTATUS_MIE, MSTATUS_MIE);
  intr_off();
  check(r_mstatus() & MSTATUS_MIE, 0);
  group_end();
}

// Which accesses trap. A CSR is read-only when its address has bits 11:10 =
// 3; writing one is illegal, but csrrs/csrrc with rs1 = x0 and
// csrrsi/csrrci with uimm = 0 do not write, so they may read it.
static void csr_traps(void)
{
  group("csr traps");
  CHECK_NO_TRAP("csrrs t0, mhartid, x0");
  CHECK_NO_TRAP("csrrsi t0, mhartid, 0");
  CHECK_NO_TRAP("csrrc t0, cycle, x0");
  CHECK_NO_TRAP("csrrci t0, misa, 0");
  CHECK_ILLEGAL("csrw mhartid, zero", 0xf1401073);
  CHECK_ILLEGAL("csrrwi x0, mvendorid, 0", 0xf1105073);  // csrrw writes, even 0
  CHECK_ILLEGAL("csrw cycle, zero", 0xc0001073);         // (also known as `unimp`)
  CHECK_ILLEGAL("csrw time, t0", 0xc0129073);
  // CSRs that do not exist here: custom, supervisor, floating point.
  CHECK_ILLEGAL("csrr t0, 0x7c0", 0x7c0022f3);
  CHECK_ILLEGAL("csrr t0, satp", 0x180022f3);
  CHECK_ILLEGAL("csrr t0, fcsr", 0x003022f3);
  // A trapping CSR read leaves rd alone.
  uint32 v;
  catch_trap();
  asm volatile("li %0, 0x77\n\tcsrr %0, 0x7c0" : "=&r"(v) : : "memory");
  check(caught.armed, 0);
  check(v, 0x77);
  group_end();
}

static void mtvec_modes(void)
{
  uint32 base = (uint32)trap_vector;
  uint32 pc;

  group("mtvec");
  check(base & 3, 0);
  w_mtvec(base | MTVEC_DIRECT);
  check(r_mtvec(), base);
  catch_trap();
  asm volatile("auipc %0, 0\n\tecall" : "=r"(pc) : : "memory");
  check_trap(CAUSE_ECALL_M, pc + 4);
  // Vectored: interrupts go to base + 4 * cause, exceptions still to base.
  w_mtvec(base | MTVEC_VECTORED);
  check(r_mtvec(), base | MTVEC_VECTORED);
  caught.armed = 1;                       // (catch_trap() would reinstall direct mode)
  asm volatile("auipc %0, 0\n\tecall" : "=r"(pc) : : "memory");
  check_trap(CAUSE_ECALL_M, pc + 4);
  w_mtvec(base | MTVEC_DIRECT);
  group_end();
}

int main(int hartid)
{
  if (hartid != 0)
    park();
  ids();
  csr_ops();
  csr_traps();
  mtvec_modes();
  return all_passed();
}
