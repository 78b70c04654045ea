// User mode: the trap from U mode (uservec.S saves the registers and calls
// usertrap), the system calls, the return to U mode -- preemption point 1 --,
// and the user side of the calls (u_write, ...), which runs in U mode.

#include <stdarg.h>
#include "defs.h"
#include "riscv.h"
#include "kernel.h"

#define CAUSE_ECALL_U  8

void userret(struct trapframe *tf) __attribute__((noreturn));

static uint32 sys_write(const char *buf, int n)
{
  for (int i = 0; i < n; i++)
    uartputc(buf[i]);
  return n;
}

// xv6's: sleep on `ticks` under tickslock until n more have gone by.
static void sys_sleep_ticks(uint32 n)
{
  uint32 flags;

  spin_lock_irqsave(&tickslock, &flags);
  uint32 t0 = ticks;
  while (ticks - t0 < n)
    sleep((void *)&ticks, &tickslock);
  spin_unlock_irqrestore(&tickslock, flags);
}

static void syscall(struct trapframe *tf)
{
  switch (tf->a7) {
  case SYS_write:       tf->a0 = sys_write((const char *)tf->a0, tf->a1); break;
  case SYS_sleep_ticks: sys_sleep_ticks(tf->a0); tf->a0 = 0; break;
  case SYS_yield:       yield(); tf->a0 = 0; break;
  case SYS_getpid:      tf->a0 = mythread()->pid; break;
  case SYS_exit:        kthread_exit(tf->a0);
  default:
    printf("%s/%d: unknown system call %d\n", mythread()->name, mythread()->pid, tf->a7);
    tf->a0 = -1;
  }
}

// From uservec, on the thread's kernel stack, with interrupts off. A system
// call runs with them on, as any kernel code; an interrupt's handler with
// them off, as from kerneltrap.
void usertrap(struct trapframe *tf)
{
  tf->mepc = r_mepc();
  tf->mcause = r_mcause();
  tf->mtval = r_mtval();
  tf->mstatus = r_mstatus();
  if (tf->mcause == CAUSE_ECALL_U) {
    tf->mepc += 4;     // return after the ecall
    intr_on();
    syscall(tf);
    intr_off();
  } else if (tf->mcause & MCAUSE_INTR) {
    do_irq(tf);       // on the interrupt stack, as from kerneltrap
  } else {
    struct thread *t = mythread();
    printf("%s/%d: trap in user mode: mcause %d mepc %08x mtval %08x: killed\n",
           t->name, t->pid, tf->mcause, tf->mepc, tf->mtval);
    kthread_exit(-1);
  }
  usertrapret();
}

// Point 1 first: a thread whose time slice ended (or that woke another)
// switches here, on its way out of the kernel. Then back to U mode at
// tf->mepc with interrupts on there (MPIE) and MPP = U.
void usertrapret(void)
{
  struct thread *t = mythread();

  intr_off();
  preempt_to_user();
  w_mepc(t->tf->mepc);
  w_mstatus((r_mstatus() & ~MSTATUS_MPP_MASK) | MSTATUS_MPIE);
  userret(t->tf);
}

// ---- the user side: these run in U mode ----------------------------------

static inline uint32 ecall(uint32 n, uint32 a0, uint32 a1)
{
  register uint32 r0 asm("a0") = a0;
  register uint32 r1 asm("a1") = a1;
  register uint32 r7 asm("a7") = n;

  asm volatile("ecall" : "+r"(r0) : "r"(r1), "r"(r7) : "memory");
  return r0;
}

int u_write(const char *buf, int n) { return ecall(SYS_write, (uint32)buf, n); }
void u_sleep_ticks(uint32 n) { ecall(SYS_sleep_ticks, n, 0); }
void u_yield(void) { ecall(SYS_yield, 0, 0); }
int u_getpid(void) { return ecall(SYS_getpid, 0, 0); }

void u_exit(int code)
{
  ecall(SYS_exit, code, 0);
  for (;;)
    ;
}

// snprintf only computes, so U mode may run it; the text goes out with one
// system call.
void u_printf(const char *fmt, ...)
{
  char buf[128];
  va_list ap;

  va_start(ap, fmt);
  int n = vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  u_write(buf, n < (int)sizeof buf ? n : (int)sizeof buf - 1);
}
