# Start-up of the monitor's test programs: a stack per hart, a trap vector,
# then main(hartid); main's return value ends the run through the finisher.
# Harts beyond MAX_HARTS park.
#define MAX_HARTS   4
#define STACK_SHIFT 12          /* 4 KiB per hart */

  .section .text.start, "ax"
  .globl _start
_start:
  # The linker relaxes accesses near __global_pointer$ to gp-relative ones:
  # gp must be set first, and without relaxation.
  .option push
  .option norelax
  la    gp, __global_pointer$
  .option pop
  csrr  a0, mhartid
  li    t0, MAX_HARTS
  bgeu  a0, t0, park
  la    sp, stacks
  addi  t1, a0, 1
  slli  t1, t1, STACK_SHIFT
  add   sp, sp, t1
  la    t0, trap_entry
  csrw  mtvec, t0
  call  main
  # main returned: its value is the exit code, through the test finisher
  # (memmap.h: FINISHER_BASE, FINISHER_PASS, FINISHER_FAIL).
  li    t0, 0x100000
  li    t1, 0x5555
  beqz  a0, 2f
  slli  t1, a0, 16
  li    t2, 0x3333
  or    t1, t1, t2
2:
  sw    t1, 0(t0)
park:
  csrci mstatus, 8
  csrw  mie, zero
1:
  wfi
  j     1b

# Saves the caller-saved registers, calls trap(mcause), returns with mret.
  .balign 4
  .globl trap_entry
trap_entry:
  addi  sp, sp, -64
  sw    ra, 0(sp)
  sw    t0, 4(sp)
  sw    t1, 8(sp)
  sw    t2, 12(sp)
  sw    a0, 16(sp)
  sw    a1, 20(sp)
  sw    a2, 24(sp)
  sw    a3, 28(sp)
  sw    a4, 32(sp)
  sw    a5, 36(sp)
  sw    a6, 40(sp)
  sw    a7, 44(sp)
  sw    t3, 48(sp)
  sw    t4, 52(sp)
  sw    t5, 56(sp)
  sw    t6, 60(sp)
  csrr  a0, mcause
  call  trap
  lw    ra, 0(sp)
  lw    t0, 4(sp)
  lw    t1, 8(sp)
  lw    t2, 12(sp)
  lw    a0, 16(sp)
  lw    a1, 20(sp)
  lw    a2, 24(sp)
  lw    a3, 28(sp)
  lw    a4, 32(sp)
  lw    a5, 36(sp)
  lw    a6, 40(sp)
  lw    a7, 44(sp)
  lw    t3, 48(sp)
  lw    t4, 52(sp)
  lw    t5, 56(sp)
  lw    t6, 60(sp)
  addi  sp, sp, 64
  mret

  .section .bss
  .balign 16
stacks:
  .space MAX_HARTS << STACK_SHIFT
