// isa_rv32i: the base integer instructions. Each is executed directly on
// chosen operands (edges: sign bits, overflow, immediates at their limits)
// and compared with the result the spec (RISC-V unprivileged, chapter 2)
// requires.

#include "defs.h"
#include "check.h"
#include "insn.h"

#define INT_MIN 0x80000000u
#define INT_MAX 0x7fffffffu

static void alu(void)
{
  group("alu");
  check(RR("add", 1, 2), 3);
  check(RR("add", INT_MAX, 1), INT_MIN);            // wraps, no trap
  check(RR("add", 0xffffffff, 1), 0);
  check(RR("sub", 0, 1), 0xffffffff);
  check(RR("sub", INT_MIN, 1), INT_MAX);
  check(RR("and", 0xff00ff00, 0x0ff00ff0), 0x0f000f00);
  check(RR("or", 0xff00ff00, 0x0ff00ff0), 0xfff0fff0);
  check(RR("xor", 0xff00ff00, 0x0ff00ff0), 0xf0f0f0f0);
  check(RR("slt", -1, 1), 1);                       // signed
  check(RR("slt", 1, -1), 0);
  check(RR("slt", INT_MIN, INT_MAX), 1);
  check(RR("slt", 5, 5), 0);
  check(RR("sltu", -1, 1), 0);                      // unsigned: 0xffffffff > 1
  check(RR("sltu", 1, -1), 1);
  check(RR("sltu", 0, 0), 0);
  group_end();

  group("immediates");
  check(RI("addi", 5, -6), 0xffffffff);             // imm sign-extended
  check(RI("addi", 0, 2047), 2047);
  check(RI("addi", 0, -2048), 0xfffff800);
  check(RI("slti", -1, 0), 1);
  check(RI("slti", 0, -1), 0);
  check(RI("slti", INT_MIN, -2048), 1);
  check(RI("sltiu", 0, -1), 1);                     // imm is 0xffffffff, then unsigned
  check(RI("sltiu", 0xfffffffe, -1), 1);
  check(RI("sltiu", 0xffffffff, -1), 0);
  check(RI("sltiu", 0, 1), 1);                      // seqz
  check(RI("sltiu", 7, 1), 0);
  check(RI("andi", 0x12345678, -1), 0x12345678);
  check(RI("andi", 0x12345678, 0x7ff), 0x678);
  check(RI("andi", 0xffffffff, -2048), 0xfffff800);
  check(RI("ori", 0, -2048), 0xfffff800);
  check(RI("ori", 0xf0, 0x0f), 0xff);
  check(RI("xori", 0x12345678, -1), 0xedcba987);    // not
  check(RI("xori", 0x555, 0x7ff), 0x2aa);

  // x0 reads zero whatever is written to it.
  uint32 r;
  asm volatile("addi x0, x0, 5\n\tmv %0, x0" : "=r"(r));
  check(r, 0);
  asm volatile("lui x0, 0x12345\n\tadd %0, x0, x0" : "=r"(r));
  check(r, 0);
  group_end();
}

static void shifts(void)
{
  group("shifts");
  check(RR("sll", 1, 31), INT_MIN);
  check(RR("sll", 1, 32), 1);                       // only rs2[4:0] counts
  check(RR("sll", 1, 0xffffffe1), 2);
  check(RR("srl", INT_MIN, 31), 1);
  check(RR("srl", INT_MIN, 32), INT_MIN);
  check(RR("srl", 0xffffffff, 4), 0x0fffffff);      // zeros in
  check(RR("sra", INT_MIN, 31), 0xffffffff);        // sign bits in
  check(RR("sra", INT_MIN, 4), 0xf8000000);
  check(RR("sra", INT_MAX, 30), 1);
  check(RR("sra", 0x87654321, 0), 0x87654321);
  check(RI("slli", 0x12345678, 4), 0x23456780);
  check(RI("slli", 0x12345678, 0), 0x12345678);
  check(RI("slli", 3, 31), INT_MIN);
  check(RI("srli", INT_MIN, 1), 0x40000000);
  check(RI("srli", 0xffffffff, 31), 1);
  check(RI("srai", INT_MIN, 1), 0xc0000000);
  check(RI("srai", 0xffffffff, 31), 0xffffffff);
  check(RI("srai", 0x40000000, 30), 1);
  group_end();
}

