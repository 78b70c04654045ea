/* Machine-mode CSRs and a few instructions, as small inline functions:
 * r_<csr>() reads, w_<csr>(x) writes (after xv6's riscv.h). */
#ifndef RISCV_H
#define RISCV_H

#include "types.h"

/* mstatus */
#define MSTATUS_MIE       (1u << 3)    /* machine interrupts enabled */
#define MSTATUS_MPIE      (1u << 7)    /* MIE before the last trap */
#define MSTATUS_MPP_MASK  (3u << 11)   /* privilege before the last trap */
#define MSTATUS_MPP_M     (3u << 11)

/* mie / mip */
#define MIE_MSIE  (1u << 3)   /* software (CLINT msip) */
#define MIE_MTIE  (1u << 7)   /* timer (CLINT mtimecmp) */
#define MIE_MEIE  (1u << 11)  /* external (PLIC) */

/* mcause: exception codes; interrupts have the top bit set. */
#define MCAUSE_INTR             0x80000000u
#define CAUSE_MISALIGNED_FETCH  0
#define CAUSE_FETCH_ACCESS      1
#define CAUSE_ILLEGAL_INSN      2
#define CAUSE_BREAKPOINT        3
#define CAUSE_MISALIGNED_LOAD   4
#define CAUSE_LOAD_ACCESS       5
#define CAUSE_MISALIGNED_STORE  6   /* store or AMO */
#define CAUSE_STORE_ACCESS      7   /* store or AMO */
#define CAUSE_ECALL_M           11

/* mtvec: the handler's address in the upper bits, the mode in bits 1:0. */
#define MTVEC_DIRECT    0u   /* every trap goes to the base */
#define MTVEC_VECTORED  1u   /* interrupt n goes to base + 4n */

/* A CSR named by its assembler name, read and written. */
#define CSR_READ(name)  ({ uint32 _x; asm volatile("csrr %0, " #name : "=r"(_x)); _x; })
#define CSR_WRITE(name, x)  asm volatile("csrw " #name ", %0" : : "r"(x))

static inline uint32 r_mhartid(void) { return CSR_READ(mhartid); }
static inline uint32 r_misa(void) { return CSR_READ(misa); }

static inline uint32 r_mstatus(void) { return CSR_READ(mstatus); }
static inline void w_mstatus(uint32 x) { CSR_WRITE(mstatus, x); }

static inline uint32 r_mie(void) { return CSR_READ(mie); }
static inline void w_mie(uint32 x) { CSR_WRITE(mie, x); }
static inline uint32 r_mip(void) { return CSR_READ(mip); }

static inline uint32 r_mtvec(void) { return CSR_READ(mtvec); }
static inline void w_mtvec(uint32 x) { CSR_WRITE(mtvec, x); }

static inline uint32 r_mscratch(void) { return CSR_READ(mscratch); }
static inline void w_mscratch(uint32 x) { CSR_WRITE(mscratch, x); }

static inline uint32 r_mepc(void) { return CSR_READ(mepc); }
static inline void w_mepc(uint32 x) { CSR_WRITE(mepc, x); }
static inline uint32 r_mcause(void) { return CSR_READ(mcause); }
static inline uint32 r_mtval(void) { return CSR_READ(mtval); }

static inline uint32 r_mcycle(void) { return CSR_READ(mcycle); }
static inline uint32 r_minstret(void) { return CSR_READ(minstret); }
static inline uint32 r_cycle(void) { return CSR_READ(cycle); }
static inline uint32 r_instret(void) { return CSR_READ(instret); }
static inline uint32 r_time(void) { return CSR_READ(time); }

/* The 64-bit counters, read as two halves: if the high half changed while
 * the low half was read, the low half wrapped in between, so read again. */
static inline uint64 r_cycle64(void)
{
  uint32 hi, lo;
  do {
    hi = CSR_READ(cycleh);
    lo = CSR_READ(cycle);
  } while (hi != CSR_READ(cycleh));
  return ((uint64)hi << 32) | lo;
}

static inline uint64 r_instret64(void)
{
  uint32 hi, lo;
  do {
    hi = CSR_READ(instreth);
    lo = CSR_READ(instret);
  } while (hi != CSR_READ(instreth));
  return ((uint64)hi << 32) | lo;
}

static inline uint64 r_time64(void)
{
  uint32 hi, lo;
  do {
    hi = CSR_READ(timeh);
    lo = CSR_READ(time);
  } while (hi != CSR_READ(timeh));
  return ((uint64)hi << 32) | lo;
}

/* Machine-mode interrupts on and off, and whether they are on. */
/* (The "memory" clobber keeps the compiler from moving memory accesses
 * across them: a critical section stays inside.) */
static inline void intr_on(void) { asm volatile("csrs mstatus, %0" : : "r"(MSTATUS_MIE) : "memory"); }
static inline void intr_off(void) { asm volatile("csrc mstatus, %0" : : "r"(MSTATUS_MIE) : "memory"); }
static inline int intr_get(void) { return (r_mstatus() & MSTATUS_MIE) != 0; }

/* Sleeps until an interrupt is pending (mip & mie), whether or not MIE is set. */
static inline void wfi(void) { asm volatile("wfi"); }

#endif
