// Ending the run through HTIF, the riscv-tests convention: the host watches
// the 64-bit word named `tohost`; a write of (code << 1) | 1 ends the run
// with `code`. spinlab honours it as the ISA test suites expect; QEMU's virt
// machine has no HTIF, so programs using it run on spinlab only.

#include "defs.h"

// tohost: 8 bytes at the start of a 4 KiB page that holds nothing else
// (QEMU's spike machine slows down a lot when other data shares the page).
// The linker drops the page from programs that never call htif_exit().
asm(".pushsection .tohost, \"aw\", @progbits\n"
    ".balign 4096\n"
    ".globl tohost\n"
    ".type tohost, @object\n"
    ".size tohost, 8\n"
    "tohost: .dword 0\n"
    ".balign 4096\n"
    ".popsection");
extern volatile uint64 tohost;

void htif_exit(int code)
{
  volatile uint32 *word = (volatile uint32 *)&tohost;  // RV32: two halves

  uartflush();
  // High half first: whichever half the host watches, the command is whole
  // when the low half (the one with the "command" bit) is written.
  word[1] = 0;
  word[0] = ((uint32)code << 1) | 1;
  park();
}
