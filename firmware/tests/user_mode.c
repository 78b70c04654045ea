// user_mode: machine and user mode with PMP and debug triggers (RISC-V
// privileged 1.12: 3.1.6 mstatus, 3.1.12 mcounteren, 3.3 mret/wfi, 3.7 PMP;
// debug spec 1.0, chapter 5: triggers). M mode sets up the PMP, drops to U
// mode with mret, and U code makes system calls with ecall; forbidden
// accesses, CSRs and instructions trap with the right cause and mtval.
//
// U code is written in assembly (below), so that each trapping instruction
// has a label to compare mepc with. enter_user(fn, arg) runs fn(arg) in U
// mode on the user stack and returns what it returned (its SYS_DONE ecall).
// While U code runs, traps go to uvec, which serves SYS_ADD, records any
// other trap in `utrap` and resumes U code after the trapping instruction
// (after a fetch fault, at ra; after an interrupt, at mepc).
//
// QEMU 7.2 runs it with u, pmp and debug on (tests/e2e/run_qemu.sh) and
// prints the same. What it lacks is tested on spinlab alone (spec_strict,
// tests/isa): mtval of a trigger's breakpoint (QEMU leaves 0), the trigger
// match types other than equal, tdata1 = 0 disabling a trigger (QEMU keeps
// the old value), tinfo's version and type 15, the read-only-zero hpm bits
// of mcounteren and S-mode bits of mstatus, and MPP's WARL rule.

#include "defs.h"
#include "memmap.h"
#include "riscv.h"
#include "check.h"

#define CAUSE_ECALL_U   8
#define MSTATUS_MPRV    (1u << 17)
#define MSTATUS_TW      (1u << 21)
#define MCOUNTEREN_CY   (1u << 0)
#define MCOUNTEREN_TM   (1u << 1)
#define MCOUNTEREN_IR   (1u << 2)

// pmpcfg fields (3.7.1).
#define PMP_R      0x01u
#define PMP_W      0x02u
#define PMP_X      0x04u
#define PMP_TOR    0x08u
#define PMP_NAPOT  0x18u
#define PMP_L      0x80u

// tdata1 for an mcontrol trigger (type 2): match on address, action 0
// (breakpoint exception), in the modes and on the kinds given.
#define MCONTROL        (2u << 28)
#define MCONTROL6       (6u << 28)
#define MCONTROL_M      (1u << 6)
#define MCONTROL_U      (1u << 3)
#define MCONTROL_EXEC   (1u << 2)
#define MCONTROL_STORE  (1u << 1)
#define MCONTROL_LOAD   (1u << 0)

#define SYS_ADD   1
#define SYS_DONE  2

#define UNTOUCHED 0x5a5au

// Regions. U may read and write user_mem (its stack too), read user_ro, and
// read and run the program's image; secret is an image word U may not touch.
#define USER_MEM_BYTES 1024
static uint8 user_mem[USER_MEM_BYTES] __attribute__((aligned(USER_MEM_BYTES)));
static uint32 user_ro[16] __attribute__((aligned(64)));
static uint32 secret[16] __attribute__((aligned(64)));
static uint32 m_locked[16] __attribute__((aligned(64)));
extern char _end[];

// What uvec saw of the last trap it recorded, and how many it recorded.
struct utrap {
  uint32 count;
  uint32 mcause;
  uint32 mepc;
  uint32 mtval;
};
volatile struct utrap utrap;

// enter_user's saved M context: sp, ra, s0-s11, mtvec (uvec restores it).
uint32 usave[2 + 12 + 1 + 2];
uint32 *user_stack_top = (uint32 *)(user_mem + USER_MEM_BYTES);

uint32 enter_user(void (*fn)(void), uint32 arg);
void u_nop(void), u_syscalls(void), u_load(void), u_store(void), u_amo(void), u_jump(void);
void u_csr_mstatus(void), u_cycle(void), u_time(void), u_instret(void), u_mret(void), u_wfi(void);
extern char u_load_insn[], u_store_insn[], u_amo_insn[], u_csr_mstatus_insn[], u_cycle_insn[];
extern char u_time_insn[], u_instret_insn[], u_mret_insn[], u_wfi_insn[], u_syscalls_ecall[];
extern char bp_target[];

