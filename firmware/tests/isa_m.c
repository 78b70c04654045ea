// isa_m: the M extension (RISC-V unprivileged, chapter 7): every multiply and
// divide, with the signed/unsigned edges, division by zero and the one
// signed overflow (INT_MIN / -1), which the spec defines rather than traps.

#include "defs.h"
#include "check.h"
#include "insn.h"

#define INT_MIN 0x80000000u
#define INT_MAX 0x7fffffffu

static void multiply(void)
{
  group("mul");
  check(RR("mul", 3, 4), 12);
  check(RR("mul", -3, 4), -12);
  check(RR("mul", 0xffffffff, 0xffffffff), 1);
  check(RR("mul", INT_MIN, -1), INT_MIN);
  check(RR("mul", 0x12345678, 0x9abcdef0), 0x242d2080);
  check(RR("mul", 0xfffffffe, 3), 0xfffffffa);
  group_end();

  // The high word of the 64-bit product: signed x signed, unsigned x
  // unsigned, signed rs1 x unsigned rs2.
  group("mulh");
  check(RR("mulh", 0xffffffff, 0xffffffff), 0);             // -1 * -1
  check(RR("mulh", INT_MIN, INT_MIN), 0x40000000);
  check(RR("mulh", INT_MIN, 0xffffffff), 0);                // 2^31
  check(RR("mulh", 0xffffffff, 1), 0xffffffff);
  check(RR("mulh", INT_MAX, INT_MAX), 0x3fffffff);
  check(RR("mulh", 0x12345678, 0x9abcdef0), 0xf8cc93d6);
  check(RR("mulh", INT_MIN, 2), 0xffffffff);
  check(RR("mulhu", 0xffffffff, 0xffffffff), 0xfffffffe);
  check(RR("mulhu", INT_MIN, INT_MIN), 0x40000000);
  check(RR("mulhu", INT_MIN, 0xffffffff), 0x7fffffff);
  check(RR("mulhu", 0xffffffff, 1), 0);
  check(RR("mulhu", 0x12345678, 0x9abcdef0), 0x0b00ea4e);
  check(RR("mulhu", INT_MIN, 2), 1);
  check(RR("mulhsu", 0xffffffff, 0xffffffff), 0xffffffff);  // -1 * (2^32 - 1)
  check(RR("mulhsu", INT_MIN, INT_MIN), 0xc0000000);
  check(RR("mulhsu", INT_MIN, 0xffffffff), INT_MIN);
  check(RR("mulhsu", 0xffffffff, 1), 0xffffffff);
  check(RR("mulhsu", 2, INT_MIN), 1);                       // rs2 unsigned
  check(RR("mulhsu", INT_MIN, 2), 0xffffffff);              // rs1 signed
  check(RR("mulhsu", 0xfffffffe, 3), 0xffffffff);
  group_end();
}

static void divide(void)
{
  group("div");
  check(RR("div", 7, 2), 3);
  check(RR("div", -7, 2), -3);              // rounds towards zero
  check(RR("div", 7, -2), -3);
  check(RR("div", -7, -2), 3);
  check(RR("div", 7, 0), 0xffffffff);       // by zero: all ones
  check(RR("div", 0, 0), 0xffffffff);
  check(RR("div", INT_MIN, 0), 0xffffffff);
  check(RR("div", INT_MIN, -1), INT_MIN);   // overflow: the dividend
  check(RR("div", INT_MIN, 1), INT_MIN);
  check(RR("divu", 7, 2), 3);
  check(RR("divu", 0xffffffff, 2), INT_MAX);
  check(RR("divu", -7, 2), 0x7ffffffc);
  check(RR("divu", 7, 0), 0xffffffff);      // by zero: all ones
  check(RR("divu", 0, 0), 0xffffffff);
  check(RR("divu", INT_MIN, 0xffffffff), 0);
  group_end();

  group("rem");
  check(RR("rem", 7, 2), 1);
  check(RR("rem", -7, 2), -1);              // the sign of the dividend
  check(RR("rem", 7, -2), 1);
  check(RR("rem", -7, -2), -1);
  check(RR("rem", 7, 0), 7);                // by zero: the dividend
  check(RR("rem", -7, 0), -7);
  check(RR("rem", INT_MIN, -1), 0);         // overflow: zero
  check(RR("remu", 0xffffffff, 10), 5);
  check(RR("remu", -7, 2), 1);
  check(RR("remu", 7, 0), 7);               // by zero: the dividend
  check(RR("remu", INT_MIN, 0), INT_MIN);
  check(RR("remu", INT_MIN, 0xffffffff), INT_MIN);
  group_end();
}

static void same_register(void)
{
  uint32 r = 0xfffffff9;  // -7

  group("rd=rs1=rs2");
  asm volatile("mul %0, %0, %0" : "+r"(r));
  check(r, 49);
  asm volatile("div %0, %0, %0" : "+r"(r));
  check(r, 1);
  asm volatile("addi %0, %0, -1\n\tremu %0, %0, %0" : "+r"(r));  // 0 % 0 = 0
  check(r, 0);
  group_end();
}

int main(int hartid)
{
  if (hartid != 0)
    park();
  multiply();
  divide();
  same_register();
  return all_passed();
}
