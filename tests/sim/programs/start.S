# Entry point of the test program: a stack, then main, then sleep forever.
# `_start` and `halt` are plain labels (no .type/.size), as in most
# hand-written start-up code: ElfImage names addresses after them.
  .section .text
  .globl _start
_start:
  la sp, stack_top
  call main
halt:
  wfi
  j halt

  .section .bss
  .balign 16
stack:
  .space 8192
stack_top:
