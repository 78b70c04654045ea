/* What the monitor's test programs share: CSR helpers, the CLINT timer and
 * msip, the finisher, a delay. Each program brings its own lock functions,
 * so that the monitor has to find them without help. */
#ifndef MON_H
#define MON_H

#include "memmap.h"

typedef unsigned int uint32;
typedef unsigned long long uint64;

#define MCAUSE_SOFTWARE 0x80000003u
#define MCAUSE_TIMER    0x80000007u
#define MIE_MSIE (1u << 3)
#define MIE_MTIE (1u << 7)

static inline void intr_on(void) { asm volatile("csrsi mstatus, 8" ::: "memory"); }
static inline void intr_off(void) { asm volatile("csrci mstatus, 8" ::: "memory"); }
/* Interrupts off; returns whether they were on. */
static inline uint32 intr_save(void) {
  uint32 s;
  asm volatile("csrrci %0, mstatus, 8" : "=r"(s) : : "memory");
  return s & 8;
}
static inline void intr_restore(uint32 on) {
  if (on) intr_on();
}
static inline void enable_irqs(uint32 bits) { asm volatile("csrs mie, %0" : : "r"(bits)); }
static inline void wfi(void) { asm volatile("wfi" ::: "memory"); }

static inline uint64 mtime(void) {
  volatile uint32 *t = (volatile uint32 *)CLINT_MTIME;
  uint32 hi, lo;
  do {
    hi = t[1];
    lo = t[0];
  } while (hi != t[1]);
  return ((uint64)hi << 32) | lo;
}

/* The next timer interrupt of `hart` in `ticks` mtime ticks (~0: never). */
static inline void set_timer(uint32 hart, uint64 ticks) {
  volatile uint32 *cmp = (volatile uint32 *)CLINT_MTIMECMP(hart);
  uint64 when = ticks == ~0ull ? ~0ull : mtime() + ticks;
  cmp[1] = 0xffffffffu; /* no early match while the halves change */
  cmp[0] = (uint32)when;
  cmp[1] = (uint32)(when >> 32);
}

static inline void set_msip(uint32 hart, uint32 v) { *(volatile uint32 *)CLINT_MSIP(hart) = v; }

static inline void finish(int code) {
  volatile uint32 *f = (volatile uint32 *)FINISHER_BASE;
  *f = code == 0 ? FINISHER_PASS : (((uint32)code << 16) | FINISHER_FAIL);
  for (;;) wfi();
}

static inline void delay(int n) {
  for (volatile int i = 0; i < n; i++) {
  }
}

/* How many harts the machine has: the msip of a hart that does not exist
 * reads 0. Call it on one hart only, before any software interrupt is meant
 * to be pending (it sets and clears each msip). */
static inline uint32 harts_present(void) {
  uint32 n = 0;
  while (n < 4) {
    set_msip(n, 1);
    uint32 set = *(volatile uint32 *)CLINT_MSIP(n);
    set_msip(n, 0);
    if (!set) break;
    n++;
  }
  return n;
}

/* For programs that run on every hart: hart 0 counts the harts and tells
 * the others (all_start returns how many run); at the end every hart but 0
 * sleeps, and hart 0 returns from all_done once all have reached it. */
static volatile uint32 all_harts;
static volatile uint32 all_finished;

static inline uint32 all_start(uint32 hart) {
  if (hart == 0) all_harts = harts_present();
  while (all_harts == 0) {
  }
  return all_harts;
}

static inline void all_done(uint32 hart) {
  __atomic_fetch_add(&all_finished, 1, __ATOMIC_RELEASE);
  if (hart != 0)
    for (;;) wfi();
  while (all_finished < all_harts) {
  }
}

#endif
