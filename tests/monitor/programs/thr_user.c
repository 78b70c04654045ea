/* One thread that sets up a user stack and enters user mode on it
 * (lw sp, symbol: auipc + lw; then mret to U), whose ecall ends the run:
 * a second stack of the same thread, not a switch. */
#include "mon.h"

uint32 user_stack[256];
uint32 user_stack_top = (uint32)(user_stack + 256);

void in_user(void);
asm(".text\n"
    ".globl in_user\n"
    "in_user:\n"
    "  addi sp, sp, -16\n"
    "  sw zero, 0(sp)\n"  /* touches the user stack */
    "  li a7, 93\n"
    "  ecall\n");

void trap(uint32 mcause) { finish(mcause == 8 ? 0 : 3); } /* 8: ecall from U-mode */

int main(uint32 hart) {
  asm volatile("csrw pmpaddr0, %0" : : "r"(~0u)); /* user mode may use all of memory */
  asm volatile("csrw pmpcfg0, %0" : : "r"(0x1f));  /* NAPOT, RWX */
  asm volatile("csrw mepc, %0" : : "r"(in_user));
  asm volatile("csrc mstatus, %0" : : "r"(0x1800)); /* MPP = U */
  asm volatile(
      "lw sp, user_stack_top\n"
      "mret\n" ::: "memory");
  return 1;
}