asm(".text\n"
    ".balign 4\n"
    "uvec:\n"
    "  csrrw t6, mscratch, t6\n"        // t6 = usave; mscratch = U's t6
    "  sw t0, 60(t6)\n"                 // (usave[15], [16]: scratch)
    "  sw t1, 64(t6)\n"
    "  csrr t0, mcause\n"
    "  bltz t0, uvec_record\n"          // an interrupt
    "  li t1, 8\n"                      // ecall from U
    "  bne t0, t1, uvec_record\n"
    "  li t1, 2\n"                      // SYS_DONE: back to enter_user's caller
    "  beq a7, t1, uvec_done\n"
    "  add a0, a0, a1\n"                // SYS_ADD, the one service
    "  j uvec_skip\n"
    "uvec_record:\n"
    "  la t1, utrap\n"
    "  sw t0, 4(t1)\n"
    "  csrr t0, mepc\n"
    "  sw t0, 8(t1)\n"
    "  csrr t0, mtval\n"
    "  sw t0, 12(t1)\n"
    "  lw t0, 0(t1)\n"
    "  addi t0, t0, 1\n"
    "  sw t0, 0(t1)\n"
    "  lw t0, 4(t1)\n"
    "  bgez t0, 1f\n"
    "  li t1, 0x02000000\n"             // an interrupt: msip = 0, resume at mepc
    "  sw zero, 0(t1)\n"
    "  j uvec_resume\n"
    "1:li t1, 1\n"                      // a fetch fault: resume at ra
    "  bne t0, t1, uvec_skip\n"
    "  csrw mepc, ra\n"
    "  j uvec_resume\n"
    "uvec_skip:\n"
    "  csrr t0, mepc\n"
    "  addi t0, t0, 4\n"
    "  csrw mepc, t0\n"
    "uvec_resume:\n"
    "  lw t0, 60(t6)\n"
    "  lw t1, 64(t6)\n"
    "  csrrw t6, mscratch, t6\n"
    "  mret\n"
    "uvec_done:\n"                      // M mode again: return from enter_user
    "  lw sp, 0(t6)\n"
    "  lw ra, 4(t6)\n"
    "  lw s0, 8(t6)\n  lw s1, 12(t6)\n  lw s2, 16(t6)\n  lw s3, 20(t6)\n"
    "  lw s4, 24(t6)\n  lw s5, 28(t6)\n  lw s6, 32(t6)\n  lw s7, 36(t6)\n"
    "  lw s8, 40(t6)\n  lw s9, 44(t6)\n  lw s10, 48(t6)\n  lw s11, 52(t6)\n"
    "  lw t0, 56(t6)\n"
    "  csrw mtvec, t0\n"
    "  ret\n"
    "\n"
    ".globl enter_user\n"
    "enter_user:\n"                     // a0 = fn, a1 = its argument
    "  la t6, usave\n"
    "  sw sp, 0(t6)\n"
    "  sw ra, 4(t6)\n"
    "  sw s0, 8(t6)\n  sw s1, 12(t6)\n  sw s2, 16(t6)\n  sw s3, 20(t6)\n"
    "  sw s4, 24(t6)\n  sw s5, 28(t6)\n  sw s6, 32(t6)\n  sw s7, 36(t6)\n"
    "  sw s8, 40(t6)\n  sw s9, 44(t6)\n  sw s10, 48(t6)\n  sw s11, 52(t6)\n"
    "  csrr t0, mtvec\n"
    "  sw t0, 56(t6)\n"
    "  csrw mscratch, t6\n"
    "  la t0, uvec\n"
    "  csrw mtvec, t0\n"
    "  csrw mepc, a0\n"
    "  li t0, 0x1800\n"                 // MPP = U
    "  csrc mstatus, t0\n"
    "  mv a0, a1\n"
    "  lw sp, user_stack_top\n"
    "  la ra, user_exit\n"
    "  mret\n"
    "user_exit:\n"
    "  li a7, 2\n"                      // SYS_DONE, a0 = the result
    "  ecall\n"
    "\n"
    // U code. Each returns UNTOUCHED where a trapping instruction would
    // have written a0.
    ".globl u_nop, u_syscalls, u_load, u_store, u_amo, u_jump, u_csr_mstatus\n"
    ".globl u_cycle, u_time, u_instret, u_mret, u_wfi\n"
    ".globl u_load_insn, u_store_insn, u_amo_insn, u_csr_mstatus_insn, u_cycle_insn\n"
    ".globl u_time_insn, u_instret_insn, u_mret_insn, u_wfi_insn, u_syscalls_ecall\n"
    "u_nop:\n"
    "  ret\n"
    "u_syscalls:\n"                     // a0 + 1 + 2, by two system calls
    "  li a7, 1\n"
    "  li a1, 1\n"
    "u_syscalls_ecall:\n"
    "  ecall\n"
    "  li a1, 2\n"
    "  ecall\n"
    "  ret\n"
    "u_load:\n"                         // the word at a0
    "  mv t0, a0\n"
    "  li a0, 0x5a5a\n"
    "u_load_insn:\n"
    "  lw a0, 0(t0)\n"
    "  ret\n"
    "u_store:\n"                        // stores 0x1234 at a0
    "  li t0, 0x1234\n"
    "u_store_insn:\n"
    "  sw t0, 0(a0)\n"
    "  ret\n"
    "u_amo:\n"                          // amoadd 1 at a0: the old word
    "  mv t0, a0\n"
    "  li t1, 1\n"
    "  li a0, 0x5a5a\n"
    "u_amo_insn:\n"
    "  amoadd.w a0, t1, (t0)\n"
    "  ret\n"
    "u_jump:\n"                         // calls a0
    "  mv t2, ra\n"
    "  jalr ra, 0(a0)\n"
    "  mv ra, t2\n"
    "  li a0, 0x5a5a\n"
    "  ret\n"
    "u_csr_mstatus:\n"
    "  li a0, 0x5a5a\n"
    "u_csr_mstatus_insn:\n"
    "  csrr a0, mstatus\n"
    "  ret\n"
    "u_cycle:\n"                        // 1 (utrap says whether the read trapped)
    "u_cycle_insn:\n"
    "  csrr t0, cycle\n"
    "  li a0, 1\n"
    "  ret\n"
    "u_time:\n"
    "u_time_insn:\n"
    "  csrr t0, time\n"
    "  li a0, 1\n"
    "  ret\n"
    "u_instret:\n"
    "u_instret_insn:\n"
    "  csrr t0, instret\n"
    "  li a0, 1\n"
    "  ret\n"
    "u_mret:\n"
    "u_mret_insn:\n"
    "  mret\n"
    "  ret\n"
    "u_wfi:\n"
    "u_wfi_insn:\n"
    "  wfi\n"
    "  ret\n");

