// isa_a: the A extension (RISC-V unprivileged, chapter 8) on one hart: the
// nine AMOs (the old value in rd, the new one in memory; signed and unsigned
// min/max on the values where they differ) and LR/SC: success with a
// reservation, failure (rd = 1, no store) without one.

#include "defs.h"
#include "check.h"
#include "insn.h"

#define INT_MIN 0x80000000u
#define INT_MAX 0x7fffffffu

static volatile uint32 word;
static volatile uint32 other[64];   // far from `word`: another reservation granule

// Runs `op` on word = old with operand b; checks rd = old and word = want.
#define CHECK_AMO(op, old, b, want) do { \
    word = (old);                        \
    check(AMO(op, &word, (b)), (old));   \
    check(word, (want));                 \
  } while (0)

static void amos(void)
{
  group("amo");
  CHECK_AMO("amoswap.w", 0x11111111, 0x22222222, 0x22222222);
  CHECK_AMO("amoadd.w", 0xffffffff, 2, 1);
  CHECK_AMO("amoadd.w", INT_MAX, 1, INT_MIN);
  CHECK_AMO("amoxor.w", 0xff00ff00, 0x0ff00ff0, 0xf0f0f0f0);
  CHECK_AMO("amoand.w", 0xff00ff00, 0x0ff00ff0, 0x0f000f00);
  CHECK_AMO("amoor.w", 0xff00ff00, 0x0ff00ff0, 0xfff0fff0);
  group_end();

  group("amo min/max");
  CHECK_AMO("amomin.w", 0xffffffff, 1, 0xffffffff);   // -1 < 1
  CHECK_AMO("amomin.w", 1, 0xffffffff, 0xffffffff);
  CHECK_AMO("amomin.w", INT_MIN, INT_MAX, INT_MIN);
  CHECK_AMO("amomin.w", 5, -5, -5);
  CHECK_AMO("amomin.w", 7, 7, 7);
  CHECK_AMO("amomax.w", 0xffffffff, 1, 1);
  CHECK_AMO("amomax.w", INT_MIN, INT_MAX, INT_MAX);
  CHECK_AMO("amomax.w", -5, -6, -5);
  CHECK_AMO("amominu.w", 0xffffffff, 1, 1);           // 0xffffffff > 1
  CHECK_AMO("amominu.w", 0, 0xffffffff, 0);
  CHECK_AMO("amominu.w", INT_MIN, INT_MAX, INT_MAX);
  CHECK_AMO("amomaxu.w", 0xffffffff, 1, 0xffffffff);
  CHECK_AMO("amomaxu.w", INT_MIN, INT_MAX, INT_MIN);
  CHECK_AMO("amomaxu.w", 0, 0xffffffff, 0xffffffff);
  group_end();

  group("amo variants");
  // Ordering bits change nothing on one hart.
  CHECK_AMO("amoswap.w.aq", 1, 2, 2);
  CHECK_AMO("amoswap.w.rl", 3, 4, 4);
  CHECK_AMO("amoadd.w.aqrl", 5, 6, 11);
  // rd = x0: memory is still updated.
  word = 10;
  asm volatile("amoadd.w x0, %1, (%0)" : : "r"(&word), "r"(5) : "memory");
  check(word, 15);
  // rs2 = rd: the old value lands in the register the operand came from.
  uint32 r = 0x77;
  word = 0x66;
  asm volatile("amoswap.w %0, %0, (%1)" : "+r"(r) : "r"(&word) : "memory");
  check(r, 0x66);
  check(word, 0x77);
  group_end();
}

// lr.w: rd = *addr, and a reservation on it.
static uint32 lr(volatile uint32 *addr)
{
  uint32 v;
  asm volatile("lr.w %0, (%1)" : "=r"(v) : "r"(addr) : "memory");
  return v;
}

// sc.w: 0 if it stored `v` at addr, 1 if it failed (and did not store).
static uint32 sc(volatile uint32 *addr, uint32 v)
{
  uint32 failed;
  asm volatile("sc.w %0, %2, (%1)" : "=r"(failed) : "r"(addr), "r"(v) : "memory");
  return failed;
}

static void lr_sc(void)
{
  group("lr/sc");
  word = 0x1234;
  check(lr(&word), 0x1234);
  check(sc(&word, 0x5678), 0);      // reserved: succeeds
  check(word, 0x5678);
  check(sc(&word, 0x9abc), 1);      // the SC used the reservation up
  check(word, 0x5678);

  // Without any LR.
  check(sc(&word, 0xdead), 1);
  check(word, 0x5678);

  // A reservation on another granule does not let an SC store here.
  other[32] = 1;
  check(lr(&other[32]), 1);
  check(sc(&word, 0xbeef), 1);
  check(word, 0x5678);
  check(sc(&other[32], 2), 1);      // and the failed SC used it up
  check(other[32], 1);

  // Ordering variants.
  uint32 v, failed;
  word = 41;
  asm volatile("lr.w.aq %0, (%2)\n\taddi %0, %0, 1\n\tsc.w.rl %1, %0, (%2)"
               : "=&r"(v), "=&r"(failed) : "r"(&word) : "memory");
  check(failed, 0);
  check(word, 42);

  // The usual retry loop: an atomic increment.
  asm volatile("1: lr.w %0, (%2)\n\taddi %0, %0, 1\n\tsc.w %1, %0, (%2)\n\tbnez %1, 1b"
               : "=&r"(v), "=&r"(failed) : "r"(&word) : "memory");
  check(word, 43);
  group_end();
}

int main(int hartid)
{
  if (hartid != 0)
    park();
  amos();
  lr_sc();
  return all_passed();
}