static void branches(void)
{
  group("branches");
  check(BRANCH("beq", 1, 1), 1);
  check(BRANCH("beq", 1, 2), 0);
  check(BRANCH("bne", 1, 2), 1);
  check(BRANCH("bne", 3, 3), 0);
  check(BRANCH("blt", -1, 1), 1);
  check(BRANCH("blt", 1, -1), 0);
  check(BRANCH("blt", 2, 2), 0);
  check(BRANCH("blt", INT_MIN, INT_MAX), 1);
  check(BRANCH("bge", 1, -1), 1);
  check(BRANCH("bge", -1, 1), 0);
  check(BRANCH("bge", 2, 2), 1);
  check(BRANCH("bge", INT_MIN, INT_MIN), 1);
  check(BRANCH("bltu", 1, -1), 1);
  check(BRANCH("bltu", -1, 1), 0);
  check(BRANCH("bltu", 0, 0), 0);
  check(BRANCH("bgeu", -1, 1), 1);
  check(BRANCH("bgeu", 1, -1), 0);
  check(BRANCH("bgeu", 5, 5), 1);

  // A backward branch: a loop of 5 iterations.
  uint32 n = 5, iterations = 0;
  asm volatile("1: addi %1, %1, 1\n\taddi %0, %0, -1\n\tbnez %0, 1b"
               : "+r"(n), "+r"(iterations));
  check(iterations, 5);
  group_end();
}

static void jumps(void)
{
  uint32 link, here, target, skipped;

  group("jumps");
  // jal: rd = the jal's address + 4.
  asm volatile("auipc %1, 0\n\tjal %0, 1f\n1:" : "=r"(link), "=r"(here));
  check(link - here, 8);
  // jal jumps over what follows it.
  asm volatile("li %1, 0\n\tjal %0, 1f\n\tli %1, 1\n1:" : "=r"(link), "=&r"(skipped));
  check(skipped, 0);
  // jalr: target = rs1 + imm, rd = the jalr's address + 4.
  asm volatile("la %1, 1f\n\tjalr %0, 0(%1)\n1:" : "=r"(link), "=&r"(target));
  check(link, target);
  asm volatile("la %1, 1f\n\taddi %1, %1, -12\n\tjalr %0, 12(%1)\n1:" : "=r"(link), "=&r"(target));
  check(link - target, 12);
  asm volatile("la %1, 1f\n\taddi %1, %1, 8\n\tjalr %0, -8(%1)\n1:" : "=r"(link), "=&r"(target));
  check(target - link, 8);
  // jalr clears bit 0 of the target.
  asm volatile("li %2, 0\n\tla %1, 1f\n\taddi %1, %1, 1\n\tjalr %0, 0(%1)\n\tli %2, 1\n1:"
               : "=r"(link), "=&r"(target), "=&r"(skipped));
  check(skipped, 0);
  // jalr with rd = rs1: the target comes from the old value (written first,
  // the link would send it to the li).
  // (norvc: the skipped li is 4 bytes even in a build with C.)
  asm volatile(".option push\n\t.option norvc\n\t"
               "li %2, 0\n\tla %0, 1f\n\tmv %1, %0\n\tjalr %1, 0(%1)\n\tli %2, 1\n1:\n\t.option pop"
               : "=&r"(target), "=&r"(link), "=&r"(skipped));
  check(skipped, 0);
  check(target - link, 4);
  // A call and return through ra, as the compiler does it.
  asm volatile("li %0, 0\n\tjal ra, 1f\n\tj 2f\n1:\taddi %0, %0, 7\n\tret\n2:"
               : "=&r"(here) : : "ra");
  check(here, 7);
  group_end();
}

