// rvc: every compressed instruction of RV32 Zca (unprivileged spec, chapter
// "C"), written as c.* in inline assembly so that each runs in its 16-bit
// form, on chosen operands, compared with what its 32-bit expansion does;
// then the reserved encodings, which are illegal instructions with mtval =
// the 16-bit parcel. Built with -march=rv32imac (programs.cmake: ARCH).
//
// The register forms with 3-bit fields (rd', rs1', rs2') reach only x8-x15:
// the macros use a0 (x10) and a1 (x11), set from the operands.

#include "defs.h"
#include "check.h"

#ifndef __riscv_compressed
#error "rvc.c must be built with the C extension (ARCH rv32imac)"
#endif

// a0 = a, a1 = b; `insn`; the result is a0.
#define C2(insn, a, b) ({ uint32 _r; \
  asm volatile("mv a0, %1\n\tmv a1, %2\n\t" insn "\n\tmv %0, a0" \
               : "=r"(_r) : "r"((uint32)(a)), "r"((uint32)(b)) : "a0", "a1", "memory"); _r; })
#define C1(insn, a) C2(insn, a, 0)

// 1 if `insn` (a branch on a1 to 1f) is taken, else 0.
#define C_BRANCH(insn, b) C2("li a0, 1\n\t" insn "\n\tli a0, 0\n1:", 0, b)

static uint32 buf[64];

static void arithmetic(void)
{
  group("c.alu");
  check(C1("c.addi a0, -1", 5), 4);
  check(C1("c.addi a0, 31", 1), 32);
  check(C1("c.addi a0, -32", 0), 0xffffffe0);
  check(C1("c.nop", 7), 7);
  check(C1("c.li a0, -32", 99), 0xffffffe0);
  check(C1("c.li a0, 31", 99), 31);
  check(C1("c.lui a0, 1", 99), 0x1000);
  check(C1("c.lui a0, 0xfffe0", 99), 0xfffe0000);
  check(C1("c.lui a0, 0x1f", 99), 0x1f000);
  check(C1("c.srli a0, 1", 0x80000000), 0x40000000);
  check(C1("c.srli a0, 31", 0x80000000), 1);
  check(C1("c.srai a0, 1", 0x80000000), 0xc0000000);
  check(C1("c.srai a0, 31", 0x80000000), 0xffffffff);
  check(C1("c.andi a0, -1", 0xdeadbeef), 0xdeadbeef);
  check(C1("c.andi a0, 5", 0xff), 5);
  check(C1("c.andi a0, -32", 0xff), 0xe0);
  check(C2("c.sub a0, a1", 10, 3), 7);
  check(C2("c.sub a0, a1", 0, 1), 0xffffffff);
  check(C2("c.xor a0, a1", 0xff00, 0x0ff0), 0xf0f0);
  check(C2("c.or a0, a1", 0xff00, 0x0ff0), 0xfff0);
  check(C2("c.and a0, a1", 0xff00, 0x0ff0), 0x0f00);
  check(C1("c.slli a0, 1", 0x40000001), 0x80000002);
  check(C1("c.slli a0, 31", 3), 0x80000000);
  check(C2("c.mv a0, a1", 1, 0x77), 0x77);
  check(C2("c.add a0, a1", 5, 6), 11);
  check(C2("c.add a0, a1", 0xffffffff, 2), 1);
  group_end();
}

static void stack_pointer(void)
{
  uint32 r;

  group("c.sp");
  asm volatile("c.addi4spn a0, sp, 16\n\tsub %0, a0, sp" : "=r"(r) : : "a0");
  check(r, 16);
  asm volatile("c.addi4spn a0, sp, 1020\n\tsub %0, a0, sp" : "=r"(r) : : "a0");
  check(r, 1020);
  asm volatile("mv a0, sp\n\tc.addi16sp sp, -512\n\tsub %0, a0, sp\n\tc.addi16sp sp, 496\n\t"
               "c.addi16sp sp, 16\n\tsub a0, a0, sp\n\tadd %0, %0, a0"
               : "=&r"(r) : : "a0", "memory");
  check(r, 512);  // down 512 and back up 512: the difference at the bottom
  // c.swsp stores and c.lwsp loads at sp + a scaled offset.
  asm volatile("addi sp, sp, -256\n\tli a1, 0x1234567\n\tc.swsp a1, 252(sp)\n\tlw %0, 252(sp)\n\t"
               "addi sp, sp, 256" : "=r"(r) : : "a1", "memory");
  check(r, 0x1234567);
  asm volatile("addi sp, sp, -256\n\tli a1, 0x7654321\n\tsw a1, 252(sp)\n\tc.lwsp a0, 252(sp)\n\t"
               "mv %0, a0\n\taddi sp, sp, 256" : "=r"(r) : : "a0", "a1", "memory");
  check(r, 0x7654321);
  asm volatile("addi sp, sp, -16\n\tli a1, 0x55\n\tc.swsp a1, 0(sp)\n\tc.lwsp a0, 0(sp)\n\t"
               "mv %0, a0\n\taddi sp, sp, 16" : "=r"(r) : : "a0", "a1", "memory");
  check(r, 0x55);
  group_end();
}

