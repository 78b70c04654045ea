/* The trap frame's register part, for kernelvec.S and uservec.S: x1 and
 * x3..x31 stored at or loaded from their struct trapframe (kernel.h) offsets
 * at sp. sp itself (x2) each entry saves and restores its own way. The
 * offsets are included from C too (trap.c), the macros only from assembly. */
#ifndef FRAME_H
#define FRAME_H

#define R(n)    (((n) - 1) * 4) // offset of xn in the frame
#define TF_MEPC     124         // the trap CSRs kerneltrap saved (trap.c checks both)
#define TF_MSTATUS  136

#ifdef __ASSEMBLER__

        .macro SAVE_REGS
        sw      x1, R(1)(sp)
        sw      x3, R(3)(sp)
        sw      x4, R(4)(sp)
        sw      x5, R(5)(sp)
        sw      x6, R(6)(sp)
        sw      x7, R(7)(sp)
        sw      x8, R(8)(sp)
        sw      x9, R(9)(sp)
        sw      x10, R(10)(sp)
        sw      x11, R(11)(sp)
        sw      x12, R(12)(sp)
        sw      x13, R(13)(sp)
        sw      x14, R(14)(sp)
        sw      x15, R(15)(sp)
        sw      x16, R(16)(sp)
        sw      x17, R(17)(sp)
        sw      x18, R(18)(sp)
        sw      x19, R(19)(sp)
        sw      x20, R(20)(sp)
        sw      x21, R(21)(sp)
        sw      x22, R(22)(sp)
        sw      x23, R(23)(sp)
        sw      x24, R(24)(sp)
        sw      x25, R(25)(sp)
        sw      x26, R(26)(sp)
        sw      x27, R(27)(sp)
        sw      x28, R(28)(sp)
        sw      x29, R(29)(sp)
        sw      x30, R(30)(sp)
        sw      x31, R(31)(sp)
        .endm

        .macro LOAD_REGS
        lw      x1, R(1)(sp)
        lw      x3, R(3)(sp)
        lw      x4, R(4)(sp)
        lw      x5, R(5)(sp)
        lw      x6, R(6)(sp)
        lw      x7, R(7)(sp)
        lw      x8, R(8)(sp)
        lw      x9, R(9)(sp)
        lw      x10, R(10)(sp)
        lw      x11, R(11)(sp)
        lw      x12, R(12)(sp)
        lw      x13, R(13)(sp)
        lw      x14, R(14)(sp)
        lw      x15, R(15)(sp)
        lw      x16, R(16)(sp)
        lw      x17, R(17)(sp)
        lw      x18, R(18)(sp)
        lw      x19, R(19)(sp)
        lw      x20, R(20)(sp)
        lw      x21, R(21)(sp)
        lw      x22, R(22)(sp)
        lw      x23, R(23)(sp)
        lw      x24, R(24)(sp)
        lw      x25, R(25)(sp)
        lw      x26, R(26)(sp)
        lw      x27, R(27)(sp)
        lw      x28, R(28)(sp)
        lw      x29, R(29)(sp)
        lw      x30, R(30)(sp)
        lw      x31, R(31)(sp)
        .endm

#endif
#endif