static uint32 napot(void *base, uint32 bytes)
{
  return ((uint32)base >> 2) | ((bytes >> 3) - 1);
}

// Entries 0-2 are NAPOT regions; entries 3-4 are a TOR range over the image.
static void pmp_setup(void)
{
  CSR_WRITE(pmpaddr0, napot(secret, sizeof secret));
  CSR_WRITE(pmpaddr1, napot(user_ro, sizeof user_ro));
  CSR_WRITE(pmpaddr2, napot(user_mem, sizeof user_mem));
  CSR_WRITE(pmpaddr3, RAM_BASE >> 2);
  CSR_WRITE(pmpaddr4, (uint32)_end >> 2);
  CSR_WRITE(pmpcfg0, PMP_NAPOT << 0 | (PMP_NAPOT | PMP_R) << 8 | (PMP_NAPOT | PMP_R | PMP_W) << 16);
  CSR_WRITE(pmpcfg1, PMP_TOR | PMP_R | PMP_X);
}

// Runs fn(arg) in U mode and checks that it trapped once, with this cause,
// at `epc` with this mtval; returns what fn returned.
static uint32 user_traps(void (*fn)(void), uint32 arg, uint32 cause, void *epc, uint32 tval)
{
  utrap.count = 0;
  uint32 r = enter_user(fn, arg);
  check(utrap.count, 1);
  check(utrap.mcause, cause);
  check(utrap.mepc, (uint32)epc);
  check(utrap.mtval, tval);
  return r;
}

static uint32 user_runs(void (*fn)(void), uint32 arg)
{
  utrap.count = 0;
  uint32 r = enter_user(fn, arg);
  check(utrap.count, 0);
  return r;
}

static void pmp_csrs(void)
{
  group("pmp csrs");
  pmp_setup();
  check(CSR_READ(pmpaddr0), napot(secret, sizeof secret));
  check(CSR_READ(pmpaddr4), (uint32)_end >> 2);
  check(CSR_READ(pmpcfg0), PMP_NAPOT | (PMP_NAPOT | PMP_R) << 8 | (PMP_NAPOT | PMP_R | PMP_W) << 16);
  check(CSR_READ(pmpcfg1), PMP_TOR | PMP_R | PMP_X);
  // pmpaddr15 and pmpcfg3 exist (16 entries); reads of an OFF entry
  // show the granularity: 4 bytes, every bit kept.
  CSR_WRITE(pmpaddr15, 0xffffffff);
  check(CSR_READ(pmpaddr15), 0xffffffff);
  CSR_WRITE(pmpaddr15, 0);
  check(CSR_READ(pmpcfg3), 0);
  group_end();
}