static void loads_stores(void)
{
  uint32 r;

  group("c.lw/c.sw");
  buf[2] = 0xdeadbeef;
  buf[31] = 0x12345678;
  asm volatile("mv a0, %1\n\tc.lw a1, 8(a0)\n\tmv %0, a1" : "=r"(r) : "r"(buf) : "a0", "a1", "memory");
  check(r, 0xdeadbeef);
  asm volatile("mv a0, %1\n\tc.lw a1, 124(a0)\n\tmv %0, a1" : "=r"(r) : "r"(buf) : "a0", "a1", "memory");
  check(r, 0x12345678);
  asm volatile("mv a0, %0\n\tli a1, 0xcafe\n\tc.sw a1, 4(a0)\n\tli a1, 0xf00d\n\tc.sw a1, 124(a0)"
               : : "r"(buf) : "a0", "a1", "memory");
  check(buf[1], 0xcafe);
  check(buf[31], 0xf00d);
  group_end();
}

static void control(void)
{
  uint32 r, link, want;

  group("c.jumps");
  check(C1("li a0, 1\n\tc.j 1f\n\tli a0, 2\n1:", 0), 1);
  check(C_BRANCH("c.beqz a1, 1f", 0), 1);
  check(C_BRANCH("c.beqz a1, 1f", 5), 0);
  check(C_BRANCH("c.bnez a1, 1f", 5), 1);
  check(C_BRANCH("c.bnez a1, 1f", 0), 0);
  // Backward: a countdown loop.
  check(C1("li a1, 0\n\tli a0, 3\n1:\tc.addi a1, 2\n\tc.addi a0, -1\n\tc.bnez a0, 1b\n\tmv a0, a1", 0), 6);
  // c.jal and c.jalr link the next instruction, pc + 2; c.jr returns.
  asm volatile("la %1, 1f\n\tc.jal 2f\n1:\tc.j 3f\n2:\tmv %0, ra\n\tc.jr ra\n3:"
               : "=&r"(link), "=&r"(want) : : "ra", "memory");
  check(link, want);
  asm volatile("la a5, 2f\n\tla %1, 1f\n\tc.jalr a5\n1:\tc.j 3f\n2:\tmv %0, ra\n\tc.jr ra\n3:"
               : "=&r"(link), "=&r"(want) : : "ra", "a5", "memory");
  check(link, want);
  // c.jalr ra: the target is the old ra.
  asm volatile("la ra, 2f\n\tla %1, 1f\n\tc.jalr ra\n1:\tc.j 3f\n2:\tmv %0, ra\n\tc.jr ra\n3:"
               : "=&r"(link), "=&r"(want) : : "ra", "memory");
  check(link, want);
  r = 0;
  asm volatile("la a5, 1f\n\tc.jr a5\n\tli %0, 9\n1:" : "+r"(r) : : "a5", "memory");
  check(r, 0);
  group_end();
}

// c.ebreak traps at its pc; the reserved parcels are illegal with mtval =
// the parcel.
#define CHECK_ILLEGAL_PARCEL(parcel) CHECK_ILLEGAL(".insn 2, " #parcel, parcel)

static void traps(void)
{
  uint32 pc;

  group("c.traps");
  catch_trap();
  asm volatile("auipc %0, 0\n\tc.ebreak" : "=r"(pc) : : "memory");
  check_trap(CAUSE_BREAKPOINT, pc + 4);  // (mtval = pc: QEMU 7.2 says 0; tests/isa checks it)
  CHECK_ILLEGAL("c.unimp", 0);
  CHECK_ILLEGAL_PARCEL(0x0004);   // c.addi4spn, nzuimm = 0
  CHECK_ILLEGAL_PARCEL(0x6101);   // c.addi16sp, nzimm = 0
  CHECK_ILLEGAL_PARCEL(0x6501);   // c.lui, nzimm = 0
  CHECK_ILLEGAL_PARCEL(0x8002);   // c.jr zero
  CHECK_ILLEGAL_PARCEL(0x4002);   // c.lwsp zero
  CHECK_ILLEGAL_PARCEL(0x1502);   // c.slli, shamt[5] = 1 on RV32
  CHECK_ILLEGAL_PARCEL(0x9101);   // c.srli, shamt[5] = 1 on RV32
  CHECK_ILLEGAL_PARCEL(0x9d01);   // c.subw: RV64 only
  group_end();
}

int main(int hartid)
{
  if (hartid != 0)
    park();
  arithmetic();
  stack_pointer();
  loads_stores();
  control();
  traps();
  return all_passed();
}
