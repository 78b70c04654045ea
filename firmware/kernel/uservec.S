# uservec and userret: the trap entry from user mode and the return to it.
#
# While a user thread runs, mtvec points here and mscratch holds the address
# of the thread's trapframe, at the top of its kernel stack (kthread_create
# keeps that room free). A trap from U mode swaps sp with mscratch, so the
# kernel never runs on the user's stack, saves all 31 registers there, points
# mtvec back at kernelvec (a trap taken in the kernel from now on is a kernel
# trap), and calls usertrap(tf) on the kernel stack just below the frame.
# usertrap never returns here: it leaves through usertrapret, which calls
# userret(tf) with interrupts off and mepc and mstatus (MPP = U) set.

#include "frame.h"

        .text
        .balign 4               # mtvec.BASE: 4-byte aligned
        .globl uservec
uservec:
        csrrw   sp, mscratch, sp        # sp = &trapframe; mscratch = the user's sp
        SAVE_REGS
        csrr    t0, mscratch            # the user's sp
        sw      t0, R(2)(sp)
        la      t0, kernelvec
        csrw    mtvec, t0
        mv      a0, sp
        call    usertrap                # leaves through userret, never returns

        .globl userret
userret:                                # a0 = &trapframe
        la      t0, uservec
        csrw    mtvec, t0
        csrw    mscratch, a0            # for the next trap from U mode
        mv      sp, a0
        LOAD_REGS
        lw      sp, R(2)(sp)            # the user's sp, last
        mret
