// misaligned_trap (spinlab only): with the default machine.misaligned =
// "trap", a load at an address that is not a multiple of its size traps
// with mcause 4 and a store with mcause 6, mtval = the address; neither
// touches rd or memory. (QEMU performs them: misaligned checks those.)
// LR, SC and AMOs trap when misaligned whatever the setting.

#include "defs.h"
#include "riscv.h"
#include "check.h"
#include "insn.h"

static uint32 words[4] __attribute__((aligned(16)));

// Runs `insn` on t1 = addr, t0 = 0x5555; checks it trapped with `cause` and
// mtval = addr, and returns t0 afterwards.
#define MISALIGNED(insn, addr, cause) ({ uint32 _pc, _t0;                \
  catch_trap();                                                          \
  asm volatile("mv t1, %2\n\tli t0, 0x5555\n\tauipc %0, 0\n\t" insn "\n\tmv %1, t0" \
               : "=&r"(_pc), "=r"(_t0) : "r"(addr) : "t0", "t1", "memory"); \
  check_trap((cause), _pc + 4);                                          \
  check(caught.mtval, (uint32)(addr));                                   \
  _t0; })

static void loads(void)
{
  uint8 *b = (uint8 *)words;

  group("misaligned load traps");
  words[0] = 0x44332211;
  words[1] = 0x88776655;
  check(MISALIGNED("lw t0, 0(t1)", b + 1, CAUSE_MISALIGNED_LOAD), 0x5555);  // rd untouched
  check(MISALIGNED("lw t0, 0(t1)", b + 2, CAUSE_MISALIGNED_LOAD), 0x5555);
  check(MISALIGNED("lw t0, 0(t1)", b + 3, CAUSE_MISALIGNED_LOAD), 0x5555);
  check(MISALIGNED("lh t0, 0(t1)", b + 1, CAUSE_MISALIGNED_LOAD), 0x5555);
  check(MISALIGNED("lhu t0, 0(t1)", b + 3, CAUSE_MISALIGNED_LOAD), 0x5555);
  // Aligned ones (and bytes anywhere) do not trap.
  check(LOAD("lh", b, 2), 0x4433);
  check(LOAD("lbu", b, 3), 0x44);
  check(LOAD("lw", b, 4), 0x88776655);
  group_end();
}

static void stores(void)
{
  uint8 *b = (uint8 *)words;

  group("misaligned store traps");
  words[0] = 0x44332211;
  words[1] = 0x88776655;
  MISALIGNED("sw t0, 0(t1)", b + 1, CAUSE_MISALIGNED_STORE);
  MISALIGNED("sw t0, 0(t1)", b + 2, CAUSE_MISALIGNED_STORE);
  MISALIGNED("sh t0, 0(t1)", b + 3, CAUSE_MISALIGNED_STORE);
  check(words[0], 0x44332211);            // memory untouched
  check(words[1], 0x88776655);
  STORE("sb", 0x99, b, 3);
  check(words[0], 0x99332211);
  group_end();

  group("misaligned atomics");
  MISALIGNED("lr.w t0, (t1)", b + 2, CAUSE_MISALIGNED_LOAD);
  MISALIGNED("sc.w t0, t0, (t1)", b + 2, CAUSE_MISALIGNED_STORE);
  MISALIGNED("amoadd.w t0, t0, (t1)", b + 2, CAUSE_MISALIGNED_STORE);   // AMOs are stores
  MISALIGNED("amoswap.w t0, t0, (t1)", b + 1, CAUSE_MISALIGNED_STORE);
  check(words[0], 0x99332211);
  group_end();
}

int main(int hartid)
{
  if (hartid != 0)
    park();
  loads();
  stores();
  return all_passed();
}