static void syscalls(void)
{
  group("user mode and ecall");
  check(user_runs(u_syscalls, 40), 43);
  check(user_runs(u_nop, 7), 7);
  check(r_mstatus() & MSTATUS_MPP_MASK, 0);   // the SYS_DONE ecall came from U
  group_end();
}

static void user_pmp(void)
{
  group("user pmp");
  user_ro[0] = 0xfeed;
  secret[0] = 0x5ec7e7;
  ((uint32 *)user_mem)[0] = 0xda7a;
  check(user_runs(u_load, (uint32)user_mem), 0xda7a);
  user_runs(u_store, (uint32)user_mem);
  check(((uint32 *)user_mem)[0], 0x1234);
  check(user_runs(u_amo, (uint32)user_mem), 0x1234);
  check(((uint32 *)user_mem)[0], 0x1235);
  check(user_runs(u_load, (uint32)user_ro), 0xfeed);
  check(user_runs(u_load, (uint32)u_load), *(uint32 *)u_load);  // the image is readable

  // Refused: the access never happens, rd keeps its value.
  check(user_traps(u_load, (uint32)secret, CAUSE_LOAD_ACCESS, u_load_insn, (uint32)secret), UNTOUCHED);
  user_traps(u_store, (uint32)&secret[1], CAUSE_STORE_ACCESS, u_store_insn, (uint32)&secret[1]);
  check(secret[1], 0);
  user_traps(u_store, (uint32)user_ro, CAUSE_STORE_ACCESS, u_store_insn, (uint32)user_ro);
  check(user_ro[0], 0xfeed);
  check(user_traps(u_amo, (uint32)user_ro, CAUSE_STORE_ACCESS, u_amo_insn, (uint32)user_ro), UNTOUCHED);
  check(user_ro[0], 0xfeed);
  user_traps(u_store, (uint32)u_nop, CAUSE_STORE_ACCESS, u_store_insn, (uint32)u_nop);
  // No entry matches: U mode fails (devices and RAM past the image alike).
  user_traps(u_load, UART0_BASE, CAUSE_LOAD_ACCESS, u_load_insn, UART0_BASE);
  user_traps(u_load, (uint32)_end, CAUSE_LOAD_ACCESS, u_load_insn, (uint32)_end);
  // Fetch needs X: user_mem has none; mepc = mtval = the target.
  user_traps(u_jump, (uint32)user_mem, CAUSE_FETCH_ACCESS, user_mem, (uint32)user_mem);
  user_traps(u_jump, (uint32)_end, CAUSE_FETCH_ACCESS, _end, (uint32)_end);
  group_end();
}

static void machine_pmp(void)
{
  group("machine pmp");
  // Unlocked entries do not bind M mode.
  secret[2] = 0x77;
  check(secret[2], 0x77);
  // MPRV = 1 with MPP = U: M-mode loads and stores are checked as U's.
  w_mstatus(r_mstatus() & ~MSTATUS_MPP_MASK);
  catch_trap();
  uint32 v = UNTOUCHED, epc;
  asm volatile("li t1, %3\n\t"
               "csrs mstatus, t1\n\t"
               "auipc %1, 0\n\t"
               "lw %0, 8(%2)\n\t"
               "csrc mstatus, t1"
               : "+r"(v), "=&r"(epc) : "r"(secret), "i"(MSTATUS_MPRV) : "t1", "memory");
  check_trap(CAUSE_LOAD_ACCESS, epc + 4);
  check(caught.mtval, (uint32)&secret[2]);
  check(v, UNTOUCHED);
  w_mstatus(r_mstatus() & ~MSTATUS_MPP_MASK);
  ((uint32 *)user_mem)[1] = 0x600d;
  asm volatile("li t1, %2\n\t"
               "csrs mstatus, t1\n\t"
               "lw %0, 4(%1)\n\t"
               "csrc mstatus, t1"
               : "=&r"(v) : "r"(user_mem), "i"(MSTATUS_MPRV) : "t1", "memory");
  check(v, 0x600d);
  check(r_mstatus() & MSTATUS_MPRV, 0);
  group_end();
}

