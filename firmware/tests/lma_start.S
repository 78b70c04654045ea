# Start-up of the lma test (lma.ld): .data is stored in `rom` and runs from
# `ram`, so before any C code hart 0 copies it there and zeroes .bss, as the
# start-up code of RTOS demos does. Other harts park.

#include "param.h"

        .section .text.lma_start, "ax", @progbits
        .globl lma_start
lma_start:
        csrr    t0, mhartid
        bnez    t0, park
        la      sp, stacks + STACK_SIZE

        # Copy .data from its load address to where it runs, a word at a time.
        la      t0, __data_load
        la      t1, __data_start
        la      t2, __data_end
1:      bgeu    t1, t2, 2f
        lw      t3, 0(t0)
        sw      t3, 0(t1)
        addi    t0, t0, 4
        addi    t1, t1, 4
        j       1b

        # Zero .bss.
2:      la      t1, __bss_start
        la      t2, __bss_end
3:      bgeu    t1, t2, 4f
        sw      zero, 0(t1)
        addi    t1, t1, 4
        j       3b

4:      li      a0, 0
        call    main
        call    exit                    # a0 = main's return value
