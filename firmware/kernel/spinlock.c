// The spinlock family, from wrong to right. Each function states the rule
// it keeps -- or breaks -- where it does so. The scenarios
// (firmware/scenarios/, docs/lessons/) show what each one leads to.

#include "defs.h"
#include "riscv.h"
#include "kernel.h"

// Sets *word to 1 and returns what was there, as one indivisible bus
// transaction: no other hart's access can come between the read and the
// write. .aq: nothing this hart does later is seen before it.
static inline uint32 test_and_set(uint32 *word)
{
  uint32 old;
  asm volatile("amoswap.w.aq %0, %2, (%1)" : "=r"(old) : "r"(word), "r"(1) : "memory");
  return old;
}

// Sets *word to 0. .rl: everything this hart did before (the critical
// section's stores) is seen before the word reads free.
static inline void clear(uint32 *word)
{
  asm volatile("amoswap.w.rl zero, zero, (%0)" : : "r"(word) : "memory");
}

// 1: a spin lock is a word in memory that harts take turns on. 0 (the
// uniprocessor build, Linux's CONFIG_SMP=n): there is no other hart to keep
// out, only other threads of this one, and disabling preemption (and, for
// the _irqsave forms, interrupts) is all a lock does; the word is never
// touched. scenarios/up.c runs that build on one hart and on two.
FIRMWARE_PARAM(CONFIG_SMP, 1);

// Spins until this hart's test-and-set finds the word free.
static void tas_spin(uint32 *word)
{
  uint32 failed = 0;

  while (test_and_set(word) != 0)
    failed++;
  if (failed)
    mycpu()->attempts += failed;
}

void arch_spin_lock(uint32 *word)
{
  tas_spin(word);
}

void arch_spin_unlock(uint32 *word)
{
  clear(word);
}

void spin_lock_init(struct spinlock *lk, const char *name)
{
  lk->locked = 0;
  lk->name = name;
  lk->hart = -1;
}

// ---- naive_lock: test, then set -----------------------------------------

// WRONG: the test (a load) and the set (a store) are two bus transactions.
// Two harts can both load 0 before either stores 1, and both go in.
void naive_lock(struct spinlock *lk)
{
  volatile uint32 *word = &lk->locked;

  while (*word != 0)    // test...
    mycpu()->attempts++;
  *word = 1;            // ...then set: too late, another hart may be past its test
  __sync_synchronize();
}

void naive_unlock(struct spinlock *lk)
{
  __sync_synchronize();
  *(volatile uint32 *)&lk->locked = 0;
}

// ---- spin_lock: atomic test-and-set --------------------------------------

// Mutual exclusion between harts, and between the threads of this hart:
// preemption goes off first, so the holder is never switched out for a
// thread that would then spin on the lock for a whole time slice
// (scenarios/preempt_spinlock.c). This hart's interrupts stay as they are. A
// lock that an interrupt handler also takes must not be taken with this
// while interrupts are on (scenarios/irq_deadlock.c), but inside a handler,
// where they are off, it is the right call.
void spin_lock(struct spinlock *lk)
{
  preempt_disable();
  if (CONFIG_SMP)
    tas_spin(&lk->locked);
}

// The word is cleared before preemption may come back: a switch right
// after preempt_enable (point 3) must not leave the lock held.
void spin_unlock(struct spinlock *lk)
{
  if (CONFIG_SMP)
    clear(&lk->locked);
  preempt_enable();
}

// For code that must not wait -- an interrupt handler whose lock may be held
// by the code it interrupted (scenarios/trylock.c): one attempt, and on
// failure the caller does something else (defers the work) instead of
// spinning on a holder that cannot run until it returns.
int spin_trylock(struct spinlock *lk)
{
  preempt_disable();
  if (!CONFIG_SMP || test_and_set(&lk->locked) == 0)
    return 1;
  preempt_enable();
  return 0;
}

int spin_is_locked(struct spinlock *lk)
{
  return CONFIG_SMP && *(volatile uint32 *)&lk->locked != 0;
}

// ---- spin_lock_bh: what a lock shared with a bottom half needs ------------

