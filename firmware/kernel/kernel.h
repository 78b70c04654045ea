/* The teaching kernel (firmware/kernel/): a trap entry that saves every
 * register, the timer tick under `tickslock`, per-hart state, the spinlock
 * family -- the right ways to take a lock and the wrong ones the scenarios
 * (firmware/scenarios/) show --, kernel and user threads with a scheduler,
 * preemption as Linux does it, and sleeping locks. The drivers and interrupt
 * dispatch it builds on are firmware/lib's (clint.h, plic.h, intr.h). */
#ifndef KERNEL_H
#define KERNEL_H

#include "types.h"
#include "param.h"
#include "riscv.h"

/* ---- firmware parameters ------------------------------------------------
 * A value a config can set: spinlab writes [firmware.params] NAME = n into
 * the word at symbol NAME before the harts start. The word must be in .data,
 * not .bss (hart 0 zeroes .bss at start-up, which would undo the write), hence
 * the section; the default is what QEMU, or a run without the key, sees. */
#define FIRMWARE_PARAM(name, dflt) \
  volatile uint32 name __attribute__((section(".data." #name), used)) = (dflt)

/* The kernel's own, as Linux's Kconfig would have them (defined in
 * spinlock.c and sched.c; set with [firmware.params]). */
extern volatile uint32 CONFIG_SMP;      /* 1: spin locks use the lock word; 0: the UP build */
extern volatile uint32 CONFIG_PREEMPT;  /* 1: preemption points 2 and 3 are on */
extern volatile uint32 sched_slice;     /* mtime ticks between scheduler ticks */
extern volatile uint32 switch_cost;     /* extra cycles each context switch costs (0) */

/* ---- spinlock.c ---------------------------------------------------------
 * The lock word comes first, so a lock's ELF symbol (`tickslock`) is the
 * address of its word: the simulator's monitor names locks by it. */
struct spinlock {
  uint32 locked;      /* 0: free; 1: held */
  const char *name;   /* for panics */
  int hart;           /* the holder, set by acquire() only (holding()); else -1 */
};

#define SPINLOCK_INIT(n) { 0, (n), -1 }
void spin_lock_init(struct spinlock *lk, const char *name);

/* The lock word alone, Linux's arch_spin_lock: test-and-set until it was
 * free (failed attempts add to mycpu()->attempts), and the release. No
 * preempt_count, no interrupts: for the scheduler's own run-queue locks. */
void arch_spin_lock(uint32 *word);
void arch_spin_unlock(uint32 *word);

/* Racy on purpose: a load, a compare and a store, three separate steps. */
void naive_lock(struct spinlock *lk);
void naive_unlock(struct spinlock *lk);

/* preempt_disable(), then test-and-set with amoswap; interrupts untouched.
 * spin_unlock clears the word, then preempt_enable() (preemption point 3).
 * With CONFIG_SMP = 0 (the UP build) the word is never touched: only
 * preemption is disabled. */
void spin_lock(struct spinlock *lk);
void spin_unlock(struct spinlock *lk);

/* One test-and-set: 1 and the lock held (preemption disabled), or 0 and
 * nothing changed. The UP build always succeeds, as Linux's does. */
int spin_trylock(struct spinlock *lk);
/* Is the word set? Only a hint: it may change right after. 0 in the UP build. */
int spin_is_locked(struct spinlock *lk);

/* Saves this hart's interrupt state in *flags, disables, locks; unlocks,
 * then restores exactly that state. Both raise and lower preempt_count as
 * spin_lock does (the UP build: interrupts and preempt_count only). */
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
#define SWITCH_LOG 16

/* The softirqs, a fixed set as Linux's (softirq.c), in the order they run. */
enum { HI_SOFTIRQ, TIMER_SOFTIRQ, NET_RX_SOFTIRQ, TASKLET_SOFTIRQ, SCENARIO_SOFTIRQ, NR_SOFTIRQS };

struct cpu {
  int noff;            /* push_off depth */
  int intena;          /* were interrupts on before the first push_off? */
  uint32 attempts;     /* failed attempts: test-and-sets that found a lock taken, in any lock function */
  uint32 ticks;        /* timer interrupts this hart took */
  uint32 intrs;        /* interrupts of any kind this hart took */
  uint32 last_epc;     /* where the last interrupt came in */
  uint64 timer_next;   /* mtimecmp of the next tick */
  uint32 timer_interval;  /* mtime ticks between ticks; 0: one tick only */
  /* sched.c */
  uint32 preempt_count;   /* the running thread's; see preempt_disable() */
  struct thread *current; /* the thread this hart runs; 0 outside sched_start() */
  struct thread *idle;    /* this hart's boot code, run when nothing else can */
  uint32 rqlock;          /* the run queue's lock word (arch_spin_lock, interrupts off) */
  struct thread *rq_head, *rq_tail;  /* RUNNABLE threads waiting for this hart, FIFO */
  int nlive;              /* threads of this hart not yet exited */
  uint32 switches[5];     /* context switches, by preemption point (PREEMPT_*) */
  struct switch_rec {     /* the first SWITCH_LOG switches, for the scenarios to print */
    uint32 cycle;
    uint8 point, from, to;  /* PREEMPT_* or SCHED_CALL; pids */
  } log[SWITCH_LOG];
  uint32 nlog;
  /* softirq.c, trap.c: bottom halves and interrupt nesting */
  uint32 softirq_pending;          /* raised softirqs, bit nr; changed with interrupts off */
  uint32 softirq_runs[NR_SOFTIRQS];  /* how often each softirq's action ran on this hart */
  uint32 irq_depth;       /* interrupt handlers running on this hart (the hardirq count) */
  uint32 nested;          /* traps taken inside a trap (on the interrupt stack) */
  uint32 irq_stack_busy;  /* a trap's handling is on irq_stack (trap.c) */
};

extern struct cpu cpus[NHART];
struct cpu *mycpu(void);
struct cpu *getcpu(int hart);
void busy_wait(uint32 cycles);    /* work for `cycles` cycles without touching memory */

/* ---- sched.c, swtch.S: threads and the scheduler ------------------------
 * Each hart has its own run queue and its threads stay on it (no migration).
 * A thread runs until it calls schedule() (yield(), sleep(), exit), or is
 * preempted at one of Linux's four points -- the numbers this kernel counts
 * switches by: */
#define PREEMPT_USER    1   /* returning to user mode from a syscall or interrupt */
#define PREEMPT_IRQ     2   /* returning to kernel code from an interrupt, preempt_count 0 */
#define PREEMPT_ENABLE  3   /* preempt_count dropping to 0 (preempt_enable, spin_unlock) */
#define SCHED_CALL      4   /* the thread called schedule() itself */

/* The registers swtch saves: the callee-saved ones. swtch.S hard-codes the offsets. */
struct context {
  uint32 ra, sp;
  uint32 s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11;
};

enum thread_state { T_UNUSED, T_RUNNABLE, T_SLEEPING, T_ZOMBIE };

#define TIF_NEED_RESCHED  (1u << 0)   /* switch at the next preemption point */

#define NTHREAD        32     /* threads, all harts together; a slot is never reused */
#define KSTACK_SIZE    2048   /* each thread's kernel stack, an array of its own */
#define USTACK_SIZE    1024   /* each user thread's user stack */

struct thread {
  struct context context;     /* first: swtch's argument */
  int pid;                    /* 1, 2, ...; the idle threads are 0, as Linux's */
  const char *name;
  int hart;                   /* the hart it runs on, always */
  enum thread_state state;    /* under its hart's rqlock */
  int on_rq;                  /* in its hart's run queue */
  int on_cpu;                 /* its hart's current thread */
  uint32 flags;               /* TIF_NEED_RESCHED */
  uint32 preempt_count;       /* saved here while it is switched out */
  void *chan;                 /* what it sleeps on, when T_SLEEPING */
  void (*fn)(void *);         /* where a kernel thread starts */
  void *arg;
  uint32 user;                /* a user thread: fn runs in U mode */
  uint32 daemon;              /* ksoftirqd: sched_start() does not wait for it */
  int exit_code;
  uint32 switched_out[5];     /* how often it was switched out, by point */
  struct thread *next;        /* run-queue link */
  struct trapframe *tf;       /* a user thread's registers, at the top of its kernel stack */
};

/* Set and cleared with one atomic instruction (amoor, amoand), as Linux's
 * set_tsk_need_resched() and clear_tsk_need_resched() use set_bit and
 * clear_bit: another hart's wakeup() may set the flag while this hart's tick
 * sets it or its scheduler clears it, and a load-or-store would be a race of
 * the kernel's own (which the lock monitor would take for a lock word). */
static inline void set_tsk_need_resched(struct thread *t)
{
  __atomic_fetch_or(&t->flags, TIF_NEED_RESCHED, __ATOMIC_RELAXED);
}
static inline void clear_tsk_need_resched(struct thread *t)
{
  __atomic_fetch_and(&t->flags, ~TIF_NEED_RESCHED, __ATOMIC_RELAXED);
}

/* A new kernel thread that runs fn(arg) on `hart`, RUNNABLE from now on;
 * returning from fn exits it. Any hart may create threads for any hart. */
struct thread *kthread_create(void (*fn)(void *), void *arg, int hart, const char *name);
/* A user thread: fn() runs in U mode on a stack of its own, and asks the
 * kernel for everything with system calls (u_write(), ...; below). */
struct thread *uthread_create(void (*fn)(void), int hart, const char *name);
void kthread_exit(int code) __attribute__((noreturn));

/* This hart's boot code becomes its idle thread: arms the scheduler tick
 * (every sched_slice mtime ticks), turns interrupts on, and runs this hart's
 * threads until all have exited; then disarms the tick, turns interrupts
 * off and returns. Outside it, schedule() and the preemption points do
 * nothing: a program with no threads runs as before. */
void sched_start(void);

struct thread *mythread(void);   /* Linux's `current`; 0 outside sched_start() */
void schedule(void);             /* point 4: run the next thread; prints a BUG when atomic */
void yield(void);                /* to the back of the run queue */

/* xv6's: atomically release lk and sleep on chan; lk is held again on return.
 * wakeup makes every thread sleeping on chan RUNNABLE and sets
 * TIF_NEED_RESCHED on its hart's running thread. Callable from handlers. */
void sleep(void *chan, struct spinlock *lk);
void wakeup(void *chan);

/* preempt_count, as Linux's: the low byte counts preempt_disable() and
 * held spin locks; bits 8..15 the softirq part: SOFTIRQ_OFFSET while a
 * softirq runs, SOFTIRQ_DISABLE_OFFSET per local_bh_disable(); bits 16..19
 * HARDIRQ_OFFSET one per interrupt handler running (irq_enter / irq_exit, in
 * the trap path; nested handlers count twice). Preemption (points 2 and 3)
 * happens only where it is 0. Unlike Linux's per-CPU count, each thread's
 * own is saved at a switch and restored when it runs again. */
#define SOFTIRQ_OFFSET          (1u << 8)
#define SOFTIRQ_MASK            (0xffu << 8)
#define SOFTIRQ_DISABLE_OFFSET  (2 * SOFTIRQ_OFFSET)
#define HARDIRQ_OFFSET          (1u << 16)
#define HARDIRQ_MASK            (0xfu << 16)
/* Inline, so that spin_lock stays a leaf function up to its amoswap: the
 * lock monitor finds who took a lock from ra, which a call would overwrite. */
static inline void preempt_disable(void) { cpus[r_mhartid()].preempt_count++; }
void preempt_enable(void);      /* point 3 when the count drops to 0 with the flag set */
void irq_enter(void);
void irq_exit(void);     /* runs pending softirqs when it leaves no interrupt context */

/* ---- softirq.c: bottom halves ---------------------------------------------
 * A handler does what cannot wait (acknowledge the device, take the data)
 * and raises a softirq for the rest. Pending softirqs run, each hart its
 * own, with interrupts ON and SOFTIRQ_OFFSET in preempt_count:
 *  - at irq_exit of the outermost handler, when the interrupted code was
 *    not itself in a softirq or between local_bh_disable and _enable (after
 *    the device was acknowledged: the PLIC completed, the timer re-armed);
 *  - at local_bh_enable() when the softirq count drops to 0 (and interrupts
 *    are on: with them off they stay pending; Linux warns there);
 *  - after MAX_SOFTIRQ_RESTART rounds that each found new ones raised, and
 *    whenever one is raised outside interrupt context with threads running,
 *    in this hart's `ksoftirqd/N` thread (created the first time it is
 *    needed; not counted among the threads sched_start waits for). Without
 *    threads, the rest waits for the next irq_exit or local_bh_enable.
 * A softirq's action may run on two harts at once; a tasklet never does.
 * Neither may sleep. */
#define MAX_SOFTIRQ_RESTART 10

void open_softirq(int nr, void (*action)(void));
void raise_softirq(int nr);        /* any context; marks it pending on this hart */

static inline uint32 irq_count(void) { return cpus[r_mhartid()].preempt_count; }
static inline int in_irq(void) { return (irq_count() & HARDIRQ_MASK) != 0; }
static inline int in_softirq(void) { return (irq_count() & SOFTIRQ_MASK) != 0; }  /* or bh disabled */
static inline int in_interrupt(void) { return (irq_count() & (HARDIRQ_MASK | SOFTIRQ_MASK)) != 0; }
static inline int in_serving_softirq(void) { return (irq_count() & SOFTIRQ_OFFSET) != 0; }

/* Softirqs off on this hart (nesting; preemption too, being in the count).
 * Inline, as preempt_disable, for spin_lock_bh's sake. */
static inline void local_bh_disable(void) { cpus[r_mhartid()].preempt_count += SOFTIRQ_DISABLE_OFFSET; }
void local_bh_enable(void);        /* runs pending softirqs at count 0, then preemption point 3 */

/* local_bh_disable() and spin_lock: for data shared between process context
 * and a softirq or tasklet (not with a handler: that needs _irqsave). */
void spin_lock_bh(struct spinlock *lk);
void spin_unlock_bh(struct spinlock *lk);

/* Linux's names. An interrupt handler may turn interrupts on: other
 * sources then nest in it, never its own (trap.c masks it); it must return
 * with them off, as it found them. */
static inline void local_irq_enable(void) { intr_on(); }
static inline void local_irq_disable(void) { intr_off(); }

/* Tasklets, run by TASKLET_SOFTIRQ on the hart that scheduled them. The
 * state bits are Linux's, changed with AMOs: SCHED while queued (a second
 * tasklet_schedule then does nothing), RUN while its function runs on some
 * hart. A hart that finds RUN set puts the tasklet back in its queue and
 * raises the softirq again: the same tasklet never runs on two harts at
 * once, and one scheduled while it runs elsewhere runs again after. */
struct tasklet_struct {
  struct tasklet_struct *next;
  uint32 state;
  void (*func)(unsigned long);
  unsigned long data;
};
#define TASKLET_STATE_SCHED  (1u << 0)
#define TASKLET_STATE_RUN    (1u << 1)
#define DECLARE_TASKLET(name, fn, d) struct tasklet_struct name = { 0, 0, (fn), (d) }
void tasklet_init(struct tasklet_struct *t, void (*func)(unsigned long), unsigned long data);
void tasklet_schedule(struct tasklet_struct *t);   /* on this hart; any context */

/* ---- semaphore.c: sleeping locks -----------------------------------------
 * A waiter sleeps (other threads run) instead of spinning; waiters are woken
 * in the order they came (FIFO), each handed the count by up(). May only be
 * taken by a thread, never by an interrupt handler or under a spin lock. */
struct waiter;
struct semaphore {
  struct spinlock lock;       /* guards count and the wait queue */
  int count;
  struct waiter *head, *tail; /* the wait queue */
};
#define SEMAPHORE_INIT(name, n) { SPINLOCK_INIT(name), (n), 0, 0 }
void sema_init(struct semaphore *s, const char *name, int count);
void down(struct semaphore *s);       /* take one; sleep while there is none */
int down_trylock(struct semaphore *s);  /* Linux's sense: 0 when taken, 1 when it would sleep */
void up(struct semaphore *s);         /* give one back, to the first waiter if any */

struct mutex {
  struct semaphore sem;       /* a semaphore of 1 */
  struct thread *owner;
};
#define MUTEX_INIT(name) { SEMAPHORE_INIT(name, 1), 0 }
void mutex_lock(struct mutex *m);
int mutex_trylock(struct mutex *m);   /* Linux's sense: 1 when taken */
void mutex_unlock(struct mutex *m);   /* panics unless the caller owns it */

/* ---- syscall.c, uservec.S: user mode --------------------------------------
 * System calls: `ecall` from U mode with the number in a7, arguments in a0,
 * a1, the result back in a0. Returning to U mode is preemption point 1. */
#define SYS_write        1    /* (buf, n): n bytes to the console; returns n */
#define SYS_sleep_ticks  2    /* (n): sleep for n ticks (of all harts) */
#define SYS_yield        3
#define SYS_getpid       4
#define SYS_exit         5    /* (code) */

/* The user side: run in U mode, where only these reach the kernel. */
int u_write(const char *buf, int n);
void u_sleep_ticks(uint32 n);
void u_yield(void);
int u_getpid(void);
void u_exit(int code) __attribute__((noreturn));
void u_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

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

/* Each hart's interrupt stack (symbol irq_stack), as Linux's per-CPU IRQ
 * stacks: a trap from a thread or boot code keeps its trapframe on that
 * code's stack, and runs the handling -- handle_interrupt, the handler and
 * the softirqs at irq_exit -- on its hart's interrupt stack; a trap nested
 * in that handling stays there. Back on the thread's stack before
 * preemption point 2 may switch threads. */
#define IRQ_STACK_SIZE 4096
extern uint8 irq_stack[NHART][IRQ_STACK_SIZE];

extern struct spinlock tickslock;
extern volatile uint32 ticks;       /* timer ticks, all harts together; under tickslock */

void trap_init(void);               /* this hart: mtvec = kernelvec, the kernel's handlers */
void kerneltrap(struct trapframe *tf);
void timer_start(uint64 first, uint32 interval);  /* this hart's tick, at mtime `first` */
void clockintr(void);
/* Linux's request_irq: handler() runs for PLIC source `source` (1..31),
 * between the claim and the completion (devintr). Gives the source priority
 * 1 and enables it, and the external interrupt, on the calling hart. While
 * the handler runs, the hart's PLIC threshold is the source's priority: if
 * it turns interrupts on, only higher priorities nest. (The timer's and the
 * IPI's handlers have their own mie bit cleared meanwhile instead.) */
void request_irq(uint32 source, void (*handler)(void));
/* The same with PLIC priority `priority` (1..7). */
void request_irq_prio(uint32 source, void (*handler)(void), uint32 priority);

/* Between the kernel's own files: the trap paths and the scheduler. */
void handle_interrupt(struct trapframe *tf);  /* irq_enter, the handler, irq_exit */
void do_irq(struct trapframe *tf);  /* handle_interrupt on the interrupt stack */
void preempt_schedule_irq(void);    /* point 2 */
void preempt_to_user(void);         /* point 1 */
void sched_tick(void);              /* from clockintr: the slice is over */
void usertrapret(void) __attribute__((noreturn));
/* A kernel thread sched_start() does not wait for (ksoftirqd), and a sleep
 * for it with interrupts off, for wakers on this hart (its handlers) only. */
struct thread *kthread_create_daemon(void (*fn)(void *), void *arg, int hart, const char *name);
void sleep_irqoff(void *chan);

#endif
