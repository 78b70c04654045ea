# A program of four sections, placed by the linker scripts beside it into
# ELF layouts the loader must accept or refuse (tests/cli/elf_layouts.sh).
  .section .text
  .globl _start
_start:
  la a0, word
  lw a1, 0(a0)
1: j 1b
  .section .rodata
  .word 0x11111111, 0x22222222, 0x33333333, 0x44444444
  .section .data
word:
  .word 0x55555555, 0x66666666
  .section .bss
  .space 64
