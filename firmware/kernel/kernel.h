/* The teaching kernel (firmware/kernel/): a trap entry that saves every
 * register, the timer tick under `tickslock`, per-hart state, and the
 * spinlock family -- the right ways to take a lock and the wrong ones the
 * scenarios (firmware/scenarios/) show. The drivers and interrupt dispatch it
 * builds on are firmware/lib's (clint.h, plic.h, intr.h). */
#ifndef KERNEL_H
#define KERNEL_H

#include "types.h"

/* ---- spinlock.c ---------------------------------------------------------
 * The lock word comes first, so a lock's ELF symbol (`tickslock`) is the
 * address of its word: the simulator's monitor names locks by it. */
struct spinlock {
  uint32 locked;      /* 0: free; 1: held */
  const char *name;   /* for panics */
  int hart;           /* the holder, set by acquire() only (holding()); else -1 */
};

#define SPINLOCK_INIT(n) { 0, (n), -1 }

/* Racy on purpose: a load, a compare and a store, three separate steps. */
void naive_lock(struct spinlock *lk);
void naive_unlock(struct spinlock *lk);

/* Test-and-set with amoswap; interrupts untouched. */
void spin_lock(struct spinlock *lk);
void spin_unlock(struct spinlock *lk);

/* Saves this hart's interrupt state in *flags, disables, locks; unlocks,
 * then restores exactly that state. */
void spin_lock_irqsave(struct spinlock *lk, uint32 *flags);
void spin_unlock_irqrestore(struct spinlock *lk, uint32 flags);

/* Disables, locks; unlocks, enables -- unconditionally. Only for code that
 * knows interrupts were on (scenarios/irq_wrong.c shows why). */
void spin_lock_irq(struct spinlock *lk);
void spin_unlock_irq(struct spinlock *lk);

/* xv6: nesting-counted interrupt disabling (push_off/pop_off), holder
 * checks, panics on misuse. */
void acquire(struct spinlock *lk);
void release(struct spinlock *lk);
int holding(struct spinlock *lk);
void push_off(void);
void pop_off(void);

/* WRONG: sets the lock word first, then push_off (scenarios/pushoff_order.c). */
void acquire_late_pushoff(struct spinlock *lk);

/* ---- cpu.c --------------------------------------------------------------
 * Per-hart state. A hart only ever touches its own entry while running;
 * hart 0 may read the others' counters when they are done. */
struct cpu {
  int noff;            /* push_off depth */
  int intena;          /* were interrupts on before the first push_off? */
  uint32 spins;        /* failed test-and-set attempts, in any lock function */
  uint32 ticks;        /* timer interrupts this hart took */
  uint32 intrs;        /* interrupts of any kind this hart took */
  uint32 last_epc;     /* where the last interrupt came in */
  uint64 timer_next;   /* mtimecmp of the next tick */
  uint32 timer_interval;  /* mtime ticks between ticks; 0: one tick only */
};

struct cpu *mycpu(void);
struct cpu *getcpu(int hart);
void busy_wait(uint32 cycles);    /* work for `cycles` cycles without touching memory */

/* ---- trap.c, kernelvec.S ------------------------------------------------ */

/* Every register of the interrupted code, x1..x31 in order, then the trap
 * CSRs. kernelvec builds it on the stack; kernelvec.S hard-codes the offsets. */
struct trapframe {
  uint32 ra, sp, gp, tp, t0, t1, t2, s0, s1;
  uint32 a0, a1, a2, a3, a4, a5, a6, a7;
  uint32 s2, s3, s4, s5, s6, s7, s8, s9, s10, s11;
  uint32 t3, t4, t5, t6;
  uint32 mepc, mcause, mtval, mstatus;
};

extern struct spinlock tickslock;
extern volatile uint32 ticks;       /* timer ticks, all harts together; under tickslock */

void trap_init(void);               /* this hart: mtvec = kernelvec, the kernel's handlers */
void kerneltrap(struct trapframe *tf);
void timer_start(uint64 first, uint32 interval);  /* this hart's tick, at mtime `first` */
void clockintr(void);

/* ---- firmware parameters ------------------------------------------------
 * A value a config can set: spinlab writes [firmware.params] NAME = n into
 * the word at symbol NAME before the harts start. The word must be in .data,
 * not .bss (hart 0 zeroes .bss at start-up, which would undo the write), hence
 * the section; the default is what QEMU, or a run without the key, sees. */
#define FIRMWARE_PARAM(name, dflt) \
  volatile uint32 name __attribute__((section(".data." #name), used)) = (dflt)

#endif
