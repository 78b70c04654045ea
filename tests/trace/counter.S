# counter: the trace tests' program. Every hart below HARTS adds 1 to
# `counter` ITERATIONS times with amoadd.w, then stores its id + 1 to `last`;
# the hart whose arrival completes `done` ends the run through the test
# finisher. Harts from HARTS on park in wfi.
#
# Traced with trace.words = ["counter", "last"], the VCD shows `counter`
# counting up by one per AMO, whichever hart did it.

#ifndef HARTS
#define HARTS 4
#endif
#ifndef ITERATIONS
#define ITERATIONS 100
#endif

#define FINISHER 0x100000
#define FINISHER_PASS 0x5555

  .option norelax   # no gp: nothing sets it up
  .section .text
  .globl _start
_start:
  # a0 = mhartid at reset (as QEMU virt with -bios none)
  li t0, HARTS
  bgeu a0, t0, park

  la t1, counter
  li t2, ITERATIONS
  li t3, 1
1:
  amoadd.w zero, t3, (t1)
  addi t2, t2, -1
  bnez t2, 1b

  addi t4, a0, 1
  la t1, last
  sw t4, 0(t1)

  la t1, done
  amoadd.w t4, t3, (t1)   # t4 = harts done before this one
  li t0, HARTS - 1
  bne t4, t0, park

  li t0, FINISHER
  li t1, FINISHER_PASS
  sw t1, 0(t0)

park:
  wfi
  j park

  .section .data
  .balign 4
  .globl counter, last, done
counter: .word 0
last:    .word 0
done:    .word 0
