# Every instruction of spinlab's subset, in several operand forms, for the
# disassembler test: the test runs objdump -d -M no-aliases on the object
# built from this file and checks isa::disassemble() against every line.
# Assembled with -march=rv32ima_zicsr_zifencei -mabi=ilp32 (DESIGN.md 6).

  .text
  .option norvc
first:
  # Targets that wrap below address 0: jal zero,-4 and beq zero,zero,-8.
  .insn 4, 0xffdff06f
  .insn 4, 0xfe000ce3

  # --- RV32I: upper immediates and jumps -------------------------------------
  lui zero, 0
  # objdump names this one word "unimp" even without aliases.
  unimp
  csrrw zero, cycle, zero
  csrrw zero, cycle, a0
  lui a0, 0x12345
  lui t6, 0xfffff
  lui s11, 0x80000
  auipc ra, 0
  auipc sp, 0x7ffff
  jal ra, 1f
  jal zero, first
  jal t0, 2f
1:
  jalr zero, 0(ra)
  jalr ra, -2048(s0)
  jalr t0, 2047(a5)
  jalr a0, -1(a0)
2:
  # --- branches, both directions ----------------------------------------------
  .irp op, beq, bne, blt, bge, bltu, bgeu
  \op a0, a1, 2b
  \op zero, t6, 3f
  \op s1, zero, 2b
  .endr
3:
  # --- loads and stores -----------------------------------------------------------
  .irp op, lb, lh, lw, lbu, lhu
  \op a5, 12(sp)
  \op zero, -2048(t0)
  \op s11, 2047(zero)
  \op t3, 0(a0)
  .endr
  .irp op, sb, sh, sw
  \op a5, 12(sp)
  \op zero, -2048(t0)
  \op s11, 2047(zero)
  \op t3, -1(a0)
  .endr

  # --- register-immediate ---------------------------------------------------------
  .irp op, addi, slti, sltiu, xori, ori, andi
  \op sp, sp, -16
  \op a0, a1, 2047
  \op t6, zero, -2048
  \op zero, zero, 0
  \op s0, s1, -1
  .endr
  .irp op, slli, srli, srai
  \op a0, a1, 0
  \op a0, a1, 1
  \op t6, s0, 31
  \op zero, zero, 17
  .endr

  # --- register-register, every register name in every position ------------------
  .irp op, add, sub, sll, slt, sltu, xor, srl, sra, or, and, mul, mulh, mulhsu, mulhu, div, divu, rem, remu
  \op a0, a1, a2
  \op zero, ra, sp
  .endr
  .irp r, zero, ra, sp, gp, tp, t0, t1, t2, s0, s1, a0, a1, a2, a3, a4, a5, a6, a7, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, t3, t4, t5, t6
  add \r, \r, \r
  sub \r, zero, t6
  sub t6, \r, zero
  .endr

  # --- fences: every pred/succ pair, fence.tso, fence.i -----------------------------
  fence
  fence rw, rw
  fence.tso
  fence.i
  .set fence_sets, 0
  .rept 256
  .insn 4, 0x0000000f | (fence_sets << 20)
  .set fence_sets, fence_sets + 1
  .endr
  # Reserved fence encodings that execute as fences but objdump prints as data.
  .insn 4, 0x0ff0008f   # rd != 0
  .insn 4, 0x0ff5000f   # rs1 != 0
  .insn 4, 0x4ff0000f   # fm = 0100
  .insn 4, 0x8ff0000f   # fm = 1000 but not rw,rw
  .insn 4, 0x00b5100f   # fence.i with rs1 and imm set

  # --- system ----------------------------------------------------------------------------
  ecall
  ebreak
  mret
  wfi

  # --- A: every ordering of every instruction ---------------------------------------
  .irp sfx, , .aq, .rl, .aqrl
  lr.w\sfx a0, (a1)
  lr.w\sfx zero, (t6)
  sc.w\sfx a0, a2, (a1)
  sc.w\sfx t6, zero, (sp)
  .endr
  .irp op, amoswap.w, amoadd.w, amoxor.w, amoand.w, amoor.w, amomin.w, amomax.w, amominu.w, amomaxu.w
  .irp sfx, , .aq, .rl, .aqrl
  \op\sfx a0, a2, (a1)
  \op\sfx zero, t6, (s0)
  .endr
  .endr

  # --- Zicsr: the CSRs we implement, by name, in every form ---------------------------
  .irp c, mstatus, misa, mie, mtvec, mscratch, mepc, mcause, mtval, mip, mcycle, minstret, mcycleh, minstreth, cycle, time, instret, cycleh, timeh, instreth, mvendorid, marchid, mimpid, mhartid
  csrrw a0, \c, a1
  csrrw zero, \c, t6
  csrrs a5, \c, zero
  csrrs a0, \c, a1
  csrrc t0, \c, s1
  csrrc a0, \c, zero
  csrrwi a0, \c, 31
  csrrwi zero, \c, 0
  csrrsi a0, \c, 8
  csrrsi a0, \c, 0
  csrrci a0, \c, 1
  csrrci zero, \c, 0
  .endr
  # Every CSR number: objdump's name or number for each.
  .set csr_num, 0
  .rept 4096
  csrrs a0, csr_num, zero
  .set csr_num, csr_num + 1
  .endr
  .set csr_num, 0
  .rept 64
  csrrwi t1, (csr_num * 64 + 5), 17
  .set csr_num, csr_num + 1
  .endr

  # --- words that are not instructions of the subset ------------------------------------
  .insn 4, 0x12345677   # OP-P major opcode
  .insn 4, 0x0000502f   # AMO with funct3 = 5
  .insn 4, 0x1010202f   # lr.w with rs2 != 0
  .insn 4, 0x00004073   # SYSTEM funct3 = 4
  .insn 4, 0x0800003b   # OP-32, RV64 only
  .insn 4, 0x0000000b   # custom-0

  # Jumps far back to the start (targets computed over a large offset).
  jal ra, first
  jal zero, 1b
