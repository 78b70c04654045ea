// spec_strict (spinlab only): rules of the privileged spec that QEMU 7.2
// bends, so they cannot be in the programs compared with QEMU. Where QEMU
// differs, the comment says how.

#include "defs.h"
#include "riscv.h"
#include "check.h"

// A vector that only skips the trapping instruction: 4 instructions, so that
// minstret across a trap is known. Uses t2 (the test clobbers it).
asm(".text\n"
    ".balign 4\n"
    "skip_vector:\n"
    "  csrr t2, mepc\n"
    "  addi t2, t2, 4\n"
    "  csrw mepc, t2\n"
    "  mret\n");
extern char skip_vector[];

// Machine and user mode, no S: mstatus.MPP holds M or U, and a write of S
// (1) or of the reserved 2 keeps the old value (as QEMU after 7.2 does,
// legalize_mpp). (QEMU 7.2 stores what is written.)
static void set_mpp(uint32 mpp)
{
  w_mstatus((r_mstatus() & ~MSTATUS_MPP_MASK) | (mpp << 11));
}

static void mpp(void)
{
  group("mstatus.MPP");
  set_mpp(3);
  set_mpp(1);
  check(r_mstatus() & MSTATUS_MPP_MASK, MSTATUS_MPP_M);
  set_mpp(2);
  check(r_mstatus() & MSTATUS_MPP_MASK, MSTATUS_MPP_M);
  set_mpp(0);
  check(r_mstatus() & MSTATUS_MPP_MASK, 0);
  set_mpp(1);
  check(r_mstatus() & MSTATUS_MPP_MASK, 0);
  // Trap entry records M, the mode the ecall came from; the mret sets U.
  catch_trap();
  asm volatile("ecall" : : : "memory");
  check(caught.mstatus & MSTATUS_MPP_MASK, MSTATUS_MPP_M);
  check(r_mstatus() & MSTATUS_MPP_MASK, 0);
  group_end();
}

// WARL bits that do not exist here read zero. (QEMU 7.2 keeps more mie and
// mip bits, and the low bits of mepc.)
static void warl(void)
{
  group("warl");
  w_mie(0xffffffff);
  check(r_mie(), MIE_MSIE | MIE_MTIE | MIE_MEIE);
  w_mie(0);
  // MSIP, MTIP and MEIP come from the CLINT and the PLIC: mip ignores writes.
  uint32 before = r_mip();
  CSR_WRITE(mip, 0xffffffff);
  uint32 after = r_mip();
  check(after & ~(MIE_MSIE | MIE_MTIE | MIE_MEIE), 0);
  check(after & MIE_MSIE, before & MIE_MSIE);
  // IALIGN = 32: mepc[1:0] read zero.
  w_mepc(0xffffffff);
  check(r_mepc(), 0xfffffffc);
  w_mepc(0x80000002);
  check(r_mepc(), 0x80000000);
  group_end();
}

static void csr_write_rule(void)
{
  group("csr write rule");
  // csrrs/csrrc with rs1 other than x0 are writes even when rs1 holds 0, so
  // on a read-only CSR they are illegal. (QEMU 7.2 looks at the value.)
  CHECK_ILLEGAL("csrrs t0, mhartid, t1", 0xf14322f3);
  CHECK_ILLEGAL("csrrc t0, cycle, t1", 0xc00332f3);
  group_end();
}

static void amo_faults(void)
{
  uint32 pc;

  group("amo faults");
  // An AMO that faults is a store/AMO access fault, cause 7. (QEMU 7.2: 5.)
  CHECK_TRAPS("amoswap.w t0, t0, (zero)", CAUSE_STORE_ACCESS, 0);
  CHECK_TRAPS("amoadd.w t0, t0, (zero)", CAUSE_STORE_ACCESS, 0);
  // jal and taken branches to a misaligned target: mtval is the target.
  // (QEMU 7.2 puts a stale pc there.)
  uint32 target;
  catch_trap();
  asm volatile("la %1, 1f + 2\n\tauipc %0, 0\n\tjal zero, 1f + 2\n\tnop\n1:\tnop"
               : "=r"(pc), "=&r"(target) : : "memory");
  check_trap(CAUSE_MISALIGNED_FETCH, pc + 4);
  check(caught.mtval, target);
  catch_trap();
  asm volatile("la %1, 1f + 2\n\tauipc %0, 0\n\tbeq zero, zero, 1f + 2\n\tnop\n1:\tnop"
               : "=r"(pc), "=&r"(target) : : "memory");
  check_trap(CAUSE_MISALIGNED_FETCH, pc + 4);
  check(caught.mtval, target);
  group_end();
}

// An instruction that traps does not retire: minstret across an ecall counts
// the handler's instructions (mret included) but not the ecall.
static void trap_retire(void)
{
  uint32 a, b;

  group("trap retire");
  w_mtvec((uint32)skip_vector);
  asm volatile("csrr %0, minstret\n\tecall\n\tcsrr %1, minstret" : "=&r"(a), "=r"(b) : : "t2", "memory");
  check(b - a, 1 + 4);
  asm volatile("csrr %0, minstret\n\t.word 0\n\tcsrr %1, minstret" : "=&r"(a), "=r"(b) : : "t2", "memory");
  check(b - a, 1 + 4);
  w_mtvec((uint32)trap_vector);
  group_end();
}

// A trigger's breakpoint reports the address it matched in mtval: the pc
// for execute, the access's address for loads and stores (debug spec 1.0,
// 5.5.2; privileged 3.1.16). (QEMU 7.2 leaves mtval 0.) tests/user_mode
// checks the rest of the triggers against QEMU.
#define MCONTROL_M_EXEC   ((2u << 28) | (1u << 6) | (1u << 2))
#define MCONTROL_M_STORE  ((2u << 28) | (1u << 6) | (1u << 1))
static volatile uint32 watched;
extern char strict_bp[];

static void trigger_mtval(void)
{
  uint32 pc;

  group("trigger mtval");
  CSR_WRITE(tselect, 0);
  pc = (uint32)strict_bp;
  CSR_WRITE(tdata2, pc);
  CSR_WRITE(tdata1, MCONTROL_M_EXEC);
  catch_trap();
  asm volatile(".globl strict_bp\nstrict_bp: nop" : : : "memory");
  check_trap(CAUSE_BREAKPOINT, pc);
  check(caught.mtval, pc);
  CSR_WRITE(tdata2, (uint32)&watched);
  CSR_WRITE(tdata1, MCONTROL_M_STORE);
  catch_trap();
  watched = 1;
  check(caught.armed, 0);
  check(caught.mtval, (uint32)&watched);
  check(watched, 0);
  CSR_WRITE(tdata1, 2u << 28);
  group_end();
}

int main(int hartid)
{
  if (hartid != 0)
    park();
  mpp();
  trigger_mtval();
  warl();
  csr_write_rule();
  amo_faults();
  trap_retire();
  return all_passed();
}