static void upper(void)
{
  uint32 r, label;

  group("lui/auipc");
  asm volatile("lui %0, 0x12345" : "=r"(r));
  check(r, 0x12345000);
  asm volatile("lui %0, 0xfffff" : "=r"(r));
  check(r, 0xfffff000);
  asm volatile("lui %0, 0x80000" : "=r"(r));
  check(r, INT_MIN);
  asm volatile("li %0, -1\n\tlui %0, 0" : "=r"(r));
  check(r, 0);
  // auipc adds to its own address.
  asm volatile("1: auipc %0, 0\n\tla %1, 1b" : "=&r"(r), "=r"(label));
  check(r, label);
  asm volatile("1: auipc %0, 0x1\n\tla %1, 1b" : "=&r"(r), "=r"(label));
  check(r - label, 0x1000);
  asm volatile("1: auipc %0, 0xfffff\n\tla %1, 1b" : "=&r"(r), "=r"(label));
  check(label - r, 0x1000);
  asm volatile("1: auipc %0, 0x80000\n\tla %1, 1b" : "=&r"(r), "=r"(label));
  check(r - label, INT_MIN);
  group_end();
}

static uint32 words[4];
static uint8 page[4096] __attribute__((aligned(16)));

static void loads_stores(void)
{
  uint32 *w = words;

  group("loads");
  w[0] = 0x807f01ff;          // bytes ff 01 7f 80 (little-endian)
  w[1] = 0x7fff8001;
  check(LOAD("lb", w, 0), 0xffffffff);
  check(LOAD("lb", w, 1), 0x00000001);
  check(LOAD("lb", w, 2), 0x0000007f);
  check(LOAD("lb", w, 3), 0xffffff80);
  check(LOAD("lbu", w, 0), 0xff);
  check(LOAD("lbu", w, 3), 0x80);
  check(LOAD("lh", w, 0), 0x000001ff);
  check(LOAD("lh", w, 2), 0xffff807f);
  check(LOAD("lh", w, 4), 0xffff8001);
  check(LOAD("lh", w, 6), 0x00007fff);
  check(LOAD("lhu", w, 2), 0x807f);
  check(LOAD("lhu", w, 4), 0x8001);
  check(LOAD("lw", w, 0), 0x807f01ff);
  check(LOAD("lw", w, 4), 0x7fff8001);
  check(LOAD("lw", &w[2], -8), 0x807f01ff);         // negative offset
  group_end();

  group("stores");
  w[0] = w[1] = w[2] = 0;
  STORE("sb", 0xabcdef12, &w[1], 1);                 // only the low byte
  check(w[1], 0x00001200);
  STORE("sb", 0x34, &w[1], 3);
  check(w[1], 0x34001200);
  STORE("sh", 0xabcd5678, &w[1], 0);                 // only the low half
  check(w[1], 0x34005678);
  STORE("sh", 0x9abc, &w[1], 2);
  check(w[1], 0x9abc5678);
  STORE("sw", 0xdeadbeef, &w[2], -4);
  check(w[1], 0xdeadbeef);
  check(w[0], 0);                                    // neighbours untouched
  check(w[2], 0);
  // The 12-bit offset at both ends.
  uint8 *mid = page + 2048;
  STORE("sb", 0x5a, mid, -2048);
  STORE("sb", 0xa5, mid, 2047);
  check(page[0], 0x5a);
  check(page[4095], 0xa5);
  check(LOAD("lbu", mid, -2048), 0x5a);
  check(LOAD("lb", mid, 2047), 0xffffffa5);
  group_end();
}

// Code written to RAM at run time, made visible to fetch by fence.i.
static uint32 code[2] __attribute__((aligned(4)));

#define INSN_LI_A0(imm) (0x00000513u | ((uint32)(imm) << 20))  // addi a0, x0, imm
#define INSN_RET        0x00008067u                            // jalr x0, 0(ra)

static uint32 call_code(void)
{
  uint32 a0;
  asm volatile("jalr ra, 0(%1)\n\tmv %0, a0" : "=r"(a0) : "r"(code) : "ra", "a0", "memory");
  return a0;
}

static void fences(void)
{
  group("fences");
  asm volatile("fence\n\tfence rw, rw\n\tfence r, r\n\tfence w, w\n\tfence iorw, iorw" ::: "memory");
  code[0] = INSN_LI_A0(42);
  code[1] = INSN_RET;
  asm volatile("fence.i" ::: "memory");
  check(call_code(), 42);
  code[0] = INSN_LI_A0(43);
  asm volatile("fence.i" ::: "memory");
  check(call_code(), 43);
  group_end();
}

int main(int hartid)
{
  if (hartid != 0)
    park();
  alu();
  shifts();
  branches();
  jumps();
  upper();
  loads_stores();
  fences();
  return all_passed();
}