static void user_csrs(void)
{
  group("user csrs");
  // U touching an M CSR, mret in U: illegal, mtval = the instruction.
  check(user_traps(u_csr_mstatus, 0, CAUSE_ILLEGAL_INSN, u_csr_mstatus_insn, 0x30002573), UNTOUCHED);
  user_traps(u_mret, 0, CAUSE_ILLEGAL_INSN, u_mret_insn, 0x30200073);
  // wfi in U with mstatus.TW = 1: illegal (there is no S mode).
  w_mstatus(r_mstatus() | MSTATUS_TW);
  user_traps(u_wfi, 0, CAUSE_ILLEGAL_INSN, u_wfi_insn, 0x10500073);
  w_mstatus(r_mstatus() & ~MSTATUS_TW);
  // Counters: U reads one only when its mcounteren bit is set.
  CSR_WRITE(mcounteren, 0);
  user_traps(u_cycle, 0, CAUSE_ILLEGAL_INSN, u_cycle_insn, 0xc00022f3);
  user_traps(u_time, 0, CAUSE_ILLEGAL_INSN, u_time_insn, 0xc01022f3);
  user_traps(u_instret, 0, CAUSE_ILLEGAL_INSN, u_instret_insn, 0xc02022f3);
  CSR_WRITE(mcounteren, MCOUNTEREN_CY | MCOUNTEREN_TM | MCOUNTEREN_IR);
  check(CSR_READ(mcounteren) & 7, 7);
  check(user_runs(u_cycle, 0), 1);
  check(user_runs(u_time, 0), 1);
  check(user_runs(u_instret, 0), 1);
  CSR_WRITE(mcounteren, MCOUNTEREN_TM);
  user_traps(u_cycle, 0, CAUSE_ILLEGAL_INSN, u_cycle_insn, 0xc00022f3);
  check(user_runs(u_time, 0), 1);
  CSR_WRITE(mcounteren, 0);
  group_end();
}

// A machine interrupt is taken in U mode even with mstatus.MIE = 0 (3.1.6.1):
// msip is pending and enabled before the mret to U.
static void user_interrupt(void)
{
  group("interrupt in user mode");
  check(r_mstatus() & MSTATUS_MIE, 0);
  w_mie(MIE_MSIE);
  *(volatile uint32 *)CLINT_MSIP(0) = 1;
  utrap.count = 0;
  check(enter_user(u_nop, 5), 5);
  check(utrap.count, 1);
  check(utrap.mcause, MCAUSE_INTR | 3);
  check(utrap.mepc, (uint32)u_nop);      // taken before u_nop's first instruction
  check(utrap.mtval, 0);
  check(*(volatile uint32 *)CLINT_MSIP(0), 0);
  w_mie(0);
  group_end();
}

