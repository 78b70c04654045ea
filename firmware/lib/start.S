# Start-up. Every hart begins here, at RAM_BASE (the ELF entry), in machine
# mode, at the same time, with a0 = mhartid: QEMU's virt machine does this with
# -bios none, and spinlab does the same.
#
# Each hart takes its own stack by hart id. Hart 0 zeroes .bss while the
# others wait; then every hart calls main(hartid), and main's return value
# ends the run through exit().

#include "param.h"

        .section .text.entry, "ax", @progbits
        .globl _entry
_entry:
        csrr    s0, mhartid
        li      t0, NHART
        bgeu    s0, t0, park            # no stack for this hart

        # sp = stacks + (hartid + 1) * STACK_SIZE: stacks grow down.
        la      sp, stacks
        addi    t0, s0, 1
        li      t1, STACK_SIZE
        mul     t0, t0, t1
        add     sp, sp, t0

        bnez    s0, wait_for_bss

        # Hart 0: zero .bss, then raise bss_ready. The fence orders the
        # zeroing before the flag for the harts that see the flag.
        la      t0, __bss_start
        la      t1, __bss_end
1:      bgeu    t0, t1, 2f
        sw      zero, 0(t0)
        addi    t0, t0, 4
        j       1b
2:      fence   rw, w
        la      t0, bss_ready
        li      t1, 1
        sw      t1, 0(t0)
        j       call_main

        # The other harts: wait for hart 0 before touching any C variable.
wait_for_bss:
        la      t0, bss_ready
1:      lw      t1, 0(t0)
        beqz    t1, 1b
        fence   r, rw

call_main:
        mv      a0, s0
        call    main
        call    exit                    # a0 = main's return value

# Parks the calling hart for good: interrupts off, none enabled, wfi forever
# (wfi may return spuriously, hence the loop). Needs no stack.
        .text
        .globl park
park:
        csrci   mstatus, 8              # mstatus.MIE = 0
        csrw    mie, zero
1:      wfi
        j       1b

# The flag lives in .data, not .bss: the waiting harts read it while hart 0
# is still zeroing .bss.
        .data
        .balign 4
bss_ready:
        .word   0

# The stacks are outside .bss (the linker script puts .stacks after it), so
# hart 0 does not spend its first NHART * STACK_SIZE / 4 stores zeroing them.
        .section .stacks, "aw", @nobits
        .balign 16
        .globl stacks
stacks:
        .space  NHART * STACK_SIZE
