# kernelvec: the kernel's trap entry and exit (trap_init points mtvec here).
#
# Saves all 31 registers of the interrupted code in a struct trapframe
# (kernel.h) on its stack, calls kerneltrap(tf), restores them all, and
# returns with mret. Saving every register, not just the ones a C function
# may clobber, puts the interrupted code's whole state in one place: a
# panic can print it, a debugger can read it.
#
# The hart cleared mstatus.MIE on entry (MPIE keeps the old value) and mret
# restores it: the handler is entered with interrupts off. It may turn them
# on for other sources (its own is masked: trap.c's handle_interrupt and
# devintr), and the softirqs that irq_exit runs after it do turn them on,
# so a trap can come in here again while this one is not done
# (cpu->nested); it runs on the interrupt stack it finds (trap.c's do_irq).
#
# With threads running, kerneltrap may switch to another thread before it
# returns here (preemption point 2); the frame stays on this thread's
# stack. Either way, this trap's mepc and mstatus are put back from the
# frame before the mret. A trap from U mode comes in at uservec (uservec.S)
# instead.

#define FRAME   144             // struct trapframe (35 words), rounded up to 16 bytes
#include "frame.h"

        .text
        .balign 4               # mtvec.BASE: 4-byte aligned
        .globl kernelvec
kernelvec:
        addi    sp, sp, -FRAME
        SAVE_REGS
        addi    t0, sp, FRAME           # sp as the interrupted code had it
        sw      t0, R(2)(sp)

        mv      a0, sp
        call    kerneltrap

        # This trap's own mepc and mstatus (kerneltrap saved them): traps
        # taken while the softirqs ran with interrupts on, or other threads'
        # traps (point 2), have overwritten both. Interrupts are off (MIE 0)
        # from kerneltrap's return to the mret.
        lw      t0, TF_MEPC(sp)
        csrw    mepc, t0
        lw      t0, TF_MSTATUS(sp)
        csrw    mstatus, t0

        # Everything but sp comes back from the frame; sp last, by arithmetic.
        LOAD_REGS
        addi    sp, sp, FRAME
        mret

# call_on_irq_stack(tf, fn, top): fn(tf) with sp = top (this hart's
# interrupt stack, trap.c's do_irq), then sp back on the stack it came from.
# s0 keeps the old sp across the call (callee-saved: fn gives it back), and
# ra and s0 stay on the old stack, a frame record a debugger can follow.
# The monitor sees the two sp writes (`mv sp, a2`, `addi sp, s0, -16`): a
# stack switch inside a handler that has not acknowledged its device yet,
# and back to the sp the thread left (docs/monitor.md, Threads).
        .globl call_on_irq_stack
call_on_irq_stack:
        addi    sp, sp, -16
        sw      ra, 12(sp)
        sw      s0, 8(sp)
        addi    s0, sp, 16
        mv      sp, a2
        jalr    a1
        addi    sp, s0, -16
        lw      ra, 12(sp)
        lw      s0, 8(sp)
        addi    sp, sp, 16
        ret
