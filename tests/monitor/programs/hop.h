/* A context switch of the thread programs' own, unlike any kernel's: hop()
 * saves ra and s0-s11 on the running thread's stack, stores its sp through
 * `save`, and moves sp to `to` with `mv` (no load of sp), then restores the
 * other thread's registers from its stack. A new thread's stack is made by
 * hop_stack(): its first hop returns into `entry`. */
#ifndef HOP_H
#define HOP_H

#include "mon.h"

void hop(uint32 *save, uint32 to);

asm(".text\n"
    ".globl hop\n"
    "hop:\n"
    "  addi sp, sp, -64\n"
    "  sw ra, 0(sp)\n  sw s0, 4(sp)\n  sw s1, 8(sp)\n  sw s2, 12(sp)\n  sw s3, 16(sp)\n"
    "  sw s4, 20(sp)\n  sw s5, 24(sp)\n  sw s6, 28(sp)\n  sw s7, 32(sp)\n  sw s8, 36(sp)\n"
    "  sw s9, 40(sp)\n  sw s10, 44(sp)\n  sw s11, 48(sp)\n"
    "  sw sp, 0(a0)\n"
    "  mv sp, a1\n"
    "  lw ra, 0(sp)\n  lw s0, 4(sp)\n  lw s1, 8(sp)\n  lw s2, 12(sp)\n  lw s3, 16(sp)\n"
    "  lw s4, 20(sp)\n  lw s5, 24(sp)\n  lw s6, 28(sp)\n  lw s7, 32(sp)\n  lw s8, 36(sp)\n"
    "  lw s9, 40(sp)\n  lw s10, 44(sp)\n  lw s11, 48(sp)\n"
    "  addi sp, sp, 64\n"
    "  ret\n");

/* The saved sp of a thread that will begin in `entry`, on the stack that
 * ends at `top`. */
static inline uint32 hop_stack(uint32 *top, void (*entry)(void)) {
  uint32 *frame = top - 16;
  for (int i = 0; i < 16; i++) frame[i] = 0;
  frame[0] = (uint32)entry;
  return (uint32)frame;
}

#endif