// Softirqs go off on this hart before the word is set: a softirq run at
// irq_exit on top of the holder would spin on the lock forever, as a handler
// would (the bh-lock scenario). Interrupts stay on, so handlers still run; a
// lock a handler takes as well needs _irqsave. Both disables are inline:
// like spin_lock this stays a leaf up to the amoswap (the monitor reads ra).
void spin_lock_bh(struct spinlock *lk)
{
  local_bh_disable();
  preempt_disable();
  if (CONFIG_SMP)
    tas_spin(&lk->locked);
}

// Linux's order: the word, then the lock's preemption count, then
// local_bh_enable() runs what was raised meanwhile, and point 3 may switch.
void spin_unlock_bh(struct spinlock *lk)
{
  if (CONFIG_SMP)
    clear(&lk->locked);
  mycpu()->preempt_count--;
  local_bh_enable();
}

// ---- spin_lock_irqsave: what a lock shared with a handler needs ----------

// Interrupts go off on this hart -- the only one whose handler could spin
// on a lock this hart holds -- strictly before the word is set. Other
// harts' interrupts do not matter: their handlers can wait for the lock.
void spin_lock_irqsave(struct spinlock *lk, uint32 *flags)
{
  *flags = intr_get();
  intr_off();
  preempt_disable();
  if (CONFIG_SMP)
    tas_spin(&lk->locked);
}

// The word is cleared strictly before interrupts come back, and they come
// back only if they were on when the lock was taken. Preemption comes back
// last, as in Linux: with interrupts on again, point 3 may switch.
void spin_unlock_irqrestore(struct spinlock *lk, uint32 flags)
{
  if (CONFIG_SMP)
    clear(&lk->locked);
  if (flags)
    intr_on();
  preempt_enable();
}

// ---- spin_lock_irq: right only when interrupts are known to be on --------

void spin_lock_irq(struct spinlock *lk)
{
  intr_off();
  preempt_disable();
  if (CONFIG_SMP)
    tas_spin(&lk->locked);
}

// Enables interrupts whatever they were before spin_lock_irq. If the caller
// still holds another lock a handler wants, that lock is now held with
// interrupts on (scenarios/irq_wrong.c).
void spin_unlock_irq(struct spinlock *lk)
{
  if (CONFIG_SMP)
    clear(&lk->locked);
  intr_on();
  preempt_enable();
}

// ---- acquire/release: xv6's push_off/pop_off ----------------------------

// Like intr_off(), but nests: interrupts come back only at the matching
// outermost pop_off(), and only if they were on at the first push_off().
void push_off(void)
{
  int old = intr_get();

  intr_off();
  struct cpu *c = mycpu();
  if (c->noff == 0)
    c->intena = old;
  c->noff++;
}

void pop_off(void)
{
  struct cpu *c = mycpu();

  if (intr_get())
    panic("pop_off: interruptible");
  if (c->noff < 1)
    panic("pop_off: not pushed");
  c->noff--;
  if (c->noff == 0 && c->intena)
    intr_on();
}

// Does this hart hold lk (taken with acquire)? Interrupts must be off, or
// the answer could go stale before the caller uses it.
int holding(struct spinlock *lk)
{
  return lk->locked && lk->hart == (int)r_mhartid();
}

// Interrupts go off before the lock word is set: if a timer interrupt came
// between the two, its handler could spin on a lock this hart already holds.
void acquire(struct spinlock *lk)
{
  push_off();
  if (holding(lk))
    panic("acquire: already holding");  // a spinlock is not recursive
  tas_spin(&lk->locked);
  lk->hart = r_mhartid();
}

// The word is cleared before interrupts may come back (pop_off), for the
// same reason, in the other direction.
void release(struct spinlock *lk)
{
  if (!holding(lk))
    panic("release: not holding");
  lk->hart = -1;
  clear(&lk->locked);
  pop_off();
}

// WRONG: the word is set first and interrupts go off after. Between the
// amoswap and the csrc in push_off (a few cycles), an interrupt is still
// taken, and its handler spins on a lock this hart holds: deadlock. Only the
// timing decides whether it ever happens (scenarios/pushoff_order.c).
void acquire_late_pushoff(struct spinlock *lk)
{
  tas_spin(&lk->locked);
  push_off();             // too late: the lock is already held
  lk->hart = r_mhartid();
}