static void triggers(void)
{
  uint32 v, epc;

  group("triggers");
  CSR_WRITE(tselect, 0);
  check(CSR_READ(tselect), 0);
  // Execute: before the instruction; mepc = the instruction.
  epc = (uint32)bp_target;
  CSR_WRITE(tdata2, epc);
  CSR_WRITE(tdata1, MCONTROL | MCONTROL_M | MCONTROL_EXEC);
  check(CSR_READ(tdata1), MCONTROL | MCONTROL_M | MCONTROL_EXEC);
  catch_trap();
  v = 1;
  asm volatile(".globl bp_target\nbp_target: li %0, 2" : "+r"(v));   // skipped by the handler
  check_trap(CAUSE_BREAKPOINT, epc);
  check(v, 1);
  // Load and store: before the access. (mtval = the address: spec_strict,
  // since QEMU 7.2 leaves mtval 0 for triggers.)
  CSR_WRITE(tdata1, MCONTROL | MCONTROL_M | MCONTROL_LOAD);
  CSR_WRITE(tdata2, (uint32)&user_ro[4]);
  user_ro[4] = 0x44;
  catch_trap();
  v = UNTOUCHED;
  asm volatile("auipc %1, 0\n\tlw %0, 0(%2)" : "+r"(v), "=&r"(epc) : "r"(&user_ro[4]) : "memory");
  check_trap(CAUSE_BREAKPOINT, epc + 4);
  check(v, UNTOUCHED);
  catch_trap();
  asm volatile("sw %0, 0(%0)" : : "r"(&user_ro[5]) : "memory");   // another word
  asm volatile("sw %0, 0(%0)" : : "r"(&user_ro[4]) : "memory");   // loads only
  check(caught.armed, 1);
  user_ro[4] = 0x44;
  CSR_WRITE(tdata1, MCONTROL | MCONTROL_M | MCONTROL_STORE);
  catch_trap();
  asm volatile("auipc %0, 0\n\tsw %0, 0(%1)" : "=&r"(epc) : "r"(&user_ro[4]) : "memory");
  check_trap(CAUSE_BREAKPOINT, epc + 4);
  check(user_ro[4], 0x44);               // the store did not happen
  // A second trigger; both fire.
  CSR_WRITE(tselect, 1);
  check(CSR_READ(tselect), 1);
  CSR_WRITE(tdata2, (uint32)&user_ro[5]);
  CSR_WRITE(tdata1, MCONTROL | MCONTROL_M | MCONTROL_LOAD);
  catch_trap();
  asm volatile("auipc %1, 0\n\tlw %0, 0(%2)" : "=r"(v), "=&r"(epc) : "r"(&user_ro[5]) : "memory");
  check_trap(CAUSE_BREAKPOINT, epc + 4);
  catch_trap();
  asm volatile("auipc %0, 0\n\tsw %0, 0(%1)" : "=&r"(epc) : "r"(&user_ro[4]) : "memory");
  check_trap(CAUSE_BREAKPOINT, epc + 4);
  // U-mode triggers: the u bit; m clear, so M mode does not fire.
  CSR_WRITE(tdata2, (uint32)user_mem);
  CSR_WRITE(tdata1, MCONTROL | MCONTROL_U | MCONTROL_LOAD);
  utrap.count = 0;
  check(enter_user(u_load, (uint32)user_mem), UNTOUCHED);
  check(utrap.count, 1);
  check(utrap.mcause, CAUSE_BREAKPOINT);
  check(utrap.mepc, (uint32)u_load_insn);
  catch_trap();
  asm volatile("lw t0, 0(%0)" : : "r"(user_mem) : "t0", "memory");
  check(caught.armed, 1);
  // The same with an mcontrol6 (type 6) trigger.
  CSR_WRITE(tdata2, (uint32)&user_ro[6]);
  CSR_WRITE(tdata1, MCONTROL6 | MCONTROL_M | MCONTROL_STORE);
  check(CSR_READ(tdata1), MCONTROL6 | MCONTROL_M | MCONTROL_STORE);
  catch_trap();
  asm volatile("auipc %0, 0\n\tsw %0, 0(%1)" : "=&r"(epc) : "r"(&user_ro[6]) : "memory");
  check_trap(CAUSE_BREAKPOINT, epc + 4);
  check(user_ro[6], 0);
  // Off: type 2 with no mode and no kind.
  CSR_WRITE(tdata1, MCONTROL);
  CSR_WRITE(tselect, 0);
  CSR_WRITE(tdata1, MCONTROL);
  check(user_runs(u_load, (uint32)user_mem), ((uint32 *)user_mem)[0]);
  group_end();
}

// Last, since only a reset unlocks it: a locked entry binds M mode too,
// and its pmpcfg and pmpaddr ignore writes. It is entry 0 (secret's until
// now): the lowest-numbered matching entry decides, and the image's TOR
// entry 4, unlocked, would let M mode through.
static void locked(void)
{
  group("locked pmp entry");
  m_locked[0] = 0x10c;
  CSR_WRITE(pmpaddr0, napot(m_locked, sizeof m_locked));
  CSR_WRITE(pmpcfg0, (CSR_READ(pmpcfg0) & ~0xffu) | PMP_L | PMP_NAPOT | PMP_R);
  check(CSR_READ(pmpcfg0) & 0xff, PMP_L | PMP_NAPOT | PMP_R);
  check(m_locked[0], 0x10c);
  uint32 epc;
  catch_trap();
  asm volatile("auipc %0, 0\n\tsw %0, 4(%1)" : "=&r"(epc) : "r"(m_locked) : "memory");
  check_trap(CAUSE_STORE_ACCESS, epc + 4);
  check(caught.mtval, (uint32)&m_locked[1]);
  check(m_locked[1], 0);
  CSR_WRITE(pmpcfg0, 0);
  check(CSR_READ(pmpcfg0), PMP_L | PMP_NAPOT | PMP_R);
  CSR_WRITE(pmpaddr0, 0);
  check(CSR_READ(pmpaddr0), napot(m_locked, sizeof m_locked));
  group_end();
}

int main(int hartid)
{
  if (hartid != 0)
    park();
  pmp_csrs();
  syscalls();
  user_pmp();
  machine_pmp();
  user_csrs();
  user_interrupt();
  triggers();
  locked();
  return all_passed();
}
