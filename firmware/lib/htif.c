// HTIF, the riscv-tests convention (docs/htif.md): the host watches the
// 64-bit word named `tohost` and answers in `fromhost`; a write of
// (code << 1) | 1 to tohost ends the run with `code`. QEMU's virt machine
// has no HTIF, so programs using it run on spinlab (or QEMU's spike machine).

#include "defs.h"

// tohost and fromhost: 16 bytes at the start of a 4 KiB page that holds
// nothing else (QEMU's spike machine slows down a lot when other data shares
// the page). The linker drops the page from programs that use neither.
asm(".pushsection .tohost, \"aw\", @progbits\n"
    ".balign 4096\n"
    ".globl tohost\n"
    ".type tohost, @object\n"
    ".size tohost, 8\n"
    "tohost: .dword 0\n"
    ".globl fromhost\n"
    ".type fromhost, @object\n"
    ".size fromhost, 8\n"
    "fromhost: .dword 0\n"
    ".balign 4096\n"
    ".popsection");

void htif_exit(int code)
{
  volatile uint32 *word = (volatile uint32 *)&tohost;  // RV32: two halves

  uartflush();
  // Low half first, as riscv-tests' write_tohost does: the host (spinlab,
  // QEMU) takes the command when the high half is written.
  word[0] = ((uint32)code << 1) | 1;
  word[1] = 0;
  park();
}

// HTIF's console device (docs/htif.md): one byte out, as riscv-pk's
// htif_console_putchar does: wait until the host has taken any earlier
// command, write the command (a 64-bit store: low half, then high half),
// wait for the answer and clear it. Returns the answer, which echoes the
// command with 0x100 | c.
uint64 htif_putchar(int c)
{
  while (tohost != 0)
    ;
  tohost = HTIF_CMD(1, 1, (uint8)c);
  uint64 ack;
  while ((ack = fromhost) == 0)
    ;
  fromhost = 0;
  return ack;
}
