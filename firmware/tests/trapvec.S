# The test trap vector (see check.h): records one armed trap in `caught` and
# resumes after the trapping instruction (2 or 4 bytes on); hands any other trap to
# trap_unexpected(). Saves what it uses, so a trap can be provoked anywhere.

# Offsets in struct caught.
#define ARMED    0
#define MCAUSE   4
#define MEPC     8
#define MTVAL    12
#define MSTATUS  16

#define CAUSE_FETCH_ACCESS 1

        .text
        .balign 4               # mtvec.BASE: 4-byte aligned
        .globl trap_vector
trap_vector:
        addi    sp, sp, -16
        sw      t0, 0(sp)
        sw      t1, 4(sp)
        sw      t2, 8(sp)
        la      t0, caught
        lw      t1, ARMED(t0)
        beqz    t1, unexpected
        sw      zero, ARMED(t0)
        csrr    t1, mcause
        sw      t1, MCAUSE(t0)
        csrr    t1, mtval
        sw      t1, MTVAL(t0)
        csrr    t1, mstatus
        sw      t1, MSTATUS(t0)
        csrr    t1, mepc
        sw      t1, MEPC(t0)
        addi    t1, t1, 4
        # A fetch access fault's mepc is the target that faulted, not the
        # jump: go back to the jump's return address instead.
        csrr    t2, mcause
        addi    t2, t2, -CAUSE_FETCH_ACCESS
#ifndef __riscv_compressed
        bnez    t2, 1f
        mv      t1, ra
#else
        bnez    t2, 2f
        mv      t1, ra
        j       1f
        # Built with C, the trapping instruction may be 16 bits long: its low
        # bits are not 0b11 (unprivileged 1.5).
2:      lhu     t2, -4(t1)
        andi    t2, t2, 3
        addi    t2, t2, -3
        beqz    t2, 1f
        addi    t1, t1, -2
#endif
1:      csrw    mepc, t1
        lw      t2, 8(sp)
        lw      t1, 4(sp)
        lw      t0, 0(sp)
        addi    sp, sp, 16
        mret

unexpected:
        csrr    a0, mcause
        csrr    a1, mepc
        csrr    a2, mtval
        call    trap_unexpected         # does not return
