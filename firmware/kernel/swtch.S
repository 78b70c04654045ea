# swtch(struct context *old, struct context *new): the context switch.
#
# Saves the callee-saved registers of the thread that is running (ra, sp,
# s0-s11: all a C caller expects to survive a call) into *old, and loads the
# other thread's from *new. The `ret` then returns into the other thread,
# to wherever it called swtch -- or, for a thread that never ran, to the
# ra kthread_create put there. Everything else (the caller-saved registers)
# the C compiler has already saved, on the old thread's own stack.
#
# ra is loaded before sp, as xv6 does: the switch of stacks is the last
# thing that happens before the return, one instruction that moves this
# hart from one thread's stack to the other's.

        .text
        .globl swtch
swtch:
        sw      ra, 0(a0)
        sw      sp, 4(a0)
        sw      s0, 8(a0)
        sw      s1, 12(a0)
        sw      s2, 16(a0)
        sw      s3, 20(a0)
        sw      s4, 24(a0)
        sw      s5, 28(a0)
        sw      s6, 32(a0)
        sw      s7, 36(a0)
        sw      s8, 40(a0)
        sw      s9, 44(a0)
        sw      s10, 48(a0)
        sw      s11, 52(a0)

        lw      ra, 0(a1)
        lw      sp, 4(a1)
        lw      s0, 8(a1)
        lw      s1, 12(a1)
        lw      s2, 16(a1)
        lw      s3, 20(a1)
        lw      s4, 24(a1)
        lw      s5, 28(a1)
        lw      s6, 32(a1)
        lw      s7, 36(a1)
        lw      s8, 40(a1)
        lw      s9, 44(a1)
        lw      s10, 48(a1)
        lw      s11, 52(a1)
        ret
