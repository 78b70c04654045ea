// misaligned: loads and stores at addresses that are not a multiple of their
// size, for a machine that performs them (QEMU does; spinlab does with
// --set machine.misaligned=emulate). Little-endian, as if done byte by byte.
// misaligned_trap checks the default, where they trap.

#include "defs.h"
#include "check.h"
#include "insn.h"

static uint8 buf[16] __attribute__((aligned(16)));

static void fill(void)
{
  for (int i = 0; i < 16; i++)
    buf[i] = 0x80 + 0x11 * i;   // 80 91 a2 b3 c4 d5 e6 f7 08 19 2a 3b ...
}

static void loads(void)
{
  group("misaligned loads");
  fill();
  check(LOAD("lw", buf, 1), 0xc4b3a291);
  check(LOAD("lw", buf, 2), 0xd5c4b3a2);
  check(LOAD("lw", buf, 3), 0xe6d5c4b3);
  check(LOAD("lw", buf, 7), 0x2a1908f7);
  check(LOAD("lh", buf, 1), 0xffffa291);      // sign-extended
  check(LOAD("lh", buf, 3), 0xffffc4b3);      // across a word boundary
  check(LOAD("lh", buf, 7), 0x000008f7);
  check(LOAD("lhu", buf, 1), 0xa291);
  check(LOAD("lhu", buf, 3), 0xc4b3);
  group_end();
}

static void stores(void)
{
  uint32 *w = (uint32 *)buf;

  group("misaligned stores");
  fill();
  STORE("sw", 0x04030201, buf, 1);
  check(w[0], 0x03020180);
  check(w[1], 0xf7e6d504);
  fill();
  STORE("sw", 0x04030201, buf, 6);
  check(w[1], 0x0201d5c4);
  check(w[2], 0x3b2a0403);
  fill();
  STORE("sh", 0xbeef, buf, 3);
  check(w[0], 0xefa29180);
  check(w[1], 0xf7e6d5be);
  fill();
  STORE("sh", 0x1234, buf, 5);
  check(w[1], 0xf71234c4);
  check(w[0], 0xb3a29180);                    // neighbours untouched
  check(w[2], 0x3b2a1908);
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
